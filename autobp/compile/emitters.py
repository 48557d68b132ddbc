"""Emitters: per op, the numpy lines ``autobp.compile`` generates for its forward and its backward,
with preallocated ``out=`` buffers. Each must compute exactly what the op's eager forward and rule
compute (the same numpy calls, operands and order), so compiled gradients equal eager ones bit for bit.

``FORWARD_EMIT[op](b, s)`` writes the lines computing slot ``s`` into ``v{s.k}`` and returns True, or
returns False to leave it to the generic line (replay's forward). ``BACKWARD_EMIT[op](b, s, g, want,
dest)`` returns one expression per input (None where ``want[i]`` is False), the raw gradient as the
rule returns it; ``dest[i]``, when given, is a buffer of that input's shape the emitter may write
that gradient into. Ops without an emitter go through their plain rule, ``RULES[op](NumpyOps, ...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

FORWARD_EMIT: dict[str, Callable] = {}
BACKWARD_EMIT: dict[str, Callable] = {}
_UFUNCS = {
    "add": "np.add",
    "sub": "np.subtract",
    "mul": "np.multiply",
    "div": "np.true_divide",
    "pow": "np.power",
    "neg": "np.negative",
    "exp": "np.exp",
    "log": "np.log",
    "tanh": "np.tanh",
    "sqrt": "np.sqrt",
    "abs": "np.abs",
}


def forward(*ops: str) -> Callable:
    def register(fn: Callable) -> Callable:
        for op in ops:
            FORWARD_EMIT[op] = fn
        return fn

    return register


def backward(*ops: str) -> Callable:
    def register(fn: Callable) -> Callable:
        for op in ops:
            BACKWARD_EMIT[op] = fn
        return fn

    return register


def _float_out(s: Any) -> bool:
    return s.tensor._data.dtype.kind == "f"


# --- forwards ------------------------------------------------------------------------------------
@forward(*_UFUNCS)
def _ufunc(b: Any, s: Any) -> bool:
    if not _float_out(s):
        return False
    args = ", ".join(b.val(p) for p in s.parents)
    b.line(f"v{s.k} = {_UFUNCS[s.op]}({args}, out={b.buffer_like(s, elementwise=True)})")
    return True


# x op c with a Python number c kept in the node's ctx (eager's add_scalar, ...); "r" forms are c op x
_SCALAR_OPS = {
    "add_scalar": ("np.add", False),
    "sub_scalar": ("np.subtract", False),
    "rsub_scalar": ("np.subtract", True),
    "mul_scalar": ("np.multiply", False),
    "div_scalar": ("np.true_divide", False),
    "rdiv_scalar": ("np.true_divide", True),
}


@forward(*_SCALAR_OPS)
def _scalar_op(b: Any, s: Any) -> bool:
    if not _float_out(s):
        return False
    fn, reflected = _SCALAR_OPS[s.op]
    x, c = b.val(s.parents[0]), b.ctx(s)
    args = f"{c}, {x}" if reflected else f"{x}, {c}"
    b.line(f"v{s.k} = {fn}({args}, out={b.buffer_like(s, elementwise=True)})")
    return True


@forward("matmul")
def _matmul(b: Any, s: Any) -> bool:
    if not _float_out(s):
        return False
    x, w = s.parents
    fn = b.product(b.val(x), b.val(w), *_rec(b, x, w), (x, w))
    b.line(f"v{s.k} = {fn}({b.val(x)}, {b.val(w)}, out={b.buffer_like(s)})")
    return True


@forward("sigmoid")
def _sigmoid(b: Any, s: Any) -> bool:
    """The sigmoid kernel's four calls in one buffer: -x, e^(-x) (overflow silenced), + 1, 1/."""
    if not _float_out(s) or s.tensor._data.ndim == 0:
        return False
    buf = b.buffer_like(s, elementwise=True)
    b.line(f"v{s.k} = np.negative({b.val(s.parents[0])}, out={buf})")
    b.line(f"_quiet(np.exp, v{s.k}, v{s.k})")
    b.line(f"v{s.k} += 1.0")
    b.line(f"np.reciprocal(v{s.k}, out=v{s.k})")
    return True


