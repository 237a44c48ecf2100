"""Timing helpers shared by the benchmark scripts (wall clock, no unit-test timings)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Fastest wall time of ``repeat`` calls, seconds."""
    return min(_times(fn, repeat))


def median_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls, seconds."""
    return statistics.median(_times(fn, repeat))


def row(name: str, seconds: float, baseline: str, baseline_seconds: float) -> dict[str, Any]:
    """One benchmark row; ``ratio`` = baseline seconds / yrdnet seconds (> 1: yrdnet faster)."""
    return {
        "name": name,
        "seconds": seconds,
        "baseline": baseline,
        "baseline_seconds": baseline_seconds,
        "ratio": baseline_seconds / seconds if seconds > 0 else float("inf"),
    }
