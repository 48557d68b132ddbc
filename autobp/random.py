"""Random tensors, PyTorch's and numpy's constructors (``randn``, ``rand``, ``randint``, ``randperm``,
``normal``, ``uniform``, ``bernoulli``, ``multinomial``, the ``*_like`` family), from one global numpy
Generator that ``manual_seed`` seeds, as ``torch.manual_seed`` seeds PyTorch's.

Every function also takes ``generator=`` (a ``numpy.random.Generator`` or an int seed) to draw from
that instead. Layers' initialisers, dropout and ``Tensor.normal_``/``uniform_`` draw from the global
generator when no ``rng``/``generator`` is given, so ``autobp.manual_seed(0)`` makes a whole run
reproducible. Samples are constants: no gradient flows to ``mean``, ``std`` or ``p`` (as in PyTorch);
``permutation`` of a Tensor is indexing, so it does differentiate.
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from ._broadcast import ShapeError
from ._creation_out import creation_out
from ._default_dtype import DEFAULT, sampler_dtype
from ._device import check_device
from ._torch_out import takes_out
from .memory_format import laid_out_as
from .ops._creation_args import _leaf, torch_only
from .ops.creation import input_arg
from .tensor import Tensor
from .torch_generator import default_generator as _default_object

_state: dict = {"seed": None, "rng": np.random.default_rng()}


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the global generator (``torch.manual_seed``); returns it. Negative seeds are refused."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: the seed must be a non-negative integer, got {seed!r}")
    _state["seed"], _state["rng"] = int(seed), np.random.default_rng(int(seed))
    return _state["rng"]


def seed(seed: int | None = None) -> int:
    """numpy's ``random.seed(s)`` (the same as ``manual_seed(s)``), or with no argument PyTorch's
    ``torch.seed()``: seed from fresh entropy. Returns the seed used."""
    s = secrets.randbits(63) if seed is None else seed
    manual_seed(s)
    return int(s)


def initial_seed() -> int | None:
    """The seed last given to ``manual_seed``/``seed`` (None before either was called)."""
    return _state["seed"]


def get_rng_state() -> dict:
    """The global generator's state (numpy's bit-generator state dict), for ``set_rng_state``."""
    return _state["rng"].bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state from ``get_rng_state``: the draws that followed it are drawn again."""
    _state["rng"].bit_generator.state = state


def default_generator() -> np.random.Generator:
    """The global generator itself (what the functions here draw from by default)."""
    return _state["rng"]


def generator_of(generator: Any, who: str = "generator") -> np.random.Generator:
    """``generator`` as a numpy Generator: the global one for None, a new one for an int seed."""
    if generator is None or generator is _default_object:  # autobp.default_generator: the global one
        return _state["rng"]
    if isinstance(generator, np.random.Generator):
        return generator
    if isinstance(generator, (int, np.integer)) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    raise TypeError(
        f"{who} must be a numpy.random.Generator, an int seed or None, got {type(generator).__name__}"
    )


def _shape(size: tuple, who: str) -> tuple:
    """PyTorch's ``randn(2, 3)`` or ``randn((2, 3))``, numpy's ``randn(2, 3)``; () for none."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    try:
        shape = tuple(int(n) for n in size)
    except (TypeError, ValueError):
        raise TypeError(f"{who}: sizes must be integers, got {size!r}") from None
    negative = [n for n in shape if n < 0]
    if negative:  # a ValueError, also PyTorch's RuntimeError, with its words
        raise ShapeError(
            f"{who}: sizes must be non-negative (PyTorch: Trying to create tensor with negative dimension "
            f"{negative[0]}: {list(shape)})"
        )
    return shape


def _sizes(sizes: tuple, size: Any, who: str) -> tuple:
    """The sizes given positionally, or PyTorch's ``size=`` keyword (not both)."""
    if size is None:
        return sizes
    if sizes:
        raise TypeError(f"{who}: give the sizes positionally or as size=, not both")
    return (size,)


