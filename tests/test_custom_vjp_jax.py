"""``autobp.extend.custom_vjp`` as JAX's (found by JAX's custom_derivatives_test through a renaming
adapter): pytree arguments and outputs, nondiff_argnums, keywords, None gradients, the missing-rule
error. Expected values are closed forms or gradcheck."""

import numpy as np
import pytest

import autobp as ab
from autobp import Tensor, func
from autobp.extend import custom_vjp
from autobp.gradcheck import gradcheck, gradgradcheck


def test_pytree_arguments_and_outputs():
    @custom_vjp
    def f(x):
        return {"b": ab.sin(x["a"]), "c": [x["a"] * x["s"]]}

    def f_fwd(x):
        return f(x), (ab.cos(x["a"]), x)

    def f_bwd(res, g):
        cos_a, x = res
        return ({"a": 2 * cos_a * g["b"] + g["c"][0] * x["s"], "s": (g["c"][0] * x["a"]).sum()},)

    f.defvjp(f_fwd, f_bwd)
    x = {"a": np.array([0.2, 0.9]), "s": 3.0}
    np.testing.assert_allclose(f(x)["b"], np.sin(x["a"]))
    g = func.grad(lambda x: f(x)["b"].sum() + f(x)["c"][0].sum())(x)
    np.testing.assert_allclose(g["a"], 2 * np.cos(x["a"]) + 3.0, rtol=1e-12)
    np.testing.assert_allclose(g["s"], x["a"].sum(), rtol=1e-12)


def test_nondiff_argnums_keywords_and_none_gradients():
    @custom_vjp
    def clip_grad(lo, hi, x):
        return x

    clip_grad.defvjp(lambda lo, hi, x: (x, (lo, hi)), lambda r, g: (None, None, ab.clip(g, r[0], r[1])))
    assert func.grad(lambda x: 5.0 * clip_grad(-0.1, x + 0.1, x))(0.1) == pytest.approx(0.2)

    def app(f, x):
        return f(x)

    app = custom_vjp(app, nondiff_argnums=(0,))
    app.defvjp(lambda f, x: (app(f, x), ab.cos(x)), lambda f, cos_x, g: (cos_x * g,))
    v, g = func.value_and_grad(lambda x: app(lambda y: 2 * y, x))(1.0)
    assert (float(v), float(g)) == (2.0, pytest.approx(np.cos(1.0)))

    @custom_vjp
    def scaled(x, y, c=1.0):
        return c * (x + y)

    scaled.defvjp(lambda x, y, c=1.0: (scaled(x, y, c), c), lambda c, g: (c * g, c * g, None))
    assert tuple(func.grad(lambda x, y: scaled(x, y, c=4.0), argnums=(0, 1))(1.0, 2.0)) == (4.0, 4.0)


def test_second_order_through_residuals_and_missing_rule():
    @custom_vjp
    def f(x):
        return ab.sin(x)

    f.defvjp(lambda x: (f(x), ab.cos(x)), lambda c, g: (c * g,))
    x = Tensor(np.array([0.3, -1.2, 2.0]), requires_grad=True)
    assert gradcheck(f, (x,))
    assert gradgradcheck(f, (x,))

    @custom_vjp
    def foo(x):
        return x**2

    with pytest.raises(AttributeError, match="No VJP defined for custom_vjp function foo using defvjp"):
        foo(2.0)
    with pytest.raises(NotImplementedError, match="defvjp"):
        func.grad(foo)(2.0)
