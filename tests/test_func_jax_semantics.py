"""JAX-named behaviour of ``autobp.func`` found by JAX's own api_test (run through a renaming adapter):
hessian's has_aux/holomorphic, holomorphic jacobians, linear_transpose, custom_jvp, constant outputs
of JAX-style calls, and JAX's error wording. Expected values are closed forms, numpy or gradcheck."""

import numpy as np
import pytest

import autobp as ab
from autobp import Tensor, func
from autobp.gradcheck import gradcheck

R = np.random.RandomState(0)
A = R.randn(4, 4)
Z = np.array([1 + 2j, 0.5 - 1j])


def _np(x):
    return np.asarray(x.detach().data if isinstance(x, Tensor) else x)


def test_jac_of_plain_call_with_number_outputs_is_zero_there():
    # JAX-style call on numbers: an output that is an unpicked argument is a constant (Jacobian 0)
    for jac in (func.jacrev, func.jacfwd):
        a, b = jac(lambda x, y: (x, y))(0.0, 1.0)
        assert (_np(a), _np(b)) == (1.0, 0.0)
        (a0, a1), (b0, b1) = jac(lambda x, y: (x, 2.0 * y, 3.0)[:2], (0, 1))(0.0, 1.0)
        assert [float(_np(v)) for v in (a0, a1, b0, b1)] == [1.0, 0.0, 0.0, 2.0]
    with pytest.raises(RuntimeError, match="only tensors"):  # a Tensor call keeps torch.func's refusal
        func.jacrev(lambda t: [t, 1.0])(Tensor([1.0]))


def test_hessian_has_aux_and_holomorphic_closed_form():
    x = R.randn(4)
    h, aux = func.hessian(lambda x: (ab.dot(x, ab.dot(A, x)), x * 2), has_aux=True)(x)
    np.testing.assert_allclose(_np(h), A + A.T, atol=1e-12)
    np.testing.assert_allclose(_np(aux), 2 * x)
    z = R.randn(4) * (1 + 2j)
    h = func.hessian(lambda z: ab.dot(z, ab.dot(A.astype(complex), z)), holomorphic=True)(z)
    np.testing.assert_allclose(_np(h), A + A.T, atol=1e-12)
    # f = z0^2 (sin z0 + sin z1): second complex derivatives in closed form
    h = func.hessian(lambda z: (ab.sin(z) * z[0] ** 2).sum(), holomorphic=True)(Z)
    z0, z1 = Z
    want = [
        [2 * np.sin(z0) + 4 * z0 * np.cos(z0) - z0**2 * np.sin(z0) + 2 * np.sin(z1), 2 * z0 * np.cos(z1)],
        [2 * z0 * np.cos(z1), -(z0**2) * np.sin(z1)],
    ]
    np.testing.assert_allclose(_np(h), np.array(want), rtol=1e-12)


@pytest.mark.parametrize("jac", [func.jacrev, func.jacfwd])
def test_holomorphic_jacobian_is_df_dz(jac):
    got = jac(lambda z: ab.sin(z) * z[0], holomorphic=True)(Z)
    want = np.diag(np.cos(Z) * Z[0]) + np.outer(np.sin(Z), [1, 0])
    np.testing.assert_allclose(_np(got), want, rtol=1e-12)
    assert not isinstance(got, Tensor) or not got.requires_grad
    with pytest.raises(
        TypeError, match="holomorphic=True requires inputs with complex dtype, but got float64"
    ):
        jac(lambda x: x * 2, holomorphic=True)(np.ones(2))
    with pytest.raises(
        TypeError, match="holomorphic=True requires outputs with complex dtype, but got float64"
    ):
        jac(lambda z: ab.abs(z), holomorphic=True)(Z)


def test_holomorphic_jacobian_nests_in_grad():
    # d/dx of Re(d/dz (z^3)) at z = x + 0j is d/dx 3 x^2 = 6 x
    def g(x):
        z = x.astype(complex)
        return ab.real(func.jacrev(lambda z: z**3, holomorphic=True)(z)).sum()

    np.testing.assert_allclose(_np(func.grad(g)(Tensor(np.array([1.5, -2.0])))), [9.0, -12.0])


def test_linear_transpose_matches_matrix_transpose():
    M = R.randn(3, 4)
    v = R.randn(3)
    (t,) = func.linear_transpose(lambda x: ab.matmul(M, x), np.zeros(4))(v)
    np.testing.assert_allclose(t, M.T @ v, rtol=1e-12)
    C = M + 1j * R.randn(3, 4)
    w = v + 1j * R.randn(3)
    (t,) = func.linear_transpose(lambda x: ab.matmul(C, x), np.zeros(4, complex))(w)
    np.testing.assert_allclose(t, C.T @ w, rtol=1e-12)  # the transpose, not the adjoint
    assert func.linear_transpose(lambda x: 2 * x, 1)(3) == (6,)
    got = func.linear_transpose(lambda x, y: {"s": x[0] + 2 * y}, [1.0, 2.0], np.zeros(2))({"s": np.ones(2)})
    assert isinstance(got[0], list)
    assert got[0][0] == 2.0  # x[0] is broadcast to both outputs: its transpose sums them
    assert got[0][1] == 0.0  # x[1] does not reach the output
    np.testing.assert_allclose(got[1], [2.0, 2.0])


