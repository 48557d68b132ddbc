"""The aux output of every transform with ``has_aux`` comes back as torch.func returns it: a Tensor
recorded only on the transform's own graph is detached (before, it carried the transform's fresh
leaf, ``requires_grad=True`` and a ``grad_fn``), and one that reaches an outer graph keeps its path."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import func

torch = pytest.importorskip("torch")

X = np.array([0.4, -1.3, 2.2])


def _body(lib):
    def f(x):
        return (lib.sin(x) * x).sum(), {"x": x, "twice": (x * 2, lib.cos(x))}

    return f


def _vec(lib):
    return lambda x: (lib.sin(x), x * 3)


CALLS = {
    "grad": lambda m, lib, x: m.grad(_body(lib), has_aux=True)(x)[1],
    "grad_and_value": lambda m, lib, x: m.grad_and_value(_body(lib), has_aux=True)(x)[1][1],
    "vjp": lambda m, lib, x: m.vjp(_vec(lib), x, has_aux=True)[2],
    "jvp": lambda m, lib, x: m.jvp(_vec(lib), (x,), (lib.ones(3, dtype=x.dtype),), has_aux=True)[2],
    "jacrev": lambda m, lib, x: m.jacrev(_vec(lib), has_aux=True)(x)[1],
    "jacfwd": lambda m, lib, x: m.jacfwd(_vec(lib), has_aux=True)(x)[1],
}


def _leaves(tree):
    if isinstance(tree, dict):
        return [v for k in sorted(tree) for v in _leaves(tree[k])]
    if isinstance(tree, (tuple, list)):
        return [v for t in tree for v in _leaves(t)]
    return [tree]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_aux_of_constant_inputs_is_detached_as_torch_func(name):
    ours = _leaves(CALLS[name](func, autobp, autobp.tensor(X)))
    theirs = _leaves(CALLS[name](torch.func, torch, torch.tensor(X)))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.requires_grad is b.requires_grad is False
        assert a.grad_fn is None
        np.testing.assert_allclose(a.data, b.detach().numpy())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_aux_reaching_an_outer_leaf_keeps_its_gradient_path(name):
    xa = autobp.tensor(X, requires_grad=True)
    xt = torch.tensor(X, requires_grad=True)
    ours = _leaves(CALLS[name](func, autobp, xa))
    theirs = _leaves(CALLS[name](torch.func, torch, xt))
    sum(((k + 1.0) * a).sum() for k, a in enumerate(ours)).backward()
    sum(((k + 1.0) * b).sum() for k, b in enumerate(theirs)).backward()
    np.testing.assert_allclose(xa.grad, xt.grad.numpy())
