"""Op-table cases for the first ops: arithmetic, the first elementwise functions, comparisons,
reductions, the softmax family, linear, matmul, shape ops and joining."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, binary, case, shapes, torch, unary

# --- arithmetic ---------------------------------------------------------------------------------
case("add", lambda a, b: a + b, binary(), torch_fn=lambda a, b: a + b, numpy_fn=np.add, ints=True)
case("subtract", autobp.subtract, binary(), torch_fn=lambda a, b: a - b, numpy_fn=np.subtract, ints=True)
case(
    "add",
    lambda a, b: autobp.add(a, b, alpha=-2.5),
    binary(),
    torch_fn=lambda a, b: torch.add(a, b, alpha=-2.5),
    id="add-alpha",
)
case(
    "subtract",
    lambda a, b: autobp.sub(a, b, alpha=0.5),
    binary(),
    torch_fn=lambda a, b: torch.sub(a, b, alpha=0.5),
    id="subtract-alpha",
)
case("multiply", autobp.multiply, binary(), torch_fn=lambda a, b: a * b, numpy_fn=np.multiply, ints=True)
case("divide", lambda a, b: a / b, binary(lo2=0.5, hi2=3.0), torch_fn=lambda a, b: a / b, numpy_fn=np.divide)
case("negative", lambda a: -a, unary(), torch_fn=lambda a: -a, numpy_fn=np.negative, ints=True)
case("positive", lambda a: +autobp.positive(a) * 2.0, unary(), torch_fn=lambda a: +a * 2.0)
case(
    "power",
    lambda a, b: a**b,
    binary(lo=0.5, hi=2.0, lo2=-2.0, hi2=2.0),
    torch_fn=lambda a, b: a**b,
    numpy_fn=np.power,
    id="power_tensor_exponent",
)
case(
    "power",
    lambda a: autobp.power(a, 3) + a**0.5 + a**-1.5,
    unary(lo=0.3, hi=2.0),
    torch_fn=lambda a: a**3 + a**0.5 + a**-1.5,
    id="power_constant_exponent",
)

# --- elementwise ---------------------------------------------------------------------------------
for name in ("exp", "tanh", "sigmoid"):
    case(name, getattr(autobp, name), unary(), torch_fn=getattr(torch, name, None) if torch else None)
case("log", autobp.log, unary(0.2, 4.0), torch_fn=lambda a: a.log(), numpy_fn=np.log)
case("sqrt", autobp.sqrt, unary(0.2, 4.0), torch_fn=lambda a: a.sqrt(), numpy_fn=np.sqrt)
case("relu", autobp.relu, unary(away=(0.0,)), torch_fn=lambda a: torch.relu(a), second_order=False)
case("abs", autobp.abs, unary(away=(0.0,)), torch_fn=lambda a: a.abs(), numpy_fn=np.abs, ints=True)
case(
    "clip",
    lambda a: autobp.clip(a, -1.0, 1.5),
    unary(away=(-1.0, 1.5)),
    torch_fn=lambda a: a.clamp(-1.0, 1.5),
    numpy_fn=lambda a: np.clip(a, -1.0, 1.5),
)
_apart = lambda a, b: bool(np.all(np.abs(a - b) > 1e-2))  # noqa: E731  no ties: one-sided slopes agree
case("maximum", autobp.maximum, binary(away=_apart), torch_fn=torch.maximum if torch else None)
case("minimum", autobp.minimum, binary(away=_apart), torch_fn=torch.minimum if torch else None)
case(
    "where",
    lambda a, b: autobp.where(a > 0.5, a, b),
    binary(away=lambda a, b: bool(np.all(np.abs(a - 0.5) > 1e-2))),
    torch_fn=lambda a, b: torch.where(a > 0.5, a, b),
)
for name, fn in [
    ("less", np.less),
    ("less_equal", np.less_equal),
    ("greater", np.greater),
    ("greater_equal", np.greater_equal),
    ("equal", np.equal),
    ("not_equal", np.not_equal),
]:
    case(
        name,
        getattr(autobp, name),
        binary(-2, 2).map(lambda ab: tuple(np.round(x) for x in ab)),
        numpy_fn=fn,
        grad=False,
        ints=True,
    )


# --- reductions ----------------------------------------------------------------------------------
@st.composite
def reduction(draw, unique=False, nonempty=False):
    """An array and an axis argument (None, int or tuple, negatives too) and keepdims."""
    shape = draw(shapes(min_side=1 if nonempty else 0))
    if unique:  # distinct values: no ties, so max/min are differentiable
        n = int(np.prod(shape))
        a = (np.array(draw(st.permutations(range(n))), dtype=np.float64) * 0.1).reshape(shape)
    else:
        a = draw(array(shape))
    nd = len(shape)
    kind = draw(st.sampled_from(["none", "int", "tuple"] if nd else ["none", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd, nd - 1))
    else:
        picked = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)) if nd else []
        axis = tuple(picked)
    return a, axis, draw(st.booleans())


def _reduction_cases():
    for name, unique, torch_name in [
        ("sum", False, "sum"),
        ("mean", False, "mean"),
        ("max", True, "amax"),
        ("min", True, "amin"),
        ("logsumexp", False, "logsumexp"),
    ]:
        for axis_kind, axis, torch_dim in [("all", None, None), ("axis0", 0, 0), ("last", -1, -1)]:
            for keep in (False, True):
                if axis is None and keep:
                    continue
                _one_reduction(name, unique, torch_name, axis, torch_dim, keep, f"{name}-{axis_kind}-{keep}")


def _one_reduction(name, unique, torch_name, axis, torch_dim, keep, id_):
    min_dims = 0 if axis is None else 1
    nonempty = name in ("max", "min", "mean")
    if unique:
        inputs = shapes(min_dims=min_dims, min_side=1).map(
            lambda s: (
                (np.random.default_rng(int(np.prod(s))).permutation(int(np.prod(s))) * 0.1).reshape(s),
            )
        )
    else:
        inputs = unary(min_dims=min_dims, min_side=1 if nonempty else 0)

    def fn(x):
        return getattr(autobp, name)(x, axis=axis, keepdims=keep)

    def tfn(x):
        f = getattr(torch, torch_name)
        if torch_dim is None:
            return f(x) if name != "logsumexp" else torch.logsumexp(x.reshape(-1), 0)
        return f(x, dim=torch_dim, keepdim=keep)

    np_name = {"max": np.max, "min": np.min, "sum": np.sum, "mean": np.mean}.get(name)
    case(
        name,
        fn,
        inputs,
        id=id_,
        torch_fn=tfn,
        numpy_fn=None if np_name is None else (lambda x: np_name(x, axis=axis, keepdims=keep)),
        second_order=name not in ("max", "min"),
    )


_reduction_cases()
case(
    "sum",
    lambda x: autobp.sum(x, dim=(0, 1), keepdim=True) + x.sum(axis=-1, keepdims=True),
    unary(min_dims=2),
    torch_fn=lambda x: x.sum(dim=(0, 1), keepdim=True) + x.sum(-1, keepdim=True),
    id="sum-pytorch-spelling",
)

# --- softmax family and nn one-node ops ----------------------------------------------------------
for name in ("softmax", "log_softmax"):
    for axis in (0, -1):
        case(
            name,
            lambda x, name=name, axis=axis: getattr(autobp, name)(x, axis=axis),
            unary(min_dims=1, min_side=1),
            torch_fn=lambda x, name=name, axis=axis: getattr(torch, name)(x, axis),
            id=f"{name}-axis{axis}",
        )
case(
    "linear",
    autobp.linear,
    arrays_of((5, 3), (2, 3), (2,)),
    torch_fn=lambda x, w, b: torch.nn.functional.linear(x, w, b),
)
case(
    "linear",
    autobp.linear,
    arrays_of((2, 4, 3), (2, 3)),
    torch_fn=lambda x, w: torch.nn.functional.linear(x, w),
    id="linear-batched-no-bias",
)

# --- matmul: numpy's rules for every rank combination ---------------------------------------------
for sa, sb in [
    ((3,), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((4, 2, 3), (3, 2)),
    ((1, 2, 3), (5, 3, 2)),
    ((3,), (4, 3, 2)),
    ((0, 3), (3, 2)),
]:
    case(
        "matmul",
        lambda a, b: a @ b,
        arrays_of(sa, sb),
        torch_fn=lambda a, b: a @ b,
        numpy_fn=np.matmul,
        id=f"matmul-{sa}-{sb}",
    )

# --- shape ---------------------------------------------------------------------------------------
case("reshape", lambda x: autobp.reshape(x, (-1,)) * 1.0, unary(), torch_fn=lambda x: x.reshape(-1) * 1.0)
case("flatten", lambda x: x.flatten(), unary(), torch_fn=lambda x: x.flatten())
case(
    "flatten",
    lambda x: x.flatten(1, 2),
    unary(min_dims=3),
    torch_fn=lambda x: x.flatten(1, 2),
    id="flatten-start-end",
)
case(
    "transpose",
    lambda x: x.transpose(),
    unary(),
    torch_fn=lambda x: x.permute(tuple(reversed(range(x.ndim)))),
)
case("transpose", lambda x: x.T * 1.0, unary(min_dims=2, max_dims=2), torch_fn=lambda x: x.T * 1.0, id="T")
case("swapaxes", lambda x: x.swapaxes(0, -1), unary(min_dims=1), torch_fn=lambda x: x.swapaxes(0, -1))
case("expand_dims", lambda x: x.expand_dims(0), unary(), torch_fn=lambda x: x.unsqueeze(0))
case(
    "squeeze",
    lambda x: autobp.squeeze(x.reshape(1, *x.shape, 1)),
    unary(),
    torch_fn=lambda x: x.reshape(1, *x.shape, 1).squeeze(),
)
case(
    "broadcast_to",
    lambda x: x.broadcast_to((2, 3, 4)),
    st.sampled_from([(), (1,), (4,), (3, 1), (1, 4), (3, 4), (2, 1, 1)])
    .flatmap(lambda s: array(s))
    .map(lambda a: (a,)),
    torch_fn=lambda x: x.broadcast_to((2, 3, 4)),
)
case(
    "astype",
    lambda x: x.astype(np.float64) * 2.0,
    unary(),
    torch_fn=lambda x: x.double() * 2.0,
    float32=False,
)

# --- joining -------------------------------------------------------------------------------------
case(
    "concatenate",
    lambda a, b: autobp.concatenate([a, b, a], axis=1),
    arrays_of((2, 3), (2, 1)),
    torch_fn=lambda a, b: torch.cat([a, b, a], 1),
)
case(
    "stack",
    lambda a, b: autobp.stack([a, b], axis=-1),
    shapes().flatmap(lambda s: arrays_of(s, s)),
    torch_fn=lambda a, b: torch.stack([a, b], -1),
)

# --- clip with Tensor bounds, clamp_min / clamp_max (PyTorch) ---------------------------------------
_inside = lambda x, lo, hi: bool(  # noqa: E731  away from the switch points, where slopes jump
    np.all(np.abs(x - lo) > 1e-2) and np.all(np.abs(x - hi) > 1e-2) and np.all(np.abs(lo - hi) > 1e-2)
)
case(
    "clip",
    lambda x, lo, hi: autobp.clip(x, lo, hi),
    shapes(max_dims=2).flatmap(lambda s: arrays_of(s, s, s)).filter(lambda t: _inside(*t)),
    torch_fn=lambda x, lo, hi: torch.clamp(x, lo, hi),
    numpy_fn=np.clip,
    id="clip-tensor-bounds",
)
case(
    "clamp_min",
    lambda x, lo: autobp.clamp_min(x, lo) + x.clamp_min(0.5),
    binary(away=lambda x, lo: bool(np.all(np.abs(x - lo) > 1e-2) and np.all(np.abs(x - 0.5) > 1e-2))),
    torch_fn=lambda x, lo: torch.clamp_min(x, lo) + x.clamp_min(0.5),
)
case(
    "clamp_max",
    lambda x, hi: autobp.clamp_max(x, hi) + x.clamp_max(0.5),
    binary(away=lambda x, hi: bool(np.all(np.abs(x - hi) > 1e-2) and np.all(np.abs(x - 0.5) > 1e-2))),
    torch_fn=lambda x, hi: torch.clamp_max(x, hi) + x.clamp_max(0.5),
)

for mode in ("trunc", "floor"):
    case(
        "divide",
        lambda a, b, mode=mode: autobp.divide(a, b, rounding_mode=mode) + a * 0.5,
        binary(lo2=0.5, hi2=3.0, away=lambda a, b: bool(np.all(np.abs(a / b - np.round(a / b)) > 1e-2))),
        torch_fn=lambda a, b, mode=mode: torch.div(a, b, rounding_mode=mode) + a * 0.5,
        id=f"divide-rounding-{mode}",
    )
