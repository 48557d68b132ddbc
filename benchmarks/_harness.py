"""What a workload is, how one is timed, and what a result row holds.

A workload builds one ``problem`` (data and initial weights as numpy arrays)
and hands it to each implementation's factory, which returns a runner: an
object with one method per timed phase (``step``, ``forward`` ...) returning
the loss, and ``params()`` returning the current weights as numpy arrays. A phase
that computes no loss (the tight numpy steps) returns None; its runner then has
``next_loss()``, the loss the next call would see, computed outside the timed call.
Factories raise ImportError when their library is missing, or ``Unavailable`` when it
is installed but cannot run here; the suite then skips that implementation with a note.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._timing import interleave, median, spread


class Unavailable(ImportError):
    """An implementation that is installed but cannot run on this machine; the message says why."""


@dataclass
class Workload:
    """A named computation timed in several implementations doing identical math."""

    name: str
    about: str
    problem: Callable[[], Any]  # the benchmark-size instance
    tiny: Callable[[], Any]  # a small instance with the same structure, for tests
    impls: dict[str, Callable[[Any], Any]]  # implementation name -> factory(problem) -> runner
    phases: tuple[str, ...] = ("step",)  # runner methods to time, each a table row group
    base: str = "numpy"  # ratios are to this implementation
    unit: str = "ms"  # how medians are shown: "ms", "us" or "s"
    per: int = 1  # medians are divided by this (e.g. ops per call, for per-op costs)
    min_sample_s: float = 0.02
    max_repeats: int | None = None  # cap for workloads whose slowest implementation takes seconds
    repeat_factor: int = 1  # cheap workloads take this many times --repeats samples: steadier medians
    collect: bool = False  # charge each sample for collecting its own cyclic garbage (scalar graphs)
    rtol: float = 1e-6  # how closely implementations must agree on the first loss
    custom: Callable[[int], list[Row]] | None = None  # replaces the standard timing when set
    identical: tuple[str, str] | None = None  # (impl, reference): their grads() must be bit-identical


@dataclass
class Row:
    """One implementation's result for one phase of one workload."""

    workload: str
    phase: str
    impl: str
    median_s: float | None = None  # per call (or per op when the workload sets ``per``)
    ratio: float | None = None  # median / base implementation's median
    base: str = ""
    noise: float | None = None  # half the interquartile range / median
    samples: list[float] = field(default_factory=list)
    unit: str = "ms"
    best_s: float | None = None  # the fastest sample: less sensitive to load, shown for reference
    note: str = ""
    peak_bytes: int | None = None  # peak memory of a call, runner state included (see _memory)
    peak_ratio: float | None = None  # peak_bytes / the base implementation's
    memory: str = ""  # how peak_bytes was measured: "tracemalloc", "torch" (profiler), "" (not)
    identical: bool | None = None  # grads() bit-identical to the workload's reference implementation


def build_runners(wl: Workload, problem: Any, only: list[str] | None) -> tuple[dict, dict[str, str]]:
    """Runners for every available implementation, and a note for each one skipped."""
    runners, skipped = {}, {}
    for name, factory in wl.impls.items():
        if only and name not in only and name != wl.base:
            continue
        try:
            runners[name] = factory(problem)
        except Unavailable as e:
            skipped[name] = str(e)
        except ImportError as e:
            skipped[name] = f"not installed ({e.name or e}); pip install 'autobp[bench]'"
    return runners, skipped


def first_loss(runner: Any, phase: str) -> float:
    """The loss of the runner's next call of ``phase``, and make that call: what the phase returns,
    or, for a phase that returns None, what ``runner.next_loss()`` said just before it."""
    before = runner.next_loss() if hasattr(runner, "next_loss") else None
    got = getattr(runner, phase)()
    if got is None and before is None:
        raise TypeError(
            f"{type(runner).__name__}.{phase}() returned no loss and it has no next_loss() method"
        )
    return float(before if got is None else got)


