"""``torch.nn.utils.skip_init``: build a module whose parameters need not be initialised."""

from __future__ import annotations

from typing import Any

from .module import Module

__all__ = ["skip_init"]


def skip_init(module_cls: type, *args: Any, **kwargs: Any) -> Module:
    """``module_cls(*args, **kwargs)`` with its parameters' values left unspecified, for code that
    sets them next (PyTorch's skip_init). Here the constructor runs, but the global generator is left
    as it was, so the construction draws no random numbers as far as the rest of the program sees.
    ``device`` is accepted (CPU only)."""
    from .. import random

    if not isinstance(module_cls, type) or not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    device = kwargs.pop("device", "cpu")
    if device not in (None, "cpu") and str(device) != "cpu":
        raise ValueError(f"skip_init: autobp runs on the CPU only, got device={device!r}")
    state = random.get_rng_state()
    try:
        return module_cls(*args, **kwargs)
    finally:
        random.set_rng_state(state)