@forward("relu")
def _relu(b: Any, s: Any) -> bool:
    if not _float_out(s):
        return False
    b.line(f"v{s.k} = np.maximum({b.val(s.parents[0])}, 0, out={b.buffer_like(s, elementwise=True)})")
    return True


@forward("linear")
def _linear(b: Any, s: Any) -> bool:
    """x @ W.T (+ b), the bias added into the product when the dtypes agree (as the kernel does)."""
    xs = [b.slots[p].tensor._data for p in s.parents]
    if not _float_out(s) or len(xs) == 3 and xs[2].dtype != s.tensor._data.dtype:
        return False
    buf = b.buffer_like(s)
    x, w = s.parents[0], s.parents[1]
    fn = b.product("", "", xs[0], xs[1].T, (x, w))
    b.line(f"v{s.k} = {fn}({b.val(x)}, {b.transposed(w)}, out={buf})")
    if len(xs) == 3:
        b.line(f"v{s.k} += {b.val(s.parents[2])}")
    return True


def _rec(b: Any, *ks: int) -> tuple:
    """The recorded values of slots ``ks``."""
    return tuple(b.slots[k].tensor._data for k in ks)


@forward("concatenate")
def _concatenate(b: Any, s: Any) -> bool:
    """np.concatenate into the slot's buffer, when no input needs a dtype conversion."""
    dt = s.tensor._data.dtype
    if not _float_out(s) or any(b.slots[p].tensor._data.dtype != dt for p in s.parents):
        return False
    parts = ", ".join(b.val(p) for p in s.parents)
    b.line(f"v{s.k} = np.concatenate(({parts},), axis={s.ctx[0]}, out={b.buffer_like(s)})")
    return True


# --- backwards -----------------------------------------------------------------------------------
@backward("add")
def _add_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    return [g if w else None for w in want]


@backward("sub")
def _sub_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    return [g if want[0] else None, b.call("np.negative", [g], s, 1, dest[1]) if want[1] else None]


@backward("add_scalar", "sub_scalar")
def _add_scalar_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    return [g]


@backward("mul_scalar", "div_scalar")
def _mul_scalar_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    fn = "np.multiply" if s.op == "mul_scalar" else "np.true_divide"  # g * c, g / c as the rules
    return [b.call(fn, [g, b.ctx(s)], s, 0, dest[0])]


@backward("neg", "rsub_scalar")
def _neg_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    return [b.call("np.negative", [g], s, 0, dest[0])]


@backward("mul")
def _mul_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    x, y = s.parents
    return [
        b.call("np.multiply", [g, b.val(y)], s, 0, dest[0]) if want[0] else None,
        b.call("np.multiply", [g, b.val(x)], s, 1, dest[1]) if want[1] else None,
    ]


@backward("div")
def _div_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list | None:
    if want[1]:
        return None  # -(g * out) / y: the plain rule
    return [b.call("np.true_divide", [g, b.val(s.parents[1])], s, 0, dest[0]), None]


@backward("matmul")
def _matmul_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list | None:
    x, w = s.parents
    if b.slots[x].tensor.ndim != 2 or b.slots[w].tensor.ndim != 2:
        return None
    xr, wr = _rec(b, x, w)
    gs = b.sample(s.tensor.shape, s.tensor._data.dtype)
    return [
        b.call(b.product("", "", gs, wr.T, (w,)), [g, b.transposed(w)], s, 0, dest[0]) if want[0] else None,
        b.call(b.product("", "", xr.T, gs, (x,)), [b.transposed(x), g], s, 1, dest[1]) if want[1] else None,
    ]


@backward("linear")
def _linear_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list | None:
    x, w = s.parents[0], s.parents[1]
    if b.slots[x].tensor.ndim != 2:
        return None
    xr, wr = _rec(b, x, w)
    gs = b.sample(s.tensor.shape, s.tensor._data.dtype)
    out = [
        b.call(b.product("", "", gs, wr, (w,)), [g, b.val(w)], s, 0, dest[0]) if want[0] else None,
        b.call(b.product("", "", gs.T, xr, (x,)), [f"{g}.T", b.val(x)], s, 1, dest[1]) if want[1] else None,
    ]
    if len(s.parents) == 3:
        out.append(g if want[2] else None)
    return out


