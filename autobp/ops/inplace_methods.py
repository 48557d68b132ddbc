"""PyTorch's in-place Tensor methods (``add_``, ``mul_``, ``clamp_``, ``zero_``, ``fill_``, ``copy_``,
``masked_fill_``, ``index_add_``, ``scatter_``, ...) and numpy's ``fill`` and ``put``.

Each one computes the op out of place and writes the result into the tensor, counting the write in
its version (autobp/_inplace.py), so graphs that read the old value refuse to backward. The rule is
the one ``t[idx] = v`` follows (ops/scatter.py): without a graph to record (no_grad, or nothing
requires grad), the numbers are written into the array, as numpy does, and views see them; with one,
the tensor object becomes the new node and its former node lives on as the op's input.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _overlap_writes as _ow
from .._addc_old import _old_addc
from .._graph import _mode
from .._inplace import LeafInplaceError, bump, check_view_of_grad_leaf, nograd_view_error
from ..tensor import Tensor
from . import elementwise as _el
from . import recorded_writes as _rw
from . import scatter as _sc
from . import scatter_reductions as _scr
from .shape import astype


class InplaceCastError(TypeError, RuntimeError):
    """An in-place result of a dtype the tensor cannot hold (``int_tensor += 0.5``): numpy raises a
    TypeError there and PyTorch a RuntimeError, so code written for either catches this one."""


class InplaceShapeError(ValueError, RuntimeError):
    """An in-place result of another shape (``t += bigger``): numpy's ValueError, PyTorch's RuntimeError."""


def inplace(
    self: Tensor, name: str, compute: Callable[[Tensor], Tensor], rebinds: bool = False, fills: Any = None
) -> Tensor:
    """Write ``compute(old value)`` into ``self``, keeping its shape and dtype; returns ``self``.
    ``rebinds``: where the write would have to be recorded, return the new value instead, for
    Python to rebind (the augmented operators: see the note above ``_augmented``). ``fills``: the
    positions (an index, or a function giving one) where a fill writes its one value, which may then
    go through an expanded tensor, as PyTorch's fills do (_overlap_writes.py)."""
    if self._nograd_view is not None and _mode.enabled:
        raise nograd_view_error(self, name)
    check_view_of_grad_leaf(self, name)
    if _mode.enabled and self.requires_grad and self._op is None:
        raise LeafInplaceError(  # PyTorch's words ("Variable": its old name for a tensor)
            f"{name}: a leaf Variable that requires grad is being used in an in-place operation "
            f"(a leaf Tensor of shape {self.shape}); write into a copy (y = x * 1.0), or under no_grad()"
        )
    # an in-place write that records makes ``self`` the new node, so the op must read a snapshot of
    # the old one; a rebinding write leaves ``self`` as it is, and reads it (a snapshot would be a
    # second node of the same creation number next to ``self`` in the graph)
    old = self if rebinds else _rw.snapshot(self)
    new = compute(old)
    if new.shape != self.shape:
        raise InplaceShapeError(
            f"{name}: the result has shape {new.shape}, the tensor {self.shape}; an in-place op "
            "cannot change the tensor's shape (the other operand must broadcast to it)"
        )
    if new.dtype != self.dtype:
        if not np.can_cast(new.dtype, self.dtype, "same_kind"):
            raise InplaceCastError(
                f"{name}: a {new.dtype} result cannot be written into a {self.dtype} tensor "
                f"(result type {new.dtype} can't be cast to the desired output type {self.dtype}: "
                "numpy's same_kind casting, as PyTorch's in-place ops)"
            )
        new = astype(new, self.dtype)
    if not (_mode.enabled and (self.requires_grad or new.requires_grad)):
        if self._data.flags.writeable:
            self._data[...] = new._data
        elif self._source is not None:  # a view of a broadcast view: its memory, as PyTorch writes it
            if fills is None and _ow.shares_elements(self):  # overlapping: only a fill is defined
                raise _ow.overlap_error(name, self)
            where = Ellipsis if fills is None else (fills() if callable(fills) else fills)
            _ow.fill_through(self, where, new._data, name)
            return self
        else:  # a read-only array of its own (numpy's, wrapped): the tensor takes the new one
            self._data = new._data
        bump(self)
        return self
    if fills is None and _ow.shares_elements(self):
        raise _ow.overlap_error(name, self)
    if rebinds:
        if not _rw.writes_through(self):
            return new
        old = _rw.snapshot(self)  # a view (of a slice, x.T, x.view(...)) writes through, as PyTorch's
    if self._source is not None:  # a view: the write goes to its base (a rearranging view only)
        _rw.write_through(self, new, old, name)
    else:
        _rw.become(self, new, old)
    return self


