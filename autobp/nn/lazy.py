"""Lazy layers (PyTorch's LazyLinear, LazyConv*, LazyConvTranspose*, LazyBatchNorm*, LazyInstanceNorm*):
the input size is read from the first input; the layer then initialises its parameters, keeping the
Parameter objects it registered (so an optimiser made before stays valid) and becomes the plain class."""

from __future__ import annotations

import warnings
from typing import Any

from ..tensor import Tensor
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .layers import Linear
from .module import Module
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)
from .parameter import Parameter
from .small_names import UninitializedBuffer, UninitializedParameter


class _Lazy:
    """Mixin: built with input size 0 (parameters without elements), materialised by the first call."""

    _base: type = Module
    _spatial = 0  # axes after the channel axis (0: features on the last axis; -1: channels always axis 1)

    _defaults: tuple = ()  # (position, name, value): defaults that differ from the plain class's

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for position, key, value in self._defaults:
            if len(args) <= position:
                kwargs.setdefault(key, value)
        with warnings.catch_warnings():  # the placeholders are not initialised, so nothing is a no-op
            warnings.filterwarnings("ignore", "Initializing zero-element tensors is a no-op")
            self._base.__init__(self, 0, *args, **kwargs)
        object.__setattr__(self, "_lazy_args", (args, kwargs))
        # PyTorch's placeholders until the first call: same objects, their class swapped back then
        for p in self._parameters.values():
            if p is not None:
                p.__class__ = UninitializedParameter
        classes = {}
        for name, b in self._buffers.items():
            if b is not None and name != "num_batches_tracked":
                classes[name], b.__class__ = type(b), UninitializedBuffer
        object.__setattr__(self, "_lazy_buffer_classes", classes)
        self.register_load_state_dict_pre_hook(_load_hook)

    def has_uninitialized_params(self) -> bool:
        """True until the first call has fixed the input size."""
        return True

    def _in_size(self, x: Tensor) -> int:
        if not self._spatial:
            return x.shape[-1]
        if self._spatial < 0:  # BatchNorm: (N, C) or (N, C, *), never unbatched
            return x.shape[1]
        return x.shape[1] if x.ndim == self._spatial + 2 else x.shape[0]  # batched or unbatched

    def __call__(self, input: Any, *args: Any, **kwargs: Any) -> Any:
        x = input if isinstance(input, Tensor) else Tensor(input)
        self.initialize_parameters(x)
        return Module.__call__(self, x, *args, **kwargs)

    def initialize_parameters(self, input: Tensor) -> None:
        """Build the plain layer for ``input``'s size and move its values into this one."""
        self._materialize(self._in_size(input))

    def _materialize(self, size: int) -> None:
        args, kwargs = self.__dict__.pop("_lazy_args")
        fresh = self._base(size, *args, **kwargs)
        for name, p in fresh._parameters.items():
            mine = self._parameters.get(name)
            if mine is not None and p is not None:
                # the same Parameter object, now with its values, in the dtype it has now (a
                # ``.to(float32)`` before the first call holds, as in PyTorch)
                mine._data = p._data.astype(mine._data.dtype, copy=False)
                mine._grad = None
                mine.__class__ = Parameter
        classes = self.__dict__.pop("_lazy_buffer_classes", {})
        for name, b in fresh._buffers.items():
            if b is not None:
                mine = self._buffers[name]
                mine._data = b._data.astype(mine._data.dtype, copy=False)
                if name in classes:
                    mine.__class__ = classes[name]
        registries = ("_parameters", "_modules", "_buffers", "_non_persistent", "training")
        for key, value in fresh.__dict__.items():
            if key not in registries and key not in fresh._parameters and key not in fresh._buffers:
                object.__setattr__(self, key, value)
        object.__setattr__(self, "__class__", self._base)  # as PyTorch's cls_to_become


def _load_hook(module: Any, state_dict: dict, prefix: str, *rest: Any) -> None:
    """Loading initialised values into a lazy layer fixes its input size from them (PyTorch's)."""
    if not isinstance(module, _Lazy):
        return
    for name in ("weight", "running_mean"):
        value = state_dict.get(prefix + name)
        shape = getattr(value, "shape", None)
        if shape is None or 0 in shape:
            continue
        if module._spatial < 0 or name == "running_mean" or module._base.__name__.startswith("Instance"):
            size = shape[0]  # norms: the feature count
        elif module._base.__name__.startswith("ConvTranspose"):
            size = shape[0]  # (in, out / groups, *kernel)
        elif module._spatial > 0:
            size = shape[1] * module.groups  # (out, in / groups, *kernel)
        else:
            size = shape[1]  # Linear: (out, in)
        module._materialize(int(size))
        return


def _lazy(name: str, base: type, spatial: int, doc: str, defaults: tuple = ()) -> type:
    attrs = {
        "_base": base,
        "_spatial": spatial,
        "_defaults": defaults,
        "__doc__": doc,
        "__module__": __name__,
    }
    return type(name, (_Lazy, base), attrs)


# PyTorch's lazy instance norms are affine and track running statistics by default (the plain ones not)
_AFFINE_TRACKED = ((2, "affine", True), (3, "track_running_stats", True))


LazyLinear = _lazy("LazyLinear", Linear, 0, "Linear whose in_features is the last size of the first input.")
LazyConv1d = _lazy("LazyConv1d", Conv1d, 1, "Conv1d whose in_channels comes from the first input.")
LazyConv2d = _lazy("LazyConv2d", Conv2d, 2, "Conv2d whose in_channels comes from the first input.")
LazyConv3d = _lazy("LazyConv3d", Conv3d, 3, "Conv3d whose in_channels comes from the first input.")
LazyConvTranspose1d = _lazy(
    "LazyConvTranspose1d", ConvTranspose1d, 1, "ConvTranspose1d with lazy in_channels."
)
LazyConvTranspose2d = _lazy(
    "LazyConvTranspose2d", ConvTranspose2d, 2, "ConvTranspose2d with lazy in_channels."
)
LazyConvTranspose3d = _lazy(
    "LazyConvTranspose3d", ConvTranspose3d, 3, "ConvTranspose3d with lazy in_channels."
)
LazyBatchNorm1d = _lazy(
    "LazyBatchNorm1d", BatchNorm1d, -1, "BatchNorm1d whose num_features is C of the first input."
)
LazyBatchNorm2d = _lazy(
    "LazyBatchNorm2d", BatchNorm2d, -1, "BatchNorm2d whose num_features is C of the first input."
)
LazyBatchNorm3d = _lazy(
    "LazyBatchNorm3d", BatchNorm3d, -1, "BatchNorm3d whose num_features is C of the first input."
)
LazyInstanceNorm1d = _lazy(
    "LazyInstanceNorm1d",
    InstanceNorm1d,
    1,
    "InstanceNorm1d with lazy num_features (affine, tracked by default).",
    _AFFINE_TRACKED,
)
LazyInstanceNorm2d = _lazy(
    "LazyInstanceNorm2d", InstanceNorm2d, 2, "InstanceNorm2d with lazy num_features.", _AFFINE_TRACKED
)
LazyInstanceNorm3d = _lazy(
    "LazyInstanceNorm3d", InstanceNorm3d, 3, "InstanceNorm3d with lazy num_features.", _AFFINE_TRACKED
)
