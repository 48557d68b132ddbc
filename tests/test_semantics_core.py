"""Regression tests for the points where the first ops met 0 * inf, overflow, or ran too much of
the graph: pow at base 0 (PyTorch's values), minimum computed directly, and ``autobp.grad`` /
``backward(inputs=...)`` running only the rules between the outputs and the inputs."""

import sys

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch") if "CI" not in __import__("os").environ else __import__("torch")

# (base, exponent): every corner where x ** y meets 0 * inf or log(0)
CORNERS = [
    (0.0, 0.0),
    (0.0, 0.5),
    (0.0, 2.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (0.0, -0.5),
    (2.0, 0.0),
    (-1.0, 2.0),
    (-2.0, 3.0),
    (3.0, -2.0),
    (0.5, 0.5),
]


def _torch_grads(fn, *vals):
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
    fn(*ts).sum().backward()
    return [t.grad.numpy() for t in ts]


def _ours(fn, *vals):
    ts = [Tensor(np.array(v), requires_grad=True) for v in vals]
    with np.errstate(all="ignore"):
        fn(*ts).sum().backward()
    return [t.grad for t in ts]


def test_pow_tensor_exponent_matches_pytorch_at_every_corner():
    x, y = (np.array(v) for v in zip(*CORNERS))
    ours = _ours(lambda a, b: a**b, x, y)
    theirs = _torch_grads(lambda a, b: a**b, x, y)
    for k in range(2):
        np.testing.assert_array_equal(ours[k], theirs[k], err_msg=f"d/d{'xy'[k]}")
    # the cases the issue names, by value: no NaN where the true gradient is 0
    assert ours[0][0] == 0.0  # d/dx of x ** y at x = 0, y = 0
    assert ours[1][1] == 0.0 and ours[1][2] == 0.0  # d/dy at x = 0, y > 0


@pytest.mark.parametrize("p", [0.0, 0, 1.0, 2, 3.0, 0.5, -1.0])
def test_pow_constant_exponent_at_zero_matches_pytorch(p):
    x = np.array([0.0, 1.5, -2.0])
    (ours,) = _ours(lambda a: a**p, x)
    (theirs,) = _torch_grads(lambda a: a**p, x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)  # inf and NaN where PyTorch has them
    if p == 0:
        assert np.all(ours == 0.0)  # x ** 0.0 at 0: 0, not NaN


def test_zero_base_with_tensor_exponent_matches_pytorch():
    """0 ** x: constant 0 for x > 0; at x = 0 it jumps from 1 to 0 and PyTorch says 0."""
    x = np.array([0.0, 0.5, 2.0, -1.0])
    (ours,) = _ours(lambda e: 0.0**e, x)
    (theirs,) = _torch_grads(lambda e: 0.0**e, x)
    np.testing.assert_array_equal(ours, theirs)
    assert np.all(ours[:3] == 0.0)


def test_a_summed_loss_over_a_zero_base_is_finite():
    x = Tensor([0.0, 1.0, 2.0], requires_grad=True)
    (x**0.0 + x**2).sum().backward()
    assert np.all(np.isfinite(x.grad)), x.grad


def test_pow_second_derivative_away_from_zero_is_unchanged():
    x = Tensor(np.array([0.7, 1.3]), requires_grad=True)
    y = Tensor(np.array([0.0, 2.5]), requires_grad=True)
    assert autobp.gradgradcheck(lambda a, b: a**b, [x, y])


def test_minimum_on_integers_does_not_overflow_and_works_on_bool():
    x = Tensor(np.array([5, -7, 0], dtype=np.int32), dtype=np.int32)
    out = autobp.minimum(x, -(2**31))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out.data, np.minimum(x.data, np.int32(-(2**31))))
    b = autobp.minimum(
        Tensor(np.array([True, False]), dtype=bool), Tensor(np.array([True, True]), dtype=bool)
    )
    assert b.dtype == bool and b.tolist() == [True, False]


def test_minimum_ties_split_the_gradient_like_pytorch():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0, 0.0])
    ours = _ours(autobp.minimum, a, b)
    theirs = _torch_grads(torch.minimum, a, b)
    for k in range(2):
        np.testing.assert_array_equal(ours[k], theirs[k])


class Counting(autobp.Function):
    calls = 0

    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, g):
        Counting.calls += 1
        return g * 2.0


def test_grad_with_respect_to_an_intermediate_runs_no_rule_upstream_of_it():
    x = Tensor(np.ones(3), requires_grad=True)
    h = Counting.apply(x)
    y = h.exp()
    z = (y * y).sum()
    Counting.calls = 0
    (gy,) = autobp.grad(z, y, retain_graph=True)
    np.testing.assert_allclose(gy.data, 2 * y.data)
    assert Counting.calls == 0  # the history of y is not visited
    (gx,) = autobp.grad(z, x)
    assert Counting.calls == 1
    np.testing.assert_allclose(gx.data, 2 * y.data * y.data * 2.0)


def test_backward_with_inputs_fills_only_those_and_runs_only_between():
    x = Tensor(np.ones(3), requires_grad=True)
    w = Tensor(np.full(3, 2.0), requires_grad=True)
    h = Counting.apply(x)
    loss = (h * w).sum()
    Counting.calls = 0
    loss.backward(inputs=[w])
    assert Counting.calls == 0 and x.grad is None
    np.testing.assert_array_equal(w.grad, h.data)


class FixedPoint(autobp.Function):
    """z = tanh(0.5 z + x), solved by iteration; the backward solves the adjoint equation
    v = g + v dstep/dz with ``autobp.grad`` of one step (an implicit-function gradient)."""

    @staticmethod
    def forward(ctx, x):
        z = np.zeros_like(x)
        for _ in range(60):
            z = np.tanh(0.5 * z + x)
        ctx.save_for_backward(x, z)
        return z

    @staticmethod
    def backward(ctx, g):
        x, z = ctx.saved_tensors  # under create_graph: the graph's own nodes
        zt = Tensor(z.data, requires_grad=True)
        step = (0.5 * zt + x).tanh()  # depends on x, whose history holds the earlier layers
        v = g
        for _ in range(30):
            (vj,) = autobp.grad(step, zt, grad_outputs=v, retain_graph=True, create_graph=True)
            v = g + vj
        (gx,) = autobp.grad(step, x, grad_outputs=v, create_graph=True)
        return gx


def test_stacked_implicit_layers_do_not_recurse_through_each_other():
    """Each layer's backward differentiates one step w.r.t. a detached z; without pruning, that pass
    also ran the rules of the step's other input's history, re-entering every earlier layer's
    backward: recursion past Python's limit. The result matches the closed form."""
    depth = sys.getrecursionlimit() // 10
    x0 = Tensor(np.array([0.3, -0.2]), requires_grad=True)
    h = x0
    for _ in range(depth):
        h = FixedPoint.apply(h) * 0.5
    (gx,) = autobp.grad(h.sum(), x0, create_graph=True)
    # closed form: dz/dx = s / (1 - 0.5 s), s = 1 - z^2, chained through every layer
    expected, x = np.ones(2), x0.data.copy()
    for _ in range(depth):
        z = np.zeros(2)
        for _ in range(60):
            z = np.tanh(0.5 * z + x)
        s = 1 - z * z
        expected = expected * 0.5 * s / (1 - 0.5 * s)
        x = 0.5 * z
    np.testing.assert_allclose(gx.data, expected, rtol=1e-6)
