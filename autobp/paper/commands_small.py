"""The recurrent, XOR, encoder and digits commands: run the experiment, compare, return a Report."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..nn import functional as F
from ..tensor import Tensor
from .report import Report, num, sse_graph, sweep_range


def recurrent(
    seeds: int = 10, seed: int = 0, units: int = 3, steps: int = 2, show_progress: bool = True
) -> Report:
    """Fig. 5's iterative net as PDP's shift register, plus the shared-weight gradient identity."""
    from . import recurrent as R

    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=(units, units)), rng.normal(size=units)
    shared, layers = R.unrolled_gradients(w, b, rng.random((8, units)), rng.random((8, units)), steps)
    gap = float(np.abs(shared - np.sum(layers, axis=0)).max())
    start = time.perf_counter()
    runs = [
        R.train_shift_register(units, steps, s, show_progress=show_progress)
        for s in range(seed, seed + seeds)
    ]
    seconds = time.perf_counter() - start
    solved = [r.solved_at for r in runs if r.solved_at is not None]
    stats = {"median_sweeps": float(np.median(solved)) if solved else None}
    stats |= {"min_sweeps": min(solved, default=None), "max_sweeps": max(solved, default=None)}
    rows = [
        ("|dE/dW shared - sum of layer grads|", "equal", f"{gap:.1e}"),
        ("seeds learned (every bit within 0.2)", "-", f"{len(solved)}/{seeds}"),
        (
            "sweeps to learn",
            "< 200 (eta 0.25)",
            f"median {num(stats['median_sweeps'])}, range {sweep_range(stats)}",
        ),
        ("became a 1-step shift register", "always", f"{sum(r.one_step_shift for r in runs)}/{seeds}"),
        ("wall time", "-", f"{seconds:.1f} s"),
    ]
    notes = [
        f"{units} fully connected units, run {steps} steps from every {units}-bit pattern; target: rotated "
        f"{steps} left. Biases kept <= 0 (PDP's constraint). The paper's averaged gradient = sum / {steps}.",
    ]
    data = {
        "experiment": "recurrent",
        "identity_max_abs_difference": gap,
        "runs": [
            {
                "seed": r.seed,
                "solved": r.solved_at is not None,
                "sweeps": r.solved_at,
                "one_step": r.one_step_shift,
            }
            for r in runs
        ],
    }

    def figure() -> Any:
        from .plots import _figure, error_curves, hinton

        fig = _figure(9, 3.2)
        left, right = fig.subplots(1, 2)
        error_curves(left, [r.errors for r in runs])
        hinton(right, np.vstack([runs[0].w, runs[0].b]))
        right.set_title(f"seed {runs[0].seed}: W (rows: from unit) and bias (last row)")
        return fig

    def graph() -> tuple[Tensor, Any]:
        x, t = R.shift_patterns(units, steps)
        wt, bt = Tensor(runs[0].w, requires_grad=True), Tensor(runs[0].b, requires_grad=True)
        return F.sse_loss(R.run(wt, bt, Tensor(x[:2]), steps)[-1], t[:2]), {"W": wt, "b": bt}

    return Report(
        "Recurrent net unrolled in time (Nature 1986, Fig. 5; PDP shift register)",
        rows,
        data,
        notes,
        figure,
        graph,
    )


def xor(seeds: int = 20, seed: int = 0, max_sweeps: int = 5000, show_progress: bool = True) -> Report:
    """XOR with a 2-2-1 net over ``seeds`` seeds."""
    from . import _batched
    from . import xor as X

    start = time.perf_counter()
    runs = X.train_xor(range(seed, seed + seeds), max_sweeps=max_sweeps, show_progress=show_progress)
    seconds = time.perf_counter() - start
    stats = _batched.sweep_stats(runs)
    rows = [
        (
            "seeds solved (all 4 right)",
            "all but 2 of many",
            f"{stats['solved']}/{seeds} within {max_sweeps:,}",
        ),
        (
            "sweeps to solve (eta 0.5)",
            "558 (1 hidden + direct)",
            f"median {num(stats['median_sweeps'])}, range {sweep_range(stats)}",
        ),
        ("wall time", "-", f"{seconds:.1f} s"),
    ]
    notes = ["PDP's 558 is a different net (one hidden unit with direct input-output connections)."]
    return _small_report("XOR, 2-2-1 (PDP ch. 8)", "xor", rows, notes, runs, (2, 2, 1), X.xor_patterns())


def encoder(seeds: int = 20, seed: int = 0, max_sweeps: int = 5000, show_progress: bool = True) -> Report:
    """The 8-3-8 encoder over ``seeds`` seeds."""
    from . import _batched
    from . import xor as X

    start = time.perf_counter()
    runs = X.train_encoder(range(seed, seed + seeds), max_sweeps=max_sweeps, show_progress=show_progress)
    seconds = time.perf_counter() - start
    stats = _batched.sweep_stats(runs)
    solved = [r for r in runs if r.solved_at is not None]
    halves = sum(bool(np.any(X.hidden_codes(r) == 0.5)) for r in solved)
    rows = [
        ("seeds solved (all 64 outputs right)", "-", f"{stats['solved']}/{seeds} within {max_sweeps:,}"),
        (
            "sweeps to solve (eta 0.25)",
            "not given",
            f"median {num(stats['median_sweeps'])}, range {sweep_range(stats)}",
        ),
        ("8 distinct hidden codes", "yes", f"{sum(X.distinct_codes(r) == 8 for r in solved)}/{len(solved)}"),
        ("codes using the value 0.5", "yes (Table 5)", f"{halves}/{len(solved)}"),
        ("wall time", "-", f"{seconds:.1f} s"),
    ]
    notes = ["Hidden codes are rounded to 0, 0.5 or 1 before counting."]
    return _small_report(
        "8-3-8 encoder (PDP ch. 8)", "encoder", rows, notes, runs, (8, 3, 8), X.encoder_patterns()
    )


def _small_report(
    title: str, name: str, rows: list, notes: list, runs: list, sizes: tuple, patterns: tuple
) -> Report:
    data = {
        "experiment": name,
        "runs": [
            {"seed": r.seed, "solved": r.solved_at is not None, "sweeps": r.solved_at, "correct": r.correct}
            for r in runs
        ],
    }

    def figure() -> Any:
        from .plots import _figure, error_curves, hinton

        fig = _figure(9, 3.2)
        left, right = fig.subplots(1, 2)
        error_curves(left, [r.errors for r in runs])
        w = runs[0].weights
        hinton(right, np.hstack([w["W1"], w["b1"][:, None]]))
        right.set_title(f"seed {runs[0].seed}: input -> hidden weights, bias last")
        return fig

    def graph() -> tuple[Tensor, Any]:
        return sse_graph(sizes, runs[0].weights, *patterns)

    return Report(title, rows, data, notes, figure, graph)


def digits(
    seed: int = 0, epochs: int = 40, hidden: int = 64, mnist: str | None = None, show_progress: bool = True
) -> Report:
    """A one-hidden-layer logistic MLP on sklearn's 8x8 digits (or on local MNIST IDX files)."""
    from . import digits as D

    if mnist:
        split = D.load_mnist(mnist)
        source = f"MNIST from {mnist}: 60,000 train / 10,000 test"
    else:
        split = D.load_sklearn_digits(seed)
        source = (
            f"sklearn digits, stratified 75/25 split (random_state={seed}): {len(split[0])} / {len(split[2])}"
        )
    start = time.perf_counter()
    run = D.train(*split, hidden=hidden, epochs=epochs, seed=seed, show_progress=show_progress)
    seconds = time.perf_counter() - start
    rows = [
        ("data", "MNIST", source),
        ("net", "1 hidden layer", f"{split[0].shape[1]}-{hidden}-10, logistic hidden, softmax output"),
        ("test accuracy", "95.3% (MNIST, 300 HU, MSE)", f"{run.test_accuracy * 100:.1f}%"),
        ("train accuracy", "-", f"{run.train_accuracy * 100:.1f}%"),
        ("wall time", "-", f"{seconds:.1f} s ({epochs} epochs)"),
    ]
    notes = ["The paper column is LeCun's MNIST table; sklearn's 8x8 digits are a smaller, easier set."]
    data = {"experiment": "digits", "source": source, "seed": seed, "test_accuracy": run.test_accuracy}
    data |= {"train_accuracy": run.train_accuracy, "losses": run.losses, "hidden": hidden, "epochs": epochs}

    def figure() -> Any:
        from .plots import _figure

        fig = _figure(5, 3.2)
        ax = fig.subplots()
        ax.plot(range(1, len(run.losses) + 1), run.losses)
        ax.set_xlabel("epoch")
        ax.set_ylabel("mean cross-entropy")
        ax.set_title(f"test accuracy {run.test_accuracy * 100:.1f}%")
        return fig

    def graph() -> tuple[Tensor, Any]:
        x = D.standardize(split[0], split[0][:2])[1]
        return F.cross_entropy(run.net(Tensor(x)), split[1][:2]), run.net

    return Report("Digits MLP (lecture notes' MNIST demonstration)", rows, data, notes, figure, graph)
