"""Run a yrdnet command and list every figure it saves with the words drawn on it.

Usage::

    PYTHONPATH=. python tools/figure_titles.py demo --out /tmp/demo

Each ``Figure.savefig`` call is recorded (file name, axes titles, suptitle, axis labels,
legend titles) and printed as a table once the command ends, so a reviewer can read every
figure's title without opening the images. With ``--strict`` the exit status is 1 when
any recorded text contains a raw indicator key.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from yrdnet.viz.figure_text import figure_texts, raw_keys

_RECORDS: list[tuple[str, list[str]]] = []
_original = Figure.savefig


def _recording_savefig(self: Figure, fname: Any, *args: Any, **kwargs: Any) -> Any:
    name = Path(str(fname)).name if isinstance(fname, str | Path) else "<buffer>"
    _RECORDS.append((name, figure_texts(self)))
    return _original(self, fname, *args, **kwargs)


def _final_name(name: str) -> str:
    """The published name of an atomic write's temporary file (``.name.png.XXXX.png``)."""
    if name.startswith(".") and name.count(".") >= 3:
        return name[1:].rsplit(".", 2)[0]
    return name


def main(argv: list[str]) -> int:
    """Run ``python -m yrdnet *argv`` while recording saved figures; print them; status."""
    strict = "--strict" in argv
    argv = [a for a in argv if a != "--strict"]
    Figure.savefig = _recording_savefig  # type: ignore[method-assign]
    from yrdnet.cli import main as cli_main

    try:
        rc = cli_main(argv) or 0
    except SystemExit as e:
        rc = int(e.code or 0)
    bad = 0
    for name, texts in _RECORDS:
        keys = raw_keys(texts)
        bad += bool(keys)
        title = " ".join(texts[0].split()) if texts else ""  # a wrapped title on one line
        flag = f"   RAW KEYS: {', '.join(keys)}" if keys else ""
        print(f"{_final_name(name)}\t{title}{flag}")
    print(f"{len(_RECORDS)} figures, {bad} with raw keys", file=sys.stderr)
    return 1 if (strict and bad) else rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
