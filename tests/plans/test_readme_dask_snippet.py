"""The README's Dask example runs when pasted into a script (Dask re-imports the script)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Test-only first lines: a one-project workload, so the script runs in seconds.
TINY = 'import yrdnet\nyrdnet.candidate_projects = lambda: ["chaohu_maanshan"]\n'


def dask_snippet() -> str:
    """The one ``python`` block of README.md that starts a Dask cluster."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "local_cluster(" in b]
    assert len(found) == 1, f"{len(found)} README blocks start a Dask cluster"
    return found[0]


def test_snippet_does_its_work_only_under_the_main_guard() -> None:
    tree = ast.parse(dask_snippet())
    kinds = {type(s).__name__ for s in tree.body}
    assert kinds == {"Import", "FunctionDef", "If"}, kinds  # no work at import time
    guard = [s for s in tree.body if isinstance(s, ast.If)]
    assert len(guard) == 1 and ast.unparse(guard[0].test) == "__name__ == '__main__'"
    assert "local_cluster" not in ast.unparse(guard[0]) or ast.unparse(guard[0].body[0]) == "main()"


@pytest.mark.slow
def test_snippet_runs_as_a_script(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    script = tmp_path / "sweep_on_dask.py"
    script.write_text(TINY + dask_snippet(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, str(script)], check=False, cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=180)  # fmt: skip
    assert p.returncode == 0, p.stderr[-3000:]
    assert "Nanny failed" not in p.stderr
    assert re.search(r"^chaohu_maanshan +\d\.\d+", p.stdout, re.M), p.stdout  # its row of the table
