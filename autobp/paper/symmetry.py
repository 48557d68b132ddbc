"""Mirror-symmetry detection (Nature 1986, Fig. 1): a 6-2-1 sigmoid net learns all 64 six-bit patterns.

Seeds train side by side (``_batched``); ``structure`` measures Fig. 1's solution in the learned weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _batched
from ._batched import Run

PAPER = {"sweeps": 1425, "input_weights": (14.2, -3.6, 7.2, -7.2, 3.6, -14.2), "hidden_bias": -1.1}
PAPER |= {"output_weight": -8.8, "output_bias": 6.4, "lr": 0.1, "momentum": 0.9, "init": 0.3}


def patterns() -> tuple[np.ndarray, np.ndarray]:
    """All 64 six-bit inputs (64, 6) and targets (64, 1): 1 for the 8 mirror-symmetric patterns."""
    x = ((np.arange(64)[:, None] >> np.arange(5, -1, -1)) & 1).astype(np.float64)
    d = np.all(x == x[:, ::-1], axis=1, keepdims=True).astype(np.float64)
    return x, d


def train(
    seeds: Sequence[int],
    max_sweeps: int = 10000,
    lr: float = 0.1,
    momentum: float = 0.9,
    scale: float = 0.3,
    show_progress: bool = False,
    margin: float | None = None,
) -> list[Run]:
    """One 6-2-1 net per seed, full-batch eq. 9 updates, until each classifies all 64 patterns (or, with
    ``margin``, until every output is within ``margin`` of its target).

    Weights start from U(-scale, scale) drawn from ``default_rng(seed)`` (``_batched.init_weights``).
    """
    x, d = patterns()
    return _batched.train(x, d, 2, seeds, lr, momentum, max_sweeps, scale, "symmetry", show_progress, margin)


def structure(weights: dict[str, np.ndarray]) -> dict[str, object]:
    """The Fig. 1 structure, measured: mirror antisymmetry, the 1:2:4 ratio, bias and output signs.

    ``mirror_opposite``: for each hidden unit, every mirror pair (i, 5 - i) has opposite signs;
    ``mirror_error``: the largest |w_i + w_(5-i)| relative to the unit's largest |w|;
    ``ratios``: each unit's three mirror-pair magnitudes, sorted and divided by the smallest (paper 1:2:4).
    """
    w1, b1 = weights["W1"], weights["b1"]
    left, right = w1[:, :3], w1[:, ::-1][:, :3]
    pair_mag = (np.abs(left) + np.abs(right)) / 2
    ratios = np.sort(pair_mag, axis=1) / np.sort(pair_mag, axis=1)[:, :1]
    return {
        "mirror_opposite": bool(np.all(np.sign(left) == -np.sign(right))),
        "mirror_error": float(np.max(np.abs(left + right)) / np.max(np.abs(w1))),
        "ratios": ratios.round(2).tolist(),
        "hidden_biases_negative": bool(np.all(b1 < 0)),
        "hidden_opposite": bool(np.all(np.sign(w1[0]) == -np.sign(w1[1]))),
        "output_weights_negative": bool(np.all(weights["W2"] < 0)),
        "output_bias_positive": bool(np.all(weights["b2"] > 0)),
    }


def summary(runs: Sequence[Run]) -> dict[str, object]:
    """Solved count, median and range of sweeps among solved seeds, and how many show each Fig. 1 trait."""
    traits = [structure(r.weights) for r in runs if r.solved_at is not None]
    keys = ("mirror_opposite", "hidden_biases_negative", "output_weights_negative", "output_bias_positive")
    ratios = np.median([t["ratios"] for t in traits], axis=(0, 1)).round(2).tolist() if traits else None
    return (
        _batched.sweep_stats(runs) | {k: sum(bool(t[k]) for t in traits) for k in keys} | {"ratios": ratios}
    )
