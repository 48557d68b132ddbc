"""einsum (any subscripts numpy accepts: implicit or explicit output, ellipsis, repeated indices,
broadcasting) and the tensor products written with it: tensordot, inner, outer, kron, dot, vdot;
and cross, written with indexing and arithmetic.

Each recorded node contracts one or two operands; three or more are contracted pairwise in the
order np.einsum_path finds, so every node's rule is again an einsum of two operands: the gradient
of operand i is the einsum of g with the others, onto operand i's indices.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._torch_out import takes_out
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._args import as_tensor, pair
from ._decl import op
from .axis_moves import moveaxis
from .complex_parts import conj
from .joining import stack
from .shape import ravel, reshape

_E = "einsum"


def _expand(subscripts: str, shapes: list) -> tuple[list, str]:
    """Subscripts in explicit form with the ellipsis spelled as letters: (terms, output)."""
    s = subscripts.replace(" ", "")
    lhs, arrow, out = s.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands, {len(shapes)} were given")
    bad = set(s) - set(string.ascii_letters) - set(".,->")
    if bad:
        raise ValueError(f"einsum: invalid subscript characters {sorted(bad)} in {subscripts!r}")
    free = [c for c in string.ascii_letters if c not in s]
    dots = [len(shp) - (len(t) - 3) for t, shp in zip(terms, shapes) if "..." in t]
    ell = "".join(free[: max(dots, default=0)])
    expanded = []
    for t, shp in zip(terms, shapes):
        if "..." in t:
            k = len(shp) - (len(t) - 3)
            if k < 0:
                raise ShapeError(f"einsum: term {t!r} has more indices than its operand's shape {shp}")
            t = t.replace("...", ell[len(ell) - k :])
        if "." in t or len(t) != len(shp):
            raise ValueError(f"einsum: term {t!r} does not match an operand of shape {shp}")
        expanded.append(t)
    if arrow:
        if "..." in out:
            out = out.replace("...", ell)
        elif "." in out:
            raise ValueError(f"einsum: invalid output {out!r}")
        for c in out:
            if out.count(c) > 1 or not any(c in t for t in expanded):
                raise ValueError(f"einsum: output index {c!r} is repeated or names no input index")
    else:  # numpy's implicit output: the ellipsis, then the indices used once, in alphabetical order
        once = [c for c in set(lhs) if c.isalpha() and lhs.count(c) == 1]
        out = ell + "".join(sorted(once))
    return expanded, out


def _sizes(terms: list, tensors: list) -> dict:
    sizes: dict = {}
    for t, x in zip(terms, tensors):
        for c, n in zip(t, x.shape):
            m = sizes.get(c)
            if m is None or m == 1:
                sizes[c] = n
            elif n not in (1, m):
                raise ShapeError(f"einsum: index {c!r} has sizes {m} and {n} (operand shapes differ)")
    return sizes


def _squeeze_broadcast(terms: list, tensors: list, sizes: dict) -> tuple[list, list]:
    """Drop size-1 axes that broadcast against a longer one elsewhere: the operand is constant along
    that index, so leaving the index to the other operands is the same contraction."""
    for i, (t, x) in enumerate(zip(terms, tensors)):
        drop = [k for k, c in enumerate(t) if x.shape[k] == 1 and sizes[c] != 1]
        if drop:
            terms[i] = "".join(c for k, c in enumerate(t) if k not in drop)
            tensors[i] = reshape(x, tuple(n for k, n in enumerate(x.shape) if k not in drop))
    return terms, tensors


def _node(terms: list, out: str, tensors: list, data: Any = None) -> Tensor:
    """One recorded contraction; ``data``: its value as numpy's own function computed it (tensordot,
    dot, ...), so the forward sums in numpy's order and gives numpy's numbers to the last bit."""
    if data is None:
        spec = ",".join(terms) + "->" + out
        big = len(tensors) > 1 and max(x.size for x in tensors) > 4096  # BLAS pays off on large arrays
        data = np.einsum(spec, *(x._data for x in tensors), optimize=big)
    return Tensor._make(data, tuple(tensors), "einsum", (tuple(terms), out))


@op(family=_E, method=False)
def einsum(subscripts: Any = None, *operands: Any, optimize: Any = "auto", **kwargs: Any) -> Tensor:
    """Einstein summation with numpy's subscripts (``'ij,jk->ik'``, ``'...ij,...jk'``, ``'ii->i'``);
    three or more operands are contracted pairwise in the order np.einsum_path picks. numpy's
    keywords ``out=``, ``dtype=`` (the sums done in it), ``casting=``, ``order=`` as numpy's."""
    from .einsum_keywords import cast_operands, einsum_keywords, write_result

    out, dtype, casting = einsum_keywords(kwargs)
    if subscripts is None and not operands:
        raise ValueError("einsum: No input operands (give the subscripts and at least one operand)")
    if not isinstance(subscripts, str):  # numpy's interleaved form: einsum(a, [0, 1], b, [1, 2], [0, 2])
        subscripts, operands = _from_sublists((subscripts, *operands))
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])  # PyTorch's einsum(eq, [a, b])
    tensors = [as_tensor(x) for x in operands]
    if not tensors:
        raise ValueError("einsum: needs at least one operand")
    terms, spec_out = _expand(subscripts, [x.shape for x in tensors])
    sizes = _sizes(terms, tensors)
    terms, tensors = _squeeze_broadcast(terms, tensors, sizes)
    return write_result(
        _contract(terms, spec_out, cast_operands(tensors, dtype, casting), optimize), out, casting
    )


