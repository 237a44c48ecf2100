"""Write docs/indicators.md from the indicator registry (yrdnet.indicators)."""

from __future__ import annotations

from pathlib import Path

from yrdnet.analysis.indicators import to_markdown
from yrdnet.core.io import write_text

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    write_text(out, to_markdown())
    print(out)
