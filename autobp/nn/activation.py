"""Every activation function of ``nn.functional`` as a layer, with PyTorch's names and arguments.

The functions themselves are ops (autobp/ops/activations.py) re-exported by ``nn.functional``; the
layers look them up when called, so a layer works as soon as its function exists.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops._args import refuse_complex
from ..ops.inplace_methods import honours_inplace
from ..tensor import Tensor
from .module import Module, Parameter


def _f(name: str) -> Any:
    from . import functional as F

    fn = getattr(F, name, None)
    if fn is None:
        raise NotImplementedError(f"nn.functional.{name} is not available in this build of autobp")
    return fn


class _Act(Module):
    """A layer that applies nn.functional.<_name>(x, **options)."""

    _name = ""
    _options: tuple = ()  # (name, default) of the constructor arguments passed on as keywords
    _shows_inplace = True  # PyTorch's repr adds "inplace=True" (Hardsigmoid and Hardswish do not)

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        # only the options that differ from PyTorch's defaults (the function's own defaults)
        kw = {k: getattr(self, k) for k, d in self._options if getattr(self, k) != d}
        if getattr(self, "inplace", False):  # the result written into ``input``, as PyTorch's layers
            kw["inplace"] = True
        return _f(self._name)(x, **kw)

    def extra_repr(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k, _ in self._options]
        if self._shows_inplace and getattr(self, "inplace", False):
            parts.append("inplace=True")
        return ", ".join(parts)


class GELU(_Act):
    """x * Phi(x) (``approximate='tanh'`` for the tanh form)."""

    _name, _options = "gelu", (("approximate", "none"),)

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate


class SiLU(_Act):
    """x * sigmoid(x)."""

    _name = "silu"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class Mish(_Act):
    """x * tanh(softplus(x))."""

    _name = "mish"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class ELU(_Act):
    """alpha * (e^x - 1) below 0, x above (Clevert et al., 2015)."""

    _name, _options = "elu", (("alpha", 1.0),)

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
        self.alpha = alpha


class CELU(_Act):
    """max(0, x) + min(0, alpha * (e^(x/alpha) - 1)): ELU continuously differentiable for any alpha."""

    _name, _options = "celu", (("alpha", 1.0),)

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
        self.alpha = alpha


class SELU(_Act):
    """scale * ELU(x, alpha) with the self-normalising constants of Klambauer et al. (2017)."""

    _name = "selu"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class LeakyReLU(_Act):
    """x above 0, negative_slope * x below."""

    _name, _options = "leaky_relu", (("negative_slope", 0.01),)

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
        self.negative_slope = negative_slope


class ReLU6(_Act):
    """min(max(0, x), 6)."""

    _name = "relu6"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class Hardtanh(_Act):
    """x clipped to [min_val, max_val]."""

    _name, _options = "hardtanh", (("min_val", -1.0), ("max_val", 1.0))

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
        self.min_val, self.max_val = min_val, max_val


class Hardsigmoid(_Act):
    """The piecewise-linear sigmoid: 0 below -3, 1 above 3, x / 6 + 1/2 between."""

    _name, _shows_inplace = "hardsigmoid", False

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class Hardswish(_Act):
    """x * hardsigmoid(x) (MobileNetV3)."""

    _name, _shows_inplace = "hardswish", False

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class LogSigmoid(_Act):
    """log(1 / (1 + e^-x)), computed without overflow."""

    _name = "logsigmoid"


class Softsign(_Act):
    """x / (1 + |x|)."""

    _name = "softsign"


class Tanhshrink(_Act):
    """x - tanh(x)."""

    _name = "tanhshrink"


class Softshrink(_Act):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""

    _name, _options = "softshrink", (("lambd", 0.5),)

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd


class Hardshrink(_Act):
    """x where |x| > lambd, else 0."""

    _name, _options = "hardshrink", (("lambd", 0.5),)

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd


class Threshold(_Act):
    """x where x > threshold, else value."""

    _name, _options = "threshold", (("threshold", None), ("value", None))

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace
        self.threshold, self.value = threshold, value


class Softplus(_Act):
    """log(1 + e^(beta x)) / beta, linear above ``threshold``."""

    _name, _options = "softplus", (("beta", 1.0), ("threshold", 20.0))

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold


class GLU(_Act):
    """a * sigmoid(b) for the two halves a, b of the input along ``dim``."""

    _name, _options = "glu", (("dim", -1),)

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim


class Softmin(_Act):
    """softmax(-x) along ``dim``."""

    _name, _options = "softmin", (("dim", None),)

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim


class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim``."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        from ..ops import softmax

        x = input if isinstance(input, Tensor) else Tensor(input)
        return softmax(x, axis=_legacy_dim(self.dim, x))

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """x - logsumexp(x) along ``dim``."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        from ..ops import log_softmax

        x = input if isinstance(input, Tensor) else Tensor(input)
        return log_softmax(x, axis=_legacy_dim(self.dim, x))

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax2d(Module):
    """Softmax over the channels of (N, C, H, W) or (C, H, W) at each position (axis -3)."""

    def forward(self, input: Any) -> Tensor:
        from ..ops import softmax

        x = input if isinstance(input, Tensor) else Tensor(input)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected a 3-D or 4-D input, got shape {x.shape}")
        return softmax(x, axis=-3)


@honours_inplace
def rrelu(
    input: Any,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
    rng: Any = None,
) -> Tensor:
    """Randomized leaky ReLU (Xu et al. 2015): negative inputs times a slope drawn from U(lower, upper)
    per element in training, times (lower + upper) / 2 in evaluation; ``rng`` seeds the slopes."""
    from . import init

    x = input if isinstance(input, Tensor) else Tensor(input)
    refuse_complex(x, "rrelu")  # it compares with 0, as torch's refuses
    if training:
        slope = init.as_generator(rng).uniform(lower, upper, size=x.shape).astype(x.dtype)
    else:
        slope = x.dtype.type((lower + upper) / 2)
    return x * Tensor._const(np.where(x._data > 0, x.dtype.type(1), slope))  # at 0 the slope, as torch


class RReLU(Module):
    """``rrelu`` as a layer: random negative slopes in training, their mean after ``eval()``."""

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False, rng: Any = None
    ):
        from . import init

        super().__init__()
        self.lower, self.upper, self.rng = lower, upper, init.as_generator(rng)
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return rrelu(input, self.lower, self.upper, self.training, self.inplace, rng=self.rng)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")


def _legacy_dim(dim: int | None, x: Tensor) -> int:
    """PyTorch's choice when no dim is given: 0 for 0-, 1- and 3-D inputs, else 1."""
    if dim is not None:
        return dim
    return 0 if x.ndim in (0, 1, 3) else 1


class PReLU(Module):
    """max(0, x) + weight * min(0, x) with a learned slope per channel (``num_parameters``), 0.25 at first."""

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, dtype: Any = DEFAULT_FLOAT, *, device: Any = None
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, "PReLU")
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype))

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        return _f("prelu")(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
