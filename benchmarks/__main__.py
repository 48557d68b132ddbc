"""``python -m benchmarks [workload ...] [--impl ...] [--json out.json] [--repeats N] [--profile] [--count]``.

Runs each workload with every installed implementation (interleaved, after a
check that they compute the same loss), prints a table of medians and ratios
to the base implementation, the derived figures and the issues' bars, and
optionally writes all samples to JSON.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

from . import _machine, _timing
from ._harness import Row, time_workload
from ._machine import describe, summary
from ._report import bars, derived, render_bars, table, write_json
from .attention import ATTENTION
from .checkpoint import CHECKPOINT
from .conv import CONV
from .jacobian import JACOBIAN, PER_EXAMPLE
from .lstm import LSTM
from .mlp import DIGITS, MLP
from .net36 import NET36
from .overhead import OVERHEAD
from .scalar import CHAIN, SCALAR
from .sigmoid_nets import FAMILY, SYMMETRY

WORKLOADS = {w.name: w for w in (SYMMETRY, FAMILY, NET36, MLP, SCALAR, CHAIN, OVERHEAD, DIGITS, CHECKPOINT)}
WORKLOADS.update({w.name: w for w in (CONV, LSTM, ATTENTION)})  # nn layers, ratios to torch
WORKLOADS.update({w.name: w for w in (JACOBIAN, PER_EXAMPLE)})  # function transforms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    ap.add_argument(
        "workloads", nargs="*", metavar="workload", help=f"any of {', '.join(WORKLOADS)} (default: all)"
    )
    ap.add_argument("--impl", nargs="+", help="only these implementations (the base one always runs)")
    ap.add_argument("--json", metavar="PATH", help="write every sample and the machine description here")
    ap.add_argument(
        "--repeats", type=int, default=11, help="interleaved samples per implementation (default 11)"
    )
    ap.add_argument(
        "--profile", action="store_true", help="cProfile the --impl (default autobp) instead of timing"
    )
    ap.add_argument(
        "--torch-threads",
        type=int,
        metavar="N",
        help="torch intra-op threads (default: numpy's BLAS threads)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="limit numpy's BLAS and torch to N threads (1 gives steadier numbers on a busy machine)",
    )
    ap.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: elapsed time (default); cpu: process CPU time, steadier when other jobs share the cores",
    )
    ap.add_argument(
        "--no-memory",
        action="store_true",
        help="skip the peak-memory column (measured on a fresh runner after the timing)",
    )
    ap.add_argument(
        "--count",
        action="store_true",
        help="count instructions per call under valgrind instead of timing (deterministic A/B; "
        "autobp and the base unless --impl)",
    )
    ap.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = ap.parse_args(argv)
    _machine.TORCH_THREADS = args.torch_threads
    _timing.use_clock(args.clock)
    if args.threads:
        print(_machine.limit_threads(args.threads), file=sys.stderr)

    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workload(s) {unknown}; choose from {list(WORKLOADS)}")
    chosen = [WORKLOADS[w] for w in args.workloads] or list(WORKLOADS.values())
    if args.list:
        for w in WORKLOADS.values():
            print(f"{w.name:10s} {w.about}  [{', '.join(w.impls) or 'autobp, micrograd'}]")
        return 0
    if args.profile:
        from ._profile import profile

        for w in chosen:
            for impl in args.impl or ["autobp"]:
                print(profile(w, impl))
        return 0

    if args.count:
        from . import _count

        counted = []
        for w in chosen:
            if w.custom is not None:
                print(f"{w.name}: has its own measurement, not counted", file=sys.stderr)
                continue
            counted += _count.count_workload(w, args.impl)
        print(_count.table(counted))
        return 0

    info = describe()
    print(summary(info))
    rows: list[Row] = []
    t0 = time.perf_counter()
    for w in chosen:
        print(f"{w.name}: {w.about} ...", file=sys.stderr, flush=True)
        if args.threads:
            _machine.limit_threads(args.threads)
        rows += time_workload(w, args.repeats, args.impl, memory=not args.no_memory)
    elapsed = time.perf_counter() - t0
    print()
    print(table(rows))
    if not args.no_memory:
        print(
            "\npeak: memory at the peak of a call, counted from before the runner was built (weights, "
            "optimiser state, buffers and the call's intermediates), by tracemalloc; torch rows: tensor "
            "storage only, from torch.profiler's memory timeline; x: ratio to the base row's peak"
        )
    figures = derived(rows)
    if figures:
        print("\nDerived:")
        for name, v in figures:
            print(f"  {name}: {v:.2f}")
    checks = bars(rows)
    if checks:
        print("\nBars:")
        print(render_bars(checks))
    more = ", ".join(f"x{w.repeat_factor} for {w.name}" for w in chosen if w.repeat_factor > 1)
    fewer = ", ".join(f"at most {w.max_repeats} for {w.name}" for w in chosen if w.max_repeats)
    extra = "; ".join(x for x in (more, fewer) if x)
    print(
        f"\n{args.repeats} interleaved samples per implementation{f' ({extra})' if extra else ''}, "
        f"{args.clock} clock; suite took {elapsed:.0f} s"
    )
    if args.json:
        meta = {
            "command": "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": info,
            "repeats": args.repeats,
            "clock": args.clock,
            "seconds": elapsed,
        }
        write_json(args.json, meta, rows, checks)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
