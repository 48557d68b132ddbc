"""PyTorch's top-level in-place functions (``torch.exp_(t)``, ``torch.clamp_(t, 0, 1)``, ``torch.zero_(t)``,
``torch.gcd_(a, b)``, ...): each calls the Tensor's in-place method of the same name, or writes the
out-of-place result back with ``copy_``, so the write is recorded on the graph as the method's is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ops._args import as_tensor
from .tensor import Tensor


def _method(name: str) -> Callable[..., Tensor]:
    """The top-level form of the in-place method ``name``: ``torch.name(t, *args)`` is ``t.name(*args)``."""

    def function(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}: an in-place function needs a Tensor, got {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``input.{name}(*args)``: the in-place method as a function (``torch.{name}``)."
    return function


abs_ = _method("abs_")
acos_ = _method("acos_")
acosh_ = _method("acosh_")
arccos_ = _method("arccos_")
arccosh_ = _method("arccosh_")
arcsin_ = _method("arcsin_")
arcsinh_ = _method("arcsinh_")
arctan_ = _method("arctan_")
arctanh_ = _method("arctanh_")
asin_ = _method("asin_")
asinh_ = _method("asinh_")
atan_ = _method("atan_")
atanh_ = _method("atanh_")
ceil_ = _method("ceil_")
clamp_ = _method("clamp_")
clamp_max_ = _method("clamp_max_")
clamp_min_ = _method("clamp_min_")
clip_ = _method("clip_")
cos_ = _method("cos_")
cosh_ = _method("cosh_")
deg2rad_ = _method("deg2rad_")
detach_ = _method("detach_")
erf_ = _method("erf_")
erfc_ = _method("erfc_")
exp2_ = _method("exp2_")
exp_ = _method("exp_")
expm1_ = _method("expm1_")
fill_ = _method("fill_")
fix_ = _method("fix_")
floor_ = _method("floor_")
frac_ = _method("frac_")
index_put_ = _method("index_put_")
log10_ = _method("log10_")
log1p_ = _method("log1p_")
log2_ = _method("log2_")
log_ = _method("log_")
logit_ = _method("logit_")
nan_to_num_ = _method("nan_to_num_")
neg_ = _method("neg_")
negative_ = _method("negative_")
rad2deg_ = _method("rad2deg_")
reciprocal_ = _method("reciprocal_")
relu_ = _method("relu_")
round_ = _method("round_")
rsqrt_ = _method("rsqrt_")
sigmoid_ = _method("sigmoid_")
sin_ = _method("sin_")
sinc_ = _method("sinc_")
sinh_ = _method("sinh_")
sqrt_ = _method("sqrt_")
square_ = _method("square_")
tan_ = _method("tan_")
tanh_ = _method("tanh_")
trunc_ = _method("trunc_")
xlogy_ = _method("xlogy_")
zero_ = _method("zero_")


def _write(input: Any, value: Any, name: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}: an in-place function needs a Tensor, got {type(input).__name__}")
    return input.copy_(value)


def gcd_(input: Tensor, other: Any) -> Tensor:
    """The greatest common divisor with ``other``, written into the integer tensor (``torch.gcd_``)."""
    from . import gcd

    return _write(input, gcd(input, other), "gcd_")


def lcm_(input: Tensor, other: Any) -> Tensor:
    """The least common multiple with ``other``, written into the integer tensor (``torch.lcm_``)."""
    from . import lcm

    return _write(input, lcm(input, other), "lcm_")


def ldexp_(input: Tensor, other: Any) -> Tensor:
    """input * 2**other written into ``input`` (``torch.ldexp_``; float exponents allowed)."""
    return _write(input, input * 2.0 ** as_tensor(other), "ldexp_")


def i0_(input: Tensor) -> Tensor:
    """The modified Bessel function I0, written into ``input`` (``torch.i0_``)."""
    from .special import i0

    return _write(input, i0(input), "i0_")


def addmv_(input: Tensor, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * input + alpha * (mat @ vec) written into ``input`` (``torch.addmv_``)."""
    from .pytorch_functions import addmv

    return _write(input, addmv(input, mat, vec, beta=beta, alpha=alpha), "addmv_")


def resize_as_(input: Tensor, the_template: Any, memory_format: Any = None) -> Tensor:
    """``input`` resized in place to the template's shape, as ``torch.resize_as_`` (``input.resize_as_``:
    elements kept in row-major order, new ones 0 where PyTorch leaves them uninitialised;
    refused for a tensor that requires grad)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"resize_as_: an in-place function needs a Tensor, got {type(input).__name__}")
    return input.resize_as_(the_template, memory_format=memory_format)


def conj_physical_(input: Tensor) -> Tensor:
    """The complex conjugate written into ``input``; a real tensor is unchanged (``torch.conj_physical_``)."""
    if isinstance(input, Tensor) and input.dtype.kind != "c":
        return input
    return _write(input, as_tensor(input).conj(), "conj_physical_")


__all__ = [
    "abs_",
    "acos_",
    "acosh_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "cos_",
    "cosh_",
    "deg2rad_",
    "detach_",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expm1_",
    "fill_",
    "fix_",
    "floor_",
    "frac_",
    "index_put_",
    "log10_",
    "log1p_",
    "log2_",
    "log_",
    "logit_",
    "nan_to_num_",
    "neg_",
    "negative_",
    "rad2deg_",
    "reciprocal_",
    "relu_",
    "round_",
    "rsqrt_",
    "sigmoid_",
    "sin_",
    "sinc_",
    "sinh_",
    "sqrt_",
    "square_",
    "tan_",
    "tanh_",
    "trunc_",
    "xlogy_",
    "zero_",
    "gcd_",
    "lcm_",
    "ldexp_",
    "i0_",
    "addmv_",
    "conj_physical_",
    "resize_as_",
]
