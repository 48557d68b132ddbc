"""var and std of complex tensors (real results): first and second derivatives against finite
differences on the real and imaginary parts and against PyTorch; cov and corrcoef conjugate as numpy's.

The second derivative is the case HIPS autograd's test_systematic::test_std checks on a complex (2, 3)
input: the first-order gradient g (z - mean) / (N std) is complex, so in the double backward the real
std output is handed a complex gradient whose imaginary part must be dropped (only Re is a gradient of
a real value)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradcheck, gradgradcheck

torch = pytest.importorskip("torch")

_RNG = np.random.default_rng(0)
_E = _RNG.standard_normal((2, 3)) + 0.1j * _RNG.standard_normal((2, 3))  # autograd stat_check's input
_KWARGS = [{}, {"axis": 0}, {"axis": 0, "keepdims": True}, {"axis": 1, "ddof": 1}]


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("kw", _KWARGS, ids=str)
def test_first_and_second_order_match_finite_differences(name, kw):
    fn = lambda z: getattr(autobp, name)(z, **kw)  # noqa: E731
    assert gradcheck(fn, [Tensor(_E, requires_grad=True)])
    assert gradgradcheck(fn, [Tensor(_E, requires_grad=True)])


def _torch_call(name, z, kw):
    dim = kw.get("axis")
    return getattr(torch, name)(z, dim=dim, correction=kw.get("ddof", 0), keepdim=kw.get("keepdims", False))


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("kw", _KWARGS, ids=str)
def test_second_derivative_matches_torch(name, kw):
    """d/dz Re<w, d std/dz> with a complex w: the Hessian-vector product in PyTorch's convention."""
    w = np.cos(np.arange(6.0)).reshape(2, 3) + 1j * np.sin(np.arange(6.0) + 1).reshape(2, 3)
    z = Tensor(_E, requires_grad=True)
    (g,) = autobp.grad(getattr(autobp, name)(z, **kw).sum(), [z], create_graph=True)
    (h,) = autobp.grad((g * w).real.sum(), [z])
    tz = torch.tensor(_E, requires_grad=True)
    (tg,) = torch.autograd.grad(_torch_call(name, tz, kw).sum(), tz, create_graph=True)
    (th,) = torch.autograd.grad((tg * torch.tensor(w)).real.sum(), tz)
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(h), th.numpy(), rtol=1e-9, atol=1e-12)


def test_var_and_std_of_complex_are_real_like_numpy_and_torch():
    v, s = autobp.var(Tensor(_E), axis=1), autobp.std(Tensor(_E), axis=1)
    assert v.dtype == np.float64 and s.dtype == np.float64
    np.testing.assert_allclose(v.data, np.var(_E, axis=1), rtol=1e-12)
    np.testing.assert_allclose(s.data, torch.std(torch.tensor(_E), dim=1, correction=0).numpy(), rtol=1e-12)


def test_gradcheck_keeps_a_zero_d_complex_input_zero_d():
    """Realifying a 0-d complex input gave (1,)-shaped parts (np.ascontiguousarray makes 1-d), so a
    0-d fill value of full() looked like a constant and the check failed on a right gradient."""
    seen = []

    def fn(v):
        seen.append(v.shape)
        return autobp.full((2, 3), v)

    assert gradcheck(fn, [Tensor(np.array(1.0 + 2.0j), requires_grad=True)])
    assert set(seen) == {()}


def test_cov_conjugates_as_numpy_and_torch():
    m = _E + 0.5j
    c = autobp.cov(Tensor(m))
    np.testing.assert_allclose(c.data, np.cov(m), rtol=1e-12)
    np.testing.assert_allclose(c.data, torch.cov(torch.tensor(m)).numpy(), rtol=1e-12)
    r = autobp.corrcoef(Tensor(m))
    np.testing.assert_allclose(r.data, np.corrcoef(m), rtol=1e-12)
    np.testing.assert_allclose(r.data, torch.corrcoef(torch.tensor(m)).numpy(), rtol=1e-12)
