"""Dependencies point one way: computing modules import neither Streamlit nor SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PURE = ["crossings/days.py", "crossings/cards.py", "crossings/validation.py", "crossings/records.py",
        "crossings/csvout.py"]


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", PURE)
def test_computing_modules_are_pure(module: str) -> None:
    assert imported_roots(REPO / module) & {"streamlit", "sqlalchemy", "db", "sqlite3"} == set()


@pytest.mark.parametrize("module", sorted(str(p.relative_to(REPO)) for p in (REPO / "db").glob("*.py")))
def test_db_never_imports_streamlit(module: str) -> None:
    assert "streamlit" not in imported_roots(REPO / module)


@pytest.mark.parametrize("module", sorted(str(p.relative_to(REPO)) for p in (REPO / "crossings").glob("*.py")))
def test_crossings_never_imports_streamlit(module: str) -> None:
    assert "streamlit" not in imported_roots(REPO / module)
