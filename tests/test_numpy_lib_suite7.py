"""Fixes found by running numpy 2.4.6's lib/_core test files against autobp (seventh numpy pass):
each checked against numpy on the same inputs (and gradcheck where differentiable)."""

import numpy as np
import pytest

import autobp as ab

INF = np.inf


@pytest.mark.parametrize(
    "fp",
    [
        [0, -INF * 1j],
        [0, INF * 1j],
        [-INF * 1j, 10],
        [complex(INF, INF), 10],
        [0, complex(INF, INF)],
        [complex(-INF, INF), 1j],
        [complex(np.nan, 1), 2],
    ],
)
def test_interp_complex_infinite_parts_apart(fp):
    # numpy interpolates the real and imaginary parts apart: inf + inf j stays inf + inf j
    fp = np.array(fp, complex)
    x = np.array([0.5, 0.0, 1.0, 0.25])
    got = ab.interp(ab.tensor(x), ab.tensor([0.0, 1.0]), ab.tensor(fp))
    np.testing.assert_array_equal(got.numpy(), np.interp(x, [0.0, 1.0], fp))
