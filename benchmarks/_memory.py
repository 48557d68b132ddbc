"""Peak memory of one call of a phase: what the implementation holds plus what the call allocates.

Counted from before the runner is built, so the figure includes its weights, optimiser state and
preallocated buffers as well as the step's intermediates, and is the peak during a second call
(the first one creates gradients and lazily allocated buffers). numpy-based implementations are
measured with tracemalloc, which sees numpy's allocations (and Python objects). PyTorch's CPU
allocator is invisible to tracemalloc: its rows sum the memory each op allocates and frees as
torch.profiler records it (op granularity: an op's allocations count from its start, its frees
from its end). Implementations with their own allocators (tinygrad) are n/a.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any


def how(factory: Callable) -> str | None:
    """How a factory's memory is measured: "tracemalloc", "torch" (profiler) or None (n/a)."""
    return getattr(factory, "memory", "tracemalloc")


def peak_bytes(factory: Callable, problem: Any, phase: str) -> int | None:
    """Peak bytes allocated, since before ``factory(problem)``, during the second call of ``phase``."""
    method = how(factory)
    if method == "tracemalloc":
        return _traced(factory, problem, phase)
    if method == "torch":
        return _torch_profiled(factory, problem, phase)
    return None


def _traced(factory: Callable, problem: Any, phase: str) -> int:
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        runner = factory(problem)
        getattr(runner, phase)()
        gc.collect()
        tracemalloc.reset_peak()
        getattr(runner, phase)()
        peak = tracemalloc.get_traced_memory()[1]
        del runner
        return peak - start
    finally:
        if not was_tracing:
            tracemalloc.stop()


def _torch_profiled(factory: Callable, problem: Any, phase: str) -> int:
    from torch.profiler import ProfilerActivity, profile, record_function

    gc.collect()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        runner = factory(problem)
        getattr(runner, phase)()
        with record_function("## measured call ##"):
            getattr(runner, phase)()
    # each op's own allocations counted at its start, its own frees at its end: within one op the
    # order is not recorded, and this order never hides a peak
    events = prof.events()
    marker = next(e for e in events if e.name == "## measured call ##")
    timeline = sorted(
        (e.time_range.start if e.self_cpu_memory_usage > 0 else e.time_range.end, e.self_cpu_memory_usage)
        for e in events
        if e.self_cpu_memory_usage
    )
    held = peak = 0
    for t, delta in timeline:
        if t > marker.time_range.end:
            break
        inside = t >= marker.time_range.start
        if inside:  # what was held when the call began counts even if the call allocates nothing
            peak = max(peak, held)
        held += delta
        if inside:
            peak = max(peak, held)
    del runner
    return peak
