"""Every transform nested in every other: outer(inner(f)) for outer and inner among grad, jacobian
(batched, row by row, forward-mode), hessian, jvp, vjp, hvp, per-example gradients, on two smooth
functions; each result checked against central differences of the inner transform's values and
against the same composition in torch.func."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, func, functional, gradcheck
from autobp._numeric import numerical_gradients

N = 2  # input size
RNG = np.random.default_rng(7)
A = RNG.standard_normal((2, N))  # family "tanh"'s matrix
X = RNG.standard_normal((4, N))  # the per-example data (4 examples)
T = RNG.standard_normal(N)  # a tangent of the inputs
X0 = np.array([0.3, -0.7])


class Family:
    """A smooth vector function, a scalar function and per-example losses, in autobp and in torch
    (``m`` is autobp or torch; the same expressions)."""

    def __init__(self, name, vec):
        self.name, self._vec = name, vec

    def vec(self, x, m=autobp):
        return self._vec(x, m)

    def scalar(self, x, m=autobp):
        v = self._vec(x, m)
        return (v * v).sum() * 0.5 + m.sin(v).sum()

    @staticmethod
    def losses(w, m=autobp):
        z = X @ w if m is autobp else _t(X) @ w
        return m.sin(z) * z + 0.1 * z**3

    @staticmethod
    def loss1(w, xi, m=autobp):
        z = (xi * w).sum()
        return m.sin(z) * z + 0.1 * z**3


def _t(a):
    torch = pytest.importorskip("torch")
    return torch.as_tensor(np.asarray(a), dtype=torch.float64)


FAMILIES = [
    # HIPS autograd's test_jacobian_higher_order function: a matrix output
    Family("outer", lambda x, m: m.sin(m.outer(x, x)) + m.cos(m.dot(x, x))),
    Family("tanh", lambda x, m: m.tanh((A if m is autobp else _t(A)) @ x) * m.exp(0.3 * x).sum()),
]


# inner transforms: name -> (autobp(fam, x), torch(fam, x)); x is whatever the outer hands in
def _inner_hvp_torch(fam, x):
    tf = pytest.importorskip("torch").func
    return tf.jvp(tf.grad(lambda z: fam.scalar(z, _torch())), (x,), (_t(T),))[1]


def _torch():
    return pytest.importorskip("torch")


INNER = {
    "grad": (
        lambda f, x: func.grad(f.scalar)(x),
        lambda f, x: _torch().func.grad(lambda z: f.scalar(z, _torch()))(x),
    ),
    "jacobian": (
        lambda f, x: functional.jacobian(f.vec, x),
        lambda f, x: _torch().func.jacrev(lambda z: f.vec(z, _torch()))(x),
    ),
    "jacobian_rows": (
        lambda f, x: functional.jacobian(f.vec, x, vectorize=False),
        lambda f, x: _torch().func.jacrev(lambda z: f.vec(z, _torch()))(x),
    ),
    "jacfwd": (
        lambda f, x: func.jacfwd(f.vec)(x),
        lambda f, x: _torch().func.jacfwd(lambda z: f.vec(z, _torch()))(x),
    ),
    "hessian": (
        lambda f, x: functional.hessian(f.scalar, x),
        lambda f, x: _torch().func.hessian(lambda z: f.scalar(z, _torch()))(x),
    ),
    "jvp": (
        lambda f, x: functional.jvp(f.vec, x, T)[1],
        lambda f, x: _torch().func.jvp(lambda z: f.vec(z, _torch()), (x,), (_t(T),))[1],
    ),
    "vjp": (
        lambda f, x: functional.vjp(f.vec, x)[1](np.ones(f.vec(X0).shape))[0],
        lambda f, x: _torch().func.vjp(lambda z: f.vec(z, _torch()), x)[1](_t(np.ones(f.vec(X0).shape)))[0],
    ),
    "hvp": (lambda f, x: functional.hvp(f.scalar, x, T)[1], _inner_hvp_torch),
    "per_example_grad": (
        lambda f, x: func.per_example_grad(f.losses)(x),
        lambda f, x: _torch().func.jacrev(lambda w: f.losses(w, _torch()))(x),
    ),
    "vmap_grad": (
        lambda f, x: func.vmap(func.grad(f.loss1), in_axes=(None, 0))(x, X),
        lambda f, x: _torch().func.vmap(
            _torch().func.grad(lambda w, xi: f.loss1(w, xi, _torch())), in_dims=(None, 0)
        )(x, _t(X)),
    ),
}


def _np(r):
    return np.asarray(r.data if isinstance(r, Tensor) else r.detach().numpy() if hasattr(r, "detach") else r)


def _weights(inner, fam):
    """A fixed random weight W of the inner result's shape (to make it a scalar: sum(W * inner))."""
    shape = _np(INNER[inner][0](fam, X0)).shape
    return np.random.default_rng(len(inner) + len(fam.name)).standard_normal(shape)


