"""``torch.nn.utils.stateless``: PyTorch's deprecated home of ``functional_call``."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["functional_call"]


def functional_call(
    module: Any,
    parameters_and_buffers: dict,
    args: Any = None,
    kwargs: dict | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """``autobp.func.functional_call`` under PyTorch's deprecated name (a FutureWarning, as PyTorch's):
    call ``module`` with the given tensors standing in for its parameters and buffers."""
    from ..func import functional_call as _call

    warnings.warn(
        "`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed in a "
        "future version of PyTorch. Please use `torch.func.functional_call` instead which is a drop-in "
        "replacement.",
        FutureWarning,
        stacklevel=2,
    )
    args = () if args is None else args
    return _call(module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict)
