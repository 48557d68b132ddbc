"""Side-by-side timing: warm up, interleave A B A B, report medians and ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleave(
    fns: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 1
) -> dict[str, list[float]]:
    """Time each callable ``repeats`` times, alternating between them each round."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def report(title: str, times: dict[str, list[float]], base: str) -> dict:
    """Print medians and ratios to ``base``; return them for the JSON record."""
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"\n{title}  (median of {len(next(iter(times.values())))}, ratio to {base})")
    out = {}
    for name, m in med.items():
        ratio = m / med[base]
        print(f"  {name:12s} {m * 1e3:10.3f} ms   x{ratio:6.2f}")
        out[name] = {"median_s": m, "ratio_to_" + base: ratio, "times_s": times[name]}
    return out
