"""The optimiser base class: parameter groups, per-parameter state, zero_grad, state_dict.

Updates run under ``no_grad`` and change each parameter's array in place (recorded as one in-place
write per step); parameters whose ``.grad`` is None are skipped. ``param_groups`` hold mutable
hyper-parameters, so a schedule is an assignment.
"""

from __future__ import annotations

import copy
import difflib
import functools
import itertools
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._graph import no_grad
from .._inplace import bump_all
from ..tensor import Tensor
from ._state_dict_hooks import add_hook, with_load_hooks, with_state_dict_hooks
from ._torch_flags import check_step, plain_group, split_names, update_as_real, with_torch_flags

_HOOK_KEYS = itertools.count()


def _with_step_hooks(step: Callable) -> Callable:
    """``step`` running the optimizer's step hooks around it (PyTorch's register_step_pre/post_hook)."""

    @functools.wraps(step)
    def hooked(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
        hooks = self.__dict__.get("_step_hooks")
        if self.__dict__.get("_in_step"):
            return step(self, *args, **kwargs)
        check_step(self)
        self._opt_called = True  # for the schedulers' check of the call order, as torch's
        if hooks is None:
            return step(self, *args, **kwargs)
        pre, post = hooks
        args = (self, *args)  # torch's hooks see the optimizer among the step's arguments
        for hook in list(pre.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"{type(self).__name__}: a step pre-hook must return None or (args, kwargs), "
                        f"got {result!r}"
                    )
                args, kwargs = result
        self._in_step = True
        try:
            out = step(*args, **kwargs)
        finally:
            self._in_step = False
        for hook in list(post.values()):
            hook(self, args, kwargs)
        return out

    hooked._wrapped_by_lr_sched = True  # type: ignore[attr-defined]  # torch's mark: step not overridden
    return hooked


def _scalar(v: Any, field: str) -> Any:
    """A saved 0-d state entry as the scalar autobp keeps: the step count as an int, others in the
    saved dtype (torch's float32 scalars stay float32)."""
    v = np.asarray(v.data if isinstance(v, Tensor) else v)[()]
    if field == "step" and float(v).is_integer():
        return int(v)
    return v


_TORCH_NAMES = {"lr": "learning rate", "eps": "epsilon value"}


def _state_tensor(field: str, v: Any, scalars: tuple) -> Any:
    """A state entry as torch's state_dict holds it: an array as a Tensor on the same memory, a
    scalar entry as a 0-d float32 Tensor (torch's dtype for them), anything else as it is."""
    if isinstance(v, np.ndarray):
        from ..pytorch_names import as_tensor  # a Tensor on v's own memory (torch.as_tensor)

        return as_tensor(v)
    if field in scalars and isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
        return Tensor(np.asarray(v, dtype=np.float32))
    return v


def _loaded_array(v: Any, p: Tensor) -> np.ndarray:
    """A saved state array for parameter ``p``, as torch loads it: cast to a floating parameter's
    dtype (a copy), else used as it is (the optimizer then shares the saved Tensor's memory)."""
    a = v._data if isinstance(v, Tensor) else np.asarray(v)
    if p.dtype.kind == "f" and a.dtype != p.dtype:  # torch casts only for floating parameters
        return a.astype(p.dtype)
    if not a.flags.writeable:
        return a.copy()
    return a


class Optimizer:
    """Base class: holds ``param_groups`` (dicts with 'params' and hyper-parameters) and per-parameter
    ``state``; subclasses implement ``_update(w, grad, group, state)`` (``w`` the parameter's array,
    written in place; ``grad`` already negated when the group has ``maximize``), or
    ``_update_group(group)`` to read the group's settings once per step."""

    _unshaped_state: tuple = ()  # state arrays not of the parameter's shape (Adafactor's row/column)
    _scalar_state: tuple = ("step",)  # state entries kept as scalars (torch saves them as 0-d tensors)
    _real_only = False  # refuse complex parameters at step (torch's Adafactor and Muon do)
    _torch_flags: dict = {}  # torch's implementation flags this optimiser accepts, with their defaults

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = {**defaults, **self.__dict__.pop("_torch_flag_values", {})}
        self.state: dict[Tensor, dict[str, Any]] = defaultdict(dict)  # torch's: state[p] starts {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params argument given to the optimizer should be an iterable of "
                f"Tensors or dicts, but got a Tensor of shape {params.shape}"
            )
        self._check_group(self.defaults)  # as torch: bad hyper-parameters are refused before params
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (missing ones take the defaults)."""
        name = type(self).__name__
        if not isinstance(group, dict):
            raise TypeError(f"{name}: a param group must be a dict, got {type(group).__name__}")
        if "params" not in group:
            raise KeyError(f"{name}: a param group needs a 'params' entry, got keys {sorted(group)}")
        ps = group["params"]
        if isinstance(ps, (set, frozenset)):  # torch's refusal: a set's order changes between runs
            raise TypeError(
                f"{name}: optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        ps = [ps] if isinstance(ps, Tensor) else list(ps)
        ps, names = split_names(type(self).__name__, ps)
        if self.param_groups and (names is None) != ("param_names" not in self.param_groups[0]):
            with_or_not = "without" if names is None else "with"
            raise ValueError(
                f"{type(self).__name__}: all optimizer param groups should be with/without names. "
                f"cannot add param group {with_or_not} names to the optimizer"
            )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for i, p in enumerate(ps):
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__}: params[{i}] is a {type(p).__name__}, not a Tensor")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: params[{i}] is not a leaf tensor (op {p._op})")
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: params[{i}] appears in more than one place")
            seen.add(id(p))
        unknown = set(group) - set(self.defaults) - {"params", "initial_lr", "param_names"}
        for key in sorted(unknown):  # kept, as PyTorch keeps them ({"params": ..., "name": "encoder"})
            near = difflib.get_close_matches(str(key), list(self.defaults), n=1, cutoff=0.8)
            if near:  # but a near miss of a hyper-parameter is most likely a typo
                warnings.warn(
                    f"{type(self).__name__}: param group key {key!r} is not a hyper-parameter; it is kept "
                    f"as the group's own entry (did you mean {near[0]!r}?)",
                    stacklevel=3,
                )
        full = {**self.defaults, **group, "params": ps}
        if names is not None:
            full["param_names"] = names
        self._check_group(full)
        self.param_groups.append(full)

    def _check_group(self, group: dict[str, Any]) -> None:
        for key in ("lr", "weight_decay", "momentum", "decay", "eps", "dampening", "lr_decay"):
            if key in group and not group[key] >= 0:
                what = _TORCH_NAMES.get(key, f"{key} value")  # torch's words first, then ours
                ours = f"{type(self).__name__}: {key} must be >= 0, got {group[key]}"
                raise ValueError(f"Invalid {what}: {group[key]} ({ours})")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:  # an optimiser with its own step (LBFGS) runs the hooks too
            cls.step = _with_step_hooks(cls.__dict__["step"])
        if "state_dict" in cls.__dict__:
            cls.state_dict = with_state_dict_hooks(cls.__dict__["state_dict"])
        if "load_state_dict" in cls.__dict__:
            cls.load_state_dict = with_load_hooks(cls.__dict__["load_state_dict"])
        if "__init__" in cls.__dict__ and cls._torch_flags:  # foreach=, fused=, ... as torch takes them
            cls.__init__ = with_torch_flags(cls, cls.__dict__["__init__"])

    def register_step_pre_hook(self, hook: Callable) -> Any:
        """Call ``hook(optimizer, args, kwargs)`` before each step; it may return new (args, kwargs)."""
        return self._add_step_hook(0, hook)

    def register_step_post_hook(self, hook: Callable) -> Any:
        """Call ``hook(optimizer, args, kwargs)`` after each step."""
        return self._add_step_hook(1, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> Any:
        """Call ``hook(optimizer)`` before each ``state_dict()`` (first of all when ``prepend``)."""
        return add_hook(self, "state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> Any:
        """Call ``hook(optimizer, state_dict)`` after each ``state_dict()``; a dict it returns is
        returned instead."""
        return add_hook(self, "state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> Any:
        """Call ``hook(optimizer, state_dict)`` before each ``load_state_dict`` (on a shallow copy of
        the dict); a dict it returns is loaded instead."""
        return add_hook(self, "load_pre", hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> Any:
        """Call ``hook(optimizer)`` after each ``load_state_dict``."""
        return add_hook(self, "load_post", hook, prepend)

    def _add_step_hook(self, kind: int, hook: Callable) -> Any:
        from ..nn.module_hooks import HookHandle

        if not callable(hook):
            raise TypeError(f"{type(self).__name__}: a step hook must be callable, got {type(hook).__name__}")
        hooks = self.__dict__.setdefault("_step_hooks", ({}, {}))
        key = next(_HOOK_KEYS)
        hooks[kind][key] = hook
        return HookHandle(hooks[kind], key)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad`` (to None by default, like PyTorch)."""
        for group in self.param_groups:
            if set_to_none:  # what _zero_grad does then, without a call per parameter
                for p in group["params"]:
                    p._grad = None
                continue
            for p in group["params"]:
                p._zero_grad(set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a ``.grad``; returns ``closure()`` if given."""
        loss = None
        if closure is not None:
            loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group: dict) -> None:
        """Check the group's hyper-parameters (a schedule may have set them), then update every
        parameter of ``group`` that has a gradient."""
        self._check_group(group)
        items = self._with_grads(group)
        if self._real_only and any(np.iscomplexobj(p._data) for p, _, _ in items):
            raise RuntimeError(f"{type(self).__name__} does not support complex parameters")
        group = plain_group(group)
        bump_all([p for p, _, _ in items])  # the in-place writes below, for the version checks
        maximize = group.get("maximize", False)
        for p, grad, state in items:
            w = p._data
            if w.dtype.kind == "c":  # as torch: the real and imaginary parts as separate reals
                update_as_real(self, w, -grad if maximize else grad, group, state)
                continue
            self._update(w, -grad if maximize else grad, group, state)

    def _with_grads(self, group: dict) -> list:
        """(parameter, gradient as an ndarray, state dict) for each parameter of ``group`` with a grad."""
        out = []
        states = self.state
        for p in group["params"]:
            grad = p._grad  # the engine's array (.grad would make a user-facing view of it)
            if grad is None:
                continue
            if type(grad) is not np.ndarray or grad.shape != p._data.shape:
                grad = self._grad_array(p, grad)
            state = states.get(p)
            if state is None:
                state = states[p] = {}
            out.append((p, grad, state))
        return out

    def _grad_array(self, p: Tensor, grad: Any) -> np.ndarray:
        """``p.grad`` as an ndarray of ``p``'s shape (it may have been set by hand to anything)."""
        grad = np.asarray(grad)
        if grad.shape != p._data.shape:
            raise ValueError(f"{type(self).__name__}: grad shape {grad.shape} != param {p.shape}")
        return grad

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        raise NotImplementedError

    # --- resuming -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """PyTorch's layout: parameters become indices in group order. As torch's, each state array is
        a Tensor sharing memory with the optimizer's own state (later steps show through; deep-copy to
        keep a snapshot), and the scalar entries (``step``, ASGD's ``eta``/``mu``, NAdam's
        ``mu_product``) are 0-d float32 Tensors."""
        index: dict[int, int] = {}
        groups = []
        start = 0
        for group in self.param_groups:
            for i, p in enumerate(group["params"], start):  # torch's numbering: a parameter seen
                index.setdefault(id(p), i)  # again (groups extended by hand) keeps its first index
            ids = [index[id(p)] for p in group["params"]]
            start += len(ids)
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[id(p)]: {k: _state_tensor(k, v, self._scalar_state) for k, v in s.items()}
            for p, s in self.state.items()
            if id(p) in index and s  # torch keeps no entry for a parameter without state (plain SGD)
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and state saved by ``state_dict()`` for the same parameter layout."""
        name = type(self).__name__
        try:
            groups, state = state_dict["param_groups"], state_dict["state"]
        except (KeyError, TypeError):
            raise ValueError(
                f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups'"
            ) from None
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: {len(groups)} param groups saved, {len(self.param_groups)} here"
            )
        params = []
        for i, (saved, own) in enumerate(zip(groups, self.param_groups)):
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: group {i} has {len(saved['params'])} params saved, "
                    f"{len(own['params'])} here"
                )
            params.extend(zip(saved["params"], own["params"]))
        by_index = dict(params)
        new_state: dict[Tensor, dict[str, Any]] = defaultdict(dict)
        for k, s in state.items():
            key = int(k)  # indices may come back as strings from other formats
            if key not in by_index:
                raise ValueError(f"{name}.load_state_dict: state for unknown parameter index {k}")
            p = by_index[key]
            entry = {}
            for field, v in s.items():
                if field in self._scalar_state and np.ndim(v) == 0:  # torch's 0-d tensors
                    v = _scalar(v, field)
                elif isinstance(v, (np.ndarray, Tensor)):
                    v = _loaded_array(v, p)
                    if v.shape != p.shape and field not in self._unshaped_state:
                        raise ValueError(
                            f"{name}.load_state_dict: state {field!r} of parameter {key} has shape "
                            f"{v.shape}, the parameter has {p.shape}"
                        )
                entry[field] = v
            new_state[p] = entry
        for saved, own in zip(groups, self.param_groups):
            for k, v in saved.items():
                if k != "params":
                    own[k] = copy.deepcopy(v)
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


Optimizer.step = _with_step_hooks(Optimizer.step)  # type: ignore[method-assign]
Optimizer.state_dict = with_state_dict_hooks(Optimizer.state_dict)  # type: ignore[method-assign]
Optimizer.load_state_dict = with_load_hooks(Optimizer.load_state_dict)  # type: ignore[method-assign]
