"""PyTorch's implementation flags (``foreach``, ``fused``, ``capturable``, ``differentiable``) on autobp's
optimisers, and PyTorch's ``(name, tensor)`` parameter lists.

Each optimiser accepts the flags its torch counterpart accepts, with torch's defaults, and keeps them in
its param groups (so state_dicts have torch's keys). ``foreach`` and ``fused`` only choose how torch
batches its kernels: autobp's numpy updates are the same either way, so they are accepted and change
nothing. ``capturable`` (CUDA-graph capture) and ``differentiable`` (a step recorded by autograd) are
accepted at construction, as torch does, and refused at ``step()``, where torch refuses them on CPU
leaf parameters too.

Also here: Tensor hyper-parameters as the numbers torch steps with, complex parameters stepped as
torch's ``view_as_real`` pairs, and the schedulers' in-place write of a Tensor lr and call-order warning.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._graph import no_grad
from ..tensor import Tensor

FOREACH = {"foreach": None}
CAPTURABLE = {"capturable": False}
DIFFERENTIABLE = {"differentiable": False}
FUSED = {"fused": None}


def with_torch_flags(cls: type, init: Callable) -> Callable:
    """``init`` taking the keyword-only flags of ``cls._torch_flags`` too (with torch's defaults): they
    are checked as torch checks them and handed to ``Optimizer.__init__`` to join the defaults."""
    flags = cls._torch_flags
    sig = inspect.signature(init)

    @functools.wraps(init)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> None:
        given = {k: kwargs.pop(k) for k in list(kwargs) if k in flags}
        if "_torch_flag_values" in self.__dict__:  # a subclass's __init__ already took them
            return init(self, *args, **kwargs)
        values = {**flags, **given}
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        check_flags(type(self).__name__, values, bound.arguments)
        self._torch_flag_values = values
        return init(self, *args, **kwargs)

    extra = [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v) for k, v in flags.items()]
    ps = list(sig.parameters.values())
    tail = [p for p in ps if p.kind is inspect.Parameter.VAR_KEYWORD]
    ps = [p for p in ps if p.kind is not inspect.Parameter.VAR_KEYWORD and p.name not in flags]
    wrapped.__signature__ = sig.replace(parameters=ps + extra + tail)  # type: ignore[attr-defined]
    return wrapped


def check_flags(name: str, values: dict, args: dict) -> None:
    """torch's constructor checks on the flags and on a Tensor lr / betas."""
    if values.get("fused") and values.get("foreach"):
        raise RuntimeError(f"{name}: `fused` and `foreach` cannot be `True` together.")
    if values.get("fused") and values.get("differentiable"):
        raise RuntimeError(f"{name}: `fused` does not support `differentiable`")
    lr = args.get("lr")
    if isinstance(lr, Tensor) and lr.size != 1:
        raise ValueError(f"{name}: Tensor lr must be 1-element, got one of shape {lr.shape}")
    if name not in ("Adam", "AdamW"):
        return
    foreach_only = values.get("foreach") and not values.get("capturable")
    if isinstance(lr, Tensor) and foreach_only:
        raise ValueError(f"{name}: lr as a Tensor is not supported for capturable=False and foreach=True")
    betas = args.get("betas")
    if isinstance(betas, (tuple, list)) and len(betas) == 2:
        tensors = [isinstance(b, Tensor) for b in betas]
        if tensors[0] != tensors[1]:
            raise ValueError(f"{name}: betas must be either both floats or both Tensors, got {betas}")
        if tensors[0] and foreach_only:
            raise ValueError(
                f"{name}: betas[0] as a Tensor is not supported for capturable=False and foreach=True"
            )


def check_step(opt: Any) -> None:
    """Refuse a step with ``capturable`` or ``differentiable`` set, as torch does for CPU leaf params
    (only where a parameter has a gradient: a group with none is skipped, by torch too)."""
    for group in opt.param_groups:
        if not (group.get("capturable") or group.get("differentiable")):
            continue
        if all(p._grad is None for p in group["params"]):
            continue
        if group.get("capturable"):
            raise AssertionError(
                f"{type(opt).__name__}: if capturable=True, params and state_steps must be on supported "
                "devices (cuda, xpu, hpu, ...); autobp's parameters live on the CPU"
            )
        if group.get("differentiable"):
            raise RuntimeError(
                f"{type(opt).__name__}: differentiable=True: a leaf tensor that requires grad cannot be "
                "updated in place by a step recorded for autograd (autobp steps outside the graph)"
            )


def split_names(name: str, params: list) -> tuple[list, list | None]:
    """torch's (name, tensor) pairs: the tensors, and the names (None when there are none)."""
    names = [p[0] for p in params if isinstance(p, tuple)]
    if not names:
        return params, None
    if len(names) != len(params):
        raise ValueError(
            f"{name}: all optimizer params should be with/without names. Some param names are missing"
        )
    return [p[1] for p in params], names


def plain_group(group: dict) -> dict:
    """``group`` with one-element Tensor hyper-parameters (torch's Tensor lr, betas) as numpy scalars of
    their dtype: the scalar arithmetic on them (lr / bias correction) then rounds as torch's does, and
    the update of a float64 parameter stays float64 (a float32 Tensor lr made it float32)."""
    for k, v in group.items():  # the usual case, floats only: the group itself, no copy
        if k != "params" and (
            isinstance(v, Tensor) or (type(v) is tuple and any(isinstance(x, Tensor) for x in v))
        ):
            break
    else:
        return group
    out = dict(group)
    for k, v in group.items():
        if isinstance(v, Tensor):
            out[k] = _scalar(v)
        elif isinstance(v, tuple) and any(isinstance(x, Tensor) for x in v):
            out[k] = tuple(_scalar(x) if isinstance(x, Tensor) else x for x in v)
    return out


def hyper(v: Any) -> Any:
    """A hyper-parameter as the number it holds (a one-element Tensor as a numpy scalar)."""
    return _scalar(v) if isinstance(v, Tensor) else v


def _scalar(v: Tensor) -> Any:
    return v._data.reshape(())[()]  # a numpy scalar of the tensor's dtype


def update_as_real(opt: Any, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
    """``opt._update`` for a complex parameter as torch runs it: on ``view_as_real`` views, so the real
    and imaginary parts are separate real parameters (Adam's second moment, Rprop's signs, ... per
    part, not of the complex number), with the state kept complex as torch keeps it."""
    shape = w.shape
    wr = real_view(w)
    views = {
        k: real_view(v) if isinstance(v, np.ndarray) and v.shape == shape and v.dtype.kind == "c" else v
        for k, v in state.items()
    }
    opt._update(wr, real_view(np.asarray(grad, dtype=w.dtype)), group, views)
    if not np.shares_memory(wr, w):  # w was not contiguous: the view was a copy
        w[...] = complex_view(wr)
    for k, v in views.items():
        real_state = isinstance(v, np.ndarray) and v.shape == shape + (2,) and v.dtype.kind == "f"
        state[k] = complex_view(v) if real_state else v


def real_view(a: np.ndarray) -> np.ndarray:
    """torch.view_as_real: the complex array as (..., 2) reals, a view when ``a`` is contiguous."""
    c = np.require(a, requirements="C")
    return c.reshape(-1).view(c.real.dtype).reshape(a.shape + (2,))


def complex_view(r: np.ndarray) -> np.ndarray:
    c = np.require(r, requirements="C")
    kind = np.result_type(c.dtype, np.complex64)
    return c.reshape(-1).view(kind).reshape(r.shape[:-1])


def set_group_lr(group: dict, value: Any) -> None:
    """Write a group's lr as torch's schedulers do: a Tensor lr is filled in place (the group keeps its
    tensor), any other is replaced."""
    old = group["lr"]
    if isinstance(old, Tensor):
        with no_grad():
            old.fill_(float(value.item() if isinstance(value, Tensor) else value))
    else:
        group["lr"] = value


def check_call_order(scheduler: Any) -> None:
    """torch's warnings at a scheduler's second step(): the optimizer's ``step`` was replaced after the
    scheduler was made (its calls cannot be tracked), or the scheduler stepped before the optimizer
    (the schedule's first lr would then be skipped). The texts are torch's."""
    if not getattr(scheduler.optimizer.step, "_wrapped_by_lr_sched", False):
        warnings.warn(
            "Seems like `optimizer.step()` has been overridden after learning rate scheduler "
            "initialization. Please, make sure to call `optimizer.step()` before "
            "`lr_scheduler.step()`. See more details at "
            "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
            UserWarning,
            stacklevel=3,
        )
    elif not scheduler.optimizer.__dict__.get("_opt_called"):
        warnings.warn(
            "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
            "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
            "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
            "will result in PyTorch skipping the first value of the learning rate schedule. "
            "See more details at "
            "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
            UserWarning,
            stacklevel=3,
        )
