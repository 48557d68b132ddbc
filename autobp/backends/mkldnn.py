"""PyTorch's ``torch.backends.mkldnn`` (oneDNN): its switches, kept as set; autobp does not use oneDNN
(numpy does its arithmetic), so ``is_available()`` is False."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager

from ._switches import switched

enabled = True  # PyTorch's defaults
deterministic = False
allow_tf32 = None
fp32_precision = "none"


def is_available() -> bool:
    """False: autobp computes with numpy, which does not use oneDNN (PyTorch answers for its own build)."""
    return False


def flags(
    enabled: bool = False, deterministic: bool = False, allow_tf32: bool = True, fp32_precision: str = "none"
) -> AbstractContextManager[None]:
    """``with autobp.backends.mkldnn.flags(enabled=False):``: the switches set as given during the block,
    the old values back after."""
    values = {
        "enabled": enabled,
        "deterministic": deterministic,
        "allow_tf32": allow_tf32,
        "fp32_precision": fp32_precision,
    }
    return switched(sys.modules[__name__], values)


__all__ = ["is_available", "flags"]
