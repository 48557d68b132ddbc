"""Differences numpy's own linalg/fft/einsum/histogram/polynomial/stride-trick tests found (run through a
renaming adapter): autobp against numpy itself on the same inputs."""

import autobp.polynomial as P
import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("kind", ["Polynomial", "Chebyshev", "Legendre", "Hermite", "HermiteE", "Laguerre"])
def test_polynomial_convert_between_autobp_classes_as_numpy(kind):
    # before: RecursionError (the isinstance/issubclass check of autobp's classes called itself)
    coef = np.array([1.0, -2.0, 0.5])
    got = P.Polynomial(coef, domain=[0, 2]).convert(kind=getattr(P, kind))
    want = np.polynomial.Polynomial(coef, domain=[0, 2]).convert(kind=getattr(np.polynomial, kind))
    np.testing.assert_allclose(got.coef, want.coef, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got.domain, want.domain)
    q, r = divmod(got, getattr(P, kind)([1.0, 1.0], domain=got.domain, window=got.window))
    wq, wr = divmod(want, getattr(np.polynomial, kind)([1.0, 1.0], domain=want.domain, window=want.window))
    np.testing.assert_allclose(q.coef, wq.coef, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.coef, wr.coef, rtol=1e-12, atol=1e-12)


def test_polynomial_classes_isinstance_both_ways():
    assert isinstance(np.polynomial.Chebyshev([1.0]), P.Chebyshev)
    assert isinstance(P.Chebyshev([1.0]), np.polynomial.Chebyshev)
    assert not isinstance(P.Chebyshev([1.0]), P.Polynomial)
    assert not issubclass(P.Chebyshev, np.polynomial.Polynomial)


def test_linalg_outer_message_as_numpy():
    with pytest.raises(ValueError, match="Input arrays must be one-dimensional"):
        np.linalg.outer(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="Input arrays must be one-dimensional"):
        autobp.linalg.outer(autobp.ones((3, 1)), autobp.ones(3))
