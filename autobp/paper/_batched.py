"""Train many small sigmoid nets (in -> hidden -> out) at once, one per seed, with the paper's eq. 9.

Each seed's weights are one slice of a stacked Tensor and the loss is the sum of the seeds' losses, so
every slice gets exactly its own net's gradient, and SGD (elementwise) moves it exactly as it would move
that net alone. One batched sweep costs about what one net's sweep costs in Python overhead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..optim import SGD
from ..tensor import Tensor
from ._progress import progress


def init_weights(seed: int, sizes: tuple[int, int, int], scale: float = 0.3) -> dict[str, np.ndarray]:
    """U(-scale, scale) from ``default_rng(seed)`` in the order W1, b1, W2, b2, shaped like ``nn.Linear``
    (out, in): W1 (hidden, in), b1 (hidden,), W2 (out, hidden), b2 (out,)."""
    n_in, n_hidden, n_out = sizes
    rng = np.random.default_rng(seed)
    shapes = {"W1": (n_hidden, n_in), "b1": (n_hidden,), "W2": (n_out, n_hidden), "b2": (n_out,)}
    return {name: rng.uniform(-scale, scale, shape) for name, shape in shapes.items()}


def forward(weights: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden and output activities of one net, in plain numpy (for analysis and plots)."""
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    h = sig(x @ weights["W1"].T + weights["b1"])
    return h, sig(h @ weights["W2"].T + weights["b2"])


@dataclass
class Run:
    """One seed: the sweep after which every output was on its target's side of 0.5 (None if never),
    its weights then (or at the last sweep), patterns right at that point, and E before each change."""

    seed: int
    solved_at: int | None
    weights: dict[str, np.ndarray]
    correct: int
    errors: list[float] = field(default_factory=list)


def train(
    x: np.ndarray,
    d: np.ndarray,
    hidden: int,
    seeds: Sequence[int],
    lr: float,
    momentum: float,
    max_sweeps: int,
    scale: float = 0.3,
    desc: str = "training",
    show_progress: bool = False,
    margin: float | None = None,
) -> list[Run]:
    """Full-batch training, E = 1/2 sum (y - d)^2, until every seed solves or ``max_sweeps`` changes.

    Solved at sweep t = after t weight changes, every output of every pattern is on the right side of 0.5
    (or, with ``margin``, within ``margin`` of its 0/1 target: a stricter stop).
    """
    sizes = (x.shape[1], hidden, d.shape[1])
    inits = [init_weights(s, sizes, scale) for s in seeds]
    # Stacked (seed, in, out) layout so that the batched forward is x @ W1 + b1.
    w1 = Tensor(np.stack([w["W1"].T for w in inits]), requires_grad=True)
    b1 = Tensor(np.stack([w["b1"][None, :] for w in inits]), requires_grad=True)
    w2 = Tensor(np.stack([w["W2"].T for w in inits]), requires_grad=True)
    b2 = Tensor(np.stack([w["b2"][None, :] for w in inits]), requires_grad=True)
    params = [w1, b1, w2, b2]
    opt = SGD(params, lr=lr, momentum=momentum, momentum_form="paper")
    xt, dt, on = Tensor(x), Tensor(d), d > 0.5
    n = len(seeds)
    solved_at: list[int | None] = [None] * n
    snapshot: list[dict | None] = [None] * n
    errors = np.zeros((max_sweeps + 1, n))
    bar = progress(max_sweeps, f"{desc} x{n} seeds", show_progress)
    t = 0
    while True:
        y = ((xt @ w1 + b1).sigmoid() @ w2 + b2).sigmoid()
        sq = (y - dt) ** 2
        errors[t] = 0.5 * sq.data.sum(axis=(1, 2))
        if margin is None:
            right = np.all((y.data > 0.5) == on, axis=2).sum(axis=1)
        else:
            right = np.all(np.abs(y.data - d) < margin, axis=2).sum(axis=1)
        for i in np.flatnonzero(right == len(x)):
            if solved_at[i] is None:
                solved_at[i], snapshot[i] = t, _unstack(params, i)
        if all(s is not None for s in solved_at) or t == max_sweeps:
            break
        opt.zero_grad()
        (sq.sum() * 0.5).backward()
        opt.step()
        t += 1
        bar.update()
        if t % 100 == 0:
            bar.set_postfix_str(f"solved {sum(s is not None for s in solved_at)}/{n}")
    bar.close()
    runs = []
    for i, seed in enumerate(seeds):
        done = solved_at[i] is not None
        runs.append(
            Run(
                seed,
                solved_at[i],
                snapshot[i] if done else _unstack(params, i),
                len(x) if done else int(right[i]),
                errors[: (solved_at[i] if done else t) + 1, i].tolist(),
            )
        )
    return runs


def _unstack(params: list[Tensor], i: int) -> dict[str, np.ndarray]:
    w1, b1, w2, b2 = (p.data[i].copy() for p in params)
    return {"W1": w1.T, "b1": b1[0], "W2": w2.T, "b2": b2[0]}


def sweep_stats(runs: Sequence[Run]) -> dict[str, object]:
    """How many seeds solved, and the median and range of their sweeps."""
    sweeps = [r.solved_at for r in runs if r.solved_at is not None]
    return {
        "seeds": len(runs),
        "solved": len(sweeps),
        "median_sweeps": float(np.median(sweeps)) if sweeps else None,
        "min_sweeps": min(sweeps) if sweeps else None,
        "max_sweeps": max(sweeps) if sweeps else None,
    }
