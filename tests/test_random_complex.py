"""``randn``/``rand`` (and their ``_like`` forms) of a complex dtype, as PyTorch's: each part drawn
independently, N(0, 1/2) for randn (unit variance in all) and U[0, 1) for rand; float draws unchanged."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype, tdtype", [(np.complex64, "complex64"), (np.complex128, "complex128")])
def test_complex_randn_has_torchs_dtype_and_moments(dtype, tdtype):
    autobp.manual_seed(3)
    z = autobp.randn(100_000, dtype=dtype)
    tz = torch.randn(100_000, dtype=getattr(torch, tdtype))
    assert z.dtype == np.dtype(dtype) and str(tz.dtype) == f"torch.{tdtype}"
    for part, tpart in ((z.real, tz.real), (z.imag, tz.imag)):
        assert abs(float(part.var()) - 0.5) < 0.01 and abs(float(tpart.var()) - 0.5) < 0.01
        assert abs(float(part.mean())) < 0.01
    assert abs(float(np.corrcoef(z.real.numpy(), z.imag.numpy())[0, 1])) < 0.02  # independent parts


def test_complex_rand_parts_are_uniform_and_like_forms_keep_the_dtype():
    autobp.manual_seed(4)
    u = autobp.rand(50_000, dtype=np.complex128)
    for part in (u.real.numpy(), u.imag.numpy()):
        assert part.min() >= 0.0 and part.max() < 1.0 and abs(part.mean() - 0.5) < 0.01
    assert autobp.randn_like(u).dtype == np.complex128 and autobp.rand_like(u).shape == u.shape


def test_float_draws_are_unchanged_by_complex_support():
    autobp.manual_seed(5)
    a = autobp.randn(4, 3)
    b = np.random.default_rng(5).standard_normal((4, 3))  # what manual_seed(5) seeds
    np.testing.assert_array_equal(a.numpy(), b)
    with pytest.raises(TypeError, match="dtype must be"):
        autobp.randn(2, dtype=np.int64)
