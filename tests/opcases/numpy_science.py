"""Op-table cases for numpy's scientific functions: interp (points away from the knots, where it is
smooth; the knots themselves in tests/test_interp.py), trapezoid and cumulative_trapezoid (against
torch), the legacy polynomial functions (polyval ... poly, against numpy) and cumulative_sum/prod."""

import numpy as np
import scipy.integrate
from hypothesis import strategies as st

import autobp
from autobp.integrate import cumulative_trapezoid

from ..optable import arrays_of, case, shapes, torch, unary
from .linalg import one, square
from .statistics import nonzero


# --- interp ---------------------------------------------------------------------------------------
@st.composite
def interp_inputs(draw, outside=True):
    """(x, xp, fp): 2 to 5 knots at least 0.3 apart, x of any small shape at least 0.05 from every
    knot (finite differences must not step over one), inside or (``outside``) beyond the ends."""
    n = draw(st.integers(2, 5))
    gaps = draw(st.lists(st.floats(0.3, 1.5), min_size=n - 1, max_size=n - 1))
    xp = draw(st.floats(-2.0, 0.0)) + np.concatenate([[0.0], np.cumsum(gaps)])
    fp = np.array(draw(st.lists(st.floats(-3.0, 3.0), min_size=n, max_size=n)))
    shape = draw(shapes(max_dims=2))
    lo, hi = (xp[0] - 1.0, xp[-1] + 1.0) if outside else (xp[0], xp[-1])
    size = int(np.prod(shape))
    x = np.array(draw(st.lists(st.floats(lo, hi), min_size=size, max_size=size))).reshape(shape)
    x = np.where(np.min(np.abs(x[..., None] - xp), axis=-1, initial=np.inf) < 0.05, (xp[0] + xp[1]) / 2, x)
    return x, xp, fp


case(
    "interp",
    lambda x, xp, fp: autobp.interp(x, xp, fp),
    interp_inputs(),
    numpy_fn=np.interp,
    id="interp",
)
case(
    "interp",
    lambda x, xp, fp, left, right: autobp.interp(x, xp, fp, left=left, right=right),
    interp_inputs().flatmap(lambda t: arrays_of((), ()).map(lambda lr: t + lr)),
    numpy_fn=lambda x, xp, fp, left, right: np.interp(x, xp, fp, left=left, right=right),
    id="interp-left-right-tensors",
)
case(
    "interp",
    lambda x, xp, fp: autobp.interp(x, xp, fp, period=7.0),
    interp_inputs(outside=False),
    numpy_fn=lambda x, xp, fp: np.interp(x, xp, fp, period=7.0),
    id="interp-period",
)


# --- trapezoid --------------------------------------------------------------------------------------
def _points(n):
    """n increasing sample points at least 0.2 apart."""
    return st.lists(st.floats(0.2, 1.0), min_size=n, max_size=n).map(lambda d: np.cumsum(d) - 1.0)


def _y_and_x(full_x):
    def build(s):
        x = arrays_of(s, lo=-2.0, hi=2.0) if full_x else _points(s[-1]).map(lambda v: (v,))
        return st.tuples(arrays_of(s), x).map(lambda t: t[0] + t[1])

    return shapes(min_dims=1, min_side=1).flatmap(build)


