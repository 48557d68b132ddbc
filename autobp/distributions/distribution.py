"""The base class of ``autobp.distributions`` (PyTorch's ``torch.distributions.Distribution``): batch and
event shapes, sampling from autobp's global generator, argument and value validation, ``expand``; and
the helpers every distribution uses to turn its parameters into Tensors."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT, DEFAULT_FLOAT
from .._graph import enable_grad, no_grad
from ..ops import broadcast_to, sqrt
from ..ops import exp as _exp
from ..random import generator_of
from ..tensor import Tensor
from . import constraints

_DEFAULT = {"validate_args": True}


def _float_dtype(values: tuple) -> np.dtype:
    """The float dtype of the first float Tensor or array among ``values`` (float32 stays float32);
    the default dtype (float64 unless set_default_dtype changed it) when there is none."""
    for v in values:
        d = v.dtype if isinstance(v, (Tensor, np.ndarray)) else None
        if d is not None and d.kind == "f":
            return np.dtype(d)
    return DEFAULT[0]


def as_param(value: Any, dtype: Any = DEFAULT_FLOAT) -> Tensor:
    """``value`` as a float Tensor: Tensors as they are (integer ones cast), numbers and arrays as
    constants of ``dtype`` (an array's own float dtype is kept)."""
    if isinstance(value, Tensor):
        return value if value.dtype.kind == "f" else value.astype(dtype)
    arr = np.asarray(value)
    if arr.dtype.kind != "f" or isinstance(value, (int, float, list, tuple)):
        arr = arr.astype(dtype)
    return Tensor._const(arr)


def params(*values: Any) -> list[Tensor]:
    """The parameters as Tensors of one float dtype (that of the first float Tensor or array)."""
    dt = _float_dtype(values)
    return [as_param(v, dt) for v in values]


def broadcast_all(*values: Any) -> list[Tensor]:
    """The parameters as Tensors broadcast to one shape (PyTorch's ``broadcast_all``)."""
    ts = params(*values)
    shape = np.broadcast_shapes(*(t.shape for t in ts))
    return [t if t.shape == shape else broadcast_to(t, shape) for t in ts]


def rng() -> np.random.Generator:
    """autobp's global generator (``autobp.manual_seed`` seeds it)."""
    return generator_of(None)


class lazy_property:  # noqa: N801  PyTorch's name
    """A property computed once and then stored on the instance (``probs`` from ``logits``, ...).

    It is computed with gradient recording on, as PyTorch does, so that a first use inside ``sample``
    (which runs under ``no_grad``) does not store a value cut off from the parameters."""

    def __init__(self, fn: Any) -> None:
        self.fn, self.__doc__, self.name = fn, fn.__doc__, fn.__name__

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        with enable_grad():
            value = self.fn(instance)
        instance.__dict__[self.name] = value
        return value


def _describe(value: Any) -> str:
    arr = value._data if isinstance(value, Tensor) else np.asarray(value)
    return repr(arr.item()) if arr.ndim == 0 else f"shape {arr.shape}"


class Distribution:
    """A batch of probability distributions of events of ``event_shape``.

    >>> import autobp
    >>> from autobp.distributions import Normal
    >>> d = Normal(autobp.tensor([0.0, 1.0]), 2.0)
    >>> d.batch_shape, d.sample((5,)).shape
    ((2,), (5, 2))
    """

    has_rsample = False
    has_enumerate_support = False
    arg_constraints: dict = {}
    support: Any = None
    _expand_also: tuple = ()

    def __init__(self, batch_shape: tuple = (), event_shape: tuple = (), validate_args: bool | None = None):
        self._batch_shape, self._event_shape = tuple(batch_shape), tuple(event_shape)
        self._validate_args = _DEFAULT["validate_args"] if validate_args is None else bool(validate_args)
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if name not in self.__dict__:  # a parameter derived from the given one (logits of probs)
                    continue
                value = self.__dict__[name]
                if not isinstance(value, (Tensor, np.ndarray, int, float)):
                    continue
                arr = value._data if isinstance(value, Tensor) else np.asarray(value)
                if not np.all(constraint.check(arr)):
                    raise ValueError(
                        f"Expected parameter {name} (Tensor of shape {arr.shape}) of distribution {self!r} "
                        f"to satisfy the constraint {constraint!r}, but found invalid values:\n{arr}"
                    )

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Whether distributions validate their arguments when ``validate_args`` is not given."""
        if value not in (True, False):
            raise ValueError(f"set_default_validate_args: expected True or False, got {value!r}")
        _DEFAULT["validate_args"] = value

    @property
    def batch_shape(self) -> tuple:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> tuple:
        """The shape of one sample (of one distribution of the batch)."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> tuple:
        sample_shape = (sample_shape,) if isinstance(sample_shape, int) else tuple(sample_shape)
        return sample_shape + self._batch_shape + self._event_shape

    def _dtype(self) -> np.dtype:
        """The parameters' float dtype (a wrapper's: that of the distribution it wraps)."""
        for name in self.arg_constraints:
            v = self.__dict__.get(name)
            if isinstance(v, Tensor):
                return v.dtype
        for name in ("base_dist", "_categorical", "_bernoulli", "_component_distribution"):
            inner = self.__dict__.get(name)
            if isinstance(inner, Distribution):
                return inner._dtype()
        return DEFAULT[0]

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """The same distributions broadcast to ``batch_shape`` (parameters expanded, not copied)."""
        batch_shape = tuple(batch_shape)
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        nb = len(self._batch_shape)
        for name in tuple(self.arg_constraints) + self._expand_also:
            v = self.__dict__.get(name)
            if isinstance(v, Tensor):
                new.__dict__[name] = broadcast_to(v, batch_shape + v.shape[nb:])
        new._batch_shape = batch_shape
        return new

    @property
    def mean(self) -> Tensor:
        """The mean of each distribution."""
        raise NotImplementedError(f"{type(self).__name__} has no mean")

    @property
    def mode(self) -> Tensor:
        """The mode of each distribution."""
        raise NotImplementedError(f"{type(self).__name__} has no mode")

    @property
    def variance(self) -> Tensor:
        """The variance of each distribution."""
        raise NotImplementedError(f"{type(self).__name__} has no variance")

    @property
    def stddev(self) -> Tensor:
        """The standard deviation: the square root of the variance."""
        return sqrt(self.variance)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Samples of shape ``sample_shape + batch_shape + event_shape``, constants (no gradient)."""
        with no_grad():
            return self.rsample(sample_shape).detach()

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """Reparameterised samples: differentiable in the parameters."""
        raise NotImplementedError(f"{type(self).__name__} has no rsample (has_rsample is False)")

    def sample_n(self, n: int) -> Tensor:
        """``sample((n,))``."""
        return self.sample((n,))

    def log_prob(self, value: Any) -> Tensor:
        """The log density (or log mass) of ``value`` under each distribution."""
        raise NotImplementedError(f"{type(self).__name__} has no log_prob")

    def cdf(self, value: Any) -> Tensor:
        """The cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__} has no cdf")

    def icdf(self, value: Any) -> Tensor:
        """The inverse cumulative distribution function (quantile) at ``value``."""
        raise NotImplementedError(f"{type(self).__name__} has no icdf")

    def entropy(self) -> Tensor:
        """The entropy of each distribution."""
        raise NotImplementedError(f"{type(self).__name__} has no entropy")

    def perplexity(self) -> Tensor:
        """exp(entropy)."""
        return _exp(self.entropy())

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every value of a discrete support, along a new leading axis."""
        raise NotImplementedError(f"{type(self).__name__} cannot enumerate its support")

    def _value(self, value: Any) -> Tensor:
        """``value`` as a Tensor of the parameters' dtype, validated when ``validate_args``."""
        if not isinstance(value, Tensor):
            value = Tensor._const(np.asarray(value, dtype=self._dtype()))
        if self._validate_args:
            self._validate_sample(value)
        return value

    def _validate_sample(self, value: Tensor) -> None:
        n = len(self._event_shape)
        if n and tuple(value.shape[-n:]) != self._event_shape:
            raise ValueError(
                f"The right-most size of value must match event_shape: {value.shape} vs {self._event_shape}."
            )
        try:
            np.broadcast_shapes(value.shape, self._batch_shape + self._event_shape)
        except ValueError:
            raise ValueError(
                f"Value is not broadcastable with batch_shape+event_shape: {value.shape} vs "
                f"{self._batch_shape + self._event_shape}."
            ) from None
        support = self.support
        if support is not None and not np.all(support.check(value)):
            raise ValueError(
                f"Expected value argument (Tensor of shape {value.shape}) to be within the support "
                f"({support!r}) of the distribution {self!r}, but found invalid values:\n{value._data}"
            )

    def __repr__(self) -> str:
        shown = [n for n in self.arg_constraints if n in self.__dict__]
        inner = ", ".join(f"{n}: {_describe(self.__dict__[n])}" for n in shown)
        return f"{type(self).__name__}({inner})"


__all__ = ["Distribution", "constraints", "broadcast_all", "params", "as_param", "lazy_property"]