def _draw(draw: Any, shape: tuple, dt: np.dtype, scale: float) -> np.ndarray:
    """``draw(shape, dtype=...)`` of a float dtype; of a complex one, as PyTorch's: the real and the
    imaginary parts drawn independently, each times ``scale`` (randn's 1/sqrt(2): unit variance in all)."""
    if dt == np.float16:  # numpy's samplers draw float32 and float64 only: float32, rounded once
        return np.asarray(draw(shape, dtype=np.float32)).astype(dt)
    if dt.kind != "c":
        return np.asarray(draw(shape, dtype=dt))
    real = np.dtype(np.float32 if dt == np.complex64 else np.float64)
    parts = draw(shape + (2,), dtype=real)
    if scale != 1.0:
        parts *= real.type(scale)
    return np.ascontiguousarray(parts).view(dt).reshape(shape)


@creation_out("randn")
def randn(
    *sizes: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: Any = None,
    device: Any = None,
    layout: Any = None,
    size: Any = None,
) -> Tensor:
    """Samples of N(0, 1) of the given shape (``randn(2, 3)``, ``randn((2, 3))`` or PyTorch's
    ``randn(size=(2, 3))``); the default dtype (float64 unless set) unless ``dtype``; a complex dtype
    draws each part from N(0, 1/2), as PyTorch's."""
    check_device(device, "randn")
    torch_only("randn", layout)
    dt = sampler_dtype(dtype, "randn")
    shape = _shape(_sizes(sizes, size, "randn"), "randn")
    data = _draw(generator_of(generator).standard_normal, shape, dt, 0.5**0.5)
    return _leaf(data, requires_grad, "randn")


@creation_out("rand")
def rand(
    *sizes: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: Any = None,
    device: Any = None,
    layout: Any = None,
    size: Any = None,
) -> Tensor:
    """Samples of U[0, 1) of the given shape, the default dtype unless ``dtype``; a complex dtype draws each
    part from U[0, 1), as PyTorch's."""
    check_device(device, "rand")
    torch_only("rand", layout)
    dt = sampler_dtype(dtype, "rand")
    data = _draw(generator_of(generator).random, _shape(_sizes(sizes, size, "rand"), "rand"), dt, 1.0)
    return _leaf(data, requires_grad, "rand")


@creation_out("randint")
def randint(
    *args: Any,
    size: Any = None,
    dtype: Any = np.int64,
    generator: Any = None,
    device: Any = None,
    layout: Any = None,
    requires_grad: bool = False,
    **bounds: Any,
) -> Tensor:
    """Integers in [low, high): PyTorch's ``randint(high, size)`` / ``randint(low, high, size)`` and
    numpy's ``randint(low, high=None, size=None)`` (one bound: [0, low)); int64 unless ``dtype``. A
    floating (or bool) ``dtype`` stores the whole numbers in it, as PyTorch's (numpy refuses it);
    ``requires_grad`` is for such a floating result, as PyTorch's."""
    check_device(device, "randint")
    torch_only("randint", layout)
    args = list(args)
    if args and isinstance(args[-1], (tuple, list)):  # PyTorch's size, always last and a sequence
        if size is not None:
            raise TypeError("randint: size given both positionally and as a keyword")
        size = args.pop()
    low, high = bounds.pop("low", None), bounds.pop("high", None)
    if bounds:
        raise TypeError(f"randint: unexpected keyword arguments {sorted(bounds)}")
    if len(args) > 2:
        raise TypeError(f"randint: at most low and high before size, got {len(args)} numbers")
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if low is None and high is None:
            low, high = 0, args[0]
        elif high is None:
            high = args[0]
        else:
            low = args[0]
    if high is None:  # numpy's randint(low=n): [0, n)
        low, high = 0, low
    if high is None:
        raise TypeError("randint: give high (randint(high, size) or randint(low, high, size))")
    low = 0 if low is None else low
    if not low < high:
        raise ValueError(f"randint: need low < high, got low={low}, high={high}")
    dt = np.dtype(dtype)
    shape = () if size is None else _shape((size,), "randint")
    if dt.kind in "iu":
        data = generator_of(generator).integers(low, high, size=shape, dtype=dt)
    elif dt.kind in "fb":  # PyTorch's: whole numbers stored in a floating (or bool) dtype
        if dt.kind == "b" and not 0 <= low < high <= 2:
            raise ValueError(f"randint: a bool dtype needs 0 <= low < high <= 2, got low={low}, high={high}")
        data = generator_of(generator).integers(low, high, size=shape, dtype=np.int64).astype(dt)
    else:
        raise TypeError(
            f"randint: dtype must be an integer, floating or bool type, got {dt} (PyTorch's words: "
            "check_random_bounds handles only integral, floating-point and boolean types)"
        )
    return _leaf(np.asarray(data), requires_grad, "randint")