case(
    "trapezoid",
    lambda y: autobp.trapezoid(y),
    unary(min_dims=1),
    torch_fn=lambda y: torch.trapezoid(y),
    numpy_fn=np.trapezoid,
    ints=True,
    id="trapezoid-dx",
)
case(
    "trapezoid",
    lambda y: autobp.trapezoid(y, dx=0.5, axis=0),
    unary(min_dims=1),
    torch_fn=lambda y: torch.trapezoid(y, dx=0.5, dim=0),
    numpy_fn=lambda y: np.trapezoid(y, dx=0.5, axis=0),
    id="trapezoid-dx-axis0",
)
case(
    "trapezoid",
    lambda y, x: autobp.trapezoid(y, x),
    _y_and_x(False),
    torch_fn=lambda y, x: torch.trapezoid(y, x),
    numpy_fn=np.trapezoid,
    id="trapezoid-x-1d",
)
case(
    "trapezoid",
    lambda y, x: autobp.trapezoid(y, x, axis=0),
    _y_and_x(True),
    torch_fn=lambda y, x: torch.trapezoid(y, x, dim=0),
    numpy_fn=lambda y, x: np.trapezoid(y, x, axis=0),
    id="trapezoid-x-full-axis0",
)
case(
    "cumulative_trapezoid",
    lambda y, x: cumulative_trapezoid(y, x),
    _y_and_x(False),
    torch_fn=lambda y, x: torch.cumulative_trapezoid(y, x),
    numpy_fn=scipy.integrate.cumulative_trapezoid,
    id="cumulative_trapezoid-x-1d",
)
case(
    "cumulative_trapezoid",
    lambda y, x: cumulative_trapezoid(y, x, axis=0, initial=0),
    _y_and_x(True),
    torch_fn=lambda y, x: torch.cat(
        [torch.zeros((1,) + y.shape[1:], dtype=y.dtype), torch.cumulative_trapezoid(y, x, dim=0)]
    ),
    numpy_fn=lambda y, x: scipy.integrate.cumulative_trapezoid(y, x, axis=0, initial=0),
    id="cumulative_trapezoid-x-full-initial",
)
case(
    "cumulative_trapezoid",
    lambda y: cumulative_trapezoid(y, dx=0.25),
    unary(min_dims=1, min_side=1),
    torch_fn=lambda y: torch.cumulative_trapezoid(y, dx=0.25),
    numpy_fn=lambda y: scipy.integrate.cumulative_trapezoid(y, dx=0.25),
    ints=True,
    id="cumulative_trapezoid-dx",
)


# --- polynomials -------------------------------------------------------------------------------------
def coeffs(max_len=4, lead=False):
    """1 to ``max_len`` coefficients; with ``lead`` the first is at least 0.5 in magnitude."""
    arrays = st.integers(1, max_len).flatmap(lambda n: arrays_of((n,)))
    if not lead:
        return arrays.map(lambda t: t[0])
    return arrays.map(lambda t: np.concatenate([[np.copysign(0.5 + abs(t[0][0]), t[0][0])], t[0][1:]]))


def _torch_horner(p, x):
    y = torch.zeros_like(x)
    for c in p:
        y = y * x + c
    return y


case(
    "polyval",
    autobp.polyval,
    st.tuples(coeffs(), shapes().flatmap(lambda s: arrays_of(s).map(lambda t: t[0]))),
    torch_fn=_torch_horner,
    numpy_fn=np.polyval,
    ints=True,
)
for m in (1, 2):
    case(
        "polyder",
        lambda p, m=m: autobp.polyder(p, m),
        coeffs(5).map(lambda p: (p,)),
        numpy_fn=lambda p, m=m: np.polyder(p, m),
        ints=True,
        id=f"polyder-m{m}",
    )
case(
    "polyint",
    lambda p: autobp.polyint(p),
    coeffs().map(lambda p: (p,)),
    numpy_fn=np.polyint,
    ints=True,
    id="polyint",
)
case(
    "polyint",
    lambda p, k: autobp.polyint(p, 2, k),
    st.tuples(coeffs(), arrays_of((2,)).map(lambda t: t[0])),
    numpy_fn=lambda p, k: np.polyint(p, 2, k),
    id="polyint-m2-k",
)
for name in ("polyadd", "polysub", "polymul"):
    case(
        name,
        getattr(autobp, name),
        # polymul drops leading zeros first (numpy's poly1d): a leading 0 would change the length
        st.tuples(coeffs(lead=name == "polymul"), coeffs(lead=name == "polymul")),
        numpy_fn=getattr(np, name),
        ints=True,
    )


def _generic_division(u, v):
    """numpy drops leading remainder coefficients within 1e-8 of 0: keep to examples where exactly
    the cancelled ones go and the next is far from 0 (a step of finite differences keeps the shape)."""
    r = np.polydiv(u, v)[1]
    expect = max(len(v) - 1, 1) if len(u) >= len(v) else len(u)
    return len(r) == expect and (len(r) == 1 or abs(r[0]) > 1e-3)


case(
    "polydiv",
    autobp.polydiv,
    st.tuples(coeffs(5, lead=True), coeffs(3, lead=True)).filter(lambda t: _generic_division(*t)),
    numpy_fn=np.polydiv,
)


