"""The ``autobp`` command: the 1986 experiments (``autobp symmetry``, ``family-trees``, ``recurrent``,
``xor``, ``encoder``, ``digits``), a one-neuron demo (``autobp neuron``) and the examples (``convnet``,
``charlm``)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .value import Value


def neuron(args: argparse.Namespace) -> int:
    """One tanh neuron, its gradients by backprop."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587, label="b")
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()
    print(f"o = tanh(x1*w1 + x2*w2 + b) = {out.data:.4f}")
    for v in (x1, w1, x2, w2, b):
        print(f"  do/d{v.label} = {v.grad:+.4f}")
    return 0


def format_table(rows: list[tuple[str, str, str]]) -> str:
    """Rows of (quantity, paper, autobp) as an aligned text table with a header."""
    table = [("", "paper", "autobp")] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _experiment(name: str, **fixed: Any):
    """The handler for one experiment command: run it, print the table, write the requested files."""

    def handler(args: argparse.Namespace) -> int:
        from .paper import commands, commands_small

        runners = {"symmetry": commands.symmetry, "family-trees": commands.family_trees}
        runners |= {"recurrent": commands_small.recurrent, "xor": commands_small.xor}
        runners |= {"encoder": commands_small.encoder, "digits": commands_small.digits}
        options = {k: v for k, v in vars(args).items() if k in _OPTIONS[name]}
        run = runners[name]
        if getattr(args, "paper_exact", False):  # the literal settings, whatever else was given
            options.update(sweeps=1500, lr=0.01, decay=0.002, init=0.3)
        if getattr(args, "investigate", False):
            run = commands.family_plateau
            options = {k: options[k] for k in ("seeds", "seed", "sweeps")}
        report = run(show_progress=not args.quiet, **options, **fixed)
        print(report.title)
        print(format_table(report.rows))
        for note in report.notes:
            print(f"  * {note}")
        if args.json:
            Path(args.json).write_text(json.dumps(report.data, indent=1, default=_jsonable))
            print(f"results written to {args.json}")
        if args.plot and report.figure:
            try:
                import matplotlib
            except ImportError:
                print("--plot needs matplotlib: pip install 'autobp[examples]'", file=sys.stderr)
                return 1

            matplotlib.use("Agg")
            report.figure().savefig(args.plot, dpi=110)
            print(f"figure written to {args.plot}")
        if args.graph and report.graph:
            from .viz import draw

            loss, params = report.graph()
            svg = draw(loss, params=params, cluster_modules=True).pipe(format="svg")
            Path(args.graph).write_bytes(svg)
            print(f"graph written to {args.graph}")
        return 0

    return handler


def _jsonable(x: Any) -> Any:
    return x.tolist() if hasattr(x, "tolist") else str(x)


# Which command-line options each experiment function takes.
_OPTIONS = {
    "symmetry": {"seeds", "seed", "max_sweeps", "margin"},
    "family-trees": {"seeds", "seed", "sweeps", "lr", "decay", "init"},
    "recurrent": {"seeds", "seed", "units", "steps"},
    "xor": {"seeds", "seed", "max_sweeps"},
    "encoder": {"seeds", "seed", "max_sweeps"},
    "digits": {"seed", "epochs", "hidden", "mnist"},
}


