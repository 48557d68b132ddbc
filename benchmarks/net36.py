"""``net36``: the 36-12-12-24 sigmoid net (the family-trees inputs, person and relation one-hot, as
one 36-unit layer; two hidden layers of 12; 24 outputs), 104 cases, float64, one sweep with momentum.
The same step as ``symmetry`` and ``family`` (benchmarks/sigmoid_nets.py) on other shapes."""

from __future__ import annotations

import numpy as np

from ._harness import Workload
from .sigmoid_nets import IMPLS, NetProblem, _layer


def net36_problem(cases: int = 104) -> NetProblem:
    """Random one-hot (person, relation) inputs joined into 36 units, binary 24-unit targets (seeded:
    the cost depends only on the shapes)."""
    rng = np.random.default_rng(1986)
    x = np.concatenate(
        [np.eye(24)[rng.integers(0, 24, cases)], np.eye(12)[rng.integers(0, 12, cases)]], axis=1
    )
    target = (rng.random((cases, 24)) < 0.08).astype(np.float64)
    rest = [_layer(rng, 12, 12), _layer(rng, 12, 24)]
    return NetProblem([x], target, [_layer(rng, 36, 12)], rest, lr=0.005, momentum=0.5)


# the rows the bars are about (torch.compile and tinygrad, slow to set up, run on symmetry and family)
_ROWS = ("numpy", "numpy.simple", "autobp", "autobp.trace", "autobp.compile", "torch", "torch.foreach")

NET36 = Workload(
    "net36",
    "36-12-12-24 sigmoid, 104 cases, float64: one sweep with momentum",
    net36_problem,
    lambda: net36_problem(cases=10),
    {name: IMPLS[name] for name in _ROWS},
    unit="us",
    repeat_factor=3,
)
