"""PyTorch's ``torch.backends.mps`` (Apple's GPUs): not available, as autobp computes with numpy on
the CPU; the macOS version checks raise, as PyTorch's without MPS."""

from __future__ import annotations


def is_available() -> bool:
    """False: autobp has no MPS device."""
    return False


def is_built() -> bool:
    """False: autobp has no MPS backend."""
    return False


def is_macos_or_newer(major: int, minor: int) -> bool:
    """Refused (RuntimeError), as PyTorch's without the MPS backend."""
    raise RuntimeError(f"autobp.backends.mps.is_macos_or_newer({major}, {minor}): autobp has no MPS backend")


def is_macos13_or_newer(minor: int = 0) -> bool:
    """Refused (RuntimeError), as ``is_macos_or_newer``."""
    raise RuntimeError("autobp.backends.mps.is_macos13_or_newer(): autobp has no MPS backend")


__all__ = ["is_available", "is_built", "is_macos_or_newer", "is_macos13_or_newer"]