def _sublist_letters(sub: Any) -> str:
    """A numpy sublist ([0, 1, Ellipsis]) as subscript letters (0-25 -> a-z, 26-51 -> A-Z)."""
    out = []
    if isinstance(sub, Tensor):  # an integer Tensor as a sublist, as numpy takes an integer array
        sub = sub._data.tolist()
    for k in sub:
        if k is Ellipsis:
            out.append("...")
        elif isinstance(k, (int, np.integer)) and 0 <= k < 52:
            out.append(chr(ord("a") + k) if k < 26 else chr(ord("A") + k - 26))
        else:
            raise ValueError(f"einsum: sublist entries must be integers in [0, 52) or Ellipsis, got {k!r}")
    return "".join(out)


def _from_sublists(args: tuple) -> tuple:
    """numpy's ``einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])`` as (subscripts, operands)."""
    ops, subs = list(args[0::2]), [_sublist_letters(s) for s in args[1::2]]
    out = None
    if len(ops) > len(subs):  # an odd count: the last item is the output sublist
        out = _sublist_letters(ops.pop())
    spec = ",".join(subs) + ("" if out is None else "->" + out)
    return spec, tuple(ops)


class _PathError(RuntimeError, ValueError):
    """An einsum path that does not contract every operand (numpy's RuntimeError; a ValueError too)."""


def _contract(terms: list, out: str, tensors: list, optimize: Any) -> Tensor:
    if len(tensors) <= 2:
        return _node(terms, out, tensors)
    if optimize in ("auto", True, False, None):
        optimize = "optimal" if len(tensors) <= 4 else "greedy"
    spec = ",".join(terms) + "->" + out
    shells = [np.broadcast_to(np.zeros((), x.dtype), x.shape) for x in tensors]  # shapes are all it reads
    path = optimize if isinstance(optimize, list) else np.einsum_path(spec, *shells, optimize=optimize)[0]
    terms, tensors = list(terms), list(tensors)
    for step in path[1:]:
        picked = sorted(step, reverse=True)
        ts = [terms.pop(i) for i in picked]
        xs = [tensors.pop(i) for i in picked]
        if not terms:
            res = out
        else:
            needed = set(out).union(*terms)
            res = "".join(dict.fromkeys(c for t in ts for c in t if c in needed))
        terms.append(res)
        tensors.append(_node(ts, res, xs))
    if len(tensors) != 1:
        raise _PathError(f"einsum: Invalid einsum_path is specified: {path} leaves {len(tensors)} operands")
    if terms[0] != out:
        return _node(terms, out, tensors)
    return tensors[0]


def _matrix_product(F: Any, g: Any, tg: str, x: Any, tx: str, want: str) -> Any:
    """``einsum(f"{tg},{tx}->{want}", g, x)`` as numpy's dot computes it (one BLAS product, the
    summation order of np.dot, np.tensordot and matmul's rule) when it is a matrix or matrix-vector
    product: operands of at most 2 axes, no index repeated, at least one index summed, each index of
    ``want`` in exactly one operand. None otherwise (then np.einsum's own loop sums)."""
    if len(tg) > 2 or len(tx) > 2 or len(set(tg)) < len(tg) or len(set(tx)) < len(tx):
        return None
    summed = [c for c in tg if c in tx]
    free_g = "".join(c for c in tg if c not in tx)
    free_x = "".join(c for c in tx if c not in tg)
    if not summed or any(c in want for c in summed) or sorted(free_g + free_x) != sorted(want):
        return None
    ag, ax = [tg.index(c) for c in summed], [tx.index(c) for c in summed]
    if free_x + free_g == want and free_g:  # the other operand first gives want's order directly
        return F.tensordot(x, g, (ax, ag))
    out = F.tensordot(g, x, (ag, ax))
    order = free_g + free_x
    return out if order == want else F.transpose(out, tuple(order.index(c) for c in want))


