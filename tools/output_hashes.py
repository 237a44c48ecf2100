"""Hash the outputs that a refactor must leave unchanged (issue 17's "outputs identical").

Writes ``analyze`` tables at city and county level for baseline_2010, baseline_2025 and
plan_2035, the ``compare`` of baseline_2025 and plan_2035, a sweep table (timing columns
dropped) and the station × station times of baseline_2025 into a folder, then prints one
SHA-256 per file (``run.log`` and other timing files left out). Run before and after a
change and diff the two listings::

    python tools/output_hashes.py /tmp/before > before.txt
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yrdnet

TIMING = {"run.log"}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main(out: str) -> None:
    """Write every output under ``out`` and print its hashes."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    for zones in ("city", "county"):
        for name in ("baseline_2010", "baseline_2025", "plan_2035"):
            res = yrdnet.analyze(name, zones=zones)
            res.to_dir(root / f"analyze_{zones}_{name}")
    yrdnet.compare("baseline_2025", "plan_2035").to_dir(root / "compare")
    table = yrdnet.sweep(["north_yangtze_hsr", "plan_2035"], zones="county", progress=False)
    table.drop(columns=["seconds"]).to_csv(root / "sweep.csv", index=False)  # wall time of each scenario
    G = yrdnet.build_graph("baseline_2025")
    yrdnet.station_times(G).to_csv(root / "station_times_2025.csv")
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in TIMING:
            print(f"{_digest(path)}  {path.relative_to(root)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "output_hashes")
