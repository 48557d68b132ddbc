"""Pictures for the experiments: error curves and Hinton diagrams (white = positive, black = negative,
area = magnitude), drawn on matplotlib Figures without pyplot so they work headless and in notebooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .family_data import ENGLISH, ITALIAN


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def hinton(ax: Any, matrix: np.ndarray, max_weight: float | None = None) -> None:
    """Draw ``matrix`` as a Hinton diagram on ``ax``: one square per entry, area proportional to |w|."""
    from matplotlib.patches import Rectangle

    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    top = max_weight or float(np.abs(matrix).max()) or 1.0
    ax.set_facecolor("0.5")
    for (row, col), w in np.ndenumerate(matrix):
        side = np.sqrt(min(abs(w) / top, 1.0)) * 0.95
        colour = "white" if w > 0 else "black"
        ax.add_patch(
            Rectangle((col - side / 2, row - side / 2), side, side, facecolor=colour, edgecolor=colour)
        )
    ax.set_xlim(-0.5, matrix.shape[1] - 0.5)
    ax.set_ylim(matrix.shape[0] - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def error_curves(ax: Any, curves: Sequence[Sequence[float]], labels: Sequence[str] | None = None) -> None:
    """Error E against sweeps for several runs on ``ax`` (log scale, since E spans decades)."""
    for i, curve in enumerate(curves):
        ax.plot(np.arange(len(curve)), np.maximum(curve, 1e-6), lw=1, label=labels[i] if labels else None)
    ax.set_yscale("log")
    ax.set_xlabel("sweep")
    ax.set_ylabel("E = 1/2 sum (y - d)^2")
    if labels:
        ax.legend(fontsize=7)


def symmetry_figure(runs: Sequence[Any]) -> Any:
    """Error curves of every seed and, for the first solved seed, Fig. 1's weights as a Hinton diagram
    (rows: hidden units; columns: inputs 1-6, then the bias; last row: hidden -> output and output bias)."""
    fig = _figure(10, 3.6)
    left, right = fig.subplots(1, 2)
    error_curves(left, [r.errors for r in runs])
    left.set_title(f"{len(runs)} seeds, paper's settings")
    solved = [r for r in runs if r.solved_at is not None]
    if solved:
        w = solved[0].weights
        matrix = np.zeros((3, 7))
        matrix[:2, :6], matrix[:2, 6] = w["W1"], w["b1"]
        matrix[2, :2], matrix[2, 6] = w["W2"][0], w["b2"][0]
        hinton(right, matrix)
        for (row, col), v in np.ndenumerate(matrix):
            if row < 2 or col in (0, 1, 6):
                right.text(col, row + 0.42, f"{v:+.1f}", ha="center", fontsize=7, color="tab:red")
        right.set_title(f"seed {solved[0].seed}, solved at sweep {solved[0].solved_at}")
        right.set_yticks([0, 1, 2], ["hidden A", "hidden B", "to output"])
        right.set_xticks(range(7), ["in1", "in2", "in3", "in4", "in5", "in6", "bias"])
    return fig


def family_figure(weights: np.ndarray, errors: Sequence[float] | None = None) -> Any:
    """Fig. 4: the 24 -> 6 weights, one Hinton block per unit, English people above their Italian
    equivalents (Fig. 6 order), and optionally the error curve below. ``weights`` is (6, 24)."""
    fig = _figure(10, 6.4 if errors is not None else 4.4)
    grid = fig.add_gridspec(
        4 if errors is not None else 3, 2, height_ratios=[1, 1, 1, 1.5][: 4 if errors is not None else 3]
    )
    top = float(np.abs(weights).max())
    for unit in range(6):
        ax = fig.add_subplot(grid[unit // 2, unit % 2])
        hinton(ax, weights[unit].reshape(2, 12), max_weight=top)
        ax.set_title(f"unit {unit + 1}", fontsize=9)
        ax.set_yticks([0, 1], ["English", "Italian"], fontsize=7)
        if unit >= 4:
            ax.set_xticks(range(12), [f"{e}\n{i}" for e, i in zip(ENGLISH, ITALIAN)], fontsize=6, rotation=90)
    if errors is not None:
        error_curves(fig.add_subplot(grid[3, :]), [errors])
    return fig