@rule("einsum")  # ctx = (input terms, output term), explicit, no ellipsis
@holomorphic  # multilinear: each input's gradient contracts g with the others' conjugates
def _einsum_rule(F, g, out, xs, ctx, need):
    terms, res = ctx
    grads = []
    for i, t in enumerate(terms):
        if not need[i]:
            grads.append(None)
            continue
        others = [terms[j] for j in range(len(terms)) if j != i]
        reach = set(res).union(*others)
        sizes = dict(zip(t, xs[i].shape))
        own = list(dict.fromkeys(t))  # operand i's indices, each once
        kept = [c for c in own if c in reach]
        gi = None
        if len(terms) == 2:  # g against the other operand: a matrix product where it is one
            gi = _matrix_product(F, g, res, xs[1 - i], others[0], "".join(kept))
        if gi is None:
            spec = ",".join([res] + others) + "->" + "".join(kept)
            gi = F.einsum(spec, g, *(xs[j] for j in range(len(terms)) if j != i))
        if len(kept) < len(own):  # indices summed inside operand i alone: d/dx is 1 along them
            gi = gi.reshape(tuple(sizes[c] if c in kept else 1 for c in own))
            gi = F.broadcast_to(gi, tuple(sizes[c] for c in own))
        if len(own) < len(t):  # a repeated index reads a diagonal: the gradient lives on it, zero elsewhere
            grid = {c: (1,) * k + (-1,) + (1,) * (len(own) - k - 1) for k, c in enumerate(own)}
            where = {c: np.arange(sizes[c]).reshape(grid[c]) for c in own}
            gi = F.scatter_add(gi, tuple(where[c] for c in t), xs[i].shape)
        grads.append(gi)
    return tuple(grads)


# --- products written as einsums -----------------------------------------------------------------
def _letters(n: int, skip: str = "") -> str:
    return "".join(c for c in string.ascii_letters if c not in skip)[:n]


class _AxesError(ValueError, RuntimeError):
    """A negative axes count: numpy's ValueError, PyTorch's RuntimeError (either ``except`` catches it)."""


@op(family=_E, rules=("einsum",), method=False)
@takes_out("tensordot", "cast")
def tensordot(a: Any, b: Any, axes: Any = 2, *, dims: Any = None) -> Tensor:
    """Sum over ``axes`` (an int N: a's last N with b's first N; or two lists of axes).

    PyTorch's spellings too: ``dims=`` for ``axes`` and ``out=`` (resized with PyTorch's warning)."""
    a, b = pair(a, b, "tensordot")
    axes = axes if dims is None else dims
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise _AxesError(f"tensordot: axes={axes} for shapes {a.shape} and {b.shape} (tensordot expects "
                             f"dims >= 0, but got dims={axes})")  # fmt: skip
        if axes > min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: axes={axes} for shapes {a.shape} and {b.shape}")
        axa, axb = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        axa, axb = (list(x) if isinstance(x, (list, tuple)) else [x] for x in axes)
        axa = [int(i) % max(a.ndim, 1) for i in axa]
        axb = [int(i) % max(b.ndim, 1) for i in axb]
    if len(axa) != len(axb) or any(a.shape[i] != b.shape[j] for i, j in zip(axa, axb)):
        raise ValueError(f"tensordot: axes {axa} of {a.shape} and {axb} of {b.shape} do not match")
    la = _letters(a.ndim)
    lb = list(_letters(b.ndim, la))
    for i, j in zip(axa, axb):
        lb[j] = la[i]
    out = "".join(c for k, c in enumerate(la) if k not in axa)
    out += "".join(c for k, c in enumerate(lb) if k not in axb)
    return _node([la, "".join(lb)], out, [a, b], np.tensordot(a._data, b._data, (axa, axb)))


@op(family=_E, rules=("einsum",))
@takes_out("inner", "cast")
def inner(a: Any, b: Any) -> Tensor:
    """Sum over the last axes (numpy's inner; a 0-d operand multiplies)."""
    a, b = pair(a, b, "inner")
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"inner: last axes of {a.shape} and {b.shape} differ")
    la, lb = _letters(a.ndim - 1, "z"), _letters(b.ndim - 1, "z" + _letters(a.ndim - 1, "z"))
    return _node([la + "z", lb + "z"], la + lb, [a, b], np.inner(a._data, b._data))


