"""autobp.vectorize, autobp.frompyfunc and autobp.emath: numpy's results on constants, recorded on Tensors
(values against numpy, gradients against central differences and torch)."""

from __future__ import annotations

import numpy as np
import pytest

import autobp


def leaf(*values, dtype=np.float64):
    return autobp.Tensor(np.array(values, dtype=dtype), requires_grad=True)


def kinked(v):
    return v * v if v > 0 else -3.0 * v  # Python control flow on each element


# --- vectorize ---------------------------------------------------------------------------------------
def test_vectorize_of_constants_is_numpys():
    f, g = autobp.vectorize(kinked), np.vectorize(kinked)
    a = np.array([[1.5, -2.0], [0.5, 3.0]])
    out = f(a)
    assert type(out) is np.ndarray and np.array_equal(out, g(a))
    assert np.array_equal(
        autobp.vectorize(lambda x, y: x - y)([1, 2], 3), np.vectorize(lambda x, y: x - y)([1, 2], 3)
    )


def test_vectorize_records_elementwise():
    x = autobp.Tensor(np.array([[1.5, -2.0, 0.5], [3.0, -0.25, 2.0]]), requires_grad=True)
    y = autobp.vectorize(kinked)(x)
    assert isinstance(y, autobp.Tensor) and y.shape == (2, 3)
    assert np.array_equal(y.detach().numpy(), np.vectorize(kinked)(x.detach().numpy()))
    assert autobp.gradcheck(autobp.vectorize(kinked), (x,))
    y.sum().backward()
    assert np.array_equal(x.grad, np.where(x.detach().numpy() > 0, 2 * x.detach().numpy(), -3.0))


def test_vectorize_broadcasts_and_passes_excluded_and_keyword_arguments():
    x, y = leaf(1.0, 2.0, 3.0), autobp.Tensor(np.array([[0.5], [-1.0]]), requires_grad=True)

    def f(a, b, scale=1.0, power=2):
        return scale * a**power + b

    vf = autobp.vectorize(f, excluded={"power"})
    out = vf(x, y, scale=2.0, power=3)
    ref = np.vectorize(f, excluded={"power"})(x.detach().numpy(), y.detach().numpy(), scale=2.0, power=3)
    assert out.shape == (2, 3) and np.allclose(out.detach().numpy(), ref)
    assert autobp.gradcheck(lambda x, y: vf(x, y, scale=2.0, power=3), (x, y))
    calls = []
    autobp.vectorize(lambda a, seq: calls.append(seq) or a, excluded={1})(x, [1, 2])
    assert calls == [[1, 2]] * 3  # passed through whole, as numpy's excluded


def test_vectorize_records_a_tensor_the_function_closes_over_or_is_given_as_excluded():
    w = autobp.Tensor(np.float64(2.0), requires_grad=True)
    a = np.array([0.5, 1.0, 3.0])
    y = autobp.vectorize(lambda x: w * x * x)(a)  # numpy's vectorize would keep only the values
    assert isinstance(y, autobp.Tensor) and np.allclose(y.detach().numpy(), 2 * a * a)
    y.sum().backward()
    assert np.isclose(w.grad, (a * a).sum())
    z = autobp.vectorize(lambda x, w: w * x, excluded={"w"})(a, w=w)
    assert z.requires_grad and autobp.gradcheck(
        lambda w: autobp.vectorize(lambda x, w: w * x, excluded={1})(a, w), (w,)
    )


def test_vectorize_otypes_multiple_outputs_and_decorator_forms():
    x = leaf(1.0, -2.0, 3.0)
    y = autobp.vectorize(lambda v: v * 2, otypes=[np.float32])(x)
    assert y.dtype == np.float32
    first, second = autobp.vectorize(lambda v: (v * v, -v))(x)
    assert np.allclose(first.detach().numpy(), [1, 4, 9]) and np.allclose(
        second.detach().numpy(), [-1, 2, -3]
    )
    assert autobp.gradcheck(
        lambda x: autobp.stack(autobp.vectorize(lambda v: (v * v, autobp.sin(v)))(x)), (x,)
    )

    @autobp.vectorize
    def square(v):
        """Doc kept."""
        return v * v

    @autobp.vectorize(otypes=[np.float64])
    def cube(v):
        return v * v * v

    assert square.__doc__ == "Doc kept." and np.allclose(square(x).detach().numpy(), [1, 4, 9])
    assert np.allclose(cube(x).detach().numpy(), [1, -8, 27]) and cube(x).requires_grad
    with pytest.raises(ValueError, match="size 0 inputs"):
        autobp.vectorize(kinked)(autobp.Tensor(np.zeros(0), requires_grad=True))
    empty = autobp.vectorize(kinked, otypes=[np.float64])(autobp.Tensor(np.zeros((0, 2)), requires_grad=True))
    assert empty.shape == (0, 2)


