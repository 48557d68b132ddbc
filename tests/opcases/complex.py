"""Op-table cases on complex inputs (``complex=True``): finite differences on the real and imaginary
parts, PyTorch's complex gradients, second order, and complex64 kept, for the ops numpy computes on
complex numbers. Domains keep clear of poles and branch cuts (the negative real axis for log, sqrt and
powers), where neither finite differences nor a comparison with PyTorch mean anything."""

import numpy as np

import autobp

from ..optable import arrays_of, binary, case, complexify, torch, unary

C = {"complex": True}


def cunary(lo=-2.0, hi=2.0, im_lo=-2.0, im_hi=2.0, keep=None, **shape_options):
    """One complex array with real parts in [lo, hi] and imaginary parts in [im_lo, im_hi]."""
    return complexify(unary(lo, hi, **shape_options), im_lo, im_hi, keep)


def cbinary(lo=-2.0, hi=2.0, lo2=None, hi2=None, im_lo=-2.0, im_hi=2.0):
    return complexify(binary(lo, hi, lo2, hi2), im_lo, im_hi)


def _far_from_zero(*zs):
    return all(bool(np.all(np.abs(z) > 0.1)) for z in zs)


def _no_subnormals(*zs):
    """torch.log1p gives NaN on a subnormal complex number (log1p(2e-313 + 2e-311j)); numpy does not."""
    return all(bool(np.all((z == 0) | (np.abs(z) > 1e-300))) for z in zs)


# --- the parts of a complex number ------------------------------------------------------------
case("conj", autobp.conj, cunary(), torch_fn=lambda z: torch.conj_physical(z), numpy_fn=np.conj, **C)
case("conj", lambda z: z.conj() * z, cunary(), torch_fn=lambda z: z.conj() * z, id="conj_times_z", **C)
case("real", lambda z: z.real * 1.0, cunary(), torch_fn=lambda z: z.real * 1.0, numpy_fn=np.real, **C)
case("imag", lambda z: autobp.imag(z) * 1.0, cunary(), torch_fn=lambda z: z.imag * 1.0, numpy_fn=np.imag, **C)
case(
    "angle",
    autobp.angle,
    cunary(0.1, 2.0, keep=_far_from_zero),  # Re z > 0: away from the jump on the negative real axis
    torch_fn=lambda z: torch.angle(z),
    numpy_fn=np.angle,
    **C,
)
case(
    "abs",
    autobp.abs,
    cunary(keep=_far_from_zero),
    torch_fn=lambda z: z.abs(),
    numpy_fn=np.abs,
    id="abs_complex",
    **C,
)

# --- arithmetic ---------------------------------------------------------------------------------
case(
    "add", lambda a, b: a + b, cbinary(), torch_fn=lambda a, b: a + b, numpy_fn=np.add, id="add_complex", **C
)
case("subtract", autobp.subtract, cbinary(), torch_fn=lambda a, b: a - b, id="subtract_complex", **C)
case("multiply", autobp.multiply, cbinary(), torch_fn=lambda a, b: a * b, id="multiply_complex", **C)
case(
    "divide",
    lambda a, b: a / b,
    cbinary(lo2=0.5, hi2=2.0),
    torch_fn=lambda a, b: a / b,
    id="divide_complex",
    **C,
)
case("negative", lambda a: -a, cunary(), torch_fn=lambda a: -a, id="negative_complex", **C)
case(
    "power",
    lambda a, b: a**b,
    cbinary(lo=0.5, hi=2.0, lo2=-1.0, hi2=1.0, im_lo=-1.0, im_hi=1.0),
    torch_fn=lambda a, b: a**b,
    numpy_fn=np.power,
    id="power_complex",
    **C,
)
case(
    "power",
    lambda a: a**2 + a**3 + a**0.5 + a**-1.5,
    cunary(0.3, 2.0),
    torch_fn=lambda a: a**2 + a**3 + a**0.5 + a**-1.5,
    id="power_constant_complex",
    **C,
)
case(
    ("square", "reciprocal"),
    lambda a: autobp.square(a) + autobp.reciprocal(a),
    cunary(0.3, 2.0),
    torch_fn=lambda a: torch.square(a) + torch.reciprocal(a),
    numpy_fn=lambda a: np.square(a) + np.reciprocal(a),
    id="square_reciprocal_complex",
    **C,
)

