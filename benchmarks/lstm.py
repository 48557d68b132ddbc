"""``lstm``: one SGD step of an LSTM language-model layer, hidden 128, sequence 32, batch 32, float32:
LSTM(64 -> 128) over one-hot-like inputs, a linear read-out to 64 classes at every step, softmax CE."""

from __future__ import annotations

import numpy as np

from ._harness import Workload
from ._layers import IMPLS, problem_from_torch


def _build(nn, n_in=64, hidden=128):
    """LSTM then a linear read-out of every step (the class is made per nn namespace)."""

    class LstmModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(n_in, hidden)
            self.head = nn.Linear(hidden, n_in)

        def forward(self, x):
            return self.head(self.lstm(x)[0])

    return LstmModel()


def lstm_problem(seq: int = 32, batch: int = 32, n_in: int = 64, hidden: int = 128, dtype: type = np.float32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((seq, batch, n_in)).astype(dtype)
    y = rng.integers(0, n_in, (seq, batch))
    return problem_from_torch(lambda nn: _build(nn, n_in, hidden), x, y, "cross_entropy", lr=0.1)


LSTM = Workload(
    "lstm",
    "LSTM(64 -> 128) over 32 steps, batch 32, linear read-out to 64 classes, softmax CE, float32: "
    "one SGD step",
    lstm_problem,
    lambda: lstm_problem(seq=4, batch=3, n_in=5, hidden=6, dtype=np.float64),
    IMPLS,
    base="torch",
    rtol=1e-5,
    min_sample_s=0.05,
)