def honours_inplace(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """``fn`` (a function of ``input`` with PyTorch's ``inplace=`` argument, by keyword or position) made to
    write its result into ``input`` when ``inplace`` is true and ``input`` is a Tensor, as PyTorch's
    functional activations and dropouts do (a recorded write, or PyTorch's error for a leaf that
    requires grad); otherwise it returns a new Tensor as before."""
    sig = inspect.signature(fn)
    at = list(sig.parameters).index("inplace") - 1  # among the arguments after input
    name = fn.__name__ + "_"
    dropout = {"p", "training"} <= set(sig.parameters)

    @functools.wraps(fn)
    def wrapper(input: Any, *args: Any, **kwargs: Any) -> Tensor:
        if kwargs.get("inplace"):
            kwargs["inplace"] = False
        elif len(args) > at and args[at]:
            args = args[:at] + (False,) + args[at + 1 :]
        else:
            return fn(input, *args, **kwargs)
        if not isinstance(input, Tensor):
            return fn(input, *args, **kwargs)
        if dropout:  # an idle dropout (eval mode, or p = 0) returns its input untouched, as PyTorch's
            bound = sig.bind(input, *args, **kwargs)
            bound.apply_defaults()
            if not bound.arguments["training"] or bound.arguments["p"] == 0:
                return input
        return inplace(input, name, lambda x: fn(x, *args, **kwargs))

    return wrapper


def _alpha(other: Any, alpha: Any) -> Any:
    return other if alpha == 1 else other * alpha


def add_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """In place: ``self += alpha * other`` (PyTorch's ``add_``)."""
    return inplace(self, "add_", lambda x: x + _alpha(other, alpha))


def sub_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """In place: ``self -= alpha * other`` (PyTorch's ``sub_``)."""
    return inplace(self, "sub_", lambda x: x - _alpha(other, alpha))


def mul_(self: Tensor, other: Any) -> Tensor:
    """In place: ``self *= other``."""
    return inplace(self, "mul_", lambda x: x * other)


def div_(self: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """In place: ``self /= other`` (``rounding_mode`` "trunc"/"floor" as in ``divide``)."""
    from .arithmetic import divide

    return inplace(self, "div_", lambda x: divide(x, other, rounding_mode=rounding_mode))


def pow_(self: Tensor, exponent: Any) -> Tensor:
    """In place: ``self **= exponent``."""
    return inplace(self, "pow_", lambda x: x**exponent)


def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """In place: values limited to [min, max] (PyTorch's ``clamp_``, alias ``clip_``)."""
    return inplace(self, "clamp_", lambda x: _el.clip(x, min, max))


def clamp_min_(self: Tensor, min: Any) -> Tensor:  # noqa: A002
    """In place: values below ``min`` raised to it."""
    return inplace(self, "clamp_min_", lambda x: _el.clamp_min(x, min))


def clamp_max_(self: Tensor, max: Any) -> Tensor:  # noqa: A002
    """In place: values above ``max`` lowered to it."""
    return inplace(self, "clamp_max_", lambda x: _el.clamp_max(x, max))


def _unary_(name: str) -> Callable[[Tensor], Tensor]:
    """The in-place form ``t.<name>_()`` of the elementwise op ``autobp.<name>`` (neg: negative)."""

    def method(self: Tensor) -> Tensor:
        from ._decl import ALIASES, DECLS

        key = "negative" if name == "neg" else ALIASES.get(name, name)
        return inplace(self, f"{name}_", DECLS[key].fn)

    method.__name__ = f"{name}_"
    method.__doc__ = f"In place: ``self`` replaced by ``{name}(self)``."
    return method


def fill_(self: Tensor, value: Any) -> Tensor:
    """In place: every element set to ``value`` (a number, or a 0-d Tensor that receives the gradient);
    a number also through an expanded tensor, setting its base's elements, as PyTorch's."""
    fills = None if isinstance(value, Tensor) else Ellipsis  # PyTorch's: a 0-d tensor value refuses there
    if type(value) in (bool, int, float, complex):  # numpy's ndarray.fill and PyTorch refuse NaN into ints
        _sc._check_scalar_fits(value, self.dtype, (Ellipsis,), "fill_")
    return inplace(self, "fill_", lambda x: _sc.index_put(x, (Ellipsis,), value), fills=fills)


def zero_(self: Tensor) -> Tensor:
    """In place: every element set to 0."""
    return fill_(self, 0)


def copy_(self: Tensor, src: Any) -> Tensor:
    """In place: ``src``'s values (broadcast to this shape, cast to this dtype) written into ``self``."""
    return inplace(self, "copy_", lambda x: _sc.index_put(x, (Ellipsis,), _cast(src, x)))


def _cast(src: Any, like: Tensor) -> Any:
    """``src`` in ``like``'s dtype (copy_ casts any dtype, as PyTorch's does)."""
    if isinstance(src, Tensor) and src.dtype != like.dtype:
        return astype(src, like.dtype)
    return src


def masked_fill_(self: Tensor, mask: Any, value: Any) -> Tensor:
    """In place: ``value`` where ``mask`` is true (also through an expanded tensor, as PyTorch's)."""
    fills = functools.partial(_ow.fill_positions, mask, self.shape)
    return inplace(self, "masked_fill_", lambda x: _sc.masked_fill(x, mask, value), fills=fills)


def index_add_(self: Tensor, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """In place: ``alpha * source`` added at positions ``index`` along ``dim``."""
    return inplace(self, "index_add_", lambda x: _sc.index_add(x, dim, index, source, alpha=alpha))


def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """In place: ``values`` written (or added) at ``self[indices]``."""
    return inplace(self, "index_put_", lambda x: _sc.index_put(x, indices, values, accumulate))


def scatter_(
    self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
) -> Tensor:
    """In place: PyTorch's scatter (``src`` or a number ``value`` at ``index`` along ``dim``; ``reduce``
    "add" or "multiply" combines them with what is there)."""
    return inplace(self, "scatter_", lambda x: _sc.scatter(x, dim, index, src, value=value, reduce=reduce))


def scatter_add_(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """In place: PyTorch's scatter_add."""
    return inplace(self, "scatter_add_", lambda x: _sc.scatter_add(x, dim, index, src))


def scatter_reduce_(
    self: Tensor, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
) -> Tensor:
    """In place: PyTorch's scatter_reduce."""
    return inplace(
        self,
        "scatter_reduce_",
        lambda x: _scr.scatter_reduce(x, dim, index, src, reduce, include_self=include_self),
    )


def lerp_(self: Tensor, end: Any, weight: Any) -> Tensor:
    """In place: ``self + weight * (end - self)``."""
    from .binary import lerp

    return inplace(self, "lerp_", lambda x: lerp(x, end, weight))


def addcmul_(self: Tensor, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """In place: ``self + value * tensor1 * tensor2`` (the deprecated value-first form too)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcmul_", tensor1, tensor2, old)
    return inplace(self, "addcmul_", lambda x: x + _alpha(_as(tensor1, x) * tensor2, value))


def addcdiv_(self: Tensor, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """In place: ``self + value * tensor1 / tensor2`` (the deprecated value-first form too)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcdiv_", tensor1, tensor2, old)
    return inplace(self, "addcdiv_", lambda x: x + _alpha(_as(tensor1, x) / tensor2, value))


def _as(a: Any, like: Tensor) -> Tensor:
    from ..tensor import _lift

    return _lift(a, like, "addc")


def _random_(name: str, draw: Callable[[np.random.Generator, tuple], np.ndarray]) -> Callable:
    def method(self: Tensor, *args: Any, generator: Any = None, **params: Any) -> Tensor:
        from ..nn.init import as_generator  # nn imports the ops: import it when called

        values = draw(as_generator(generator), self.shape, *args, **params)  # PyTorch's keywords too
        return inplace(self, name, lambda x: Tensor._const(values.astype(x.dtype)))

    method.__name__ = name
    return method


normal_ = _random_("normal_", lambda rng, shape, mean=0.0, std=1.0: rng.normal(mean, std, shape))
normal_.__doc__ = "In place: samples of N(mean, std^2) (``generator``: a numpy Generator or a seed)."
uniform_ = _random_("uniform_", lambda rng, shape, from_=0.0, to=1.0: rng.uniform(from_, to, shape))
uniform_.__doc__ = "In place: samples of U[from, to) (``generator``: a numpy Generator or a seed)."


def fill(self: Tensor, value: Any) -> None:
    """numpy's ``a.fill(value)``: every element set to ``value``, in place; returns None."""
    fill_(self, value)


def put(self: Tensor, ind: Any, v: Any, mode: Any = "raise", *, accumulate: Any = None) -> Any:
    """numpy's ``a.put(ind, v, mode)``: ``v`` written at flat positions ``ind`` (``v`` repeated as
    needed; ``mode`` 'raise', 'wrap' or 'clip' as numpy's put). PyTorch's ``t.put(index, source,
    accumulate)`` (a bool third argument or ``accumulate=``): a new tensor, ``self`` unchanged."""
    from .numpy_writes import put as put_into  # numpy_writes imports this module: import when called

    return put_into(self, ind, v, mode, accumulate=accumulate)


# The augmented operators write in place, as numpy's and PyTorch's do (``a = t; t += 1`` changes ``a``
# too), wherever no gradient is involved: constants, integer tensors, and anything under no_grad (an
# optimiser's ``w -= lr * g``). A leaf that requires grad refuses outside no_grad, in PyTorch's words.
# Where the write would have to be recorded (``t`` or the operand requires grad), they rebind instead,
# as HIPS autograd's do: a recorded in-place write makes the Tensor object the new op's node, and ops
# that used the old value hold that same object as their input, so ``vx -= d`` after ``roll(vx)``
# (autograd's fluid simulation) could not be differentiated; rebinding gives every op the value it
# read. ``t[i] += v`` then records through setitem. A view that rearranges its base's elements
# (``r = t[0]``, ``h = x.T``, ``x.view(...)``, ``x.diagonal()``) writes through to its base instead, as
# in numpy and PyTorch, so ``r += 1`` changes ``t`` with or without a graph. The difference from
# PyTorch: another name for the same tensor (``a = t``) does not see a recorded write. ``@=`` rebinds always,
# as in PyTorch; ``add_`` and the other methods write in place and record, with version checks.
def _augmented(symbol: str, compute: Callable[[Tensor, Any], Tensor]) -> Callable[[Tensor, Any], Tensor]:
    def method(self: Tensor, other: Any) -> Tensor:
        return inplace(self, f"{symbol}=", lambda x: compute(x, other), rebinds=True)

    method.__name__ = method.__qualname__ = f"__i{_OPERATOR_NAMES[symbol]}__"
    method.__doc__ = f"``self {symbol}= other``, written into ``self`` (as numpy and PyTorch do)."
    return method


_OPERATOR_NAMES = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "//": "floordiv", "%": "mod"}
_OPERATOR_NAMES.update({"**": "pow", "&": "and", "|": "or", "^": "xor", "<<": "lshift", ">>": "rshift"})
DUNDERS = {
    "__iadd__": _augmented("+", lambda x, o: x + o),
    "__isub__": _augmented("-", lambda x, o: x - o),
    "__imul__": _augmented("*", lambda x, o: x * o),
    "__itruediv__": _augmented("/", lambda x, o: x / o),
    "__ifloordiv__": _augmented("//", lambda x, o: x // o),
    "__imod__": _augmented("%", lambda x, o: x % o),
    "__ipow__": _augmented("**", lambda x, o: x**o),
    "__iand__": _augmented("&", lambda x, o: x & o),
    "__ior__": _augmented("|", lambda x, o: x | o),
    "__ixor__": _augmented("^", lambda x, o: x ^ o),
    "__ilshift__": _augmented("<<", lambda x, o: x << o),
    "__irshift__": _augmented(">>", lambda x, o: x >> o),
}
DUNDERS["__idiv__"] = DUNDERS["__itruediv__"]  # PyTorch's Python 2 name

UNARY = ("neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "floor", "ceil")
UNARY += ("trunc", "round", "reciprocal", "square", "rsqrt", "log1p", "expm1", "sign")
# attached to Tensor by name in ops/__init__.py
METHODS = {f"{n}_": _unary_(n) for n in UNARY}
METHODS.update(
    {
        "add_": add_,
        "sub_": sub_,
        "mul_": mul_,
        "div_": div_,
        "pow_": pow_,
        "clamp_": clamp_,
        "clip_": clamp_,
        "clamp_min_": clamp_min_,
        "clamp_max_": clamp_max_,
        "fill_": fill_,
        "zero_": zero_,
        "copy_": copy_,
        "masked_fill_": masked_fill_,
        "index_add_": index_add_,
        "index_put_": index_put_,
        "scatter_": scatter_,
        "scatter_add_": scatter_add_,
        "scatter_reduce_": scatter_reduce_,
        "lerp_": lerp_,
        "addcmul_": addcmul_,
        "addcdiv_": addcdiv_,
        "normal_": normal_,
        "uniform_": uniform_,
        "fill": fill,
        "put": put,
    }
)
