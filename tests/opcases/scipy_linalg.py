"""Op-table cases for scipy.linalg's sqrtm, solve_sylvester and solve_banded in autobp.linalg: inputs
built to be well conditioned (positive definite for sqrtm, a shifted diagonal elsewhere), checked
against scipy's values, finite differences and second order (PyTorch has none of the three)."""

import numpy as np
import scipy.linalg as sl

import autobp.linalg as la

from ..optable import arrays_of, case


def _spd(a, n):
    """a a^T + I: symmetric positive definite, written for Tensors and arrays alike."""
    return a @ a.swapaxes(-1, -2) + np.eye(n, dtype=a.dtype)


for _n in (1, 2, 3):
    case(
        "sqrtm",
        lambda a, n=_n: la.sqrtm(_spd(a, n)),
        arrays_of((_n, _n), lo=-1.0, hi=1.0),
        numpy_fn=lambda a, n=_n: sl.sqrtm(_spd(a, n)),
        id=f"sqrtm-spd-{_n}",
    )


def _eye(n, like):
    return 3 * np.eye(n, dtype=like.dtype)


for _m, _n in [(3, 2), (1, 1), (2, 3)]:
    case(  # eigenvalues of a and b near 3: a + b is far from singular, so X is unique
        "solve_sylvester",
        lambda a, b, q, m=_m, n=_n: la.solve_sylvester(a + _eye(m, a), b + _eye(n, b), q),
        arrays_of((_m, _m), (_n, _n), (_m, _n), lo=-0.5, hi=0.5),
        numpy_fn=lambda a, b, q, m=_m, n=_n: sl.solve_sylvester(a + _eye(m, a), b + _eye(n, b), q),
        id=f"solve_sylvester-{_m}x{_n}",
    )


def _dominant(ab, lo):
    """Banded storage whose main diagonal (row u = ab.shape[0] - 1 - lo) is shifted by 4."""
    shift = np.zeros(ab.shape, ab.dtype)
    shift[ab.shape[0] - 1 - lo] = 4.0
    return ab + shift


for (_lo, _up), _b in [((1, 1), (5,)), ((2, 1), (4, 2)), ((0, 2), (4,)), ((1, 0), (3, 1))]:
    case(
        "solve_banded",
        lambda ab, b, lu=(_lo, _up): la.solve_banded(lu, _dominant(ab, lu[0]), b),
        arrays_of((_lo + _up + 1, _b[0]), _b, lo=-1.0, hi=1.0),
        numpy_fn=lambda ab, b, lu=(_lo, _up): sl.solve_banded(lu, _dominant(ab, lu[0]), b),
        id=f"solve_banded-{_lo}-{_up}-{_b}",
    )
