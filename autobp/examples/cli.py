"""The examples' ``autobp`` subcommands (``convnet``, ``charlm``): options, printed summary, and the
``--json`` / ``--plot`` files, registered on the main parser by ``add_commands``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np


def _save_figure(make: Any, path: str) -> bool:
    try:
        import matplotlib
    except ImportError:
        print("--plot needs matplotlib: pip install 'autobp[examples]'", file=sys.stderr)
        return False
    matplotlib.use("Agg")
    make().savefig(path, dpi=110)
    print(f"figure written to {path}")
    return True


def _write_json(data: dict, path: str) -> None:
    Path(path).write_text(json.dumps(data, indent=1, default=lambda x: x.tolist()))
    print(f"results written to {path}")


def convnet(args: argparse.Namespace) -> int:
    """Train the digits convnet for one or more seeds; print accuracy per seed and over seeds."""
    from . import convnet as C

    runs = []
    for s in range(args.seed, args.seed + args.seeds):
        run = C.train(
            args.epochs, s, args.batch_size, args.lr, threads=args.threads, show_progress=not args.quiet
        )
        runs.append(run)
        errors = run.n_test - int(np.trace(run.confusion))
        wrong = f"{errors} of {run.n_test} wrong"
        print(f"seed {s}: held-out accuracy {run.accuracy:.2%} ({wrong}), {run.seconds:.1f} s")
    acc = np.array([r.accuracy for r in runs])
    print(
        f"convnet on 8x8 digits, {runs[0].n_train} training / {runs[0].n_test} held-out images, "
        f"{args.epochs} epochs: accuracy mean {acc.mean():.2%}, min {acc.min():.2%}, max {acc.max():.2%} "
        f"over {len(runs)} seed(s)"
    )
    if args.json:
        fields = ("seed", "accuracy", "confusion", "losses", "seconds", "n_train", "n_test")
        rows = [{k: getattr(r, k) for k in fields} for r in runs]
        _write_json({"example": "convnet", "settings": vars(args) | {"run": None}, "runs": rows}, args.json)
    if args.plot and not _save_figure(lambda: C.figure(runs[0]), args.plot):
        return 1
    return 0


def charlm(args: argparse.Namespace) -> int:
    """Train the chosen character-level model(s); print held-out bits/char and a sample of each."""
    from . import charlm as L

    kinds = ["lstm", "transformer"] if args.model == "both" else [args.model]
    runs = []
    for kind in kinds:
        run = L.train(
            kind, args.steps, args.seed, args.lr, args.seq, args.batch, temperature=args.temperature,
            sample_length=args.length, threads=args.threads, show_progress=not args.quiet,
        )  # fmt: skip
        runs.append(run)
        print(
            f"{kind}: {run.steps} steps, held-out bits/char {run.bits_per_char:.3f} "
            f"(unigram entropy {run.unigram_bits:.3f}), {run.seconds:.1f} s"
        )
        print(f"--- sample (seed {args.seed}, temperature {args.temperature}) ---\n{run.sample}\n---")
    if args.json:
        fields = ("model_kind", "steps", "bits_per_char", "unigram_bits", "held_out_curve", "train_bits")
        rows = [{k: getattr(r, k) for k in fields} | {"sample": r.sample, "seconds": r.seconds} for r in runs]
        _write_json({"example": "charlm", "settings": vars(args) | {"run": None}, "runs": rows}, args.json)
    if args.plot and not _save_figure(lambda: L.figure(runs), args.plot):
        return 1
    return 0


def _common(p: argparse.ArgumentParser, plot: str) -> None:
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--threads", type=int, default=1, help="numpy BLAS threads (default 1: fastest here)")
    p.add_argument("--plot", metavar="FILE.png", help=plot)
    p.add_argument("--json", metavar="FILE", help="save machine-readable results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def add_commands(sub: Any) -> None:
    """Add ``convnet`` and ``charlm`` to the ``autobp`` subparsers ``sub``."""
    from .convnet import DEFAULTS as CONV

    text = "a LeNet-style convnet on sklearn's 8x8 digits: held-out accuracy, filters, confusion matrix"
    p = sub.add_parser("convnet", help=text, description=text)
    _common(p, "save the loss curve, first-layer filters and confusion matrix (first seed)")
    p.add_argument("--seeds", type=int, default=1, help="train seeds seed, seed + 1, ... (default 1)")
    p.add_argument("--epochs", type=int, default=CONV["epochs"], help=f"epochs (default {CONV['epochs']})")
    p.add_argument("--batch-size", type=int, default=CONV["batch_size"], help="default %(default)s")
    p.add_argument(
        "--lr", type=float, default=CONV["lr"], help="Adam's peak lr, one-cycle (default %(default)s)"
    )
    p.set_defaults(run=convnet)

    text = "character-level LSTM / causal transformer on Shakespeare: held-out bits per char, samples"
    p = sub.add_parser("charlm", help=text, description=text)
    _common(p, "save the training and held-out bits/char curves")
    p.add_argument("--model", choices=["lstm", "transformer", "both"], default="lstm", help="default lstm")
    p.add_argument("--steps", type=int, help="training steps (default: lstm 400, transformer 600)")
    p.add_argument("--lr", type=float, help="Adam's lr, cosine-annealed (default: per model)")
    p.add_argument("--seq", type=int, help="characters per training window (default 64)")
    p.add_argument("--batch", type=int, help="windows per step (default 32)")
    p.add_argument("--temperature", type=float, default=0.8, help="sampling temperature (default 0.8)")
    p.add_argument("--length", type=int, default=300, help="characters to sample (default 300)")
    p.set_defaults(run=charlm)
