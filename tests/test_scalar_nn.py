"""autobp.scalar_nn against micrograd's own nn: the same weights from the same seed, the same printed
forms, and micrograd's moons demo giving the same first loss bit for bit, and the same gradients and
later losses up to the order in which a weight's contributions are summed (micrograd sums them in its
depth-first order, autobp in reverse creation order)."""

from __future__ import annotations

import random

import pytest

from autobp import Value
from autobp.scalar_nn import MLP, Layer, Neuron


def _demo_data():
    # micrograd's demo: make_moons(n_samples=100, noise=0.1), labels mapped to -1, 1
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.make_moons(n_samples=40, noise=0.1, random_state=0)
    return X.tolist(), (y * 2 - 1).tolist()


def _losses(model, value_cls, X, y, steps):
    """micrograd's demo loop: SVM max-margin loss + 1e-4 L2, SGD with a decaying rate."""
    out = []
    for k in range(steps):
        scores = [model([value_cls(v) for v in row]) for row in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        grads = [p.grad for p in model.parameters()]
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        out.append((total.data, grads))
    return out


def test_the_moons_demo_matches_micrograd():
    micro_nn = pytest.importorskip("micrograd.nn")
    from micrograd.engine import Value as MicroValue

    X, y = _demo_data()
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = micro_nn.MLP(2, [16, 16, 1])
    assert len(ours.parameters()) == len(theirs.parameters()) == 337
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert repr(ours) == repr(theirs)
    a, b = _losses(ours, Value, X, y, 3), _losses(theirs, MicroValue, X, y, 3)
    assert a[0][0] == b[0][0]  # the forward pass: the same ops in the same order
    for (loss_a, grads_a), (loss_b, grads_b) in zip(a, b):
        assert loss_a == pytest.approx(loss_b, rel=1e-12)
        assert grads_a == pytest.approx(grads_b, rel=1e-9, abs=1e-14)


def test_shapes_and_nonlinearity():
    random.seed(0)
    layer = Layer(3, 2, nonlin=False)
    out = layer([1.0, -2.0, 0.5])
    assert isinstance(out, list) and len(out) == 2
    n = layer.neurons[0]
    assert out[0].data == pytest.approx(n.b.data + n.w[0].data - 2 * n.w[1].data + 0.5 * n.w[2].data)
    relu = Neuron(2)
    relu.w[0].data, relu.w[1].data = -1.0, 0.5
    assert relu([1.0, 1.0]).data == 0.0  # relu(-0.5)
    assert Neuron(2, nonlin=False)([0.0, 0.0]).data == 0.0
    assert isinstance(MLP(3, [4, 1])([1.0, 2.0, 3.0]), Value)


def test_zero_grad_and_bad_input():
    random.seed(1)
    net = MLP(2, [3, 1])
    net([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        net([1.0, 2.0, 3.0])
