"""Layers built only from Tensor ops, so their gradients come from the core engine, not from here."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import linear
from ..tensor import Tensor
from . import init
from . import sequence_ops as _seq
from .module import Module, Parameter


class Linear(Module):
    """y = x @ weight.T + bias, with weight shaped (out_features, in_features) as in PyTorch.

    Initialised like PyTorch: weight and bias from U(-1/sqrt(in), 1/sqrt(in)), drawn from ``rng``.
    For the 1986 paper's start, re-fill with ``nn.init.uniform_(p, -0.3, 0.3, rng)``.

    >>> layer = Linear(3, 2, rng=0)
    >>> layer(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        for what, n in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise ValueError(f"Linear: {what} must be a non-negative int, got {n!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        rng = init.as_generator(rng)
        # zero features are allowed, as in PyTorch: with in_features=0 the output is the bias (zeros)
        self.weight = Parameter(np.zeros((out_features, in_features), dtype=dtype))
        if self.weight.size:
            init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)  # bound 1/sqrt(in_features)
        if bias:
            self.bias = Parameter(np.zeros(out_features, dtype=dtype))
            if in_features:
                bound = 1 / math.sqrt(in_features)
                init.uniform_(self.bias, -bound, bound, rng)
        else:
            self.bias = None

    def forward(self, input: Any) -> Tensor:  # noqa: A002 (PyTorch's keyword)
        x = input
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.weight.dtype)
        shape = x._data.shape  # (the shape property costs a call per use; small nets pay per layer)
        if not shape:
            raise ShapeError("Linear: both arguments to linear need to be at least 1D, got a 0D input")
        if shape[-1] != self.in_features:
            rows = int(np.prod(shape[:-1]))
            raise ShapeError(
                f"Linear(in_features={self.in_features}): input of shape {x.shape} must have "
                f"{self.in_features} as its last dimension (PyTorch: mat1 and mat2 shapes cannot be "
                f"multiplied ({rows}x{shape[-1]} and {self.in_features}x{self.out_features}))"
            )
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Sigmoid(Module):
    """Elementwise logistic 1 / (1 + e^-x): the 1986 paper's unit."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        x = input
        return _as_tensor(x).sigmoid()


class Tanh(Module):
    """Elementwise hyperbolic tangent."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        x = input
        return _as_tensor(x).tanh()


class ReLU(Module):
    """Elementwise max(0, x); ``inplace=True`` writes it into the input, as PyTorch's layer."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        x = input
        if self.inplace and isinstance(x, Tensor):
            from .functional import relu

            return relu(x, inplace=True)
        return _as_tensor(x).relu()

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def forward(self, input: Any) -> Any:  # noqa: A002
        x = input
        return x


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


class Sequential(Module):
    """Modules applied in order; children are named '0', '1', ... (or by an OrderedDict's keys).

    >>> net = Sequential(Linear(2, 2, rng=0), Sigmoid(), Linear(2, 1, rng=1), Sigmoid())
    >>> [name for name, _ in net.named_parameters()][:2]
    ['0.weight', '0.bias']
    """

    def __init__(self, *modules: Module | OrderedDict) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(str(name), m)
        else:
            for i, m in enumerate(modules):
                if not isinstance(m, Module):
                    raise TypeError(f"Sequential: argument {i} is a {type(m).__name__}, not an nn.Module")
                self.add_module(str(i), m)

    def forward(self, input: Any) -> Any:  # noqa: A002
        x = input
        for m in self._modules.values():
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    # list operations (sequence_ops.py): int / 0-d Tensor / slice indexing, +, +=, *, pop, insert, extend
    __getitem__ = _seq.seq_getitem
    __setitem__ = _seq.seq_setitem
    __delitem__ = _seq.seq_delitem
    __add__ = _seq.seq_add
    __iadd__ = _seq.seq_iadd
    __mul__ = __rmul__ = _seq.seq_mul
    __imul__ = _seq.seq_imul
    pop = _seq.seq_pop
    insert = _seq.seq_insert
    extend = _seq.seq_extend


class ModuleList(Module):
    """A list of modules whose parameters are registered (a plain list would hide them)."""

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        for m in modules:
            self.append(m)

    def append(self, module: Module) -> ModuleList:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected an nn.Module, got {type(module).__name__}")
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for m in modules:
            self.append(m)
        return self

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def insert(self, index: int, module: Module) -> None:
        """Insert before ``index`` (as list.insert); the modules after it are renumbered."""
        mods = list(self._modules.values())
        mods.insert(index, module)
        self._renumber(mods)

    def _renumber(self, mods: list) -> None:
        for key in list(self._modules):
            del self._modules[key]
            self.__dict__.pop(key, None)
        for m in mods:
            self.append(m)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    __getitem__ = _seq.list_getitem
    __setitem__ = _seq.list_setitem
    __add__ = _seq.list_add
    pop = _seq.list_pop

    def __delitem__(self, index: int | slice) -> None:
        mods = list(self._modules.values())
        del mods[index]
        self._renumber(mods)


class Flatten(Module):
    """Flatten axes start_dim..end_dim into one (PyTorch's default keeps the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Any) -> Tensor:
        x = _as_tensor(input)
        if x.ndim == 0:
            return x.reshape(1)
        s, e = self.start_dim % x.ndim, self.end_dim % x.ndim
        if s > e:
            raise ValueError(
                f"Flatten: start_dim {self.start_dim} comes after end_dim {self.end_dim} for {x.shape}"
            )
        return x.reshape(x.shape[:s] + (-1,) + x.shape[e + 1 :])


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``."""

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                f"unflattened_size must be a tuple of ints, but found type {type(unflattened_size).__name__}"
            )
        for i, n in enumerate(unflattened_size):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool):  # PyTorch's refusal and words
                raise TypeError(
                    f"unflattened_size must be tuple of ints, but found element of type "
                    f"{type(n).__name__} at pos {i}"
                )
        self.dim, self.unflattened_size = dim, tuple(int(n) for n in unflattened_size)

    def forward(self, input: Any) -> Tensor:
        x = _as_tensor(input)
        d = self.dim % x.ndim
        return x.reshape(x.shape[:d] + self.unflattened_size + x.shape[d + 1 :])


def bilinear(input1: Any, input2: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y[..., o] = sum_ij x1[..., i] weight[o, i, j] x2[..., j] + bias[o]."""
    x1, x2 = _as_tensor(input1), _as_tensor(input2)
    O, I, J = weight.shape
    if x1.shape[-1] != I or x2.shape[-1] != J or x1.shape[:-1] != x2.shape[:-1]:
        raise ValueError(f"bilinear: inputs {x1.shape} and {x2.shape} do not fit weight {weight.shape}")
    lead = x1.shape[:-1]
    a = x1.reshape(-1, I) @ weight.swapaxes(0, 1).reshape(I, O * J)  # (n, O*J)
    y = (a.reshape(-1, O, J) * x2.reshape(-1, 1, J)).sum(axis=-1)
    if bias is not None:
        y = y + bias
    return y.reshape(lead + (O,))


class Bilinear(Module):
    """y = x1^T A x2 + b with weight (out, in1, in2), initialised from U(+-1/sqrt(in1)) as in PyTorch."""

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        rng = init.as_generator(rng)
        bound = 1 / math.sqrt(in1_features)
        self.weight = Parameter(np.empty((out_features, in1_features, in2_features), dtype=dtype))
        init.uniform_(self.weight, -bound, bound, rng)
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
            init.uniform_(self.bias, -bound, bound, rng)
        else:
            self.bias = None

    def forward(self, input1: Any, input2: Any) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)