def check_agreement(wl: Workload, runners: dict, phase: str) -> dict[str, float]:
    """First-call losses of every runner; raise if any differs from the base's by more than rtol."""
    losses = {name: first_loss(r, phase) for name, r in runners.items()}
    ref = losses.get(wl.base, next(iter(losses.values())))
    bad = {n: v for n, v in losses.items() if not math.isclose(v, ref, rel_tol=wl.rtol, abs_tol=1e-12)}
    if bad:
        raise AssertionError(f"{wl.name}/{phase}: implementations disagree on the loss: {losses}")
    return losses


def same_gradients(runners: dict, impl: str, reference: str) -> bool | None:
    """Whether two runners' last gradients are equal bit for bit (None if either did not run)."""
    if impl not in runners or reference not in runners:
        return None
    got, want = runners[impl].grads(), runners[reference].grads()
    return len(got) == len(want) and all(
        g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w) for g, w in zip(got, want)
    )


def time_workload(
    wl: Workload, repeats: int, only: list[str] | None = None, memory: bool = True
) -> list[Row]:
    """Check the implementations agree, then time all (phase, implementation) pairs in one interleaved
    rotation, so that ratios between phases (step/forward) see the same background load too; then,
    with ``memory``, measure each pair's peak memory on a fresh runner (outside the timing)."""
    if wl.custom is not None:
        return wl.custom(repeats)
    problem = wl.problem()
    repeats = min(repeats * wl.repeat_factor, wl.max_repeats or repeats * wl.repeat_factor)
    fns: dict[tuple[str, str], Callable[[], object]] = {}
    skipped: dict[str, str] = {}
    identical: dict[tuple[str, str], bool | None] = {}
    notes: dict[str, str] = {}
    for phase in wl.phases:
        runners, skipped = build_runners(wl, problem, only)  # each phase gets its own fresh state
        notes.update({n: r.note for n, r in runners.items() if getattr(r, "note", "")})
        live = {n: r for n, r in runners.items() if getattr(r, phase, None) is not None}
        check_agreement(wl, live, phase)  # one call each, from the same weights
        if wl.identical:
            identical[(phase, wl.identical[0])] = same_gradients(live, *wl.identical)
        fns.update({(phase, n): getattr(r, phase) for n, r in live.items()})
    times = interleave(fns, repeats=repeats, warmup=2, min_sample_s=wl.min_sample_s, collect=wl.collect)
    rows: list[Row] = []
    for (phase, n), ts in times.items():
        med = median(ts) / wl.per
        base = times.get((phase, wl.base))
        ratio = median(ts) / median(base) if base else None
        per_call = [t / wl.per for t in ts]
        rows.append(
            Row(
                wl.name,
                phase,
                n,
                med,
                ratio,
                wl.base if base else "",
                spread(ts),
                per_call,
                wl.unit,
                min(per_call),
            )
        )
    for r in rows:
        r.note = notes.get(r.impl, "")
        r.identical = identical.get((r.phase, r.impl))
        if r.identical is not None:
            r.note = f"gradients {'bit-identical to' if r.identical else 'DIFFER from'} {wl.identical[1]}"
    if memory:
        measure_memory(wl, problem, rows)
    for n, why in skipped.items():
        rows.append(Row(wl.name, wl.phases[0], n, note=why))
    return rows


def measure_memory(wl: Workload, problem: Any, rows: list[Row]) -> None:
    """Fill each row's peak memory, and its ratio to the base implementation's in the same phase."""
    from . import _memory

    for r in rows:
        factory = wl.impls[r.impl]
        r.memory = _memory.how(factory) or ""
        r.peak_bytes = _memory.peak_bytes(factory, problem, r.phase)
    for r in rows:
        base = next((b for b in rows if b.phase == r.phase and b.impl == wl.base), None)
        if base and base.peak_bytes and r.peak_bytes is not None:
            r.peak_ratio = r.peak_bytes / base.peak_bytes
