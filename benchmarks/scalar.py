"""Scalar workloads: micrograd's two-moons training step, and a 10^6-op chain.

The step is micrograd's own demo (MLP 2-16-16-1, ReLU hidden, linear output,
max-margin loss + 1e-4 L2, forward + backward + SGD) run with micrograd's
Value and with autobp's Value, from the same initial weights. The chain shows
that backward needs no recursion (micrograd's recursive sort fails early).
"""

from __future__ import annotations

import random
import time

import numpy as np

from autobp import Value

from ._harness import Row, Workload


def moons(n: int = 100):
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.1, random_state=1)
    return X.tolist(), (y * 2 - 1).tolist()


def make_mlp(value_cls, sizes=(2, 16, 16, 1), seed: int = 1337):
    """Weights as micrograd's nn.MLP draws them: U(-1, 1), zero bias."""
    rng = random.Random(seed)
    layers = []
    for i, (nin, nout) in enumerate(zip(sizes[:-1], sizes[1:])):
        relu = i != len(sizes) - 2
        neurons = [([value_cls(rng.uniform(-1, 1)) for _ in range(nin)], value_cls(0.0)) for _ in range(nout)]
        layers.append((neurons, relu))
    return layers


def mlp_forward(layers, x):
    for neurons, relu in layers:
        out = []
        for w, b in neurons:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            out.append(act.relu() if relu else act)
        x = out
    return x[0]


def parameters(layers):
    return [p for neurons, _ in layers for w, b in neurons for p in (*w, b)]


def moons_step(value_cls, layers, X, y, lr=0.05):
    """One full-batch step of micrograd's demo; returns the loss."""
    params = parameters(layers)
    inputs = [[value_cls(v) for v in row] for row in X]
    scores = [mlp_forward(layers, row) for row in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in params)
    total = data_loss + reg_loss
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data


def chain(value_cls, ops: int = 10**6):
    """Backward through ``ops`` ops (ops/2 multiply-adds); returns (forward s, backward s, x.grad)."""
    x = value_cls(0.5)
    v = x
    t0 = time.perf_counter()
    for _ in range(ops // 2):
        v = v * 0.9999999 + 1e-9
    t1 = time.perf_counter()
    v.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, x.grad


class MoonsRunner:
    """One implementation of the moons step: a Value class and a net drawn from the shared seed."""

    def __init__(self, pb: tuple, value_cls: type) -> None:
        self.X, self.y, self.cls = pb[0], pb[1], value_cls
        self.layers = make_mlp(value_cls)

    def params(self) -> list[np.ndarray]:
        return [np.array([p.data for p in parameters(self.layers)])]

    def step(self) -> float:
        return moons_step(self.cls, self.layers, self.X, self.y)


def _autobp(pb: tuple) -> MoonsRunner:
    return MoonsRunner(pb, Value)


def _micrograd(pb: tuple) -> MoonsRunner:
    from micrograd.engine import Value as MicroValue

    return MoonsRunner(pb, MicroValue)


def run_chain(repeats: int = 1, n: int = 10**6, micrograd_n: int = 10**4) -> list[Row]:
    """The 10^6-op chain once with autobp.Value (its gradient checked), and micrograd's failure mode."""
    fwd, bwd, grad = chain(Value, n)
    expected = 0.9999999 ** (n // 2)
    if abs(grad - expected) > 1e-9 * abs(expected):
        raise AssertionError(f"chain: x.grad = {grad!r}, expected 0.9999999**{n // 2} = {expected!r}")
    note = f"{n:.0e} ops: forward {fwd:.2f} s + backward {bwd:.2f} s; x.grad correct"
    rows = [Row("chain", "build+backward", "autobp", fwd + bwd, unit="s", note=note)]
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        return rows + [Row("chain", "build+backward", "micrograd", note="not installed")]
    try:
        f2, b2, _ = chain(MicroValue, micrograd_n)
        rows.append(Row("chain", "build+backward", "micrograd", f2 + b2, unit="s", note=f"{micrograd_n} ops"))
    except RecursionError:
        rows.append(Row("chain", "build+backward", "micrograd", note=f"RecursionError at {micrograd_n} ops"))
    return rows


SCALAR = Workload(
    "scalar",
    "micrograd's two-moons demo step (MLP 2-16-16-1 on 100 points) with scalar Value graphs",
    moons,
    lambda: moons(8),
    {"autobp": _autobp, "micrograd": _micrograd},
    base="micrograd",
    rtol=1e-12,
    min_sample_s=0.0,
    max_repeats=5,
    collect=True,
)
CHAIN = Workload(
    "chain",
    "build and backward a chain of 10^6 scalar Value ops (x = x * 0.9999999 + 1e-9, 5e5 times)",
    moons,
    moons,
    {},
    unit="s",
    custom=run_chain,
)
