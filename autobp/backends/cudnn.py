"""PyTorch's ``torch.backends.cudnn``: cuDNN's switches, with PyTorch's defaults, kept as set (autobp has
no cuDNN: its convolutions are numpy matmuls, deterministic whatever ``deterministic`` says)."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import Any

from ._switches import switched

enabled = True  # PyTorch's defaults (a CPU-only build reports them too)
benchmark = False
benchmark_limit = None
deterministic = False
allow_tf32 = True
fp32_precision = "none"


def is_available() -> bool:
    """False: autobp has no cuDNN."""
    return False


def version() -> int | None:
    """None: no cuDNN version, as PyTorch without cuDNN."""
    return None


def is_acceptable(tensor: Any) -> bool:
    """False: no tensor can go to cuDNN."""
    return False


def flags(
    enabled: bool = False,
    benchmark: bool = False,
    benchmark_limit: int | None = 10,
    deterministic: bool = False,
    allow_tf32: bool = True,
    fp32_precision: str = "none",
) -> AbstractContextManager[None]:
    """``with autobp.backends.cudnn.flags(enabled=False):``: every switch set as given (PyTorch's
    defaults for the arguments) during the block, the old values back after."""
    values = {
        "enabled": enabled,
        "benchmark": benchmark,
        "benchmark_limit": benchmark_limit,
        "deterministic": deterministic,
        "allow_tf32": allow_tf32,
        "fp32_precision": fp32_precision,
    }
    return switched(sys.modules[__name__], values)


__all__ = ["is_available", "version", "is_acceptable", "flags"]
