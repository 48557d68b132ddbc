"""PyTorch's ``torch.amp.GradScaler``: the loss multiplied by a scale so float16 gradients do not
underflow, the gradients divided by it before the optimiser's step, steps with inf/NaN gradients
skipped and the scale backed off, then grown again after ``growth_interval`` clean steps."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable
from enum import Enum
from typing import Any

import numpy as np

from ..tensor import Tensor
from .autocast_mode import _NO_CUDA, _device_type

_F32 = np.float32


class OptState(Enum):
    """Where an optimizer is in the iteration: gradients as backward left them, unscaled, or stepped."""

    READY = 0
    UNSCALED = 1
    STEPPED = 2


def _fresh() -> dict:
    return {"stage": OptState.READY, "found_inf": None}


class GradScaler:
    """Scale losses and unscale gradients as ``torch.amp.GradScaler`` does::

        scaler = autobp.amp.GradScaler()
        with autobp.autocast("cpu", dtype=autobp.float16):
            loss = loss_fn(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)   # unscales (unless unscale_ was called), skips the step on inf/NaN
        scaler.update()          # backoff_factor after a skipped step, growth_factor after
                                 # growth_interval clean ones

    The scale is a float32 number, kept and updated in float32 arithmetic as PyTorch's is, so the
    sequence of scales and of skipped steps is PyTorch's. ``device`` is ``"cpu"`` (PyTorch's default is
    ``"cuda"``: given it, the scaler warns and passes everything through, as PyTorch without CUDA does).
    ``enabled=False`` makes every method a pass-through (``scale`` returns its argument, ``step`` calls
    ``optimizer.step``)."""

    def __init__(
        self,
        device: str = "cpu",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        self._device = _device_type(device, "GradScaler", cuda_ok=True)
        if self._device == "cuda" and enabled:  # PyTorch without CUDA: a pass-through scaler, warned of
            warnings.warn(
                "GradScaler is enabled, but " + _NO_CUDA + ".  Disabling.",
                UserWarning,
                stacklevel=2,
            )
            enabled = False
        self._enabled = bool(enabled)
        if self._enabled:
            if growth_factor <= 1.0:
                raise ValueError(f"GradScaler: The growth factor must be > 1.0, got {growth_factor}")
            if backoff_factor >= 1.0:
                raise ValueError(f"GradScaler: The backoff factor must be < 1.0, got {backoff_factor}")
            self._init_scale = init_scale
            self._scale: np.float32 | None = None  # set by the first scale(), as PyTorch's
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker: int | None = None
            self._per_optimizer_states: dict[int, dict] = {}

    # --- the iteration: scale, (unscale_), step, update -------------------------------------------
    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor, or lists/tuples of them, nested) multiplied by the scale, on the graph;
        the dtype of each is kept (a float16 loss may overflow to inf, the case the scaler then backs
        off from)."""
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = _F32(self._init_scale)
            self._growth_tracker = self._init_growth_tracker
        factor = float(self._scale)
        scale_0d = Tensor(self._scale)  # PyTorch's scale is a 0-d float32 tensor: a 0-d float16 loss
        # times it is float32 (torch's promotion of two 0-d operands), an n-d one stays float16

        def apply(value: Any) -> Any:
            if isinstance(value, Tensor):
                return value * (scale_0d if value.ndim == 0 and value.dtype == np.float16 else factor)
            if isinstance(value, (list, tuple)):
                return type(value)(apply(v) for v in value)
            if isinstance(value, Iterable) and not isinstance(value, (str, bytes, np.ndarray)):
                return map(apply, value)
            raise ValueError(
                "GradScaler.scale: outputs must be a Tensor or an iterable of Tensors, "
                f"got {type(value).__name__}"
            )

        return apply(outputs)

    def _state(self, optimizer: Any) -> dict:
        return self._per_optimizer_states.setdefault(id(optimizer), _fresh())

    def _check_scaled(self, what: str) -> None:
        if self._scale is None:
            raise AssertionError(
                f"Attempted {what} but _scale is None.  This may indicate your script did not use "
                "scaler.scale(loss or outputs) earlier in the iteration."
            )

    def unscale_(self, optimizer: Any) -> None:
        """Divide the gradients of ``optimizer``'s parameters by the scale, in place, and note whether
        any is inf or NaN. At most once per optimizer between ``update()`` calls, and before ``step``;
        call it to clip or inspect the true gradients before ``step``."""
        if not self._enabled:
            return
        self._check_scaled("unscale_")
        st = self._state(optimizer)
        if st["stage"] is OptState.UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if st["stage"] is OptState.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = _F32(1.0 / np.float64(self._scale))  # float32, from a float64 reciprocal (PyTorch's)
        found = None  # stays None when no parameter has a gradient
        for group in optimizer.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if g.dtype == np.float16:
                    raise ValueError("Attempting to unscale FP16 gradients.")
                finite = bool(np.isfinite(g).all())  # checked before unscaling, as PyTorch's kernel
                found = (0.0 if found is None else found) + (0.0 if finite else 1.0)
                if inv_scale != 1:
                    factor = g.dtype.type(inv_scale)  # float32 grads: a float32 product, float64: float64
                    with np.errstate(over="ignore", invalid="ignore"):
                        if g.flags.writeable:
                            g *= factor  # in place, as clip_grad_norm_ scales
                        else:
                            p._grad = g * factor
        st["found_inf"] = None if found is None else min(found, 1.0)
        st["stage"] = OptState.UNSCALED

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """``optimizer.step(*args, **kwargs)`` on unscaled gradients, skipped when any is inf or NaN;
        returns what the step returns, or None when skipped."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scaled("step")
        st = self._state(optimizer)
        if st["stage"] is OptState.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if st["stage"] is OptState.READY:
            self.unscale_(optimizer)
        if st["found_inf"] is None:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        result = None if st["found_inf"] else optimizer.step(*args, **kwargs)
        st["stage"] = OptState.STEPPED
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Set the scale for the next iteration: ``new_scale`` (a number, or a one-element Tensor that
        does not require grad) if given; else times ``backoff_factor`` when any optimizer stepped over
        inf/NaN gradients, times ``growth_factor`` after ``growth_interval`` clean iterations in a row."""
        if not self._enabled:
            return
        self._check_scaled("update")
        if new_scale is not None:
            if isinstance(new_scale, Tensor):
                if new_scale.size != 1 or new_scale.requires_grad:
                    raise ValueError(
                        "GradScaler.update: new_scale should be a float or a 1-element Tensor with "
                        f"requires_grad=False, got shape {new_scale.shape}, "
                        f"requires_grad={new_scale.requires_grad}"
                    )
                new_scale = new_scale.item()
            elif not isinstance(new_scale, numbers.Real):
                raise TypeError(
                    "GradScaler.update: new_scale should be a float or a 1-element Tensor, "
                    f"got {type(new_scale).__name__}"
                )
            self._scale = _F32(new_scale)
        else:
            found = [
                s["found_inf"] for s in self._per_optimizer_states.values() if s["found_inf"] is not None
            ]
            if not found:
                raise AssertionError("No inf checks were recorded prior to update.")
            self._scale, self._growth_tracker = self._next_scale(sum(found) > 0)
        self._per_optimizer_states = {}

    def _next_scale(self, found_inf: bool) -> tuple[np.float32, int]:
        """PyTorch's ``_amp_update_scale_``: float32 scale times a float64 factor, rounded to float32; a
        grown scale that would be inf is not taken."""
        scale, tracker = self._scale, self._growth_tracker
        if found_inf:
            return _F32(np.float64(scale) * self._backoff_factor), 0
        if tracker + 1 == self._growth_interval:
            grown = _F32(np.float64(scale) * self._growth_factor)
            return (grown if np.isfinite(grown) else scale), 0
        return scale, tracker + 1

    # --- settings and state ---------------------------------------------------------------------
    def get_scale(self) -> float:
        """The current scale (``init_scale`` before the first ``scale()``); 1.0 when disabled."""
        if not self._enabled:
            return 1.0
        return float(self._init_scale if self._scale is None else self._scale)

    def get_growth_factor(self) -> float:
        """The factor the scale grows by after ``growth_interval`` clean iterations."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Set the growth factor."""
        self._growth_factor = new_factor

    def get_backoff_factor(self) -> float:
        """The factor the scale shrinks by after an iteration with inf/NaN gradients."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Set the backoff factor."""
        self._backoff_factor = new_factor

    def get_growth_interval(self) -> int:
        """How many clean iterations in a row grow the scale."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Set the growth interval."""
        self._growth_interval = new_interval

    def _get_growth_tracker(self) -> int:
        if not self._enabled:
            return 0
        return self._init_growth_tracker if self._growth_tracker is None else self._growth_tracker

    def is_enabled(self) -> bool:
        """Whether this scaler scales (``enabled=True``)."""
        return self._enabled

    def state_dict(self) -> dict[str, Any]:
        """``scale``, ``growth_factor``, ``backoff_factor``, ``growth_interval`` and ``_growth_tracker``,
        PyTorch's keys (an empty dict when disabled)."""
        if not self._enabled:
            return {}
        return {
            "scale": self.get_scale(),
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._get_growth_tracker(),
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the state ``state_dict()`` gave (this scaler's, or a ``torch.amp.GradScaler``'s)."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled instance "
                "of GradScaler."
            )
        self._init_scale = float(state_dict["scale"])
        if self._scale is not None:
            self._scale = _F32(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._init_growth_tracker = int(state_dict["_growth_tracker"])
        if self._growth_tracker is not None:
            self._growth_tracker = self._init_growth_tracker
