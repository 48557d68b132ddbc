"""Trace and replay gives the eager gradients bit for bit, and refuses what it cannot replay."""

import itertools

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.replay import ReplayError, trace

rng = np.random.default_rng(0)


def leaves(*shapes):
    return [Tensor(rng.uniform(-0.5, 0.5, s), requires_grad=True) for s in shapes]


def symmetry_setup():
    X = Tensor(np.array(list(itertools.product([0, 1], repeat=6)), dtype=float))
    d = Tensor((X.data == X.data[:, ::-1]).all(1).astype(float)[:, None])
    W1, b1, W2, b2 = leaves((6, 2), (2,), (2, 1), (1,))

    def loss():
        h = (X @ W1 + b1).sigmoid()
        y = (h @ W2 + b2).sigmoid()
        return 0.5 * ((y - d) ** 2).sum()

    return loss, [W1, b1, W2, b2], X


def mlp_setup():
    X = Tensor(rng.standard_normal((8, 5)).astype(np.float32))
    target = rng.integers(0, 3, 8)
    W1 = Tensor(rng.standard_normal((5, 4)).astype(np.float32), requires_grad=True)
    W2 = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros(4, np.float32), requires_grad=True)

    def loss():
        h = (X @ W1 + b).relu()
        z = h @ W2
        unfused = -z.log_softmax(axis=1)[np.arange(8), target].mean()
        return unfused + autobp.nn.functional.cross_entropy(z, target, reduction="sum")

    return loss, [W1, W2, b], X


def every_op_setup():
    a, b, c = leaves((3, 4), (4,), (3, 1))
    mask = rng.random((3, 4)) > 0.5

    def loss():
        x = (a * b + c - a / (b * b + 1) + (-a) ** 2 + (c.exp() + 1).log() ** 0.5).tanh()
        x = (x.tanh() + x.relu() + x.abs() + x.clip(-0.5, 0.5) + (x * x + 1).sqrt()).tanh()
        x = (autobp.maximum(x, c) + autobp.where(mask, x, 0.0) + x.softmax(0) + x.log_softmax(1)).tanh()
        x = (x + x.max(axis=1, keepdims=True) + x.min(0) + x.logsumexp(axis=1, keepdims=True)).tanh()
        x = autobp.concatenate([x, x.T.reshape(3, 4)], axis=1)[:, ::2] + autobp.stack([x, x]).mean(0)
        x = x.broadcast_to((2, 3, 4)).sum(0) + x[np.array([0, 0, 2])] + (x @ x.T).sum() * 0.01
        x = x + 0.1 * autobp.ops.linear(x, a, b[:3]).sum(axis=1, keepdims=True)
        return (x**2).mean() + x.astype(np.float32).astype(np.float64).sum() + ((b * b + 1) ** c).sum()

    return loss, [a, b, c], None


@pytest.mark.parametrize("setup", [symmetry_setup, mlp_setup, every_op_setup])
def test_replayed_steps_equal_eager_steps_bit_for_bit(setup):
    loss_fn, params, _ = setup()
    step = trace(loss_fn)
    for _ in range(3):
        for p in params:
            p.grad = None
        eager = loss_fn()
        eager.backward()
        expected = [p.grad.copy() for p in params]
        for p in params:
            p.grad = None
        got = step()
        assert got.item() == eager.item()
        for p, e in zip(params, expected):
            assert p.grad.dtype == p.dtype
            np.testing.assert_array_equal(p.grad, e)
        with autobp.no_grad():  # an update between steps is seen by the replay
            for p in params:
                p.data -= 0.1 * p.grad


def test_new_input_values_are_read_on_every_call():
    loss_fn, params, X = symmetry_setup()
    step = trace(loss_fn)
    first = step().item()
    X.data[:32] = 0.0  # a new batch, written in place
    second = step().item()
    assert second != first and second == loss_fn().item()


def test_replay_accumulates_into_grad_like_backward():
    loss_fn, params, _ = symmetry_setup()
    step = trace(loss_fn)
    step()
    once = params[0].grad.copy()
    step()
    np.testing.assert_array_equal(params[0].grad, 2 * once)


def test_reused_buffers_never_leak_into_results():
    # the seed goes straight to both leaves, and the loss is a buffer the next run overwrites
    x, y = leaves((1,), (1,))
    step = trace(lambda: x * 3.0 + y)
    first = step()
    x.data[...] = 10.0
    second = step()
    assert first.item() != second.item() == 30.0 + y.item()
    np.testing.assert_array_equal(x.grad, [6.0])
    np.testing.assert_array_equal(y.grad, [2.0])  # the seed, copied: 1 + 1, not the seed doubled in place
    y.grad += 5.0
    step()
    np.testing.assert_array_equal(y.grad, [8.0])


def test_errors():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ReplayError, match=r"one-element.*\(3,\)"):
        trace(lambda: x * 2)()
    holder = Tensor(np.ones(3))
    step = trace(lambda: (x * holder).sum())
    step()
    holder.data = np.ones(3)
    step()
    holder._data = np.ones(4)
    with pytest.raises(ReplayError, match=r"\(3,\) to \(4,\)"):
        step()

    class Twice(autobp.Function):
        @staticmethod
        def forward(ctx, a):
            return 2 * a

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    with pytest.raises(ReplayError, match="'function'"):
        trace(lambda: Twice.apply(x).sum())()
