"""pyproject.toml names no placeholder URL (the project has no public address yet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]


def test_no_placeholder_urls() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    for name, url in project.get("urls", {}).items():
        assert url.startswith("https://"), (name, url)
    assert not re.search(r"https?://[^\s\"']*(example\.(invalid|com|org)|localhost)", text)
