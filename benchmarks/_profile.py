"""cProfile of one implementation on one workload: where the time per call goes."""

from __future__ import annotations

import cProfile
import io
import pstats
import time

from ._harness import Workload, build_runners


def profile(wl: Workload, impl: str, seconds: float = 2.0, top: int = 15) -> str:
    """Run ``impl``'s first phase for about ``seconds`` under cProfile; the top entries by own time."""
    if wl.custom is not None:
        return f"{wl.name}: not profiled (custom workload)"
    runners, skipped = build_runners(wl, wl.problem(), [impl])
    if impl not in runners:
        return f"{wl.name}/{impl}: {skipped.get(impl, 'no such implementation')}"
    fn = getattr(runners[impl], wl.phases[0])
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
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    text = out.getvalue()
    body = text[text.find("   ncalls") :] if "   ncalls" in text else text
    head = f"{wl.name}/{impl} {wl.phases[0]}: {calls} calls profiled (per-call counts = ncalls / {calls})"
    return f"{head}\n{body}"
