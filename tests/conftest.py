"""Shared fixtures: a copy of the shipped data folder that tests may break."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings as hyp_settings

matplotlib.use("Agg")
os.environ.setdefault("YRDNET_QUIET", "1")

# Deterministic property tests in CI (the same examples every run); locally
# HYPOTHESIS_PROFILE=explore searches new examples.
hyp_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hyp_settings.register_profile("explore", deadline=None)
hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

import yrdnet  # noqa: E402
from yrdnet.region.datasets import data_folder  # noqa: E402


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped data, active as ``settings.data_folder``."""
    dst = tmp_path / "data"
    shutil.copytree(data_folder(), dst)
    with yrdnet.settings.override(data_folder=dst):
        yield dst


@pytest.fixture(scope="session")
def G2025():  # type: ignore[no-untyped-def]
    """The 2025 baseline graph (built once per session; do not mutate)."""
    return yrdnet.build_graph("baseline", year=2025)


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a CSV copy (asserting it occurs)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
