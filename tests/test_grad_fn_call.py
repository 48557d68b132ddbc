"""Calling a ``grad_fn`` runs that node alone (PyTorch's ``y.grad_fn(grad_output)``): its inputs'
gradients for the given output gradient, compared with torch; the wrong number of arguments is
PyTorch's TypeError."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.5, 2.0], [1.25, 0.75, -0.3]])
W = np.array([[1.5, 0.25, -2.0], [0.5, -1.0, 3.0]])
G = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]])

OPS = {
    "pow": lambda lib, x, w: x**2,
    "mul": lambda lib, x, w: x * w,
    "mul by a number": lambda lib, x, w: x * 3.0,
    "broadcast add": lambda lib, x, w: x + w[0],
    "matmul": lambda lib, x, w: x @ w.T,
    "exp": lambda lib, x, w: x.exp(),
    "sum": lambda lib, x, w: x.sum(),
}


def node_grads(lib, name):
    x = lib.tensor(X.copy(), requires_grad=True)
    w = lib.tensor(W.copy(), requires_grad=True)
    y = OPS[name](lib, x, w)
    g = lib.tensor(G[: y.shape[0], : y.shape[1]].copy() if y.ndim == 2 else np.array(1.5))
    res = y.grad_fn(g)
    res = res if isinstance(res, tuple) else (res,)
    return [
        None if r is None else np.asarray(r.detach().numpy() if lib is torch else r.detach()) for r in res
    ]


@pytest.mark.parametrize("name", list(OPS))
def test_calling_a_node_matches_torch(name):
    mine, theirs = node_grads(autobp, name), node_grads(torch, name)
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        assert (m is None) == (t is None)
        if t is not None:
            np.testing.assert_allclose(m, t, rtol=1e-12)


def test_wrong_number_of_gradients():
    for lib in (autobp, torch):
        y = lib.tensor(X.copy(), requires_grad=True) ** 2
        with pytest.raises(TypeError, match="expected 1 arguments, got 2 instead"):
            y.grad_fn(lib.ones(2, 3), lib.ones(2, 3))
        with pytest.raises(TypeError, match="expected 1 arguments, got 0 instead"):
            y.grad_fn()


def test_recorded_under_grad_mode_only():
    x = autobp.tensor(X.copy(), requires_grad=True)
    y = x**3
    g = y.grad_fn(autobp.ones(2, 3))
    assert g.requires_grad
    (gg,) = autobp.grad(g.sum(), x)  # d/dx of 3 x^2 summed: 6 x
    np.testing.assert_allclose(np.asarray(gg), 6 * X)
    with autobp.no_grad():
        assert not y.grad_fn(autobp.ones(2, 3)).requires_grad
