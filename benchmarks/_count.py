"""``--count``: instructions per call, counted by valgrind, for A/B comparisons on a busy machine.

Timings on a shared 2-core machine move by 5-20 % from run to run; the number of instructions a
call executes does not (one BLAS thread, a fixed hash seed: repeat runs agree to within about 0.5 %). Each
(phase, implementation) runs in two child processes under ``valgrind --tool=cachegrind
--cache-sim=no``, making ``k`` and ``3k`` calls after two warm-up calls; the difference of their
totals over ``2k`` calls is the count per call, with imports and set-up cancelled out. Counts are
not times (a numpy call on large arrays is cheap in instructions and dear in memory traffic), so
they judge changes to Python-side work, not the issues' bars.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._harness import Workload, build_runners

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
_ROOT = Path(__file__).resolve().parent.parent  # the directory holding the benchmarks package
VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
SAMPLE_S = 0.05  # native seconds of calls in the k-call child (valgrind runs them ~50x slower)


@dataclass
class CountRow:
    workload: str
    phase: str
    impl: str
    per_call: float  # instructions per call (per op when the workload sets ``per``)
    ratio: float | None  # to the base implementation's count in the same phase
    calls: int  # k: the children made k and 3k calls


def refs(stderr: str) -> int:
    """The total instruction count valgrind printed (``I refs: 1,234``); a clear error if absent."""
    m = _REFS.search(stderr)
    if m is None:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"no 'I refs' line in valgrind's output; its last lines:\n{tail}")
    return int(m.group(1).replace(",", ""))


def child_env() -> dict[str, str]:
    """One BLAS/OpenMP thread, a fixed hash seed, and bytecode caches (imports are slow under valgrind)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONHASHSEED"] = "0"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path.home() / ".cache" / "autobp-bench-pyc"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def calls_for(wl: Workload, impl: str, phase: str) -> int:
    """k such that k calls take about SAMPLE_S natively (timed here, once, after two warm-up calls)."""
    runners, skipped = build_runners(wl, wl.problem(), [impl])
    if impl not in runners:
        raise RuntimeError(f"{wl.name}: implementation {impl!r} unavailable: {skipped.get(impl, 'unknown')}")
    fn = getattr(runners[impl], phase)
    fn()
    fn()
    t0 = time.perf_counter()
    fn()
    once = time.perf_counter() - t0
    return max(1, min(1000, round(SAMPLE_S / max(once, 1e-9))))


def instructions(wl: Workload, impl: str, phase: str, calls: int, command: list[str] | None = None) -> int:
    """Total instructions of a child that builds the runner, warms it up and makes ``calls`` calls."""
    done = _run((command or VALGRIND) + _child_argv(wl, impl, phase, calls))
    return refs(done.stderr)


def _child_argv(wl: Workload, impl: str, phase: str, calls: int) -> list[str]:
    return [sys.executable, "-m", "benchmarks._count", wl.name, impl, phase, str(calls)]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=_ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done


def count_workload(wl: Workload, only: list[str] | None, command: list[str] | None = None) -> list[CountRow]:
    """Instructions per call of every (phase, implementation); ``only`` defaults to autobp and the base."""
    if command is None and shutil.which("valgrind") is None:
        raise RuntimeError("--count needs valgrind on PATH (apt-get install -y valgrind)")
    impls = [n for n in wl.impls if n == wl.base or n in (only or ["autobp"])]
    rows: list[CountRow] = []
    for phase in wl.phases:
        for impl in impls:
            if getattr(wl.impls[impl], phase, True) is None:  # a runner class without this phase
                continue
            k = calls_for(wl, impl, phase)
            _run(_child_argv(wl, impl, phase, 0))  # natively first: writes the bytecode caches the
            # children import, which the k-call child would otherwise pay for and the 3k-call one not
            print(f"  {wl.name} {phase} {impl}: {k} and {3 * k} calls under valgrind ...", file=sys.stderr)
            small, large = (instructions(wl, impl, phase, n, command) for n in (k, 3 * k))
            rows.append(CountRow(wl.name, phase, impl, (large - small) / (2 * k) / wl.per, None, k))
        base = next((r for r in rows if r.phase == phase and r.impl == wl.base), None)
        for r in rows:
            if r.phase == phase and base is not None and base.per_call > 0:
                r.ratio = r.per_call / base.per_call
    return rows


def table(rows: list[CountRow]) -> str:
    """Markdown table of the counts (thousands of instructions per call, or per op)."""
    lines = ["| workload | phase | impl | k instructions | ratio | calls |", "|---|---|---|---:|---:|---:|"]
    for r in rows:
        ratio = f"x{r.ratio:.3f}" if r.ratio is not None else ""
        lines.append(
            f"| {r.workload} | {r.phase} | {r.impl} | {r.per_call / 1e3:.2f} | {ratio} | {r.calls} |"
        )
    return "\n".join(lines)


def _child(workload: str, impl: str, phase: str, calls: int) -> None:
    """What runs under valgrind: build, warm up twice, then ``calls`` calls of the phase."""
    from .__main__ import WORKLOADS

    wl = WORKLOADS[workload]
    runners, skipped = build_runners(wl, wl.problem(), [impl])
    if impl not in runners:
        raise SystemExit(f"{workload}: {impl} unavailable: {skipped.get(impl)}")
    fn: Any = getattr(runners[impl], phase)
    for _ in range(2 + calls):
        fn()


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
