"""Complex inputs where PyTorch's OpInfo database (run in complex128 and complex64) found autobp wrong
or refusing: istft of spectra that are not an stft's (a two-sided spectrum read as PyTorch reads it,
a complex window's envelope window ** 2) and complex64 staying complex64/float32. Values and
conjugate-Wirtinger gradients (real loss Re sum(out * v), v complex) against torch; second order by
central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:.*window was not provided:UserWarning")
RNG = np.random.default_rng(11)


def cplx(*shape):
    return RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)


def against_torch(ab_fn, th_fn, *arrays, atol=1e-10):
    """ab_fn and th_fn on the same arrays (float/complex ones leaves requiring grad): equal values and
    dtypes, and equal gradients of Re sum(out * v) for a random v (complex for a complex output)."""
    ab_in = [autobp.tensor(a, requires_grad=a.dtype.kind in "fc") for a in arrays]
    th_in = [torch.tensor(a, requires_grad=a.dtype.kind in "fc") for a in arrays]
    ab_out, th_out = ab_fn(*ab_in), th_fn(*th_in)
    want = th_out.detach().numpy()
    assert ab_out.dtype == want.dtype and ab_out.shape == want.shape
    np.testing.assert_allclose(np.asarray(ab_out.data), want, atol=atol, rtol=1e-7)
    v = cplx(*want.shape) if want.dtype.kind == "c" else RNG.standard_normal(want.shape)
    v = v.astype(want.dtype)
    leaves = [i for i, a in enumerate(arrays) if a.dtype.kind in "fc"]
    th_loss = (th_out * torch.tensor(v)).real.sum()
    tg = torch.autograd.grad(th_loss, [th_in[i] for i in leaves], allow_unused=True, materialize_grads=True)
    ab_loss = (ab_out * autobp.tensor(v)).real.sum()
    ag = autobp.autograd.grad(ab_loss, [ab_in[i] for i in leaves], allow_unused=True)
    for i, g, t in zip(leaves, ag, tg):
        got = np.zeros(arrays[i].shape, arrays[i].dtype) if g is None else np.asarray(g)
        np.testing.assert_allclose(got, t.numpy(), atol=atol * 100, rtol=1e-6, err_msg=f"gradient {i}")


# --- istft -----------------------------------------------------------------------------------------
ISTFT = [
    dict(n_fft=10),  # two-sided (10 bins), real result: torch takes the first 6 bins
    dict(n_fft=10, center=False),
    dict(n_fft=10, onesided=False, normalized=True),
    dict(n_fft=10, window="real"),
    dict(n_fft=10, window="complex", return_complex=True),
    dict(n_fft=10, window="complex8", win_length=8, return_complex=True),
    dict(n_fft=10, return_complex=True, length=12),
]


@pytest.mark.parametrize("kw", ISTFT, ids=[str(sorted(k.items())) for k in ISTFT])
def test_istft_of_any_two_sided_spectrum_is_torchs(kw):
    spec = cplx(3, 10, 6)
    kw = dict(kw)
    kind = kw.pop("window", None)
    if kind is None:
        compare_args = (spec,)
    else:
        w = RNG.uniform(0.5, 2.0, 8 if kind == "complex8" else 10)
        compare_args = (spec, w + (0.3j * RNG.uniform(-1, 1, w.shape) if kind != "real" else 0))
    against_torch(
        lambda z, *w: autobp.istft(z, window=w[0] if w else None, **kw),
        lambda z, *w: torch.istft(z, window=w[0] if w else None, **kw),
        *compare_args,
    )


def test_istft_second_order_and_complex64():
    z = autobp.tensor(cplx(6, 3), requires_grad=True)
    w = autobp.tensor(RNG.uniform(0.5, 2.0, 6) + 0.2j, requires_grad=True)
    assert autobp.gradgradcheck(lambda z, w: autobp.istft(z, 6, 2, window=w, return_complex=True), (z, w))
    assert autobp.gradgradcheck(lambda z: autobp.istft(z, 6, 2, onesided=False), (z,))
    z64 = cplx(6, 3).astype(np.complex64)
    for kw in (dict(), dict(return_complex=True)):
        got = autobp.istft(autobp.tensor(z64), 6, 2, **kw)
        want = torch.istft(torch.tensor(z64), 6, 2, window=torch.ones(6), **kw)
        assert got.dtype == want.numpy().dtype
        np.testing.assert_allclose(got.data, want.numpy(), atol=1e-5)


def test_istft_refuses_a_complex_window_for_a_real_result_as_torch():
    z, w = cplx(6, 3), np.ones(6) + 0.1j
    with pytest.raises(RuntimeError):
        torch.istft(torch.tensor(z), 6, 2, window=torch.tensor(w))
    with pytest.raises(ValueError, match="complex window"):
        autobp.istft(autobp.tensor(z), 6, 2, window=autobp.tensor(w))


# --- geqrf / ormqr / householder_product -------------------------------------------------------------
@pytest.mark.parametrize("shape", [(5, 0), (0, 5), (0, 0), (2, 0, 3), (0, 3, 2)])
@pytest.mark.parametrize("dtype", ["float64", "complex128", "complex64"])
def test_geqrf_of_empty_matrices_is_torchs(shape, dtype):
    got, want = (
        autobp.geqrf(np.zeros(shape, dtype)),
        torch.geqrf(torch.zeros(shape, dtype=getattr(torch, dtype))),
    )
    for g, w in zip(got, want):
        assert g.shape == tuple(w.shape) and g.dtype == w.numpy().dtype


@pytest.mark.parametrize(("left", "transpose"), [(True, False), (True, True), (False, True)])
def test_complex_ormqr_gradients_and_complex64_are_torchs(left, transpose):
    a, other = cplx(5, 3), cplx(5, 2) if left else cplx(2, 5)
    tq, ttau = torch.geqrf(torch.tensor(a))
    against_torch(
        lambda q, t, c: autobp.ormqr(q, t, c, left, transpose),
        lambda q, t, c: torch.ormqr(q, t, c, left, transpose),
        tq.numpy(), ttau.numpy(), other,
    )  # fmt: skip
    q64, t64, o64 = (x.astype(np.complex64) for x in (tq.numpy(), ttau.numpy(), other))
    got = autobp.ormqr(q64, t64, o64, left, transpose)
    want = torch.ormqr(*(torch.tensor(x) for x in (q64, t64, o64)), left, transpose).numpy()
    assert got.dtype == np.complex64 == want.dtype
    np.testing.assert_allclose(got.data, want, atol=1e-5)
    assert autobp.linalg.householder_product(q64, t64).dtype == np.complex64


# --- pinv's default cutoff -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "float32"])
def test_pinv_of_a_rank_deficient_single_precision_matrix_cuts_at_its_own_eps(dtype):
    a = cplx(6, 2) @ cplx(2, 5)  # rank 2: float32 rounding leaves singular values near 1e-6, not 0
    a = (a if dtype == "complex64" else a.real).astype(dtype)
    got, want = autobp.linalg.pinv(a), torch.linalg.pinv(torch.tensor(a)).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.data, want, atol=1e-4)


# --- torch.masked on complex input ---------------------------------------------------------------
MASK = np.array([[True, False, True, True], [True, True, True, False], [False, True, True, True]])


@pytest.mark.parametrize("name", ["var", "std", "mean", "sum", "prod", "cumsum", "cumprod", "logsumexp"])
def test_masked_reductions_of_complex_input_are_torchs(name):
    kw = dict(correction=0) if name in ("var", "std") else {}
    against_torch(
        lambda z: getattr(autobp.masked, name)(z, 1, mask=MASK, **kw),
        lambda z: getattr(torch.masked, name)(z, 1, mask=torch.tensor(MASK), **kw),
        cplx(3, 4),
    )


@pytest.mark.parametrize("name", ["var", "std"])
def test_masked_var_std_of_complex_input_keep_the_dtype_and_second_order(name):
    mask = np.array([[True, False, False], [False, False, False]])  # one kept element, one empty row
    for dtype in ("complex128", "complex64"):
        z = cplx(2, 3).astype(dtype)
        got = getattr(autobp.masked, name)(autobp.tensor(z), 1, mask=mask)
        want = getattr(torch.masked, name)(torch.tensor(z), 1, mask=torch.tensor(mask)).numpy()
        assert got.dtype == want.dtype  # complex: torch.masked's, unlike torch.var's real result
        np.testing.assert_array_equal(np.isnan(got.data.real), np.isnan(want.real))
        np.testing.assert_array_equal(np.isnan(got.data.imag), np.isnan(want.imag))
    z = autobp.tensor(cplx(3, 4), requires_grad=True)
    assert autobp.gradgradcheck(lambda z: getattr(autobp.masked, name)(z, 1, mask=MASK), (z,))


# --- ldexp of complex numbers ------------------------------------------------------------------------
def test_ldexp_of_a_complex_mantissa_and_integer_exponent_is_torchs():
    n = np.array([[-2, 0, 3]])
    # torch's gradient for an integer exponent is grad * 2**n in integers (0 for n < 0): give it floats
    against_torch(
        lambda z: autobp.ldexp(z, n),
        lambda z: torch.ldexp(z, torch.tensor(n, dtype=z.real.dtype)),
        cplx(2, 3),
    )
    z64 = cplx(3).astype(np.complex64)
    assert autobp.ldexp(z64, n).dtype == torch.ldexp(torch.tensor(z64), torch.tensor(n)).numpy().dtype
    with pytest.raises(TypeError, match="integers"):  # numpy's refusal kept for real x1, float x2
        autobp.ldexp(autobp.tensor([1.0]), autobp.tensor([1.5]))


# --- svd_lowrank's q ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(3, 3), (3, 4), (2, 5, 4)])
@pytest.mark.parametrize("q", [None, 5])
def test_svd_lowrank_clamps_q_to_the_smaller_side_as_torch(shape, q):
    a = cplx(*shape)
    got, want = autobp.svd_lowrank(a, q=q), torch.svd_lowrank(torch.tensor(a), q=q)
    assert [g.shape for g in got] == [tuple(w.shape) for w in want]
    u, s, v = got  # q = min(m, n): the range finder spans everything, so the factors rebuild a
    np.testing.assert_allclose(((u * s[..., None, :]) @ v.conj().mT).data, a, atol=1e-10)


# --- scatter_reduce of complex numbers ---------------------------------------------------------------
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean"])
@pytest.mark.parametrize("include_self", [True, False])
def test_complex_scatter_reduce_values_are_torchs(reduce, include_self):
    x, src, idx = cplx(3, 4), cplx(2, 4), np.array([[0, 2, 1, 0], [0, 0, 2, 1]])
    src[0, 0] = 0  # a zero factor in a product
    for dt in (np.complex128, np.complex64):
        got = autobp.scatter_reduce(x.astype(dt), 0, idx, src.astype(dt), reduce, include_self=include_self)
        want = torch.tensor(x.astype(dt)).scatter_reduce(
            0, torch.tensor(idx), torch.tensor(src.astype(dt)), reduce, include_self=include_self
        )
        assert got.dtype == want.numpy().dtype
        np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-5)
    with pytest.raises(TypeError, match="amax needs an order"):
        autobp.scatter_reduce(x, 0, idx, src, "amax")