def test_vectorize_signature_core_dimensions():
    torch = pytest.importorskip("torch")
    a = autobp.Tensor(np.arange(6.0).reshape(2, 3) / 5, requires_grad=True)
    b = leaf(1.0, -0.5, 2.0)
    dot = autobp.vectorize(lambda u, v: (u * v).sum(), signature="(n),(n)->()")
    out = dot(a, b)
    ref = np.vectorize(lambda u, v: (u * v).sum(), signature="(n),(n)->()")(
        a.detach().numpy(), b.detach().numpy()
    )
    assert out.shape == (2,) and np.allclose(out.detach().numpy(), ref)
    assert autobp.gradcheck(dot, (a, b))
    outer = autobp.vectorize(lambda u: u[:, None] * u[None, :], signature="(n)->(n,n)")
    assert outer(a).shape == (2, 3, 3) and autobp.gradcheck(outer, (a,))
    ta, tb = (torch.tensor(t.detach().numpy(), requires_grad=True) for t in (a, b))
    torch.vmap(torch.dot, in_dims=(0, None))(ta, tb).pow(2).sum().backward()
    (out**2).sum().backward()
    assert np.allclose(a.grad, ta.grad.numpy()) and np.allclose(b.grad, tb.grad.numpy())
    with pytest.raises(ValueError, match="inconsistent size for core dimension"):
        dot(a, leaf(1.0, 2.0))
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        autobp.vectorize(kinked, signature="(n)->")


# --- frompyfunc ---------------------------------------------------------------------------------------
def test_frompyfunc_of_constants_is_numpys_ufunc():
    f, g = autobp.frompyfunc(kinked, 1, 1), np.frompyfunc(kinked, 1, 1)
    a = np.array([1.5, -2.0])
    assert f(a).dtype == object and np.array_equal(f(a), g(a))
    assert (f.nin, f.nout, f.__name__) == (1, 1, g.__name__)


def test_frompyfunc_records_on_tensors():
    x, y = leaf(1.5, -2.0, 0.5), leaf(2.0, 3.0, -1.0)
    f = autobp.frompyfunc(lambda a, b: a * b + kinked(a), 2, 1)
    out = f(x, y)
    ref = np.frompyfunc(lambda a, b: a * b + kinked(a), 2, 1)(x.detach().numpy(), y.detach().numpy())
    assert np.allclose(out.detach().numpy(), ref.astype(float)) and autobp.gradcheck(f, (x, y))
    two = autobp.frompyfunc(lambda a: (a * 2, a * a), 1, 2)(x)
    assert isinstance(two, tuple) and np.allclose(two[1].detach().numpy(), x.detach().numpy() ** 2)
    with pytest.raises(TypeError, match="takes 2 positional arguments"):
        f(x)
    # its ufunc methods record on Tensors (autobp/ufunc_methods.py): numpy's left fold of the function
    expected = np.frompyfunc(lambda a, b: a * b + kinked(a), 2, 1).reduce(x.detach().numpy().astype(object))
    assert np.allclose(f.reduce(x).detach().numpy(), float(expected)) and autobp.gradcheck(f.reduce, (x,))


# --- emath --------------------------------------------------------------------------------------------
EMATH_1 = ("sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh")
INPUTS = {  # in the real domain, and with one element out of it
    "sqrt": ([0.5, 4.0], [-4.0, 2.5]),
    "log": ([0.5, 4.0], [-4.0, 2.5]),
    "log2": ([0.5, 4.0], [-4.0, 2.5]),
    "log10": ([0.5, 4.0], [-4.0, 2.5]),
    "arccos": ([0.5, -0.3], [-4.0, 0.5, 2.0]),
    "arcsin": ([0.5, -0.3], [-1.5, 0.5, 3.0]),
    "arctanh": ([0.5, -0.3], [-2.0, 0.5, 1.5]),
}


