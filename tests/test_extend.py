"""autobp.extend: HIPS autograd's primitive/defvjp and JAX's custom_vjp, checked against finite
differences (first and second order), PyTorch, and for clear errors on bad gradient makers."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradcheck, gradgradcheck
from autobp.extend import custom_vjp, defvjp, defvjp_argnum, primitive


@primitive
def logsumexp(x):
    """Black box: numpy in place, as an autograd user may write it."""
    x = np.array(x, dtype=np.float64)
    m = np.max(x)
    x -= m
    return m + np.log(np.sum(np.exp(x)))


defvjp(logsumexp, lambda ans, x: lambda g: g * autobp.exp(x - ans))


@primitive
def mul_add(x, y, c=1.0):
    return np.asarray(x) * np.asarray(y) + c


defvjp(mul_add, lambda ans, x, y, c=1.0: lambda g: g * y, lambda ans, x, y, c=1.0: lambda g: g * x)


def _x(*shape, seed=0):
    return Tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


def test_untraced_call_is_the_function_itself():
    x = np.array([0.5, 1.0])
    assert isinstance(logsumexp(x), np.floating)
    assert logsumexp(x) == pytest.approx(np.log(np.exp(0.5) + np.e))
    assert logsumexp.__name__ == "logsumexp" and "Black box" in logsumexp.__doc__


def test_first_and_second_order_match_finite_differences():
    x = _x(5)
    assert gradcheck(lambda x: logsumexp(x * x), (x,))
    assert gradgradcheck(lambda x: logsumexp(x * x), (x,))


def test_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal(6)
    ours = autobp.func.grad(lambda x: logsumexp(x**2))(x)
    xt = torch.tensor(x, requires_grad=True)
    torch.logsumexp(xt**2, 0).backward()
    np.testing.assert_allclose(ours, xt.grad.numpy(), rtol=1e-12)


def test_two_arguments_keywords_and_hessian():
    x, y = _x(3), _x(3, seed=1)
    assert gradcheck(lambda x, y: mul_add(x, y, c=2.0), (x, y))
    assert gradgradcheck(lambda x, y: mul_add(x * x, y), (x, y))
    h = autobp.functional.hessian(lambda x: mul_add(x, x).sum(), Tensor(np.array([1.0, 2.0])))
    np.testing.assert_allclose(h.data, 2 * np.eye(2))


def test_pytree_argument_gets_a_pytree_gradient():
    @primitive
    def weighted(p):
        return np.sum(np.asarray(p["w"]) * np.asarray(p["v"]))

    defvjp(weighted, lambda ans, p: lambda g: {"w": g * p["v"], "v": g * p["w"]})
    w, v = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    g = autobp.func.grad(weighted)({"w": w, "v": v})
    np.testing.assert_allclose(g["w"], v)
    np.testing.assert_allclose(g["v"], w)


def test_none_maker_is_a_zero_gradient_and_a_missing_one_raises():
    @primitive
    def first(x, y):
        return np.asarray(x) * 2.0

    defvjp(first, lambda ans, x, y: lambda g: 2.0 * g, None)
    x, y = _x(2), _x(2, seed=1)
    first(x, y).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 2.0])
    np.testing.assert_allclose(y.grad, [0.0, 0.0])

    bare = primitive(lambda x: 2.0 * x)
    with pytest.raises(NotImplementedError, match="VJP of <lambda> with respect to argument 0"):
        autobp.func.grad(bare)(1.0)


def test_bad_makers_raise_clear_errors():
    with pytest.raises(TypeError, match="not a primitive"):
        defvjp(lambda x: x, lambda ans, x: lambda g: g)
    with pytest.raises(TypeError, match="vjp maker for argument 0 .* is a int"):
        defvjp(primitive(lambda x: x), 3)

    wrong_shape = primitive(lambda x: np.sum(np.asarray(x)))
    defvjp(wrong_shape, lambda ans, x: lambda g: np.ones(7))
    with pytest.raises(ValueError, match=r"shape \(7,\).*shape \(3,\)"):
        wrong_shape(_x(3)).backward()

    wrong_tree = primitive(lambda p: np.sum(np.asarray(p[0])))
    defvjp(wrong_tree, lambda ans, p: lambda g: (g,))
    with pytest.raises(ValueError, match="returned .*1 arrays.*2 arrays"):
        autobp.func.grad(wrong_tree)((np.ones(2), np.ones(2)))


def test_defvjp_argnum_one_maker_for_all_arguments():
    prod = primitive(lambda x, y: np.asarray(x) * np.asarray(y))
    defvjp_argnum(prod, lambda i, ans, args, kwargs: lambda g: g * args[1 - i])
    x, y = _x(3), _x(3, seed=2)
    assert gradcheck(prod, (x, y))


def test_tuple_output():
    @primitive
    def both(x):
        x = np.asarray(x)
        return np.sin(x), np.cos(x)

    defvjp(both, lambda ans, x: lambda g: g[0] * ans[1] - g[1] * ans[0])
    x = _x(4)
    assert gradcheck(lambda x: both(x)[0] * 2 + both(x)[1], (x,))


def test_custom_vjp_first_and_second_order():
    @custom_vjp
    def softplus(x):
        return autobp.log1p(autobp.exp(x))

    def fwd(x):
        s = autobp.special.expit(x)  # residual, on the graph
        return softplus(x), s

    softplus.defvjp(fwd, lambda s, g: (g * s,))
    x = _x(5)
    assert gradcheck(softplus, (x,))
    assert gradgradcheck(softplus, (x,))
    plain = np.array([0.0])
    assert float(softplus(plain).data[0]) == pytest.approx(np.log(2.0))


def test_custom_vjp_errors():
    @custom_vjp
    def f(x, y):
        return x * y

    with pytest.raises(NotImplementedError, match="defvjp"):
        f(_x(2), _x(2))
    f.defvjp(lambda x, y: (x * y, (x, y)), lambda r, g: g * r[1])
    with pytest.raises(TypeError, match="tuple of 2 gradients"):
        f(_x(2), _x(2)).sum().backward()