@backward("concatenate")
def _concatenate_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    """Each input's gradient is its slice of g (a view, taken once when g is a buffer)."""
    axis, bounds = s.ctx
    lead = "".join(":, " for _ in range(axis))
    return [b.view(g, f"[{lead}{lo}:{hi}]") if w else None for w, (lo, hi) in zip(want, bounds)]


@backward("sigmoid")
def _sigmoid_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    """g * (out * (1 - out)), as the rule's F.scale(g, out * (1.0 - out)), in one scratch buffer."""
    t = b.scratch_like(s)
    out = b.val(s.k)
    b.line(f"np.subtract(1.0, {out}, out={t})")
    b.line(f"np.multiply({out}, {t}, out={t})")
    return [b.call("np.multiply", [g, t], s, 0, dest[0])]


@backward("tanh")
def _tanh_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    """g * (1 - out * out)."""
    t = b.scratch_like(s)
    out = b.val(s.k)
    b.line(f"np.multiply({out}, {out}, out={t})")
    b.line(f"np.subtract(1.0, {t}, out={t})")
    return [b.call("np.multiply", [g, t], s, 0, dest[0])]


@backward("exp")
def _exp_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    return [b.call("np.multiply", [g, b.val(s.k)], s, 0, dest[0])]


@backward("relu")
def _relu_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list:
    """g * (out > 0)."""
    m = b.scratch_like(s, bool)
    b.line(f"np.greater({b.val(s.k)}, 0, out={m})")
    return [b.call("np.multiply", [g, m], s, 0, dest[0])]


@backward("pow_scalar")
def _pow_scalar_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list | None:
    if s.ctx != 2:
        return None
    x = b.val(s.parents[0])
    t = b.scratch_like(s)
    b.line(f"np.add({x}, {x}, out={t})")  # 2x exactly
    return [b.call("np.multiply", [g, t], s, 0, dest[0])]


@backward("cross_entropy")
def _cross_entropy_b(b: Any, s: Any, g: str, want: tuple, dest: tuple) -> list | None:
    """p * s - scatter_add(s, index, p.shape) with s = g / divisor: when g is a constant (the loss is
    the step's result), s and the scatter are constants and the gradient is two calls."""
    gv = b.value_of(g)
    if gv is None:
        return None
    index, divisor, p = s.ctx
    sv = gv / divisor
    from .._numpy_ops import scatter_add

    z = b.const(scatter_add(sv, index, p.shape), "onehot")
    c = b.const(sv, "s")
    t = b.call("np.multiply", [f"{b.ctx(s)}[2]", c], s, 0, dest[0])
    b.line(f"np.subtract({t}, {z}, out={t})")
    return [t]


# which forward values a rule reads, per op (all of them where not listed): the generator computes
# forward values nobody reads only when the loss itself is asked for
READS: dict[str, Callable[[int, int], tuple]] = {
    "add": lambda n, i: (),
    "sub": lambda n, i: (),
    "neg": lambda n, i: (),
    "add_scalar": lambda n, i: (),
    "sub_scalar": lambda n, i: (),
    "rsub_scalar": lambda n, i: (),
    "mul_scalar": lambda n, i: (),
    "div_scalar": lambda n, i: (),
    "mul": lambda n, i: ("x1",) if i == 0 else ("x0",),
    "matmul": lambda n, i: ("x1",) if i == 0 else ("x0",),
    "linear": lambda n, i: ("x1",) if i == 0 else ("x0",) if i == 1 else (),
    "sigmoid": lambda n, i: ("out",),
    "tanh": lambda n, i: ("out",),
    "exp": lambda n, i: ("out",),
    "relu": lambda n, i: ("out",),
    "pow_scalar": lambda n, i: ("x0",),
    "sum": lambda n, i: (),
    "broadcast_to": lambda n, i: (),
    "reshape": lambda n, i: (),
    "transpose": lambda n, i: (),
    "cross_entropy": lambda n, i: ("ctx",),
    "concatenate": lambda n, i: (),
}


def reads(op: str, n: int, i: int) -> tuple:
    """The forward values (``"out"``, ``"x0"`` ..., ``"ctx"``) that input i's gradient of op reads."""
    fn = READS.get(op)
    if fn is None:
        return ("out", "ctx") + tuple(f"x{j}" for j in range(n))
    return fn(n, i)


np_ = np  # the generated code's ``np``
