"""``conv``: one SGD step of a LeNet-style convnet on 8x8 digit-sized images, float32, batch 64:
conv 3x3 (1->16) - ReLU - maxpool 2 - conv 3x3 (16->32) - ReLU - maxpool 2 - linear 128->64 - ReLU -
linear 64->10, softmax cross-entropy."""

from __future__ import annotations

import numpy as np

from ._harness import Workload
from ._layers import IMPLS, problem_from_torch


def _build(nn, channels=(16, 32), hidden=64):
    a, b = channels
    return nn.Sequential(
        nn.Conv2d(1, a, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(a, b, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(b * 4, hidden),
        nn.ReLU(),
        nn.Linear(hidden, 10),
    )


def conv_problem(batch: int = 64, channels=(16, 32), hidden: int = 64, dtype: type = np.float32):
    rng = np.random.default_rng(0)
    x = rng.random((batch, 1, 8, 8)).astype(dtype)
    y = rng.integers(0, 10, batch)
    return problem_from_torch(lambda nn: _build(nn, channels, hidden), x, y, "cross_entropy", lr=0.05)


CONV = Workload(
    "conv",
    "LeNet-style convnet on 8x8 images (conv3x3 16, pool, conv3x3 32, pool, 128-64-10), "
    "softmax CE, batch 64, float32: one SGD step",
    conv_problem,
    lambda: conv_problem(batch=4, channels=(2, 3), hidden=5, dtype=np.float64),
    IMPLS,
    base="torch",
    rtol=1e-5,
    min_sample_s=0.05,
)
