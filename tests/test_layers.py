"""The layers as a fresh interpreter sees them: importing any module under crossings/ but crossings/page loads
neither Streamlit nor Plotly (the JSON API and the CLI run without them)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

CHECK = """
import importlib, pkgutil, sys
import crossings
found = []
for module in pkgutil.walk_packages(crossings.__path__, "crossings."):
    if module.name.startswith("crossings.page") or module.name == "crossings.__main__":  # __main__ runs the CLI
        continue
    importlib.import_module(module.name)
    found.append(module.name)
loaded = sorted(name for name in ("streamlit", "plotly") if name in sys.modules)
print(len(found), ",".join(loaded) or "none")
"""


def test_no_module_outside_the_page_loads_streamlit_or_plotly() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    count, loaded = done.stdout.split()
    assert int(count) >= 20  # core, view, serve, the CLI: every module was imported
    assert loaded == "none"


def test_the_page_modules_do_load_them() -> None:
    """The check can fail: the drawing modules import Plotly, the cache module Streamlit."""
    code = "import sys, crossings.page.cache; print('streamlit' in sys.modules, 'plotly' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.stdout.split() == ["True", "True"], done.stderr
