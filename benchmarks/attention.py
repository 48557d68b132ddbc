"""``attention``: one SGD step of a TransformerEncoderLayer (d_model 64, 4 heads, feed-forward 256,
no dropout, batch_first), sequence 64, batch 16, float32, mean squared error to a fixed target."""

from __future__ import annotations

import numpy as np

from ._harness import Workload
from ._layers import IMPLS, problem_from_torch


def _build(nn, d=64, heads=4, ff=256):
    return nn.TransformerEncoderLayer(d, heads, dim_feedforward=ff, dropout=0.0, batch_first=True)


def attention_problem(seq=64, batch=16, d=64, heads=4, ff=256, dtype: type = np.float32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, seq, d)).astype(dtype)
    y = rng.standard_normal((batch, seq, d)).astype(dtype)
    return problem_from_torch(lambda nn: _build(nn, d, heads, ff), x, y, "mse_loss", lr=0.01)


ATTENTION = Workload(
    "attention",
    "TransformerEncoderLayer(d_model 64, 4 heads, ff 256, batch_first), sequence 64, batch 16, MSE, "
    "float32: one SGD step",
    attention_problem,
    lambda: attention_problem(seq=5, batch=2, d=8, heads=2, ff=6, dtype=np.float64),
    IMPLS,
    base="torch",
    rtol=1e-5,
    min_sample_s=0.05,
)
