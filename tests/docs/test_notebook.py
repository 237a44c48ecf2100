"""The analyst's tutorial, examples/tutorial.ipynb (issue 22, item 5): executed end to end with
nbclient on this interpreter, and its cells shown unchanged on the site's Tutorial page."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "tutorial.ipynb"
PAGE = ROOT / "docs" / "tutorial.md"


def _code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_notebook_is_short_and_saved_without_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert 5 <= len(code) <= 12
    assert sum(c["cell_type"] == "markdown" for c in cells) >= len(code)
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_tutorial_page_shows_every_code_cell() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for src in _code_cells():
        assert f"```python\n{src}\n```" in page, f"docs/tutorial.md lacks (or changed) the cell:\n{src}"


def _kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec running ipykernel on this interpreter, with this checkout importable."""
    spec = tmp_path / "jupyter" / "kernels" / "yrdnet-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "yrdnet", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("YRDNET_QUIET", "1")
    return "yrdnet-test"


def _text(cell: dict) -> str:  # type: ignore[type-arg]
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.mark.slow
def test_notebook_runs_and_maps_the_gains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    work = tmp_path / "run"
    work.mkdir()
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=_kernel(tmp_path, monkeypatch), resources={"metadata": {"path": str(work)}}
    )
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    seconds = time.perf_counter() - t0
    code = [c for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(_text(c) for c in code)
    assert "travel-time matrix (41, 41)" in text
    assert "potential accessibility, door to door, multimodal" in text  # the registry's label, not only the key
    assert "plan_2035 against baseline_2025" in text  # compare's headline
    assert "met in 2025:" in text and "with plan_2035:" in text
    png = work / "tutorial_output" / "gains.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
    assert seconds < 300, f"the tutorial took {seconds:.0f} s"