@pytest.mark.parametrize("name", EMATH_1)
def test_emath_values_and_dtypes_are_numpys(name):
    ours, theirs = getattr(autobp.emath, name), getattr(np.emath, name)
    for values in INPUTS[name]:
        for dtype in (np.float64, np.float32):
            a = np.array(values, dtype)
            out = ours(autobp.Tensor(a, requires_grad=dtype == np.float64))
            ref = theirs(a)
            assert out.dtype == ref.dtype and np.allclose(out.detach().numpy(), ref, rtol=1e-6)
        assert type(ours(np.array(values))) is np.ndarray and np.array_equal(
            ours(np.array(values)), theirs(values)
        )
    assert ours(-0.5 if name != "arccos" else 2.0) == theirs(-0.5 if name != "arccos" else 2.0)


@pytest.mark.parametrize("name", EMATH_1)
def test_emath_gradients(name):
    f = getattr(autobp.emath, name)
    for values in INPUTS[name]:
        x = leaf(*values)
        assert autobp.gradcheck(f, (x,)) and autobp.gradgradcheck(f, (x,))
        y = np.emath.sqrt(x)  # numpy's function on a Tensor dispatches here
        assert isinstance(y, autobp.Tensor) and y.requires_grad


@pytest.mark.parametrize("name", ["sqrt", "log", "log2", "log10", "arctanh", "arccos", "arcsin"])
def test_emath_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    values = INPUTS[name][1]
    if name in ("arccos", "arcsin"):  # torch's derivative on the cut beyond +1 takes the other side
        values = [v for v in values if v < 1]
    x = leaf(*values)
    y = getattr(autobp.emath, name)(x)
    (y.real * 2 + y.imag * 3).sum().backward()
    xt = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    yt = getattr(torch, name)(xt.to(torch.complex128))
    (yt.real * 2 + yt.imag * 3).sum().backward()
    assert np.allclose(y.detach().numpy(), yt.detach().numpy()) and np.allclose(x.grad, xt.grad.numpy())


def test_emath_logn_and_power():
    x, p = leaf(-8.0, 2.0), leaf(2.0, 0.5)
    assert np.allclose(autobp.emath.logn(2, x).detach().numpy(), np.emath.logn(2, [-8.0, 2.0]))
    assert np.allclose(autobp.emath.logn(x, 3.0).detach().numpy(), np.emath.logn([-8.0, 2.0], 3.0))
    assert autobp.gradcheck(lambda x: autobp.emath.logn(3.0, x), (x,))
    out = autobp.emath.power(x, p)
    assert np.allclose(out.detach().numpy(), np.emath.power([-8.0, 2.0], [2.0, 0.5]))
    assert autobp.gradcheck(autobp.emath.power, (x, p))
    assert np.allclose(autobp.emath.power(leaf(2.0, 4.0), -1).detach().numpy(), [0.5, 0.25])  # not integer 0
    assert np.array_equal(autobp.emath.power([-4.0, 4.0], 0.5), np.emath.power([-4.0, 4.0], 0.5))


def test_arcsin_arccos_complex_gradients_on_the_real_axis_follow_the_values():
    """On the real axis beyond +-1 (imaginary part +0), the derivative of the side numpy's value is on."""
    x = leaf(-4.0, -1.5, 2.0, 3.0)
    for f in (autobp.arcsin, autobp.arccos):
        assert autobp.gradcheck(lambda x, f=f: f(x.astype(np.complex128)), (x,))
        assert autobp.gradgradcheck(lambda x, f=f: f(x.astype(np.complex128)), (x,))


def test_lists_holding_tensors_are_stacked_on_the_graph():
    t = autobp.Tensor(np.float64(-4.0), requires_grad=True)
    y = autobp.emath.sqrt([t, 9.0])
    assert np.allclose(y.detach().numpy(), [2j, 3.0])
    y.imag.sum().backward()
    assert np.isclose(t.grad, -0.25)  # d Im sqrt(x + 0j) / dx = -1 / (2 sqrt(-x))
    z = autobp.vectorize(lambda v: v * v)([t, 1.0])
    assert z.requires_grad and np.allclose(z.detach().numpy(), [16.0, 1.0])