# outer transforms: name -> (autobp(g, W, x0), torch(g, W, x0)) with g the inner as a function of x
OUTER = {
    "grad": (
        lambda g, W, x: func.grad(lambda z: (g(z) * W).sum())(x),
        lambda tf, g, W, x: tf.grad(lambda z: (g(z) * _t(W)).sum())(x),
    ),
    "jacobian": (lambda g, W, x: functional.jacobian(g, x), lambda tf, g, W, x: tf.jacrev(g)(x)),
    "jacobian_rows": (
        lambda g, W, x: functional.jacobian(g, x, vectorize=False),
        lambda tf, g, W, x: tf.jacrev(g)(x),
    ),
    "jacfwd": (lambda g, W, x: func.jacfwd(g)(x), lambda tf, g, W, x: tf.jacfwd(g)(x)),
    "hessian": (
        lambda g, W, x: functional.hessian(lambda z: (g(z) * W).sum(), x),
        lambda tf, g, W, x: tf.jacrev(tf.grad(lambda z: (g(z) * _t(W)).sum()))(x),
    ),
    "jvp": (lambda g, W, x: functional.jvp(g, x, T)[1], lambda tf, g, W, x: tf.jvp(g, (x,), (_t(T),))[1]),
    "vjp": (lambda g, W, x: functional.vjp(g, x)[1](W)[0], lambda tf, g, W, x: tf.vjp(g, x)[1](_t(W))[0]),
    "hvp": (
        lambda g, W, x: functional.hvp(lambda z: (g(z) * W).sum(), x, T)[1],
        lambda tf, g, W, x: tf.vjp(tf.grad(lambda z: (g(z) * _t(W)).sum()), x)[1](_t(T))[0],
    ),
    "per_example_grad": (
        lambda g, W, x: func.per_example_grad(lambda z: g(z).reshape(-1))(x),
        lambda tf, g, W, x: tf.jacrev(lambda z: g(z).reshape(-1))(x),
    ),
}

PAIRS = [(o, i, f) for o in OUTER for i in INNER for f in range(len(FAMILIES))]


def _expected(outer, inner, fam, W):
    """The outer transform's result from central differences of the inner transform's values
    (computed at numpy points, where nothing nests), in the form ``_check`` compares."""
    g = INNER[inner][0]
    s = lambda x: float(np.sum(_np(g(fam, x)) * W))  # noqa: E731
    (grad_s,) = numerical_gradients(s, [X0])  # = W . J, J the inner's Jacobian
    if outer in ("hessian", "hvp"):  # H t = d/dx <grad s, t>, grad s from the grad row (checked there)
        gt = lambda x: float(np.dot(_np(OUTER["grad"][0](lambda z: g(fam, z), W, x)), T))  # noqa: E731
        return numerical_gradients(gt, [X0])[0]
    if outer == "jvp":
        return float(grad_s @ T)
    return grad_s


def _check(outer, r, expected, W):
    r = _np(r)
    if outer in ("jacobian", "jacobian_rows", "jacfwd"):
        r = np.tensordot(W, r, axes=W.ndim)
    elif outer == "per_example_grad":
        r = W.reshape(-1) @ r
    elif outer == "hessian":
        r = r @ T
    elif outer == "jvp":
        r = float(np.sum(W * r))
    np.testing.assert_allclose(r, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("outer,inner,k", PAIRS, ids=[f"{o}-{i}-{FAMILIES[k].name}" for o, i, k in PAIRS])
def test_nested_pair_matches_finite_differences(outer, inner, k):
    fam = FAMILIES[k]
    W = _weights(inner, fam)
    r = OUTER[outer][0](lambda z: INNER[inner][0](fam, z), W, X0)
    _check(outer, r, _expected(outer, inner, fam, W), W)


@pytest.mark.parametrize("outer,inner,k", PAIRS, ids=[f"{o}-{i}-{FAMILIES[k].name}" for o, i, k in PAIRS])
def test_nested_pair_matches_torch_func(outer, inner, k):
    torch = pytest.importorskip("torch")
    fam = FAMILIES[k]
    W = _weights(inner, fam)
    r = OUTER[outer][0](lambda z: INNER[inner][0](fam, z), W, X0)
    expected = OUTER[outer][1](torch.func, lambda z: INNER[inner][1](fam, z), W, _t(X0))
    np.testing.assert_allclose(_np(r), expected.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("inner", list(INNER))
@pytest.mark.parametrize("k", range(len(FAMILIES)))
def test_inner_transform_on_a_graph_passes_gradcheck(inner, k):
    """gradcheck of the inner transform itself, its input requiring grad (so it runs nested)."""
    assert gradcheck(lambda x: INNER[inner][0](FAMILIES[k], x), Tensor(X0.copy(), requires_grad=True))