@op(family=_E, rules=("reshape", "einsum"), torch=("ger",), differs="torch.outer takes 1-D inputs only")
@takes_out("outer", "cast")
def outer(a: Any, b: Any) -> Tensor:
    """Every product a[i] * b[j] of the flattened inputs (numpy's outer)."""
    a, b = pair(a, b, "outer")
    a, b = ravel(a), ravel(b)
    return _node(["i", "j"], "ij", [a, b], np.outer(a._data, b._data))


@op(family=_E, rules=("reshape", "einsum"))
@takes_out("kron", "cast")
def kron(a: Any, b: Any) -> Tensor:
    """Kronecker product: blocks a[i, j] * b (numpy's, any number of axes)."""
    a, b = pair(a, b, "kron")
    nd = max(a.ndim, b.ndim)
    a = reshape(a, (1,) * (nd - a.ndim) + a.shape)
    b = reshape(b, (1,) * (nd - b.ndim) + b.shape)
    la, lb = _letters(nd), _letters(nd, _letters(nd))
    blocks = einsum(f"{la},{lb}->{''.join(x + y for x, y in zip(la, lb))}", a, b)
    return reshape(blocks, tuple(m * n for m, n in zip(a.shape, b.shape)))


@op(family=_E, rules=("einsum",), differs="torch.dot takes 1-D inputs only")
@takes_out("dot", "cast")
def dot(a: Any, b: Any) -> Tensor:
    """numpy's dot: product for 0-d, inner product for 1-d, matrix product for 2-d, and a's last
    axis against b's second-to-last for N-d."""
    a, b = pair(a, b, "dot")
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    ka = a.shape[-1]
    kb = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if ka != kb:
        raise ValueError(f"dot: shapes {a.shape} and {b.shape} are not aligned ({ka} != {kb})")
    la = _letters(a.ndim - 1, "z")
    lb = _letters(b.ndim - 1, "z" + la)
    tb = "z" if b.ndim == 1 else lb[:-1] + "z" + lb[-1]
    return _node([la + "z", tb], la + lb, [a, b], np.dot(a._data, b._data))


@op(family=_E, rules=("reshape", "einsum"))
@takes_out("vdot", "cast")
def vdot(a: Any, b: Any) -> Tensor:
    """Sum of the products of the flattened inputs, the first one conjugated (numpy's vdot)."""
    a, b = pair(a, b, "vdot")
    if a.size != b.size:
        raise ValueError(f"vdot: sizes of {a.shape} and {b.shape} differ")
    a, b = conj(ravel(a)), ravel(b)
    return _node(["i", "i"], "", [a, b], np.dot(a._data, b._data))


@op(
    family=_E,
    rules=("transpose", "getitem", "mul", "sub", "neg", "stack"),
    differs="torch.cross without dim takes the first axis of size 3 (deprecated); torch.linalg.cross is this",
)
def cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None, *, dim: Any = None
) -> Tensor:
    """Cross product of 3-vectors along the given axes (the rest broadcast), as numpy's cross; numpy
    2's deprecated 2-d vectors (z = 0; two of them give the z component alone) warn as numpy's."""
    a, b = pair(a, b, "cross")
    axis = axis if dim is None else dim
    if axis is not None:
        axisa = axisb = axisc = axis
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"cross: At least one array has zero dimension (shapes {a.shape} and {b.shape})")
    u, v = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if u.shape[-1] not in (2, 3) or v.shape[-1] not in (2, 3):
        raise ValueError(
            f"cross: incompatible dimensions for cross product (dimension must be 2 or 3), got vector "
            f"axes of sizes {u.shape[-1]} and {v.shape[-1]}"
        )
    if u.shape[-1] == 2 or v.shape[-1] == 2:  # numpy 2's deprecated 2-d vectors: z = 0
        import warnings

        warnings.warn(
            "Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors "
            "instead. (deprecated in NumPy 2.0)",
            DeprecationWarning,
            stacklevel=3,
        )
        if u.shape[-1] == 2 and v.shape[-1] == 2:  # the z component alone, without the vector axis
            return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    u0, u1 = u[..., 0], u[..., 1]
    v0, v1 = v[..., 0], v[..., 1]
    u2 = u[..., 2] if u.shape[-1] == 3 else None
    v2 = v[..., 2] if v.shape[-1] == 3 else None
    if u2 is None or v2 is None:  # one 2-d vector: its z is 0
        z = u0 * v1 - u1 * v0
        if u2 is None:
            c = stack([u1 * v2, -(u0 * v2), z], axis=-1)
        else:
            c = stack([-(u2 * v1), u2 * v0, z], axis=-1)
        return moveaxis(c, -1, axisc)
    c = stack([u1 * v2 - u2 * v1, u2 * v0 - u0 * v2, u0 * v1 - u1 * v0], axis=-1)
    return moveaxis(c, -1, axisc)
