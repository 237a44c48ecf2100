"""Write docs/parameters.md from the parameter metadata (yrdnet.params.parameter_table)."""

from __future__ import annotations

from pathlib import Path

from yrdnet.core.io import write_text
from yrdnet.core.parameters import to_markdown
from yrdnet.core.params import parameter_table

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
    write_text(out, to_markdown(parameter_table()))
    print(out)
