"""autobp.functional: vjp, jvp, jacobian, hessian and hvp against float64 finite differences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor, functional
from autobp._numeric import numerical_gradients
from autobp.testing import shapes, tensors

EPS = 1e-6


def f_tensor(x):
    """A smooth vector function mixing elementwise ops, a reduction and broadcasting."""
    return (x * 1.3).tanh() * x.sum() + (x * x + 1).log()


def f_numpy(v):
    return np.tanh(v * 1.3) * v.sum() + np.log(v * v + 1)


def g_tensor(x):
    """A smooth scalar function (for hessian / hvp)."""
    return (x * 0.7).tanh().sum() * (x * x).mean() + x.exp().sum()


def g_numpy(v):
    return np.sum(np.tanh(v * 0.7)) * np.mean(v * v) + np.sum(np.exp(v))


def numeric_jacobian(f, x):
    """rows: central differences of each output element, in float64."""
    out = f(x)
    rows = [numerical_gradients(lambda v, k=k: f(v).reshape(-1)[k], [x], eps=EPS)[0] for k in range(out.size)]
    return np.array(rows).reshape(out.shape + x.shape)


def numeric_hessian(f, x, h=1e-4):
    """Four-point central second differences of the scalar f."""
    n = x.size
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):

            def at(si, sj, i=i, j=j):
                v = x.astype(np.float64).reshape(-1).copy()
                v[i] += si * h
                v[j] += sj * h
                return f(v.reshape(x.shape))

            H[i, j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)
    return H.reshape(x.shape + x.shape)


small = tensors(shape=shapes(max_side=3), lo=-1.5, hi=1.5)


@given(small)
def test_jacobian_matches_finite_differences(x):
    J = functional.jacobian(f_tensor, x)
    assert J.shape == x.shape + x.shape
    np.testing.assert_allclose(J.data, numeric_jacobian(f_numpy, x.data), rtol=1e-5, atol=1e-6)


@given(small, st.data())
def test_vjp_matches_finite_differences(x, data):
    v = data.draw(tensors(shape=x.shape)).data
    out, pullback = functional.vjp(f_tensor, x)
    (g,) = pullback(v)
    np.testing.assert_allclose(out.data, f_numpy(x.data))
    numeric = numerical_gradients(lambda a: np.sum(f_numpy(a) * v), [x.data])[0]
    np.testing.assert_allclose(g.data, numeric, rtol=1e-5, atol=1e-6)


@given(small, st.data())
def test_jvp_matches_a_directional_difference(x, data):
    t = data.draw(tensors(shape=x.shape)).data
    out, jt = functional.jvp(f_tensor, x, t)
    numeric = (f_numpy(x.data + EPS * t) - f_numpy(x.data - EPS * t)) / (2 * EPS)
    np.testing.assert_allclose(out.data, f_numpy(x.data))
    np.testing.assert_allclose(jt.data, numeric, rtol=1e-5, atol=1e-6)


@given(small)
def test_hessian_matches_second_differences(x):
    H = functional.hessian(g_tensor, x)
    assert H.shape == x.shape + x.shape
    np.testing.assert_allclose(H.data, numeric_hessian(g_numpy, x.data), rtol=1e-4, atol=1e-5)


@given(small, st.data())
def test_hvp_matches_second_differences(x, data):
    v = data.draw(tensors(shape=x.shape)).data
    y, hv = functional.hvp(g_tensor, x, v)
    H = numeric_hessian(g_numpy, x.data).reshape(x.size, x.size)
    assert y.item() == pytest.approx(g_numpy(x.data))
    np.testing.assert_allclose(hv.data.reshape(-1), H @ v.reshape(-1), rtol=1e-4, atol=1e-5)


def test_several_inputs_and_outputs_give_nested_blocks():
    a, b = Tensor(np.array([0.3, -0.2])), Tensor(np.array([[1.0, 2.0, 0.5]]))

    def f(x, y):
        return (x.reshape(2, 1) * y).tanh(), (x * x).sum() * y

    J = functional.jacobian(f, (a, b))
    assert [[blk.shape for blk in row] for row in J] == [[(2, 3, 2), (2, 3, 1, 3)], [(1, 3, 2), (1, 3, 1, 3)]]
    numeric = numeric_jacobian(lambda v: np.tanh(v.reshape(2, 1) * b.data), a.data)
    np.testing.assert_allclose(J[0][0].data, numeric, rtol=1e-5, atol=1e-7)
    _, jt = functional.jvp(lambda x, y: (x.reshape(2, 1) * y).tanh(), (a, b), (np.ones(2), np.zeros((1, 3))))
    np.testing.assert_allclose(jt.data, J[0][0].data.sum(-1), rtol=1e-12)  # J (1, 1, 0, 0, 0)


def test_nested_jacobians_give_the_hessian():
    x = Tensor(np.array([0.4, -0.9, 1.2]))

    def grad_g(t):
        return functional.jacobian(g_tensor, t, create_graph=True)

    np.testing.assert_allclose(
        functional.jacobian(grad_g, x).data, functional.hessian(g_tensor, x).data, rtol=1e-10
    )


def test_the_callers_tensors_are_left_alone():
    x = Tensor(np.array([0.5, 1.0]), requires_grad=True)
    functional.jacobian(f_tensor, x)
    functional.hessian(g_tensor, x)
    _, pullback = functional.vjp(f_tensor, x)
    pullback(np.ones(2))
    assert x.grad is None and x.is_leaf


def test_functions_that_ignore_an_input_give_zeros():
    x = Tensor(np.array([1.0, 2.0]))
    _, jt = functional.jvp(lambda t: Tensor(np.ones(3)), x, np.ones(2))
    np.testing.assert_array_equal(jt.data, np.zeros(3))
    np.testing.assert_array_equal(functional.hessian(lambda t: t.sum(), x).data, np.zeros((2, 2)))


def test_bad_arguments_name_the_problem():
    x = Tensor(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"tangents\[0\] has shape \(3,\), but it must match shape \(2,\)"):
        functional.jvp(f_tensor, x, np.ones(3))
    with pytest.raises(ValueError, match=r"hessian: fn must return a single-element Tensor, got \(2,\)"):
        functional.hessian(f_tensor, x)
    with pytest.raises(TypeError, match="jacobian: fn returned a float as output 0"):
        functional.jacobian(lambda t: 1.0, x)


def test_vhp_matches_torch():
    """vhp is torch.autograd.functional.vhp: vᵀH of a scalar function of two inputs, and its value."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    a, b, va, vb = (rng.standard_normal(s) for s in ((3,), (2, 3), (3,), (2, 3)))

    def f(m):
        return lambda x, w: (m.tanh(w @ x) ** 2).sum() + (x * x * x).sum()

    y, (ga, gb) = functional.vhp(f(autobp), (a, b), (va, vb))
    ty, (ta, tb) = torch.autograd.functional.vhp(
        f(torch), (torch.tensor(a), torch.tensor(b)), (torch.tensor(va), torch.tensor(vb))
    )
    np.testing.assert_allclose(y.item(), ty.item(), rtol=1e-12)
    np.testing.assert_allclose(ga.data, ta.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gb.data, tb.numpy(), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="vhp"):
        functional.vhp(f(autobp), (a, b), (va,))
