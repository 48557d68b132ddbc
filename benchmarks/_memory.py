"""Peak memory of one call of a phase: what the implementation holds plus what the call allocates.

Counted from before the runner is built, so the figure includes its weights, optimiser state and
preallocated buffers as well as the step's intermediates, and is the peak during a second call
(the first one creates gradients and lazily allocated buffers). numpy-based implementations are
measured with tracemalloc, which sees numpy's allocations (and Python objects). PyTorch's CPU
allocator is invisible to tracemalloc: its rows replay the allocations and frees of tensor
storage that torch.profiler's memory timeline records (the data behind its export_memory_timeline,
read through the private ``_memory_profile()``). Implementations with their own allocators
(tinygrad) are n/a.
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
    import time

    from torch.profiler import ProfilerActivity, profile

    gc.collect()
    opts = {"profile_memory": True, "record_shapes": True, "with_stack": True}  # what the timeline needs
    with profile(activities=[ProfilerActivity.CPU], **opts) as prof:
        runner = factory(problem)
        getattr(runner, phase)()
        t0 = time.time_ns()
        getattr(runner, phase)()
        t1 = time.time_ns()
    del runner
    # every allocation (CREATE) and free (DESTROY) of a tensor's storage, with its time in ns since the epoch
    held = peak = 0
    for t, action, _, size in sorted(prof._memory_profile().timeline, key=lambda e: e[0]):
        if t > t1:
            break
        if t >= t0:
            peak = max(peak, held)
        if action.name == "CREATE":
            held += size
        elif action.name == "DESTROY":
            held -= size
        if t >= t0:
            peak = max(peak, held)
    return max(peak, held) if peak == 0 else peak
