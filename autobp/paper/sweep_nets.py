"""Many in -> hidden -> out sigmoid nets trained at once in plain numpy, for sweeps (symmetry, XOR).

The paper's full-batch eq. 9 written out by hand: E = 1/2 sum (y - d)^2, delta = (y - d) y (1 - y),
dw(t) = -eps dE/dw + alpha dw(t-1). Every operation acts on one run's slice of a (runs, ...) array and
never mixes runs, so a run's numbers do not depend on which other runs share its batch (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class SmallRuns:
    """Per run: changes made before every output was on its target's side of 0.5 (-1 if never within the
    cap), patterns right, E at that point, and the weights W1 (in, hidden), b1, W2 (hidden, out), b2."""

    solved_at: np.ndarray
    correct: np.ndarray
    error: np.ndarray
    weights: dict[str, np.ndarray]


def init_small(uniforms: np.ndarray, sizes: tuple[int, int, int], scale: float) -> dict[str, np.ndarray]:
    """Weights from U(-scale, scale) given each run's U[0, 1) draws ``uniforms`` (runs, n_params), laid
    out as W1, b1, W2, b2 in (in, out) order. The draws do not depend on ``scale``: runs that differ only in
    the initial range start from the same point, scaled."""
    n_in, n_hidden, n_out = sizes
    shapes = {"W1": (n_in, n_hidden), "b1": (1, n_hidden), "W2": (n_hidden, n_out), "b2": (1, n_out)}
    out, at = {}, 0
    for name, shape in shapes.items():
        size = shape[0] * shape[1]
        out[name] = -scale + 2 * scale * uniforms[:, at : at + size].reshape(-1, *shape)
        at += size
    return out


def n_params(sizes: tuple[int, int, int]) -> int:
    """Weights and biases of an in -> hidden -> out net."""
    n_in, n_hidden, n_out = sizes
    return n_in * n_hidden + n_hidden + n_hidden * n_out + n_out


def train_small(
    x: np.ndarray,
    d: np.ndarray,
    weights: dict[str, np.ndarray],
    lr: float,
    momentum: float,
    max_sweeps: int,
) -> SmallRuns:
    """Train every run (leading axis of ``weights``) until it solves or makes ``max_sweeps`` changes.

    A run is checked before each change; once solved it leaves the batch (its numbers are final), so the
    batch shrinks as runs finish. ``x`` (patterns, in) and ``d`` (patterns, out) are shared by all runs.
    """
    w = {k: v.copy() for k, v in weights.items()}
    runs = len(w["W1"])
    delta = {k: np.zeros_like(v) for k, v in w.items()}
    solved_at = np.full(runs, -1)
    final = {k: np.empty_like(v) for k, v in w.items()}
    correct = np.zeros(runs, dtype=int)
    error = np.zeros(runs)
    live = np.arange(runs)  # original index of each row still in the batch
    on = d > 0.5
    for t in range(max_sweeps + 1):
        h = sigmoid(x @ w["W1"] + w["b1"])  # (live, patterns, hidden)
        y = sigmoid(h @ w["W2"] + w["b2"])  # (live, patterns, out)
        right = np.all((y > 0.5) == on, axis=2).sum(axis=1)
        done = (right == len(x)) | (t == max_sweeps)
        if done.any():
            rows = live[done]
            solved_at[rows] = np.where(right[done] == len(x), t, -1)
            correct[rows] = right[done]
            error[rows] = 0.5 * ((y[done] - d) ** 2).sum(axis=(1, 2))
            for k in w:
                final[k][rows] = w[k][done]
            keep = ~done
            live, h, y = live[keep], h[keep], y[keep]
            w = {k: v[keep] for k, v in w.items()}
            delta = {k: v[keep] for k, v in delta.items()}
        if len(live) == 0:
            break
        # Backward pass of E = 1/2 sum (y - d)^2 through both sigmoid layers.
        d2 = (y - d) * y * (1 - y)
        d1 = (d2 @ w["W2"].transpose(0, 2, 1)) * h * (1 - h)
        grads = {"W1": x.T @ d1, "b1": d1.sum(axis=1, keepdims=True)}
        grads |= {"W2": h.transpose(0, 2, 1) @ d2, "b2": d2.sum(axis=1, keepdims=True)}
        for k in w:
            delta[k] = momentum * delta[k] - lr * grads[k]
            w[k] = w[k] + delta[k]
    return SmallRuns(solved_at, correct, error, final)


def mirror_opposite(w1: np.ndarray) -> np.ndarray:
    """Per run, Fig. 1's signature: for every hidden unit, each mirror pair of input weights (i, 5 - i)
    has opposite signs. ``w1`` is (runs, 6, hidden)."""
    return np.all(np.sign(w1) == -np.sign(w1[:, ::-1, :]), axis=(1, 2))
