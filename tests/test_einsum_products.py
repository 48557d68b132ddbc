"""Gradients of matrix and matrix-vector products written with dot, tensordot, inner or einsum are
computed as one BLAS product (np.dot's summation order): the same bits as matmul's gradient and as
np.dot of the same arrays, within the summation error bound of the exact sums, and torch's values."""

from fractions import Fraction

import numpy as np
import pytest

import autobp
from autobp import Tensor

SHAPES = [  # a's shape, b's shape for dot(a, b); k = 2 (an FMA's reach) and 150 (long sums)
    ((2,), (2, 150)),
    ((150,), (150, 2)),
    ((3, 150), (150, 4)),
    ((4, 2), (2, 3)),
    ((3, 150), (150,)),
    ((150,), (150,)),
]


def _grads(fn, a, b, g, create_graph=False):
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = fn(ta, tb)
    ga, gb = autobp.grad(out, [ta, tb], grad_outputs=Tensor(g), create_graph=create_graph)
    return ga.data, gb.data


@pytest.mark.parametrize("sa,sb", SHAPES, ids=[f"{a}x{b}" for a, b in SHAPES])
def test_dot_gradient_is_matmuls_bit_for_bit(sa, sb):
    """dot(a, b) and a @ b of 1-D and 2-D operands are one product: their gradients are equal to the
    last bit (dot's used to be summed by einsum's loop, which rounds differently from BLAS)."""
    rng = np.random.default_rng(len(sa) * 7 + sb[0])
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    g = rng.standard_normal(np.dot(a, b).shape)
    for ours, theirs in zip(_grads(autobp.dot, a, b, g), _grads(lambda x, y: x @ y, a, b, g)):
        assert np.array_equal(ours, theirs)


def test_dot_gradient_sums_as_numpys_dot():
    """A layer's input gradient g @ W.T is np.dot(g, W.T) to the bit, for the short (2 terms) and the
    long (150 terms) sums of a 2-150-2 network; the weight gradient is the exact outer product."""
    rng = np.random.default_rng(0)
    for k, m in ((2, 150), (150, 2)):
        y, W, g = rng.standard_normal(k), rng.standard_normal((k, m)), rng.standard_normal(m)
        gy, gW = _grads(autobp.dot, y, W, g)
        assert np.array_equal(gy, np.dot(g, W.T))
        assert np.array_equal(gW, y[:, None] * g[None, :])


def test_two_layer_relu_net_backward_is_numpy_backprop_bit_for_bit():
    """The vector-Jacobian product of relu(y W0 + b0) W1 + b1 (a neural ODE's vector field, whose
    adjoint an adaptive solver integrates: its step choices see the last bits) equals backprop written
    with numpy's dot, bit for bit."""
    rng = np.random.default_rng(1)
    y, W0, b0 = rng.standard_normal(2), rng.standard_normal((2, 150)) * 0.1, rng.standard_normal(150) * 0.1
    W1, b1, c = rng.standard_normal((150, 2)) * 0.1, rng.standard_normal(2) * 0.1, rng.standard_normal(2)
    ts = [Tensor(v, requires_grad=True) for v in (y, W0, b0, W1, b1)]
    h = autobp.maximum(0, autobp.dot(ts[0], ts[1]) + ts[2])
    out = autobp.dot(h, ts[3]) + ts[4]
    ours = autobp.grad(out, ts, grad_outputs=Tensor(c))
    z = np.dot(y, W0) + b0
    gz = np.dot(c, W1.T) * (z > 0)
    expected = (np.dot(gz, W0.T), np.outer(y, gz), gz, np.outer(np.maximum(0, z), c), c)
    for o, e in zip(ours, expected):
        assert np.array_equal(o.data, e)


@pytest.mark.parametrize("sa,sb", SHAPES[:4], ids=[f"{a}x{b}" for a, b in SHAPES[:4]])
def test_recorded_first_derivative_is_the_plain_one(sa, sb):
    """create_graph=True records the same products (autobp.tensordot, numpy's own tensordot inside),
    so the first derivative has the plain backward's bits."""
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    g = rng.standard_normal(np.dot(a, b).shape)
    for rec, plain in zip(_grads(autobp.dot, a, b, g, True), _grads(autobp.dot, a, b, g)):
        assert np.array_equal(rec, plain)


def test_product_gradient_within_the_summation_error_bound():
    """Each entry of g @ W.T differs from the exact (rational) sum by at most gamma_k sum|g_j W_ij|,
    the classic bound for any summation order, gamma_k = k u / (1 - k u)."""
    rng = np.random.default_rng(2)
    for k in (2, 3, 150, 600):
        y, W, g = rng.standard_normal(k), rng.standard_normal((k, 3)), rng.standard_normal(3)
        gy, _ = _grads(autobp.dot, y, W, g)
        u = np.finfo(float).eps / 2
        exact = np.array([float(sum(Fraction(p) * Fraction(q) for p, q in zip(W[i], g))) for i in range(k)])
        bound = (3 * u / (1 - 3 * u)) * (np.abs(W) @ np.abs(g))
        assert np.all(np.abs(gy - exact) <= bound)


TRANSPOSED = [  # two-operand products whose gradients come out in other index orders
    ("ij,jk->ki", [(2, 3), (3, 4)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("ji,j->i", [(3, 2), (3,)]),
    ("i,ij->j", [(3,), (3, 4)]),
    ("ij,jk->", [(2, 3), (3, 4)]),
    ("ij,ij->", [(2, 3), (2, 3)]),
    ("ij,j->ij", [(2, 3), (3,)]),
]


@pytest.mark.parametrize("spec,shapes", TRANSPOSED, ids=[p[0] for p in TRANSPOSED])
def test_product_patterns_match_torch(spec, shapes):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(spec))
    arrays = [rng.standard_normal(s) for s in shapes]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = autobp.einsum(spec, *xs), torch.einsum(spec, *ts)
    g = rng.standard_normal(tout.shape)
    ours = autobp.grad(out, xs, grad_outputs=Tensor(g))
    theirs = torch.autograd.grad(tout, ts, grad_outputs=torch.tensor(g))
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-12, atol=1e-14)
    assert autobp.gradgradcheck(lambda *v: autobp.einsum(spec, *v) ** 2, xs)
