"""autobp.signal's convolve2d, correlate2d and detrend (added for jax.scipy.signal's coverage) against
scipy.signal: every mode, real and complex, either input the larger, detrend's breakpoints and dtypes;
gradients against autobp.gradcheck."""

import numpy as np
import pytest
import scipy.signal as ss

from autobp import Tensor, gradcheck
from autobp import signal as sg

rng = np.random.default_rng(3)
_SHAPES = [((3, 4), (2, 3)), ((2, 3), (3, 4)), ((2, 2), (2, 2)), ((1, 1), (4, 4)), ((4, 4), (1, 1))]


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["convolve2d", "correlate2d"])
def test_2d_convolutions_match_scipy(name, mode):
    ours, theirs = getattr(sg, name), getattr(ss, name)
    for sa, sb in _SHAPES:
        a = rng.standard_normal(sa) + 1j * rng.standard_normal(sa)
        b = rng.standard_normal(sb) + 1j * rng.standard_normal(sb)
        np.testing.assert_allclose(ours(a, b, mode), theirs(a, b, mode), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours(a.real, b.real, mode), theirs(a.real, b.real, mode), rtol=1e-12)
    ta, tb = (
        Tensor(rng.standard_normal((2, 3)), requires_grad=True),
        Tensor(rng.standard_normal((3, 4)), requires_grad=True),
    )
    assert gradcheck(lambda u, v: ours(u, v, mode, precision="highest"), (ta, tb))


def test_2d_convolutions_refuse_what_they_do_not_support():
    with pytest.raises(ValueError, match="2-D"):
        sg.convolve2d(np.ones(3), np.ones(2))
    with pytest.raises(NotImplementedError, match="boundary='fill'"):
        sg.correlate2d(np.ones((3, 3)), np.ones((2, 2)), boundary="wrap")


@pytest.mark.parametrize("kind", ["constant", "linear"])
@pytest.mark.parametrize("axis, bp", [(-1, 0), (0, [0, 2]), (1, [1, 3]), (2, [2])])
def test_detrend_matches_scipy(kind, axis, bp):
    x = rng.standard_normal((3, 4, 5))
    np.testing.assert_allclose(
        sg.detrend(x, axis=axis, type=kind, bp=bp),
        ss.detrend(x, axis=axis, type=kind, bp=bp),
        rtol=1e-10,
        atol=1e-12,
    )
    assert sg.detrend(x.astype(np.float32), axis=axis, type=kind, bp=bp).dtype == np.float32
    ints = np.arange(20).reshape(4, 5) ** 2
    got = sg.detrend(ints, axis=-1, type=kind)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, ss.detrend(ints, axis=-1, type=kind), atol=1e-10)
    t = Tensor(x, requires_grad=True)
    assert gradcheck(lambda u: sg.detrend(u, axis=axis, type=kind, bp=bp), (t,))