# --- elementwise functions ---------------------------------------------------------------------
for name, tname in [
    ("exp", "exp"),
    ("sin", "sin"),
    ("cos", "cos"),
    ("sinh", "sinh"),
    ("cosh", "cosh"),
    ("expm1", "expm1"),
    ("exp2", "exp2"),
]:
    case(
        name,
        getattr(autobp, name),
        cunary(),
        torch_fn=getattr(torch, tname, None) if torch else None,
        numpy_fn=getattr(np, name),
        id=f"{name}_complex",
        **C,
    )
# poles of tanh and sigmoid sit at i pi/2 (and i pi); of tan at +-pi/2 on the real axis
for name in ("tanh", "sigmoid"):
    case(
        name,
        getattr(autobp, name),
        cunary(im_lo=-1.0, im_hi=1.0),
        torch_fn=getattr(torch, name, None) if torch else None,
        id=f"{name}_complex",
        **C,
    )
case(
    "tan",
    autobp.tan,
    cunary(-1.0, 1.0),
    torch_fn=lambda z: torch.tan(z),
    numpy_fn=np.tan,
    id="tan_complex",
    **C,
)
# logarithms, roots and inverse functions: real parts positive keep off the cuts on the real axis
for name, tname, lo in [
    ("log", "log", 0.2),
    ("log2", "log2", 0.2),
    ("log10", "log10", 0.2),
    ("sqrt", "sqrt", 0.2),
    ("log1p", "log1p", 0.0),
]:
    case(
        name,
        getattr(autobp, name),
        cunary(lo, 2.0, keep=_no_subnormals),
        torch_fn=getattr(torch, tname, None) if torch else None,
        # numpy's complex log1p is log(1 + z): near 0 its relative error grows as eps/|z| (6.6e-12 at
        # z = 1e-5, where autobp's and torch's are exact), so that case is compared with torch only
        numpy_fn=None if name == "log1p" else getattr(np, name),
        id=f"{name}_complex",
        **C,
    )
case("rsqrt", autobp.rsqrt, cunary(0.3, 2.0), torch_fn=lambda z: torch.rsqrt(z), id="rsqrt_complex", **C)
for name, tname in [
    ("arcsin", "asin"),
    ("arccos", "acos"),
    ("arctanh", "atanh"),
]:  # cuts: |Re| > 1 on the real axis
    case(
        name,
        getattr(autobp, name),
        cunary(-0.8, 0.8),
        torch_fn=getattr(torch, tname, None) if torch else None,
        numpy_fn=getattr(np, name),
        id=f"{name}_complex",
        **C,
    )
for name, tname in [("arctan", "atan"), ("arcsinh", "asinh")]:  # cuts: |Im| > 1 on the imaginary axis
    case(
        name,
        getattr(autobp, name),
        cunary(im_lo=-0.8, im_hi=0.8),
        torch_fn=getattr(torch, tname, None) if torch else None,
        numpy_fn=getattr(np, name),
        id=f"{name}_complex",
        **C,
    )
case(
    "arccosh",
    autobp.arccosh,
    cunary(0.2, 2.0, keep=lambda z: bool(np.all(np.abs(z.imag) > 0.1) or np.all(z.real > 1.1))),
    torch_fn=lambda z: torch.acosh(z),
    numpy_fn=np.arccosh,
    id="arccosh_complex",
    **C,
)
case(
    "where",
    lambda a, b: autobp.where(a.real > 0.5, a, b),
    complexify(binary(away=lambda a, b: bool(np.all(np.abs(a - 0.5) > 1e-2)))),
    torch_fn=lambda a, b: torch.where(a.real > 0.5, a, b),
    id="where_complex",
    **C,
)

# --- reductions and scans -----------------------------------------------------------------------
for name, tname in [("sum", "sum"), ("mean", "mean"), ("prod", "prod")]:
    case(
        name,
        lambda z, name=name: (
            getattr(autobp, name)(z, axis=-1) + getattr(autobp, name)(z, axis=0, keepdims=True).sum()
        ),
        cunary(min_dims=2, min_side=1, max_dims=2, keep=_far_from_zero),
        torch_fn=lambda z, tname=tname: (
            getattr(torch, tname)(z, -1) + getattr(torch, tname)(z, 0, keepdim=True).sum()
        ),
        id=f"{name}_complex",
        **C,
    )
