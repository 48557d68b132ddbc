"""PyTorch's ``torch.backends.cuda``: not built (autobp computes with numpy on the CPU); its switches
(``matmul.allow_tf32`` and the other attributes of ``matmul``, the scaled-dot-product attention
kernels) are kept as set, with PyTorch's defaults, and change none of autobp's results."""

from __future__ import annotations

from typing import Any


def is_built() -> bool:
    """False: autobp has no CUDA backend."""
    return False


class _MatmulSwitches:
    """``autobp.backends.cuda.matmul``: cuBLAS's precision switches; setting an unknown one is an error."""

    __slots__ = (
        "allow_tf32",
        "allow_fp16_reduced_precision_reduction",
        "allow_bf16_reduced_precision_reduction",
        "fp32_precision",
    )

    def __init__(self) -> None:
        self.allow_tf32 = False  # PyTorch's defaults
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True
        self.fp32_precision = "none"

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self.__slots__:
            raise AttributeError(f"autobp.backends.cuda.matmul: unknown attribute {name!r}")
        object.__setattr__(self, name, value)


matmul = _MatmulSwitches()

_sdp = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}  # PyTorch's defaults


def flash_sdp_enabled() -> bool:
    """Whether the flash attention kernel is switched on (True by default; autobp has none)."""
    return _sdp["flash"]


def enable_flash_sdp(enabled: bool) -> None:
    """Switch the flash attention kernel on or off (kept; autobp's attention is numpy's)."""
    _sdp["flash"] = bool(enabled)


def mem_efficient_sdp_enabled() -> bool:
    """Whether the memory-efficient attention kernel is switched on (True by default)."""
    return _sdp["mem_efficient"]


def enable_mem_efficient_sdp(enabled: bool) -> None:
    """Switch the memory-efficient attention kernel on or off (kept)."""
    _sdp["mem_efficient"] = bool(enabled)


def math_sdp_enabled() -> bool:
    """Whether the plain (math) attention is switched on (True by default)."""
    return _sdp["math"]


def enable_math_sdp(enabled: bool) -> None:
    """Switch the plain (math) attention on or off (kept)."""
    _sdp["math"] = bool(enabled)


def cudnn_sdp_enabled() -> bool:
    """Whether the cuDNN attention kernel is switched on (True by default)."""
    return _sdp["cudnn"]


def enable_cudnn_sdp(enabled: bool) -> None:
    """Switch the cuDNN attention kernel on or off (kept)."""
    _sdp["cudnn"] = bool(enabled)


__all__ = [
    "is_built", "flash_sdp_enabled", "enable_flash_sdp", "mem_efficient_sdp_enabled",
    "enable_mem_efficient_sdp", "math_sdp_enabled", "enable_math_sdp", "cudnn_sdp_enabled",
    "enable_cudnn_sdp",
]  # fmt: skip