@st.composite
def spaced_roots(draw, max_n=4):
    """1 to ``max_n`` distinct real roots at least 0.3 apart (simple roots: roots() is smooth)."""
    n = draw(st.integers(1, max_n))
    gaps = draw(st.lists(st.floats(0.3, 1.0), min_size=n, max_size=n))
    return (draw(st.floats(-2.0, 0.0)) + np.cumsum(gaps),)


case("poly", autobp.poly, spaced_roots(), numpy_fn=np.poly, id="poly-of-roots")
case(
    "poly",
    autobp.poly,
    one(square(max_batch=0)),  # seeded values: distinct eigenvalues (hypothesis's repeats are not)
    numpy_fn=np.poly,
    second_order=False,  # through eigvals: its second derivative is checked in the linalg cases
    id="poly-of-matrix",
)
case(
    "roots",
    lambda r: autobp.roots(autobp.poly(r) * 1.5),
    spaced_roots(),
    numpy_fn=lambda r: np.roots(np.poly(r) * 1.5),
    second_order=False,
    atol=1e-4,
    id="roots-real",
)
case(
    "roots",
    lambda a, b: autobp.roots(autobp.stack([a * 0 + 1.0, -2 * a, a * a + b * b + 0.25])),
    arrays_of((), (), lo=-1.0, hi=1.0),  # a complex pair a +- i sqrt(b^2 + 0.25)
    numpy_fn=lambda a, b: np.roots(np.stack([a * 0 + 1.0, -2 * a, a * a + b * b + 0.25])),
    second_order=False,
    id="roots-complex-pair",
)


@st.composite
def fit_data(draw, deg, two_d=False):
    """deg + 2 to 6 distinct sample points in [-1, 2] and values (a column per fit when ``two_d``)."""
    n = draw(st.integers(deg + 2, 6))
    x = np.linspace(-1.0, 2.0, n) + np.array(draw(st.lists(st.floats(-0.1, 0.1), min_size=n, max_size=n)))
    (y,) = draw(arrays_of((n, 2) if two_d else (n,)))
    return x, y


for deg in (0, 1, 2):
    case(
        "polyfit",
        lambda x, y, deg=deg: autobp.polyfit(x, y, deg),
        fit_data(deg),
        id=f"polyfit-deg{deg}",
    )
case(
    "polyfit",
    lambda x, y, w: autobp.polyfit(x, y, 2, w=w, cov=True),
    fit_data(2, two_d=True).flatmap(lambda t: arrays_of((len(t[0]),), lo=0.5, hi=2.0).map(lambda w: t + w)),
    second_order=False,
    id="polyfit-weights-cov",
)
case(
    "polyfit",
    lambda x, y: autobp.polyfit(x, y, 1, full=True)[:2],
    fit_data(1),
    second_order=False,
    id="polyfit-full-residuals",
)


# polyfit's values agree with numpy's to rounding only (pinv, not LAPACK's gelsd, solves the system):
# compared at 1e-9 in tests/test_polynomials.py


# --- cumulative_sum / cumulative_prod ----------------------------------------------------------------
def _torch_cumulative(name, x, axis, initial):
    out = getattr(torch, name)(x, dim=axis)
    if not initial:
        return out
    shape = list(x.shape)
    shape[axis] = 1
    first = torch.zeros(shape, dtype=x.dtype) if name == "cumsum" else torch.ones(shape, dtype=x.dtype)
    return torch.cat([first, out], dim=axis)


for name, tname in (("cumulative_sum", "cumsum"), ("cumulative_prod", "cumprod")):
    for axis, initial, opts in ((None, False, {"max_dims": 1}), (0, True, {}), (-1, True, {})):
        case(
            name,
            lambda x, name=name, axis=axis, initial=initial: getattr(autobp, name)(
                x, axis=axis, include_initial=initial
            ),
            nonzero(min_dims=1, **opts),  # no product underflows (see statistics.nonzero)
            torch_fn=lambda x, tname=tname, axis=axis, initial=initial: _torch_cumulative(
                tname, x, 0 if axis is None else axis, initial
            ),
            numpy_fn=lambda x, name=name, axis=axis, initial=initial: getattr(np, name)(
                x, axis=axis, include_initial=initial
            ),
            ints=True,
            id=f"{name}-axis{axis}-initial{initial}",
        )
