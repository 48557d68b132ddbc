"""Side-by-side timing: warm up, interleave A B A B, take medians.

Each sample times ``inner`` back-to-back calls, with ``inner`` calibrated per
callable so that a sample lasts at least ``min_sample_s``: tiny workloads are
then not dominated by timer resolution, and every implementation is sampled
the same number of times, in rotating order, so background load hits all alike.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter  # the clock every sample is read from; see use_clock


def use_clock(name: str) -> None:
    """``wall``: elapsed time (the default). ``cpu``: this process's CPU time, all threads summed, which
    leaves out time spent waiting for a core, so it is steadier on a machine shared with other jobs."""
    global clock
    clock = CLOCKS[name]


def calibrate(fn: Callable[[], object], min_sample_s: float) -> int:
    """How many calls of ``fn`` make one sample of at least ``min_sample_s``."""
    t0 = clock()
    fn()
    once = clock() - t0
    if min_sample_s <= 0 or once >= min_sample_s:
        return 1
    return min(100_000, math.ceil(min_sample_s / max(once, 1e-7)))


def interleave(
    fns: dict[Any, Callable[[], object]],
    repeats: int = 7,
    warmup: int = 1,
    min_sample_s: float = 0.0,
    collect: bool = False,
) -> dict[Any, list[float]]:
    """Seconds per call of each callable, ``repeats`` samples each, taken in rotating order.

    Every sample starts from a freshly collected heap, so no implementation pays for another's
    cyclic garbage; with ``collect`` the sample also includes collecting its own (micrograd's
    per-node closures make cycles that only the cyclic collector frees).
    """
    # objects that exist now (libraries, data, weights) are moved out of the collector's sight, so a
    # collection during a sample costs what the implementation allocated, not the size of this process
    gc.collect()
    gc.freeze()
    try:
        return _interleave(fns, repeats, warmup, min_sample_s, collect)
    finally:
        gc.unfreeze()


def _interleave(
    fns: dict[Any, Callable[[], object]], repeats: int, warmup: int, min_sample_s: float, collect: bool
) -> dict[Any, list[float]]:
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    inner = {name: calibrate(fn, min_sample_s) for name, fn in fns.items()}
    names = list(fns)
    times: dict[Any, list[float]] = {name: [] for name in fns}
    for r in range(repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:  # rotate so no implementation always runs first
            fn, n = fns[name], inner[name]
            gc.collect()
            t0 = clock()
            for _ in range(n):
                fn()
            if collect:
                gc.collect()
            times[name].append((clock() - t0) / n)
    return times


def median(ts: list[float]) -> float:
    return statistics.median(ts)


def spread(ts: list[float]) -> float:
    """Half the interquartile range relative to the median: a noise figure for the table."""
    if len(ts) < 4:
        return 0.0
    q1, _, q3 = statistics.quantiles(ts, n=4)
    return (q3 - q1) / 2 / statistics.median(ts)