def build_parser() -> argparse.ArgumentParser:
    """The ``autobp`` argument parser (one subcommand per experiment)."""
    from . import __version__

    parser = argparse.ArgumentParser(prog="autobp", description=__doc__)
    parser.add_argument("--version", action="version", version=f"autobp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("neuron", help=neuron.__doc__).set_defaults(run=neuron)
    helps = {
        "symmetry": "mirror symmetry with a 6-2-1 net, many seeds (Fig. 1)",
        "family-trees": "the two family trees, 100 patterns trained, 4 held out (Figs. 2-4)",
        "recurrent": "an iterative net unrolled in time: gradient identity and a shift register (Fig. 5)",
        "xor": "XOR with a 2-2-1 net, many seeds (PDP ch. 8)",
        "encoder": "the 8-3-8 encoder, many seeds (PDP ch. 8)",
        "digits": "a one-hidden-layer MLP on sklearn's 8x8 digits, or local MNIST files",
    }
    for name, text in helps.items():
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("--seed", type=int, default=0, help="first random seed (default 0)")
        if "seeds" in _OPTIONS[name]:
            default = {"symmetry": 20, "family-trees": 4, "recurrent": 10}.get(name, 20)
            p.add_argument("--seeds", type=int, default=default, help=f"number of seeds (default {default})")
        if "max_sweeps" in _OPTIONS[name]:
            default = 10000 if name == "symmetry" else 5000
            p.add_argument("--max-sweeps", type=int, default=default, help=f"cap (default {default})")
        if name == "symmetry":
            p.add_argument("--margin", type=float, help="stop when every output is this close to its target")
        if name == "family-trees":
            p.add_argument("--sweeps", type=int, default=1500, help="sweeps per run (paper: 1500)")
            p.add_argument("--lr", type=float, default=0.01, help="eps after sweep 20 (paper: 0.01)")
            p.add_argument("--decay", type=float, default=0.002, help="decay per change (paper: 0.002)")
            p.add_argument("--init", type=float, default=0.3, help="initial U(-init, init) (paper: 0.3)")
            p.add_argument(
                "--paper-exact",
                action="store_true",
                help="the paper's settings exactly (also the defaults: no variant tried reproduces its "
                "result, see docs/paper/family-trees-sweep.md)",
            )
            p.add_argument(
                "--investigate",
                action="store_true",
                help="instead, run the plateau investigation: one change at a time from the paper's schedule",
            )
        if name == "recurrent":
            p.add_argument("--units", type=int, default=3, help="units in the shift register (default 3)")
            p.add_argument("--steps", type=int, default=2, help="time steps (default 2)")
        if name == "digits":
            p.add_argument("--epochs", type=int, default=40, help="epochs (default 40)")
            p.add_argument("--hidden", type=int, default=64, help="hidden units (default 64)")
            p.add_argument("--mnist", metavar="DIR", help="use MNIST IDX files in DIR (never downloads)")
        p.add_argument("--plot", metavar="FILE.png", help="save error curves and weight pictures")
        p.add_argument("--graph", metavar="FILE.svg", help="save the network's computation graph (graphviz)")
        p.add_argument("--json", metavar="FILE", help="save machine-readable results")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.set_defaults(run=_experiment(name))
    _add_sweep(sub)
    from .examples.cli import add_commands  # convnet, charlm

    add_commands(sub)
    return parser


def sweep(args: argparse.Namespace) -> int:
    """Run (or resume) a sweep, then print and write its summary table and plots."""
    from .paper import sweep as engine
    from .paper import sweep_report, sweep_tasks

    start, before = time.perf_counter(), len(engine.RunStore(Path(args.out) / "runs.jsonl").rows)
    try:
        grid = sweep_tasks.parse_grid(args.experiment, args.grid)
        splits = args.splits or (50 if args.experiment == "family-trees" else 1)
        rows = engine.run_sweep(
            args.experiment, args.out, args.seeds, splits, grid, args.scheduler, args.workers,
            args.first_seed, args.chunk, not args.quiet,
        )  # fmt: skip
    except (ValueError, ImportError) as e:
        print(f"autobp sweep: {e}", file=sys.stderr)
        return 2
    summary = sweep_report.summarize(rows)
    seconds, computed = (
        time.perf_counter() - start,
        len(engine.RunStore(Path(args.out) / "runs.jsonl").rows) - before,
    )
    rate = f" ({computed / seconds:,.1f} runs/s)" if computed else ""
    print(f"{args.experiment}: {len(rows)} runs, {computed} computed now in {seconds:.1f} s{rate}")
    print(f"rows in {Path(args.out) / 'runs.jsonl'}")
    print(sweep_report.table(args.experiment, summary))
    for path in sweep_report.write(args.experiment, rows, args.out, plots=not args.no_plots):
        print(f"written {path}")
    return 0


def _add_sweep(sub: Any) -> None:
    from .paper.sweep_tasks import EXPERIMENTS

    text = "an experiment over many seeds (and held-out splits, and a grid of settings) on Dask"
    p = sub.add_parser("sweep", help=text, description=text)
    p.add_argument("experiment", choices=list(EXPERIMENTS))
    p.add_argument("--seeds", type=int, default=100, help="seeds per setting and split (default 100)")
    p.add_argument("--splits", type=int, help="random 100/4 held-out splits (family-trees; default 50)")
    p.add_argument("--first-seed", type=int, default=0, help="seeds are first-seed, first-seed + 1, ...")
    p.add_argument("--grid", nargs="*", default=[], metavar="KEY=V1,V2", help="settings to cross")
    p.add_argument("--scheduler", help="Dask scheduler address; default: a local cluster; 'inline': no Dask")
    p.add_argument("--workers", type=int, default=2, help="local cluster worker processes (default 2)")
    p.add_argument("--chunk", type=int, help="runs per task, trained as one batch")
    p.add_argument("--out", default="sweep-out", help="directory for runs.jsonl, summary and plots")
    p.add_argument("--no-plots", action="store_true", help="skip the plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=sweep)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
