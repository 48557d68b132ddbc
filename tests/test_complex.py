"""PyTorch's convention for complex gradients (z.grad = dL/dx + i dL/dy for a real loss L), checked
against torch and finite differences: |z|^2, real inputs meeting complex results, the errors for a
complex root and for ordering ops, the non-holomorphic parts at 0, and numpy's functions on Tensors."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradcheck

torch = pytest.importorskip("torch")

Z = np.array([1.0 + 2.0j, -0.5 + 0.25j, 3.0 - 1.0j])


def _z(dtype=np.complex128):
    return Tensor(Z.astype(dtype), requires_grad=True, dtype=dtype)


def test_abs_squared_gives_2z_as_torch():
    z = _z()
    (autobp.abs(z) ** 2).sum().backward()
    tz = torch.tensor(Z, requires_grad=True)
    (tz.abs() ** 2).sum().backward()
    np.testing.assert_allclose(z.grad, 2 * Z, rtol=1e-12)
    np.testing.assert_allclose(z.grad, tz.grad.numpy(), rtol=1e-12)


def test_z_times_conj_z_and_gradient_descent():
    """L = Re(z conj z) = |z|^2 via conj, and z -= lr * z.grad descends to the minimum of |z - c|^2."""
    c = np.array([0.5 - 1.0j, 2.0 + 0.0j, -1.0 + 1.0j])
    z = _z()
    for _ in range(60):
        z.grad = None
        d = z - c
        (d * d.conj()).real.sum().backward()
        z = Tensor(z.data - 0.1 * z.grad, requires_grad=True)
    np.testing.assert_allclose(z.data, c, atol=1e-5)


def test_real_input_meeting_a_complex_result_gets_the_real_part():
    x = Tensor(np.array([0.3, -1.2, 2.0]), requires_grad=True)
    w = np.array([1.0 + 2.0j, -0.5j, 2.0 - 1.0j])
    y = autobp.tanh(x) * w + 1j * x
    (autobp.abs(y) ** 2).sum().backward()
    tx = torch.tensor(x.data, requires_grad=True)
    ty = torch.tanh(tx) * torch.tensor(w) + 1j * tx
    (ty.abs() ** 2).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)
    (g,) = autobp.grad((autobp.abs(autobp.tanh(x) * w) ** 2).sum(), [x])  # autobp.grad too
    assert g.dtype == np.float64


def test_real_part_through_a_real_chain_before_a_complex_op():
    """A real intermediate (abs of a complex) whose gradient passed real ops after a complex one."""
    z = _z()
    r = autobp.abs(z) * 2.0 + 1.0  # real
    ((r * (1 + 1j)) * (2 - 1j)).real.sum().backward()
    tz = torch.tensor(Z, requires_grad=True)
    tr = tz.abs() * 2.0 + 1.0
    ((tr * (1 + 1j)) * (2 - 1j)).real.sum().backward()
    np.testing.assert_allclose(z.grad, tz.grad.numpy(), rtol=1e-12)


def test_backward_of_a_complex_scalar_raises_like_torch():
    z = _z()
    with pytest.raises(RuntimeError, match="real scalar outputs"):
        (z * z).sum().backward()
    with pytest.raises(RuntimeError, match="real scalar outputs"):
        torch.tensor(Z, requires_grad=True).sum().backward()
    with pytest.raises(TypeError, match="real scalar outputs"):  # also a TypeError (HIPS autograd's)
        autobp.grad((z * z).sum(), [z])
    (z * z).sum().backward(gradient=np.array(1.0 + 0.0j))  # an explicit seed is accepted, as in torch
    np.testing.assert_allclose(z.grad, 2 * Z.conj(), rtol=1e-12)


@pytest.mark.parametrize(
    "name, call",
    [
        ("comparison <", lambda z: z < 1.0),
        ("comparison >=", lambda z: autobp.greater_equal(z, z)),
        ("maximum", lambda z: autobp.maximum(z, z)),
        ("minimum", lambda z: autobp.minimum(z, 0.0)),
        ("clip", lambda z: autobp.clip(z, 0.0, 1.0)),
        ("relu", autobp.relu),
        ("sort", autobp.sort),
        ("argsort", autobp.argsort),
        ("topk", lambda z: autobp.topk(z, 2)),
        ("median", autobp.median),
        ("max", autobp.max),
        ("amin", autobp.amin),
        ("argmax", autobp.argmax),
        ("nanmax", autobp.nanmax),
        ("cummax", lambda z: autobp.cummax(z, 0)),
        ("floor", autobp.floor),
    ],
)
def test_ordering_ops_refuse_complex(name, call):
    with pytest.raises(TypeError, match=rf"{name}: .*complex128"):
        call(_z())


def test_round_and_sign_of_complex_are_numpys():
    """numpy 2 rounds both parts and gives sign(z) = z / |z| (0 at 0), as torch.sgn."""
    data = np.array([1.26 - 2.5j, 0j, -0.5 + 0.49j])
    np.testing.assert_array_equal(autobp.round(Tensor(data), 1).data, np.round(data, 1))
    np.testing.assert_allclose(autobp.sign(Tensor(data)).data, np.sign(data), rtol=1e-15)
    np.testing.assert_allclose(
        autobp.sign(Tensor(data)).data, torch.sgn(torch.tensor(data)).numpy(), rtol=1e-15
    )


def test_equality_is_defined_on_complex():
    z = _z()
    assert (z == Tensor(Z)).data.all() and not (z != Tensor(Z)).data.any()


def test_abs_and_angle_at_zero_match_torch():
    data = np.array([0j, 1.0 + 1.0j, -2.0 + 0.0j])
    z = Tensor(data, requires_grad=True)
    (autobp.abs(z).sum() + autobp.angle(z).sum()).backward()
    tz = torch.tensor(data, requires_grad=True)
    (tz.abs().sum() + tz.angle().sum()).backward()
    np.testing.assert_allclose(z.grad, tz.grad.numpy(), rtol=1e-12)
    x = Tensor([0.0, -1.0, 2.0], requires_grad=True)  # angle of real numbers: 0 or pi, gradient 0
    autobp.angle(x).sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros(3))


def test_parts_views_and_numpy_functions_on_tensors():
    z = _z()
    assert z.real.dtype == np.float64 and np.shares_memory(z.real.data, z.data)
    np.testing.assert_array_equal(z.imag.data, Z.imag)
    for fn in (np.real, np.imag, np.conj, np.conjugate, np.angle, np.abs):
        out = fn(z)
        assert isinstance(out, Tensor) and out.requires_grad
        np.testing.assert_allclose(out.data, fn(Z), rtol=1e-15)
    x = Tensor([1.0, -2.0])
    assert x.real is x and x.conj() is x  # real tensors: the tensor itself, as PyTorch's
    np.testing.assert_array_equal(x.imag.data, np.zeros(2))  # numpy's zeros (PyTorch raises)


def test_complex64_stays_complex64():
    z = _z(np.complex64)
    out = autobp.exp(z) * (1 + 2j) + z.real
    assert out.dtype == np.complex64 and (Tensor(np.float32([1.0])) * 1j).dtype == np.complex64
    (autobp.abs(out) ** 2).sum().backward()
    assert z.grad.dtype == np.complex64


def test_dtypes_that_may_require_grad():
    Tensor(Z, requires_grad=True)
    with pytest.raises(TypeError, match="floating-point and complex"):
        Tensor([1, 2], requires_grad=True, dtype=np.int64)
    with pytest.raises(TypeError, match="imaginary part"):
        Tensor(Z, dtype=np.float64)


def test_gradcheck_catches_a_missing_conjugate(monkeypatch):
    """A rule that forgets conj (g * y instead of g * conj(y)) is right on real inputs only."""
    from autobp.rules import RULES

    def wrong(F, g, out, xs, ctx, need):
        return g * xs[1], g * xs[0]

    z, w = _z(), Tensor(Z[::-1].copy(), requires_grad=True)
    assert gradcheck(lambda a, b: a * b, [z, w])
    monkeypatch.setitem(RULES, "mul", wrong)
    assert gradcheck(
        lambda a, b: a * b, [Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, -1.0], requires_grad=True)]
    )
    with pytest.raises(autobp.GradcheckError, match=r"Im\(input 0\)"):
        gradcheck(lambda a, b: a * b, [z, w])


def test_the_docs_page_runs():
    """docs/concepts/complex.md: its python blocks run in order, in one namespace."""
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "concepts" / "complex.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {"__name__": "concepts_complex"}
    for k, block in enumerate(blocks):
        exec(compile(block, f"complex.md (block {k + 1})", "exec"), namespace)  # noqa: S102


@pytest.mark.parametrize(
    "name, call",
    [
        ("softmax", autobp.softmax),
        ("fmax", lambda z: autobp.fmax(z, z)),
        ("nn.functional activations", autobp.nn.functional.gelu),
        ("autobp.special", autobp.special.digamma),
        ("autobp.special.rgamma", autobp.special.rgamma),  # its cast to float dropped Im(z)
        ("autobp.special.multigammaln", lambda z: autobp.special.multigammaln(z + 2.0, 2)),
        ("odeint", lambda z: autobp.integrate.odeint(lambda y, t: -y, z, [0.0, 1.0])),
        ("index_put", lambda z: autobp.index_put(autobp.zeros(3), (np.array([0]),), z[:1])),  # real target
        ("scatter_reduce", lambda z: autobp.scatter_reduce(z, 0, np.array([0, 0, 1]), z, "amax")),  # no order
        ("lstm_cell_state", lambda z: autobp.nn.functional.lstm_cell_state(autobp.tile(z, 4)[None], z[None])),
    ],
)
def test_ops_without_complex_rules_refuse_instead_of_a_wrong_gradient(name, call):
    """numpy (or scipy) computes these on complex numbers, but their rules are real-only so far."""
    with pytest.raises(TypeError, match=rf"{name}: .*complex"):
        call(_z())


def test_real_if_close_drops_tiny_imaginary_parts_as_numpy():
    """Imaginary parts within tol epsilons of 0: the real part, as numpy's, and z.grad = g (real)."""
    z = Tensor(np.array([1.0 + 1e-15j, -2.0]), requires_grad=True)
    r = autobp.real_if_close(z)
    expected = np.real_if_close(z.data)
    assert r.dtype == expected.dtype == np.float64
    np.testing.assert_array_equal(r.data, expected)
    (r * np.array([3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(z.grad, np.array([3.0, 4.0], dtype=complex))
    assert autobp.real_if_close(Tensor(np.array([1.0 + 1e-9j]))).dtype == np.complex128
    assert np.real_if_close(Tensor(np.array([1.0 + 1e-15j]))).dtype == np.float64  # numpy's dispatch
