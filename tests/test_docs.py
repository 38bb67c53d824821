"""The README and data/README.md say what is true: the counts they state come from the tests themselves, and
every repository path they name exists."""

from __future__ import annotations

import re

from conftest import REPO
from test_bad_inputs import BAD_INPUTS
from test_store import REFUSED

README = (REPO / "README.md").read_text(encoding="utf-8")
DATA_README = (REPO / "data" / "README.md").read_text(encoding="utf-8")


def test_the_readme_states_the_suites_own_counts() -> None:
    assert f"has {len(BAD_INPUTS)} broken data sets" in README
    assert f"tests/test_store.py tries {len(REFUSED)} such writes" in README


def test_every_path_the_readmes_name_exists() -> None:
    """A backticked or linked path with a slash or a known ending (`crossings/core/days.py`, `data/README.md`)
    names a file or folder of the repository; nothing outside it (no ../shared)."""
    for text, base in ((README, REPO), (DATA_README, REPO / "data")):
        named = re.findall(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|csv|md|toml|ini))`", text)
        named += re.findall(r"\]\(((?!https?:)[^)#]+)", text)
        assert named
        for path in (p for p in named if not p.startswith(("/", "-"))):  # routes and flags, not files
            assert ".." not in path and "shared/" not in path, path
            assert (REPO / path).exists() or (base / path).exists(), path


def test_the_readmes_summary_examples_are_what_the_cli_prints(curated_store: str) -> None:
    """Every `python -m crossings summary` in the README, and the summary.csv fetched by curl (the CLI's bytes
    for the same arguments), prints exactly the lines shown under it."""
    from urllib.parse import parse_qsl, urlsplit

    from conftest import run_cli

    flags = {"from": "--from", "to": "--to", "as_of": "--as-of", "crossing": "--crossing", "country": "--country",
             "traffic": "--traffic"}
    shown = re.findall(r"^\$ (python -m crossings summary [^\n]+|curl '[^']*/summary\.csv[^']*')\n"
                       r"((?:[^$`\n][^\n]*\n)+)", README, flags=re.MULTILINE)
    assert len(shown) == 3
    for command, printed in shown:
        if command.startswith("curl"):
            query = parse_qsl(urlsplit(command.split("'")[1]).query)
            argv = ["summary", *[part for name, value in query for part in (flags[name], value)]]
        else:
            argv = command.split()[3:]
        code, out, err = run_cli([*argv, "--db", curated_store])
        assert code == 0, err
        assert out == printed, command