def _like(t: Any, dtype: Any) -> tuple[tuple, Any]:
    data = t._data if isinstance(t, Tensor) else np.asarray(t)
    return data.shape, data.dtype if dtype is None else dtype


def randn_like(
    t: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: Any = None,
    *,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """``randn`` of ``t``'s shape and (float) dtype."""
    check_device(device, "randn_like")
    torch_only("randn_like", layout)
    shape, dt = _like(t := input_arg(t, input, "randn_like"), dtype)
    return laid_out_as(randn(shape, dtype=dt, requires_grad=requires_grad, generator=generator), t)


def rand_like(
    t: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
    generator: Any = None,
    *,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """``rand`` of ``t``'s shape and (float) dtype."""
    check_device(device, "rand_like")
    torch_only("rand_like", layout)
    shape, dt = _like(t := input_arg(t, input, "rand_like"), dtype)
    return laid_out_as(rand(shape, dtype=dt, requires_grad=requires_grad, generator=generator), t)


def randint_like(
    t: Any = None,
    low: int | None = None,
    high: int | None = None,
    *,
    dtype: Any = None,
    generator: Any = None,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """``randint`` of ``t``'s shape: ``randint_like(t, high)`` or ``randint_like(t, low, high)``, in
    ``t``'s dtype or ``dtype`` (PyTorch's rule: a float ``t`` gets whole numbers as floats)."""
    check_device(device, "randint_like")
    torch_only("randint_like", layout)
    shape, dt = _like(t := input_arg(t, input, "randint_like"), dtype)
    if high is None:
        low, high = 0, low
    if low is None:  # randint_like(t, high=n)
        low = 0
    if high is None:
        raise TypeError("randint_like: give high (randint_like(t, high) or randint_like(t, low, high))")
    if np.dtype(dt).kind in "iu":
        return laid_out_as(randint(low, high, shape, dtype=dt, generator=generator), t)
    draws = randint(low, high, shape, dtype=np.int64, generator=generator)  # then cast, as torch's
    return laid_out_as(Tensor._const(draws._data.astype(dt)), t)


def randperm(
    n: int, *, dtype: Any = np.int64, generator: Any = None, device: Any = None, layout: Any = None
) -> Tensor:
    """A random permutation of 0 .. n-1 (``torch.randperm``)."""
    check_device(device, "randperm")
    torch_only("randperm", layout)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"randperm: n must be a non-negative integer, got {n!r}")
    return Tensor._const(generator_of(generator).permutation(int(n)).astype(dtype))


def permutation(x: Any, *, generator: Any = None) -> Any:
    """numpy's ``permutation``: of an int n, a shuffled arange(n); of a Tensor, its rows (axis 0) in a
    random order, as ``x[perm]`` (so gradients flow back to ``x``)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return randperm(int(x), generator=generator)
    t = x if isinstance(x, Tensor) else Tensor._const(np.asarray(x))
    if t.ndim == 0:
        raise ValueError("permutation: x must be an integer or have at least one axis, got a 0-d tensor")
    return t[generator_of(generator).permutation(t.shape[0])]


def _result_dtype(given: tuple, arrays: tuple) -> Any:
    """The float dtype of samples from these parameters: Python numbers are weak (a float32 tensor
    of means with std 1.1 gives float32, as PyTorch and numpy 2's promotion); Python numbers only: the
    default dtype (float64 unless set)."""
    if all(isinstance(g, (int, float)) for g in given):
        return DEFAULT[0]
    weak = [
        g if isinstance(g, (int, float)) and not isinstance(g, bool) else a for g, a in zip(given, arrays)
    ]
    return np.result_type(*weak, 1.0)


def uniform(
    low: Any = 0.0, high: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None
) -> Tensor:
    """numpy's ``uniform``: samples of U[low, high), of ``size`` (the bounds broadcast otherwise)."""
    lo, hi = (a._data if isinstance(a, Tensor) else np.asarray(a, dtype=float) for a in (low, high))
    shape = np.broadcast_shapes(lo.shape, hi.shape) if size is None else _shape((size,), "uniform")
    dt = sampler_dtype(dtype if dtype is not None else _result_dtype((low, high), (lo, hi)), "uniform")
    return Tensor._const(
        np.asarray(generator_of(generator).uniform(lo, hi, size=shape)).astype(dt, copy=False)
    )


@takes_out("bernoulli", "any")
def bernoulli(p: Any, prob: Any = None, *, generator: Any = None) -> Tensor:
    """1 with probability ``p``, else 0, elementwise (``torch.bernoulli``); ``p``'s shape and float dtype.
    With ``prob`` (torch.bernoulli(input, p)): that one probability, in ``p``'s shape and dtype."""
    probs = p._data if isinstance(p, Tensor) else np.asarray(p, dtype=float)
    probs = probs if prob is None else np.full(probs.shape, prob, probs.dtype)
    if probs.dtype.kind != "f":
        probs = probs.astype(float)
    if probs.size and not (np.all(probs >= 0) and np.all(probs <= 1)):
        raise ValueError(
            f"bernoulli: probabilities must lie in [0, 1], got min {probs.min()}, max {probs.max()}"
        )
    draws = generator_of(generator).random(probs.shape) < probs
    return Tensor._const(draws.astype(probs.dtype))


def multinomial(input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Indices drawn with probabilities proportional to the non-negative weights in each row of ``input``
    (1-d or 2-d), ``num_samples`` per row, with or without replacement (``torch.multinomial``); int64."""
    w = input._data if isinstance(input, Tensor) else np.asarray(input, dtype=float)
    if w.ndim not in (1, 2):
        raise ValueError(f"multinomial: input must be 1-d or 2-d, got shape {w.shape}")
    rows = w.reshape(-1, w.shape[-1]).astype(float)
    if np.any(rows < 0) or not np.all(np.isfinite(rows)):
        raise ValueError("multinomial: weights must be finite and non-negative")
    n = int(num_samples)
    if n <= 0:
        raise ValueError(f"multinomial: num_samples must be positive, got {num_samples}")
    rng = generator_of(generator)
    out = np.empty((rows.shape[0], n), dtype=np.int64)
    for i, row in enumerate(rows):
        total = row.sum()
        if total <= 0:
            raise ValueError(
                f"multinomial: row {i} of the weights sums to {total}; it needs a positive weight"
            )
        if not replacement and n > np.count_nonzero(row):
            raise ValueError(
                f"multinomial: cannot draw {n} samples without replacement from {np.count_nonzero(row)} "
                f"categories of non-zero weight (row {i})"
            )
        out[i] = rng.choice(row.size, size=n, replace=replacement, p=row / total)
    return Tensor._const(out.reshape(w.shape[:-1] + (n,)))


# the names PyTorch has at its top level, which autobp re-exports (numpy's live in numpy.random only)
TOP_LEVEL = (
    "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state", "randn", "rand", "randint",
    "randn_like", "rand_like", "randint_like", "randperm", "normal", "bernoulli", "multinomial",
)  # fmt: skip
__all__ = [*TOP_LEVEL, "default_generator", "permutation", "uniform", "generator_of"]

from .random_normal import normal  # noqa: E402, F401  (it uses this module's helpers)
from .random_numpy import *  # noqa: E402, F403  numpy.random's functions and classes
from .random_numpy import NUMPY_RANDOM  # noqa: E402

__all__ += list(NUMPY_RANDOM)
