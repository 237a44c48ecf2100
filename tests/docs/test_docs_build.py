"""The documentation site (issue 22, item 5): every flat-API name has a page entry, the nav
lists every page, and, with the docs extra installed, ``mkdocs build --strict`` succeeds."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import yrdnet

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
API = DOCS / "api"
WINGS = ("region", "network", "timetable", "routing", "scenarios", "metrics", "analysis", "plans", "viz", "core")
# not documented under their own heading: the version string, and an alias named under build_graph
UNLISTED = {"__version__", "graph_from_curated"}
DOCS_PACKAGES = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")


def _entries() -> dict[str, list[str]]:
    """``{name: [::: paths under its heading]}`` over every API page."""
    out: dict[str, list[str]] = {}
    for page in sorted(API.glob("*.md")):
        name = None
        for line in page.read_text(encoding="utf-8").splitlines():
            if m := re.fullmatch(r"## `yrdnet\.(\w+)`", line):
                name = m.group(1)
                assert name not in out, f"yrdnet.{name} has two headings (second in {page.name})"
                out[name] = []
            elif line.startswith("::: ") and name is not None:
                out[name].append(line[4:].strip())
    return out


def _resolve(path: str) -> object:
    """The object at a dotted ``path`` (module, then attributes)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(path)


def test_one_api_page_per_wing() -> None:
    assert sorted(p.stem for p in API.glob("*.md")) == sorted(WINGS)


def test_every_flat_api_name_has_an_entry_that_resolves() -> None:
    entries = _entries()
    missing = sorted(set(yrdnet.__all__) - UNLISTED - set(entries))
    assert not missing, f"names of yrdnet.__all__ with no entry in docs/api/*.md: {missing}"
    stale = sorted(set(entries) - set(yrdnet.__all__))
    assert not stale, f"docs/api/*.md documents names not in yrdnet.__all__: {stale}"
    for name, paths in entries.items():
        assert paths, f"yrdnet.{name} has a heading but no ::: entry"
        first = _resolve(paths[0])
        public = getattr(yrdnet, name)
        # the entry documents the very object yrdnet.<name> is (or, for yrdnet.settings, its class)
        assert first is public or isinstance(public, first), f"yrdnet.{name}: ::: {paths[0]} is another object"  # type: ignore[arg-type]


def test_nav_lists_every_page() -> None:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [p for v in node.values() for p in pages(v)]
        if isinstance(node, list):
            return [p for v in node for p in pages(v)]
        return []

    listed = pages(config["nav"])
    on_disk = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")]
    assert sorted(listed) == sorted(on_disk)
    assert config["strict"] is True


def test_api_pages_parse_every_docstring_as_numpydoc() -> None:
    """No page switches the numpy parser off for an entry (its docstring must parse instead)."""
    overrides = [p.name for p in API.glob("*.md") if "docstring_style" in p.read_text(encoding="utf-8")]
    assert overrides == []


def test_scenario_result_attributes_parse_one_entry_per_field() -> None:
    griffe = pytest.importorskip("griffe")
    from dataclasses import fields

    from yrdnet.analysis.results import ScenarioResult

    sections = griffe.Docstring(ScenarioResult.__doc__ or "", parser="numpy").parse()
    attrs = [a.name for s in sections if s.kind.value == "attributes" for a in s.value]
    assert sorted(attrs) == sorted(f.name for f in fields(ScenarioResult))


@pytest.mark.slow
def test_site_builds_strict(tmp_path: Path) -> None:
    absent = [m for m in DOCS_PACKAGES if importlib.util.find_spec(m.split(".")[0]) is None]
    if absent:
        pytest.skip(f"the docs extra is not installed ({', '.join(absent)}): pip install -e '.[docs]' or make docs")
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    for page in ("index.html", "tutorial/index.html", "indicators/index.html", "parameters/index.html"):
        assert (site / page).is_file(), page
    analysis = (site / "api/analysis/index.html").read_text(encoding="utf-8")
    assert 'id="yrdnet.analysis.pipeline.analyze"' in analysis
    assert "Analyse one scenario" in analysis  # the docstring itself, not only the heading
    # ScenarioResult's Attributes section parsed (a table of fields), not shown as raw text
    words = " ".join(re.sub(r"<[^>]+>", " ", analysis).split())
    assert "Attributes: Name Type Description name str Scenario name. year int Network year." in words
    assert "----------" not in analysis
    plans = (site / "api/plans/index.html").read_text(encoding="utf-8")
    # ModelRanges' docstring is completed at import (docs/_griffe_runtime_docs.py)
    assert "__PARAMETERS__" not in plans
    assert "interquartile range" in plans
    assert not (site / "_griffe_runtime_docs.py").exists()
