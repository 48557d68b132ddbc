"""Small and legacy ``torch.nn`` names: ``Container`` and ``NLLLoss2d`` (deprecated aliases),
``CrossMapLRN2d`` (the legacy cross-channel normalisation), ``SyncBatchNorm`` (BatchNorm over
(N, C, *); on one process it is plain batch normalisation, as PyTorch's on the CPU), and the
``UninitializedParameter`` / ``UninitializedBuffer`` placeholders of lazy modules."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._default_dtype import DEFAULT, DEFAULT_FLOAT, default_float
from ..tensor import Tensor
from .loss_modules import NLLLoss
from .module import Module, Parameter
from .normalization import _BatchNorm
from .parameter import Buffer

__all__ = [
    "Container",
    "NLLLoss2d",
    "CrossMapLRN2d",
    "SyncBatchNorm",
    "UninitializedParameter",
    "UninitializedBuffer",
]


class Container(Module):
    """PyTorch's deprecated ``nn.Container``: a Module whose keyword arguments become submodules."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        warnings.warn(
            "`nn.Container` is deprecated. All of its functionality is now implemented in `nn.Module`. "
            "Subclass that instead.",
            FutureWarning,
            stacklevel=2,
        )
        for key, value in kwargs.items():
            self.add_module(key, value)


class NLLLoss2d(NLLLoss):
    """PyTorch's deprecated name of ``NLLLoss`` for (N, C, H, W) log-probabilities."""

    def __init__(
        self,
        weight: Any = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        warnings.warn(
            "`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in replacement and see "
            "https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss for more details.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


def _cross_map_window(channels: int, size: int) -> np.ndarray:
    """The 0/1 matrix W with scale[c] = sum_j W[c, j] x[j]^2 in PyTorch's CrossMapLRN2d: its running
    window starts at channels [0, pre_pad) and never drops channel 0 (the legacy code's order), so
    it is not LocalResponseNorm's centred window."""
    pre_pad = int((size - 1) / 2 + 1)
    w = np.zeros((channels, channels))
    w[0, : min(pre_pad, channels)] = 1
    for c in range(1, channels):
        w[c] = w[c - 1]
        if c < channels - pre_pad + 1:
            w[c, c + pre_pad - 1] += 1
        if c > pre_pad:
            w[c, c - pre_pad] -= 1
    return w


class CrossMapLRN2d(Module):
    """PyTorch's legacy cross-channel local response normalisation of (N, C, H, W):
    x / (k + alpha / size * sum of x^2 over a window of channels) ** beta, with the window of
    PyTorch's implementation (see ``_cross_map_window``), which differs from LocalResponseNorm's.
    The gradient is the derivative of this forward (PyTorch's hand-written backward is not)."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        if x.ndim != 4:
            raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {x.ndim}D instead.")
        from ..ops import einsum

        window = Tensor._const(_cross_map_window(x.shape[1], self.size).astype(x.dtype))
        scale = einsum("cj,njhw->nchw", window, x * x) * (self.alpha / self.size) + self.k
        return x * scale ** (-self.beta)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class SyncBatchNorm(_BatchNorm):
    """Batch normalisation of (N, C, *) per channel that PyTorch synchronises across processes;
    autobp runs one process, where it is the plain BatchNorm (as PyTorch's on the CPU without a
    process group). ``process_group`` is accepted and ignored."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        process_group: Any = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        bias: bool = True,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, dtype, bias=bias, device=device
        )
        self.process_group = process_group

    def _check(self, x: Tensor) -> None:
        if x.ndim < 2:
            raise ValueError(f"expected at least 2D input (got {x.ndim}D input)")
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"SyncBatchNorm({self.num_features}): expected {self.num_features} channels, "
                f"got shape {x.shape}"
            )

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group: Any = None) -> Module:
        """``module`` with every BatchNorm layer in it replaced by a SyncBatchNorm holding the same
        parameters (the same Parameter objects), buffers and mode, as PyTorch's."""
        out = module
        if isinstance(module, _BatchNorm) and not isinstance(module, SyncBatchNorm):
            out = cls(
                module.num_features,
                module.eps,
                module.momentum,
                module.affine,
                module.track_running_stats,
                process_group,
                dtype=_dtype_of(module),
            )
            if module.affine:
                out.weight, out.bias = module.weight, module.bias
            if module.track_running_stats:
                out.running_mean = module.running_mean
                out.running_var = module.running_var
                out.num_batches_tracked = module.num_batches_tracked
            out.training = module.training
        for name, child in list(module._modules.items()):
            if child is not None:
                new = cls.convert_sync_batchnorm(child, process_group)
                if new is not child:
                    out.add_module(name, new)
        return out


def _dtype_of(bn: _BatchNorm) -> Any:
    for t in (bn.weight, bn.running_mean):
        if t is not None:
            return t.dtype
    return DEFAULT[0]


_UNINIT = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
    "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
    "`forward` to initialize the parameters before accessing their attributes."
)


class _Uninitialized:
    """A tensor with no shape yet: ``materialize(shape)`` gives it one (uninitialised values) and turns
    it into ``cls_to_become``."""

    cls_to_become: type = Tensor

    @property
    def shape(self) -> tuple:
        raise RuntimeError(_UNINIT)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give the tensor ``shape`` (and ``dtype``): its values are left unspecified, as torch.empty's."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self._data = np.empty(shape, dtype=np.dtype(dtype) if dtype is not None else self._data.dtype)
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UninitializedParameter(_Uninitialized, Parameter):
    """A Parameter whose shape is not known yet (PyTorch's lazy-module placeholder): becomes an
    ordinary Parameter by ``materialize(shape)``."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        Parameter.__init__(
            self, np.empty(0, dtype=np.dtype(dtype or DEFAULT[0])), requires_grad=requires_grad
        )


class UninitializedBuffer(_Uninitialized, Buffer):
    """A buffer whose shape is not known yet: becomes an ordinary Tensor by ``materialize(shape)``."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(
        self, requires_grad: bool = False, device: Any = None, dtype: Any = None, persistent: bool = True
    ) -> None:
        Tensor.__init__(self, np.empty(0, dtype=np.dtype(dtype or DEFAULT[0])), requires_grad=requires_grad)
        self.persistent = persistent