for name in ("cumsum", "cumprod"):
    case(
        name,
        lambda z, name=name: getattr(autobp, name)(z, axis=-1),
        cunary(min_dims=1, min_side=1, keep=_far_from_zero),  # no subnormal products (torch: inf)
        torch_fn=lambda z, name=name: getattr(torch, name)(z, -1),
        numpy_fn=lambda z, name=name: getattr(np, name)(z, axis=-1),
        id=f"{name}_complex",
        **C,
    )
case(
    "diff",
    lambda z: autobp.diff(z, axis=-1),
    cunary(min_dims=1, min_side=1),
    numpy_fn=lambda z: np.diff(z, axis=-1),
    id="diff_complex",
    **C,
)
case(
    "trace",
    autobp.trace,
    complexify(arrays_of((3, 3))),
    torch_fn=torch.trace if torch else None,
    id="trace_complex",
    **C,
)
case(
    "var",
    lambda z: autobp.var(z, axis=-1),
    cunary(min_dims=1, min_side=2),
    numpy_fn=lambda z: np.var(z, axis=-1),
    torch_fn=lambda z: torch.var(z, -1, correction=0),
    id="var_complex",
    **C,
)

# --- products -----------------------------------------------------------------------------------
for sa, sb in [((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((4, 2, 3), (3, 2))]:
    case(
        "matmul",
        lambda a, b: a @ b,
        complexify(arrays_of(sa, sb)),
        torch_fn=lambda a, b: a @ b,
        numpy_fn=np.matmul,
        id=f"matmul_complex-{sa}-{sb}",
        **C,
    )
case(
    "dot",
    autobp.dot,
    complexify(arrays_of((2, 3), (3, 2))),
    numpy_fn=np.dot,
    torch_fn=lambda a, b: a @ b,
    id="dot_complex",
    **C,
)
case(
    "vdot",
    autobp.vdot,
    complexify(arrays_of((2, 3), (2, 3))),
    numpy_fn=np.vdot,
    torch_fn=lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1)),
    id="vdot_complex",
    **C,
)
case(
    "inner",
    autobp.inner,
    complexify(arrays_of((2, 3), (4, 3))),
    numpy_fn=np.inner,
    torch_fn=torch.inner if torch else None,
    id="inner_complex",
    **C,
)
case(
    "outer",
    autobp.outer,
    complexify(arrays_of((3,), (2,))),
    numpy_fn=np.outer,
    torch_fn=torch.outer if torch else None,
    id="outer_complex",
    **C,
)
case(
    "kron",
    autobp.kron,
    complexify(arrays_of((2, 2), (2, 3))),
    numpy_fn=np.kron,
    torch_fn=torch.kron if torch else None,
    id="kron_complex",
    **C,
)
case(
    "tensordot",
    lambda a, b: autobp.tensordot(a, b, 2),
    complexify(arrays_of((2, 3, 4), (3, 4, 2))),
    numpy_fn=lambda a, b: np.tensordot(a, b, 2),
    torch_fn=lambda a, b: torch.tensordot(a, b, 2),
    id="tensordot_complex",
    **C,
)
case(
    "einsum",
    lambda a, b: autobp.einsum("ij,jk->ik", a, b) + autobp.einsum("ii->i", a[:, :2]).sum(),
    complexify(arrays_of((2, 3), (3, 2))),
    torch_fn=lambda a, b: torch.einsum("ij,jk->ik", a, b) + torch.einsum("ii->i", a[:, :2]).sum(),
    id="einsum_complex",
    **C,
)

