"""XOR (2-2-1) and the 8-3-8 encoder (PDP vol. 1 ch. 8), trained over many seeds side by side.

Both use the paper's full-batch eq. 9 and E = 1/2 sum (y - d)^2; a seed solves when every output is on
its target's side of 0.5. PDP reports XOR solved in 558 sweeps (a 1-hidden-unit net with direct
connections) and local minima in only 2 of many 2-2-1 runs; it gives no sweep count for the encoder.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _batched
from ._batched import Run

PAPER_XOR = {"sweeps": 558, "lr": 0.5}
PAPER_ENCODER = {"sweeps": None}


def xor_patterns() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR inputs (4, 2) and targets (4, 1)."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return x, (x[:, :1] != x[:, 1:]).astype(np.float64)


def encoder_patterns(n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The n one-hot patterns, each its own target."""
    return np.eye(n), np.eye(n)


def train_xor(
    seeds: Sequence[int],
    max_sweeps: int = 5000,
    lr: float = 0.5,
    momentum: float = 0.9,
    show_progress: bool = False,
) -> list[Run]:
    """One 2-2-1 sigmoid net per seed; weights from U(-0.3, 0.3)."""
    x, d = xor_patterns()
    return _batched.train(x, d, 2, seeds, lr, momentum, max_sweeps, 0.3, "xor", show_progress)


def train_encoder(
    seeds: Sequence[int],
    max_sweeps: int = 5000,
    lr: float = 0.25,
    momentum: float = 0.9,
    hidden: int = 3,
    show_progress: bool = False,
) -> list[Run]:
    """One 8-3-8 sigmoid net per seed; weights from U(-0.3, 0.3). eta 0.25 (PDP: "usually <= 0.25"); with
    0.5 and momentum 0.9 most seeds stall."""
    x, d = encoder_patterns()
    return _batched.train(x, d, hidden, seeds, lr, momentum, max_sweeps, 0.3, "encoder", show_progress)


def hidden_codes(run: Run) -> np.ndarray:
    """The encoder's hidden activities (8, 3) for the 8 patterns, rounded to 0.5 steps (PDP Table 5)."""
    h, _ = _batched.forward(run.weights, encoder_patterns()[0])
    return np.round(h * 2) / 2


def distinct_codes(run: Run) -> int:
    """How many distinct rounded hidden codes the 8 patterns get (8 = every pattern has its own)."""
    return len({tuple(row) for row in hidden_codes(run)})
