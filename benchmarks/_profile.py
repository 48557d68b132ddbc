"""cProfile of one implementation on one workload, shown per call of the timed phase.

Each line gives a function's own time and cumulative time in microseconds per
step (or epoch ...), and how many times one step calls it: what the engine
should cut first is at the top. cProfile inflates cheap calls, so read the
ranking, not the absolute numbers.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import time

from ._harness import Workload, build_runners


def _where(key: tuple) -> str:
    filename, line, func = key
    if filename == "~":
        return func  # a builtin, e.g. "<method 'reduce' of 'numpy.ufunc' objects>"
    parts = filename.split(os.sep)
    short = os.sep.join(parts[-2:])
    return f"{short}:{line}({func})"


def profile(wl: Workload, impl: str, seconds: float = 3.0, top: int = 18) -> str:
    """Run ``impl``'s first phase for about ``seconds`` under cProfile; the top entries by own time."""
    if wl.custom is not None:
        return f"{wl.name}: not profiled (custom workload)"
    runners, skipped = build_runners(wl, wl.problem(), [impl])
    if impl not in runners:
        return f"{wl.name}/{impl}: {skipped.get(impl, 'no such implementation')}"
    phase = wl.phases[-1] if wl.name == "overhead" else wl.phases[0]
    fn = getattr(runners[impl], phase)
    for _ in range(2):
        fn()
    t0 = time.perf_counter()
    fn()
    calls = max(1, int(seconds / max(time.perf_counter() - t0, 1e-6)))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    stats = pstats.Stats(prof).stats  # key -> (primitive calls, calls, own time, cumulative time, callers)
    total = sum(v[2] for v in stats.values()) / calls * 1e6
    rows = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    lines = [
        f"{wl.name}/{impl} {phase}: {calls} calls under cProfile, {total:.0f} us per call in all",
        f"{'own us':>9} {'cum us':>9} {'calls':>7}  function (per {phase})",
    ]
    for key, (_, nc, tt, ct, _) in rows:
        lines.append(f"{tt / calls * 1e6:9.1f} {ct / calls * 1e6:9.1f} {nc / calls:7.1f}  {_where(key)}")
    return "\n".join(lines)
