"""What each ``autobp`` experiment command runs and reports: a table (quantity, paper, autobp), a JSON-able
dict, and builders for the ``--plot`` figure and the ``--graph`` network."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import nn
from ..nn import functional as F
from ..tensor import Tensor


@dataclass
class Report:
    """One experiment's results: ``rows`` of (quantity, paper, autobp), data for ``--json``, and
    zero-argument builders for the figure and for (loss, params) whose graph ``--graph`` draws."""

    title: str
    rows: list[tuple[str, str, str]]
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    figure: Callable[[], Any] | None = None
    graph: Callable[[], tuple[Tensor, Any]] | None = None


def _sequential(sizes: tuple[int, ...], weights: dict[str, np.ndarray]) -> nn.Sequential:
    """An nn.Sequential sigmoid net holding the given W1, b1, W2, b2 (for drawing its graph)."""
    net = nn.Sequential(
        nn.Linear(sizes[0], sizes[1]), nn.Sigmoid(), nn.Linear(sizes[1], sizes[2]), nn.Sigmoid()
    )
    for p, name in zip(net.parameters(), ("W1", "b1", "W2", "b2")):
        p.data[...] = weights[name]
    return net


def _sse_graph(sizes: tuple[int, ...], weights: dict, x: np.ndarray, d: np.ndarray) -> tuple[Tensor, Any]:
    net = _sequential(sizes, weights)
    return F.sse_loss(net(x), d), net


def symmetry(
    seeds: int = 20,
    seed: int = 0,
    max_sweeps: int = 10000,
    margin: float | None = None,
    show_progress: bool = True,
) -> Report:
    """Fig. 1 over ``seeds`` seeds (seed, seed + 1, ...), the paper's settings; a seed stops when all 64
    outputs are on the right side of 0.5, or with ``margin`` when all are within ``margin`` of the target."""
    from . import symmetry as S

    start = time.perf_counter()
    seeds_ = range(seed, seed + seeds)
    runs = S.train(seeds_, max_sweeps=max_sweeps, show_progress=show_progress, margin=margin)
    seconds = time.perf_counter() - start
    summary = S.summary(runs)
    solved = [r for r in runs if r.solved_at is not None]
    traits = [S.structure(r.weights) for r in solved]
    n = len(solved)
    pick = lambda key: [float(v) for r in solved for v in np.ravel(r.weights[key])]  # noqa: E731
    largest = [float(np.abs(r.weights["W1"]).max()) for r in solved]
    ratio = summary["ratios"]
    longest = max(len(r.errors) for r in runs) - 1
    stop = "all 64 right" if margin is None else f"all 64 within {margin:g} of target"
    rows = [
        (f"seeds solved ({stop})", "1 run shown", f"{n}/{seeds} within {max_sweeps:,} sweeps"),
        ("sweeps to solve", "1,425", f"median {_num(summary['median_sweeps'])}, range {_range(summary)}"),
        ("mirror weights of opposite sign", "yes", f"{summary['mirror_opposite']}/{n} nets"),
        ("max |w_i + w_mirror| / max |w|", "0", f"{max((t['mirror_error'] for t in traits), default=0):.3f}"),
        (
            "mirror-pair magnitudes, sorted",
            "1 : 2 : 4",
            " : ".join(f"{v:.2f}" for v in ratio) if ratio else "-",
        ),
        ("largest input weight", "14.2", f"median {_med(largest)}"),
        (
            "hidden biases negative",
            "-1.1",
            f"{summary['hidden_biases_negative']}/{n}, median {_med(pick('b1'))}",
        ),
        (
            "hidden -> output weights",
            "-8.8",
            f"{summary['output_weights_negative']}/{n} < 0, median {_med(pick('W2'))}",
        ),
        ("output bias positive", "+6.4", f"{summary['output_bias_positive']}/{n}, median {_med(pick('b2'))}"),
        ("wall time", "-", f"{seconds:.1f} s ({seeds} seeds side by side, {longest:,} sweeps)"),
    ]
    notes = [
        "Third party, same settings, 1,000 uncapped runs: median 2,715 sweeps (min 333, max 54,770).",
        "Magnitudes are at the solving sweep; they keep growing if training continues.",
    ]
    stuck = [r for r in runs if r.solved_at is None]
    if stuck:
        counts = ", ".join(str(c) for c in sorted({r.correct for r in stuck}))
        notes.append(f"Unsolved seeds end with {counts} of 64 patterns right (56 = 'never symmetric').")
    data = {
        "experiment": "symmetry",
        "settings": {"lr": 0.1, "momentum": 0.9, "init": 0.3, "max_sweeps": max_sweeps, "margin": margin},
        "summary": summary,
        "seconds": seconds,
        "runs": [
            {
                "seed": r.seed,
                "solved": r.solved_at is not None,
                "sweeps": r.solved_at,
                "correct": r.correct,
                "weights": {k: v.tolist() for k, v in r.weights.items()},
            }
            for r in runs
        ],
    }

    def figure() -> Any:
        from .plots import symmetry_figure

        return symmetry_figure(runs)

    def graph() -> tuple[Tensor, Any]:
        x, d = S.patterns()
        return _sse_graph((6, 2, 1), (solved or runs)[0].weights, x, d)

    return Report("Mirror symmetry, 6-2-1 (Nature 1986, Fig. 1)", rows, data, notes, figure, graph)


def family_trees(
    seeds: int = 4,
    seed: int = 0,
    sweeps: int = 1500,
    lr: float = 0.01,
    decay: float = 0.002,
    init: float = 0.3,
    show_progress: bool = True,
) -> Report:
    """Figs. 2-4 over ``seeds`` runs; each seed draws its own weights and its own 4 held-out patterns."""
    from . import family_trees as T

    start = time.perf_counter()
    runs = [
        T.train(s, sweeps=sweeps, lr=lr, decay=decay, init=init, show_progress=show_progress)
        for s in range(seed, seed + seeds)
    ]
    seconds = time.perf_counter() - start
    tests = [r.test_correct for r in runs]
    feats = [T.features(r.net) for r in runs]
    paper_schedule = (sweeps, lr, decay, init) == (1500, 0.01, 0.002, 0.3)
    f0 = feats[0]
    rows = [
        ("settings", "eps 0.01, decay 0.2%, 1,500", f"eps {lr:g}, decay {decay * 100:g}%, {sweeps:,} sweeps"),
        (
            "training patterns right (0.5 rule)",
            "100/100",
            ", ".join(f"{r.train_correct * 100:.0f}" for r in runs),
        ),
        (
            "training within 0.2/0.8 (+-0.01)",
            "all",
            ", ".join(f"{r.train_within_margin * 100:.0f}" for r in runs),
        ),
        ("final error E", "~0", ", ".join(f"{r.errors[-1]:.2f}" for r in runs)),
        ("held-out right, per run", "4/4, 3/4", ", ".join(f"{t}/4" for t in tests)),
        ("held-out right, total", "7/8", f"{sum(tests)}/{4 * len(tests)}"),
        ("nationality unit (|r|)", "unit 1", f"unit {f0['nationality']} ({abs(f0['r_nationality']):.2f})"),
        ("generation unit (|r|)", "unit 2", f"unit {f0['generation']} ({abs(f0['r_generation']):.2f})"),
        ("branch unit (|r|)", "unit 6", f"unit {f0['branch']} ({abs(f0['r_branch']):.2f})"),
        ("wall time", "-", f"{seconds:.1f} s"),
    ]
    notes = [
        "Feature units are for the first run: the unit whose 24 weights correlate best with the feature."
    ]
    if paper_schedule:
        notes.append(
            "With the paper's schedule the error stays on a plateau (all outputs near 0.2) for the whole "
            "run: see the README's family-trees notes; e.g. --lr 0.1 --sweeps 3000 gets past it."
        )
    data = {
        "experiment": "family-trees",
        "settings": {
            "sweeps": sweeps,
            "lr": lr,
            "decay": decay,
            "init": init,
            "warm": "eps 0.005, alpha 0.5, 20",
        },
        "seconds": seconds,
        "runs": [
            {
                "seed": r.seed,
                "held_out": r.test_cases,
                "test_correct": r.test_correct,
                "train_correct": r.train_correct,
                "train_within_margin": r.train_within_margin,
                "final_error": r.errors[-1],
                "features": f,
            }
            for r, f in zip(runs, feats)
        ],
    }

    def figure() -> Any:
        from .plots import family_figure

        return family_figure(runs[0].net.person.weight.data, runs[0].errors)

    def graph() -> tuple[Tensor, Any]:
        from .family_data import patterns

        data_ = patterns().subset(np.arange(4))
        p, r = (Tensor(a) for a in data_.inputs())
        return F.sse_loss(runs[0].net(p, r), data_.targets, tolerance=0.2), runs[0].net

    title = "Family trees, 24+12 -> 6+6 -> 12 -> 6 -> 24 (Nature 1986, Figs. 2-4)"
    report = Report(title, rows, data, notes, figure, graph)
    report.data["held_out_cases"] = [c for r in runs for c in r.test_cases]
    return report


def family_plateau(seeds: int = 3, seed: int = 0, sweeps: int = 3000, show_progress: bool = True) -> Report:
    """The family-trees plateau: each variant of ``family_plateau.VARIANTS`` on ``seeds`` seeds."""
    from . import family_plateau as P
    from . import family_trees as T

    start = time.perf_counter()
    first = T.train(seed, sweeps=300, show_progress=False)
    spread = P.activity_spread(first.net)
    rows_ = P.investigate(seeds=range(seed, seed + seeds), sweeps=sweeps, show_progress=show_progress)
    seconds = time.perf_counter() - start
    rows = []
    for name in P.VARIANTS:
        mine = [r for r in rows_ if r["variant"] == name]
        escape, fit = _sweeps(mine, "escape"), _sweeps(mine, "fit")
        tests = ", ".join(str(r["test_correct"]) for r in mine)
        errors = ", ".join(f"{r['final_error']:.2f}" for r in mine)
        rows.append((name, "fit by 1,500" if name == "paper" else "", f"escape {escape}; fit {fit}"))
        rows.append(("", "", f"held-out right {tests} of 4; final E {errors}"))
    notes = [
        f"escape = first sweep with E < 15 (plateau E ~ 18.4); fit = first sweep with all 100 training "
        f"patterns right (0.5 rule); '-' = not within {sweeps:,} sweeps. Seeds {seed}-{seed + seeds - 1}.",
        "Spread of activities across the 104 cases after 300 paper sweeps (seed "
        f"{seed}): " + ", ".join(f"{k} {v:.1e}" for k, v in spread.items()),
        f"wall time {seconds:.0f} s",
    ]
    data = {"experiment": "family-trees plateau", "sweeps": sweeps, "spread_after_300": spread, "runs": rows_}
    data["variants"] = P.VARIANTS
    return Report("Family trees: the plateau under the paper's schedule", rows, data, notes)


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
            f"median {_num(stats['median_sweeps'])}, range {_range(stats)}",
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
            f"median {_num(stats['median_sweeps'])}, range {_range(stats)}",
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
            f"median {_num(stats['median_sweeps'])}, range {_range(stats)}",
        ),
        ("8 distinct hidden codes", "yes", f"{sum(X.distinct_codes(r) == 8 for r in solved)}/{len(solved)}"),
        ("codes using the value 0.5", "yes (Table 5)", f"{halves}/{len(solved)}"),
        ("wall time", "-", f"{seconds:.1f} s"),
    ]
    notes = ["Hidden codes are rounded to 0, 0.5 or 1 before counting."]
    return _small_report(
        "8-3-8 encoder (PDP ch. 8)", "encoder", rows, notes, runs, (8, 3, 8), X.encoder_patterns()
    )


def _small_report(title, name, rows, notes, runs, sizes, patterns) -> Report:
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
        return _sse_graph(sizes, runs[0].weights, *patterns)

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


def _sweeps(rows: list[dict], key: str) -> str:
    return ", ".join("-" if r[key] is None else f"{r[key]:,}" for r in rows)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _med(xs: list[float]) -> str:
    return f"{np.median(xs):+.1f}" if xs else "-"


def _range(stats: dict) -> str:
    if stats.get("min_sweeps") is None:
        return "-"
    return f"{stats['min_sweeps']:,}-{stats['max_sweeps']:,}"
