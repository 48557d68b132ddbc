"""Op-table case for autobp.integrate.odeint: adjoint gradients in y0, every time and a parameter,
and the recorded adjoint's own gradients (second order), against finite differences of the solver
(float64, fine steps so RK4's own error stays small)."""

import autobp
from autobp.integrate import odeint

from ..optable import arrays_of, case


def _f(y, t, k):
    return -k * y + autobp.tanh(y) * t


case(
    "odeint",
    lambda y0, t, k: odeint(_f, y0, t, args=(k,), substeps=16),
    arrays_of((2,), (3,), (), lo=-1.0, hi=1.0),
    atol=1e-4,  # the adjoint is exact; finite differences also see fixed-step RK4 error (y(t2) moves with t1)
)
