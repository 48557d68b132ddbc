"""A class registered with autobp.pytree (and, for the oracle, with torch.utils._pytree) passes through
autobp.func's grad, vjp, jvp, vmap, jacrev/jacfwd and hessian as argument and as output, with the
results in the same class; values against torch.func on the same registered class."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import func
from autobp.pytree import register_pytree_node_class, tree_leaves

torch = pytest.importorskip("torch")
from torch.utils import _pytree as tp  # noqa: E402


@register_pytree_node_class
class Affine:
    """A layer holding its weight and bias; the name is static (aux data)."""

    def __init__(self, w, b, name="affine"):
        self.w, self.b, self.name = w, b, name

    def tree_flatten(self):
        return (self.w, self.b), self.name

    @classmethod
    def tree_unflatten(cls, name, children):
        return cls(*children, name=name)


tp.register_pytree_node(Affine, lambda m: ([m.w, m.b], m.name), lambda ch, name: Affine(*ch, name=name))


def _ab(module):
    return autobp if not isinstance(module.w, torch.Tensor) else torch


def loss(m, x):
    lib = _ab(m)
    return (lib.tanh(x @ m.w + m.b) ** 2).sum()


def scaled(m):
    return Affine(m.w * m.b.sum(), m.b**2, m.name)


def _model(seed=0):
    rng = np.random.default_rng(seed)
    return Affine(rng.standard_normal((3, 2)), rng.standard_normal(2), "lin"), rng.standard_normal((4, 3))


def _torch(m):
    return Affine(torch.tensor(m.w), torch.tensor(m.b), m.name)


def _close(ours, theirs):
    ours_leaves, theirs_leaves = tree_leaves(ours), tp.tree_leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves)
    for a, b in zip(ours_leaves, theirs_leaves):
        np.testing.assert_allclose(np.asarray(a), b.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_grad_with_respect_to_a_registered_class():
    m, x = _model()
    g = func.grad(loss)(m, x)
    assert type(g) is Affine and g.name == "lin"
    _close(g, torch.func.grad(loss)(_torch(m), torch.tensor(x)))


def test_vjp_and_jvp_with_a_registered_class_in_and_out():
    m, _ = _model(1)
    out, vjp_fn = func.vjp(scaled, m)
    t_out, t_vjp = torch.func.vjp(scaled, _torch(m))
    assert type(out) is Affine and out.name == "lin"
    _close(out, t_out)
    ct = Affine(np.ones((3, 2)), np.arange(2.0), "lin")
    (g,) = vjp_fn(ct)
    assert type(g) is Affine
    _close(g, t_vjp(_torch(ct))[0])
    primal, tangent = func.jvp(scaled, (m,), (ct,))
    t_primal, t_tangent = torch.func.jvp(scaled, (_torch(m),), (_torch(ct),))
    assert type(tangent) is Affine
    _close(primal, t_primal)
    _close(tangent, t_tangent)


def test_vmap_over_a_registered_class_with_its_own_in_dims():
    rng = np.random.default_rng(2)
    batch = Affine(rng.standard_normal((5, 3, 2)), rng.standard_normal(2), "lin")
    xs = rng.standard_normal((5, 4, 3))
    ours = func.vmap(loss, in_dims=(Affine(0, None, "lin"), 0))(batch, xs)
    theirs = torch.func.vmap(loss, in_dims=(Affine(0, None, "lin"), 0))(_torch(batch), torch.tensor(xs))
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-10)
    out = func.vmap(scaled, in_dims=(Affine(0, None, "lin"),))(batch)
    t_out = torch.func.vmap(scaled, in_dims=(Affine(0, None, "lin"),))(_torch(batch))
    assert type(out) is Affine
    _close(out, t_out)


def test_jacobians_and_hessian_nest_the_class():
    m, _ = _model(3)

    def f(m):
        return m.b * (m.w**2).sum()

    for ours_fn, torch_fn in ((func.jacrev, torch.func.jacrev), (func.jacfwd, torch.func.jacfwd)):
        jac = ours_fn(f)(m)
        assert type(jac) is Affine and jac.w.shape == (2, 3, 2) and jac.b.shape == (2, 2)
        _close(jac, torch_fn(f)(_torch(m)))

    def energy(m):
        return (m.b**3).sum() + (m.w**2).sum() * m.b.sum()

    hess = func.hessian(energy)(m)
    assert type(hess) is Affine and type(hess.b) is Affine and hess.w.w.shape == (3, 2, 3, 2)
    _close(hess, torch.func.hessian(energy)(_torch(m)))


def test_aux_output_of_a_registered_class_comes_back_detached():
    m, x = _model(4)

    def with_aux(m):
        return loss(m, x), Affine(m.w * 2, m.b, "aux")

    g, aux = func.grad(with_aux, has_aux=True)(Affine(autobp.tensor(m.w), autobp.tensor(m.b), "lin"))
    assert type(aux) is Affine and aux.name == "aux"
    assert not aux.w.requires_grad
    np.testing.assert_allclose(np.asarray(aux.w), 2 * m.w)
    _close(g, torch.func.grad(loss)(_torch(m), torch.tensor(x)))
