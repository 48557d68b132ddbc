"""Op-table cases for the numpy names HIPS autograd programs reach for: linspace, gradient, fabs,
rollaxis, convolve, real_if_close, the complex/real predicates, partition, argpartition, select,
histogram and histogram_bin_edges (numpy's values; PyTorch where it has the op)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp

from ..optable import array, arrays_of, binary, case, complexify, floats, shapes, torch, unary
from .reductions_more import distinct

# --- linspace: differentiable in start and stop --------------------------------------------------
for _num, _endpoint, _axis in [(5, True, 0), (1, True, 0), (0, True, 0), (4, False, -1), (3, True, -1)]:
    case(
        "linspace",
        lambda s, e, n=_num, ep=_endpoint, ax=_axis: autobp.linspace(s, e, n, endpoint=ep, axis=ax),
        binary(),
        numpy_fn=lambda s, e, n=_num, ep=_endpoint, ax=_axis: np.linspace(s, e, n, endpoint=ep, axis=ax),
        id=f"linspace-num{_num}-endpoint{_endpoint}-axis{_axis}",
    )
case(
    "linspace",
    lambda s, e: autobp.linspace(s, e, 4, retstep=True),
    arrays_of((), ()),
    numpy_fn=lambda s, e: np.linspace(s, e, 4, retstep=True),
    torch_fn=lambda s, e: (s + (e - s) * torch.arange(4, dtype=s.dtype) / 3, (e - s) / 3),
    id="linspace-retstep-vs-torch-formula",
)


# --- gradient: numpy's second-order differences ---------------------------------------------------
@st.composite
def _grid(draw, min_side=2, coords=False):
    """Samples of shape (2..4, 2..4) and, with ``coords``, increasing coordinates along axis 0."""
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=min_side, max_side=4))
    f = draw(array(shape))
    if not coords:
        return (f,)
    steps = draw(hnp.arrays(np.float64, (shape[0] - 1,), elements=floats(0.3, 1.5)))
    return f, np.concatenate([[0.0], np.cumsum(steps)])


for _axis, _edge in [(None, 1), (0, 1), (-1, 2), ((0, 1), 2), ((1, 0), 1)]:  # (1, 0): in that order
    _tdim = None if _axis is None else _axis
    case(
        "gradient",
        lambda f, ax=_axis, e=_edge: autobp.gradient(f, axis=ax, edge_order=e),
        _grid(min_side=_edge + 1),
        numpy_fn=lambda f, ax=_axis, e=_edge: np.gradient(f, axis=ax, edge_order=e),
        torch_fn=lambda f, ax=_axis, e=_edge: (
            torch.gradient(f, dim=ax, edge_order=e)
            if not isinstance(ax, int)
            else torch.gradient(f, dim=ax, edge_order=e)[0]
        ),
        id=f"gradient-axis{_axis}-edge{_edge}",
    )
for _edge in (1, 2):
    case(  # coordinates are differentiable too: the formulas are smooth in them
        "gradient",
        lambda f, x, e=_edge: autobp.gradient(f, x, 0.5, edge_order=e),
        _grid(min_side=3, coords=True),
        numpy_fn=lambda f, x, e=_edge: np.gradient(f, x, 0.5, edge_order=e),
        torch_fn=lambda f, x, e=_edge: torch.gradient(
            f, spacing=(x, 0.5 * torch.arange(f.shape[1], dtype=f.dtype)), edge_order=e
        ),
        id=f"gradient-coordinates-edge{_edge}",
    )

# --- fabs, rollaxis, convolve, real_if_close ------------------------------------------------------
case("fabs", autobp.fabs, unary(away=(0.0,)), torch_fn=torch and torch.abs, numpy_fn=np.fabs, ints=True)
for _ax, _start in [(0, 0), (0, 2), (2, 0), (1, 3), (-1, 1)]:
    case(
        "rollaxis",
        lambda x, a=_ax, s=_start: autobp.rollaxis(x, a, s),
        arrays_of((2, 3, 4)),
        numpy_fn=lambda x, a=_ax, s=_start: np.rollaxis(x, a, s),
        ints=True,
        id=f"rollaxis-{_ax}-{_start}",
    )
for _la, _lb in [(5, 3), (3, 5), (4, 4), (1, 3)]:
    for _mode in ("full", "same", "valid"):
        case(
            "convolve",
            lambda a, v, m=_mode: autobp.convolve(a, v, m),
            arrays_of((_la,), (_lb,)),
            numpy_fn=lambda a, v, m=_mode: np.convolve(a, v, m),
            id=f"convolve-{_la}-{_lb}-{_mode}",
        )
case(
    "convolve",
    lambda a, v: autobp.convolve(a, v),
    arrays_of((6,), (3,)),
    torch_fn=lambda a, v: torch.nn.functional.conv1d(a[None, None], v.flip(0)[None, None], padding=2)[0, 0],
    id="convolve-full-vs-torch-conv1d",
)
case(
    "real_if_close",
    autobp.real_if_close,
    unary(),
    numpy_fn=np.real_if_close,
    ints=True,
    id="real_if_close-real",
)
case(
    "real_if_close",
    autobp.real_if_close,
    complexify(unary(), 0.5, 2.0),  # imaginary parts far from 0: returned unchanged
    numpy_fn=np.real_if_close,
    complex=True,
    id="real_if_close-complex-kept",
)
case(
    "real_if_close",
    autobp.real_if_close,
    complexify(unary(), 0.0, 0.0),  # imaginary parts 0: the real part (a perturbation would not be)
    numpy_fn=np.real_if_close,
    complex=True,
    grad=False,
    id="real_if_close-complex-to-real",
)

# --- predicates on complex and real tensors -------------------------------------------------------
_mixed = complexify(unary(), -1.0, 1.0).map(
    lambda zs: (np.where(np.abs(zs[0].imag) < 0.5, zs[0].real, zs[0]),)
)
for _name in ("iscomplex", "isreal"):
    case(
        _name, getattr(autobp, _name), _mixed, numpy_fn=getattr(np, _name), grad=False, id=f"{_name}-complex"
    )
    case(_name, getattr(autobp, _name), unary(), numpy_fn=getattr(np, _name), grad=False, ints=True)
for _name in ("iscomplexobj", "isrealobj"):
    _ours, _theirs = getattr(autobp, _name), getattr(np, _name)
    case(
        _name,
        lambda x, f=_ours: autobp.tensor(f(x), dtype=bool),
        unary(),
        numpy_fn=lambda x, f=_theirs: np.asarray(f(x)),
        grad=False,
        ints=True,
    )

# --- partition, argpartition, select --------------------------------------------------------------
for _kth, _axis in [(0, -1), (1, 0), ((0, 2), -1)]:
    case(  # autobp's partition is the stable sort, one of the arrangements numpy allows
        "partition",
        lambda x, k=_kth, a=_axis: autobp.partition(x, k, axis=a),
        distinct(min_dims=1, min_side=3),
        torch_fn=lambda x, a=_axis: torch.sort(x, dim=a).values,
        id=f"partition-kth{_kth}-axis{_axis}",
    )
    case(
        "argpartition",
        lambda x, k=_kth, a=_axis: autobp.argpartition(x, k, axis=a),
        distinct(min_dims=1, min_side=3),
        torch_fn=lambda x, a=_axis: torch.argsort(x, dim=a),
        grad=False,
        id=f"argpartition-kth{_kth}-axis{_axis}",
    )
_select_inputs = shapes(min_dims=1, max_side=3).flatmap(
    lambda s: st.tuples(
        *[array(s).filter(lambda a: np.all(np.abs(a) > 1e-2)) for _ in range(2)], array(s), array(s)
    )
)
for _default in (0.0, 1.5):
    case(  # conditions from inputs away from 0: they do not flip under the finite differences
        "select",
        lambda c1, c2, a, b, d=_default: autobp.select([c1 > 0, c2 > 0], [a, b * b], d),
        _select_inputs,
        numpy_fn=lambda c1, c2, a, b, d=_default: np.select([c1 > 0, c2 > 0], [a, b * b], d),
        torch_fn=lambda c1, c2, a, b, d=_default: torch.where(
            c1 > 0, a, torch.where(c2 > 0, b * b, torch.tensor(d, dtype=a.dtype))
        ),
        id=f"select-default{_default}",
    )

# --- histograms -----------------------------------------------------------------------------------
_EDGES = [-3.0, -1.0, 0.0, 1.5, 3.0]
_hist_inputs = shapes(min_dims=1, min_side=1).flatmap(
    lambda s: st.tuples(
        array(s).filter(lambda a: np.all(np.abs(np.subtract.outer(a, _EDGES)) > 1e-2)), array(s)
    )
)
for _density in (None, True):
    case(  # differentiable in the weights; the data only choose the bins
        "histogram",
        lambda a, w, d=_density: autobp.histogram(a, _EDGES, weights=w, density=d)[0],
        _hist_inputs.filter(
            lambda aw, d=_density: d is None or abs(np.histogram(aw[0], _EDGES, weights=aw[1])[0].sum()) > 0.1
        ),
        numpy_fn=lambda a, w, d=_density: np.histogram(a, _EDGES, weights=w, density=d)[0],
        id=f"histogram-weights-density{_density}",
    )


def _numpy_bins_ok(a: np.ndarray, bins: object) -> bool:
    """numpy refuses "auto" bins on a spread too small for finite-sized bins (values a few ulps
    apart); such inputs, float or rounded to integers, are left out."""
    try:
        np.histogram_bin_edges(a, bins)
        np.histogram_bin_edges(np.round(a).astype(np.int64), bins)
    except ValueError:
        return False
    return True


for _bins in (3, "auto"):
    case(
        "histogram",
        lambda a, b=_bins: autobp.histogram(a, b),
        unary(min_dims=1, min_side=1).filter(lambda xs, b=_bins: _numpy_bins_ok(xs[0], b)),
        numpy_fn=lambda a, b=_bins: np.histogram(a, b),
        grad=False,
        ints=True,
        id=f"histogram-counts-{_bins}",
    )
    case(
        "histogram_bin_edges",
        lambda a, b=_bins: autobp.histogram_bin_edges(a, b),
        unary(min_dims=1, min_side=1).filter(lambda xs, b=_bins: _numpy_bins_ok(xs[0], b)),
        numpy_fn=lambda a, b=_bins: np.histogram_bin_edges(a, b),
        grad=False,
        ints=True,
        id=f"histogram_bin_edges-{_bins}",
    )