# --- shape, indexing and joining: linear with real coefficients, nothing to conjugate ---------------
case(
    "reshape",
    lambda z: autobp.reshape(z, (-1,)) * 1.0,
    cunary(),
    torch_fn=lambda z: z.reshape(-1) * 1.0,
    id="reshape_complex",
    **C,
)
case(
    "transpose",
    lambda z: autobp.transpose(z) * 1.0,
    cunary(),
    torch_fn=lambda z: z.permute(*reversed(range(z.ndim))) * 1.0 if z.ndim else z * 1.0,
    id="transpose_complex",
    **C,
)
case(
    "take",
    lambda z: autobp.take(z, [2, 0, 0], axis=1) + z[1:, ::-1].sum() + z[[0, 0]].sum(),
    complexify(arrays_of((3, 4))),
    torch_fn=lambda z: torch.index_select(z, 1, torch.tensor([2, 0, 0])) + z[1:].sum() + z[[0, 0]].sum(),
    id="take_getitem_complex",
    **C,
)
case(
    "concatenate",
    lambda a, b: autobp.concatenate([a, b], axis=0),
    complexify(arrays_of((2, 3), (1, 3))),
    torch_fn=lambda a, b: torch.cat([a, b], 0),
    numpy_fn=lambda a, b: np.concatenate([a, b]),
    id="concatenate_complex",
    **C,
)
case(  # numpy's dtype=: a real and a complex input joined as complex128
    "concatenate",
    lambda a, b: autobp.concatenate([a.real, b], axis=0, dtype=np.complex128),
    complexify(arrays_of((2, 3), (1, 3))),
    torch_fn=lambda a, b: torch.cat([a.real.to(b.dtype), b], 0),
    numpy_fn=lambda a, b: np.concatenate([a.real, b], dtype=np.complex128),
    id="concatenate_dtype_complex",
    **{**C, "float32": False},  # the dtype is the one asked for
)
case(
    "stack",
    lambda a, b: autobp.stack([a, b], axis=1),
    complexify(arrays_of((2, 3), (2, 3))),
    torch_fn=lambda a, b: torch.stack([a, b], 1),
    id="stack_complex",
    **C,
)
case(
    "pad",
    lambda z: autobp.pad(z, ((1, 0), (0, 2))),
    complexify(arrays_of((2, 3))),
    torch_fn=lambda z: torch.nn.functional.pad(z, (0, 2, 1, 0)),
    numpy_fn=lambda z: np.pad(z, ((1, 0), (0, 2))),
    id="pad_complex",
    **C,
)
case(
    "roll",
    lambda z: autobp.roll(z, 1, axis=-1),
    complexify(arrays_of((2, 3))),
    torch_fn=lambda z: torch.roll(z, 1, -1),
    id="roll_complex",
    **C,
)
case(
    "flip",
    lambda z: autobp.flip(z, axis=0),
    complexify(arrays_of((2, 3))),
    torch_fn=lambda z: torch.flip(z, (0,)),
    id="flip_complex",
    **C,
)
case(
    "broadcast_to",
    lambda z: autobp.broadcast_to(z, (2, 3)) * 1.0,
    complexify(arrays_of((3,))),
    torch_fn=lambda z: z.expand(2, 3) * 1.0,
    id="broadcast_to_complex",
    **C,
)
case(
    "astype",
    lambda x: x.real.astype(np.complex128) * (1 + 2j),
    cunary(),
    torch_fn=lambda x: x.real.to(torch.complex128) * (1 + 2j),
    id="astype_complex",
    float32=False,
    **C,
)

# --- linear algebra: inv, solve and det are holomorphic (well-conditioned: a dominant diagonal) ------
_WELL = complexify(arrays_of((3, 3), lo=-1.0, hi=1.0).map(lambda m: (m[0] + 4.0 * np.eye(3),)), -1.0, 1.0)
case(
    "inv",
    autobp.linalg.inv,
    _WELL,
    torch_fn=lambda a: torch.linalg.inv(a),
    numpy_fn=np.linalg.inv,
    id="inv_complex",
    **C,
)
case("det", autobp.linalg.det, _WELL, torch_fn=lambda a: torch.linalg.det(a), id="det_complex", **C)
case(
    "solve",
    autobp.linalg.solve,
    complexify(
        arrays_of((2, 3, 3), (2, 3, 2), lo=-1.0, hi=1.0).map(lambda ab: (ab[0] + 4.0 * np.eye(3), ab[1])),
        -1.0,
        1.0,
    ),
    torch_fn=lambda a, b: torch.linalg.solve(a, b),
    numpy_fn=np.linalg.solve,
    id="solve_complex",
    **C,
)
