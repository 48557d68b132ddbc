"""The MLP workloads' problems: weights, batches and settings for ``mlp`` (784-256-256-10, float32)
and ``digits`` (autobp.paper.digits' 64-64-10 on scikit-learn's 8x8 digits, float64)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class MlpProblem:
    weights: list[np.ndarray]  # W1, b1, W2, b2, ... ; W of shape (n_in, n_out)
    batches: list[tuple[np.ndarray, np.ndarray]]  # (x, integer labels)
    lr: float
    momentum: float = 0.0  # PyTorch's form: v = m v + g; w -= lr v
    act: str = "relu"  # hidden units: "relu" or "sigmoid"


def make_weights(sizes: tuple[int, ...], dtype: type, seed: int) -> list[np.ndarray]:
    """He-normal weights, zero biases."""
    rng = np.random.default_rng(seed)
    ws = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        ws.append((rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype))
        ws.append(np.zeros(n_out, dtype=dtype))
    return ws


def mlp_problem(sizes=(784, 256, 256, 10), batch: int = 256, dtype: type = np.float32) -> MlpProblem:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], batch)
    return MlpProblem(make_weights(sizes, dtype, 1), [(x, y)], lr=0.01)


def tiny_mlp_problem(dtype: type = np.float64) -> MlpProblem:
    return mlp_problem(sizes=(12, 8, 8, 5), batch=6, dtype=dtype)


def digits_problem(hidden: int = 64, batch: int = 32, limit: int = 1347) -> MlpProblem:
    """autobp.paper.digits' setting: sklearn's 8x8 digits (bundled), 1347 training images (a 75 % split)
    scaled to [0, 1], 64-64-10 with logistic hidden units, batches of 32, momentum 0.9, float64."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(X))[:limit]
    X, y = X[order] / 16.0, y[order]
    batches = [(X[i : i + batch], y[i : i + batch]) for i in range(0, len(X), batch)]
    weights = make_weights((64, hidden, 10), np.float64, 2)
    return MlpProblem(weights, batches, lr=0.1, momentum=0.9, act="sigmoid")