def test_linear_transpose_differentiable_in_cotangent_and_errors():
    M = R.randn(3, 2)
    t = func.linear_transpose(lambda x: ab.matmul(M, x), np.zeros(2))
    assert gradcheck(lambda c: t(c)[0], (Tensor(R.randn(3), requires_grad=True),))
    with pytest.raises(TypeError, match="linear_transpose only supports"):
        func.linear_transpose(lambda x: 2.0 * x, 1)
    with pytest.raises(TypeError, match="cotangent tree does not match"):
        func.linear_transpose(lambda x: [x, x], 1.0)(1.0)
    with pytest.raises(TypeError, match="cotangent type does not match"):
        func.linear_transpose(lambda x: ab.stack([x, x]), 1.0)(1.0)
    with pytest.raises(TypeError, match="cotangent type does not match"):
        func.linear_transpose(lambda x: x, 1.0)(1j)


def _sin_mul():
    @func.custom_jvp
    def f(x, y):
        return ab.sin(x) * y

    @f.defjvp
    def f_jvp(primals, tangents):
        x, y = primals
        dx, dy = tangents
        return f(x, y), ab.cos(x) * dx * y + ab.sin(x) * dy

    return f


def test_custom_jvp_gives_gradients_of_every_order():
    f = _sin_mul()
    x, y = 0.7, 1.3
    assert f(x, y) == pytest.approx(np.sin(x) * y)
    gx, gy = func.grad(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose([gx, gy], [np.cos(x) * y, np.sin(x)], rtol=1e-12)
    np.testing.assert_allclose(func.grad(func.grad(f))(x, y), -np.sin(x) * y, rtol=1e-12)
    _, t = func.jvp(f, (x, y), (1.0, 2.0))
    np.testing.assert_allclose(_np(t), np.cos(x) * y + 2 * np.sin(x), rtol=1e-12)
    xs = np.linspace(-1, 1, 4)
    np.testing.assert_allclose(_np(func.vmap(func.grad(f))(xs, np.ones(4))), np.cos(xs), rtol=1e-12)
    assert gradcheck(f, (Tensor(R.randn(3), requires_grad=True), Tensor(R.randn(3), requires_grad=True)))


def test_custom_jvp_rule_is_used_defjvps_and_nondiff_argnums():
    f = func.custom_jvp(lambda x: x * x)
    f.defjvp(lambda p, t: (p[0] * p[0], 10.0 * t[0]))  # deliberately not 2x: the rule wins
    assert func.grad(f)(3.0) == 10.0
    g = func.custom_jvp(lambda x, y: x * y)
    g.defjvps(lambda t, ans, x, y: 5.0 * t, None)
    assert tuple(func.grad(g, argnums=(0, 1))(2.0, 3.0)) == (5.0, 0.0)

    def scaled_jvp(k, primals, tangents):
        return h(k, *primals), k * ab.cos(primals[0]) * tangents[0]

    h = func.custom_jvp(lambda k, x: k * ab.sin(x), nondiff_argnums=(0,))
    h.defjvp(scaled_jvp)
    np.testing.assert_allclose(func.grad(h, argnums=1)(3.0, 0.4), 3 * np.cos(0.4), rtol=1e-12)
    with pytest.raises(AttributeError, match="No JVP defined"):
        func.custom_jvp(lambda x: x)(1.0)


def test_jax_error_wording():
    with pytest.raises(TypeError, match="Gradient only defined for scalar-output functions"):
        func.grad(lambda x: x)(np.zeros(3))
    with pytest.raises(TypeError, match="'foo' of type <class 'str'> is not a valid JAX type"):
        func.grad(lambda x: x)("foo")
    with pytest.raises(TypeError, match="two-element tuple"):
        func.grad(lambda x: (x, x, x), has_aux=True)(1.0)
    with pytest.raises(ValueError, match="vmap got inconsistent sizes for array axes to be mapped"):
        func.vmap(lambda a, b: a + b)(np.ones(2), np.ones(3))


def test_allow_int_passes_integers_through_with_float0_gradients():
    gx, gi = func.grad(lambda x, i: x[i] * 3.0, argnums=(0, 1), allow_int=True)(np.ones(2), 1)
    np.testing.assert_allclose(gx, [0.0, 3.0])
    assert gi.dtype == func.float0 and gi.shape == ()
    v, (gw, gn) = func.value_and_grad(lambda w, n: (w**n).sum(), argnums=(0, 1), allow_int=True)(
        np.array([2.0, 3.0]), np.int64(3)
    )
    assert v == 35.0
    np.testing.assert_allclose(gw, 3 * np.array([2.0, 3.0]) ** 2)
    assert gn.dtype == func.float0
    assert func.grad(lambda x: x * 2.0)(3) == 2.0  # without allow_int an integer is differentiated as float64
    with pytest.raises(NotImplementedError, match="reduce_axes"):
        func.grad(lambda x: x, reduce_axes=("batch",))


def test_vjp_keeps_integer_primals_as_indices():
    out, vjp_fn = func.vjp(lambda x, i: x[i] * x[0], np.array([2.0, 5.0]), 1)
    assert float(_np(out)) == 10.0
    gx, gi = vjp_fn(1.0)
    np.testing.assert_allclose(_np(gx), [5.0, 2.0])
    assert gi.dtype == func.float0


def test_complex_output_without_holomorphic_jax_wording():
    with pytest.raises(TypeError, match=r"grad requires real-valued outputs .*but got complex128"):
        func.grad(lambda x: x**2 + 1j)(3.0)
    with pytest.raises(TypeError, match="grad with holomorphic=True requires inputs with complex dtype"):
        func.grad(lambda x: x**2, holomorphic=True)(3.0)


def test_custom_jvp_pytree_arguments_outputs_and_keywords():
    @func.custom_jvp
    def f(x):
        return {"b": ab.sin(x["a"]), "c": (x["a"] * x["s"],)}

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        da, ds = t["a"], t["s"]
        return f(x), {"b": 2 * ab.cos(x["a"]) * da, "c": (da * x["s"] + x["a"] * ds,)}

    x = {"a": np.array([0.3, 1.1]), "s": 2.0}
    out = f(x)
    np.testing.assert_allclose(out["b"], np.sin(x["a"]))
    g = func.grad(lambda x: f(x)["b"].sum() + f(x)["c"][0].sum())(x)
    np.testing.assert_allclose(g["a"], 2 * np.cos(x["a"]) + 2.0, rtol=1e-12)
    np.testing.assert_allclose(g["s"], x["a"].sum(), rtol=1e-12)

    @func.custom_jvp
    def scale(x, y, c=1.0):
        return c * (x + y)

    scale.defjvp(lambda p, t: (scale(*p), p[2] * (t[0] + t[1]) + t[2] * (p[0] + p[1])))
    gx, gy = func.grad(lambda x, y: scale(x, y, c=3.0), argnums=(0, 1))(1.0, 2.0)
    assert (gx, gy) == (3.0, 3.0)


def test_vmap_in_axes_out_axes_checked_as_jax():
    with pytest.raises(TypeError, match="vmap in_axes must be an int, None, or a tuple of entries"):
        func.vmap(lambda x: x["a"], in_axes={"a": 0})  # at vmap() time, as JAX
    with pytest.raises(ValueError, match=r"len\(in_axes\)=2, len\(args\)=1"):
        func.vmap(lambda x: x["a"], in_axes=(0, {"a": 0}))({"a": np.zeros((3, 3))})
    with pytest.raises(TypeError, match="vmap in_axes must be an int, None, or"):
        func.vmap(lambda x: x, in_axes=(np.array([1.0, 2.0]),))
    with pytest.raises(TypeError, match="vmap out_axes must be an int, None, or"):
        func.vmap(lambda x: x, out_axes=(np.array([1.0, 2.0]),))
    out = func.vmap(lambda d, x: d["a"] * x + d["b"], ({"a": None, "b": 0}, 0))(
        {"a": 2.0, "b": np.ones(3)}, np.arange(3.0)
    )
    np.testing.assert_allclose(_np(out), 2.0 * np.arange(3.0) + 1.0)


def test_jacrev_blocks_have_their_inputs_dtype_as_torch_func():
    torch = pytest.importorskip("torch")
    x16, y32 = np.array([2.0], np.float16), np.array([3.0], np.float32)
    got = func.jacrev(lambda t: (t[0], t[1], t[0] + t[1]))((x16, y32))
    want = torch.func.jacrev(lambda t: (t[0], t[1], t[0] + t[1]))((torch.tensor(x16), torch.tensor(y32)))
    for grow, wrow in zip(got, want):
        for g, w in zip(grow, wrow):
            assert str(_np(g).dtype) == str(w.dtype).replace("torch.", "")
            np.testing.assert_array_equal(_np(g), w.numpy())


def test_jvp_integer_primals_with_float0_tangents():
    zero0 = np.zeros((), func.float0)
    out, t = func.jvp(lambda x: x + 1, (2,), (zero0,))
    assert out == 3 and t.dtype == func.float0
    out, t = func.jvp(lambda x, i: x[i] * x[0], (np.array([2.0, 5.0]), 1), (np.array([1.0, 0.5]), zero0))
    assert float(_np(out)) == 10.0
    assert float(_np(t)) == pytest.approx(0.5 * 2.0 + 5.0 * 1.0)  # d(x1 x0) = x0 dx1 + x1 dx0
    out, t = func.jvp(lambda x, y: x * y, (2, 3.0), (1.0, 1.0))  # an integer with a real tangent: as before
    assert float(_np(t)) == 5.0


def test_linearize_tangent_shape_error_jax_wording():
    _, f_jvp = func.linearize(ab.sum, np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="inconsistent with the original primal values.*shape \\(3, 2\\)"):
        f_jvp(np.ones((3, 2)))
