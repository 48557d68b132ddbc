"""Scalar workloads: micrograd's two-moons training step, and a 10^6-op chain.

The step is micrograd's own demo (MLP 2-16-16-1, ReLU hidden, linear output,
max-margin loss + 1e-4 L2, forward + backward + SGD) run with micrograd's
Value and with autobp's Value, from the same initial weights.
"""

from __future__ import annotations

import random
import sys
import time

from autobp import Value

from ._timing import interleave, report


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


def chain(value_cls, n: int = 10**6):
    """Backward through ``n`` multiply-adds; returns (forward s, backward s)."""
    x = value_cls(0.5)
    v = x
    t0 = time.perf_counter()
    for _ in range(n):
        v = v * 0.9999999 + 1e-9
    t1 = time.perf_counter()
    v.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, x.grad


def run(repeats: int = 7) -> dict:
    X, y = moons()
    impls = {"autobp": Value}
    try:
        from micrograd.engine import Value as MicroValue

        impls["micrograd"] = MicroValue
    except ImportError:
        print("micrograd not installed (pip install 'autobp[bench]'): skipped", file=sys.stderr)
    nets = {name: make_mlp(cls) for name, cls in impls.items()}
    losses = {name: moons_step(cls, nets[name], X, y) for name, cls in impls.items()}
    if len(set(round(v, 12) for v in losses.values())) != 1:
        raise AssertionError(f"implementations disagree on the loss: {losses}")
    times = interleave(
        {name: (lambda c=cls, n=nets[name]: moons_step(c, n, X, y)) for name, cls in impls.items()},
        repeats=repeats,
    )
    results = {"scalar": report("scalar (moons step)", times, base="autobp")}
    fwd, bwd, grad = chain(Value)
    print(f"chain 10^6 ops with autobp.Value: forward {fwd:.2f} s, backward {bwd:.2f} s")
    results["chain"] = {"autobp": {"forward_s": fwd, "backward_s": bwd, "grad": grad}}
    if "micrograd" in impls:
        try:
            chain(impls["micrograd"], 10**6)
            results["chain"]["micrograd"] = "completed"
        except RecursionError:
            print("chain 10^6 ops with micrograd: RecursionError")
            results["chain"]["micrograd"] = "RecursionError"
    return results
