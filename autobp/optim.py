"""Optimisers: SGD in the 1986 paper's momentum form (plus its 0.2% weight decay), Adam and AdamW.

Updates run under ``no_grad`` and change each ``p.data`` in place; parameters whose ``.grad`` is None
are skipped. ``param_groups`` hold mutable hyper-parameters, so a schedule is an assignment.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ._graph import no_grad
from ._inplace import bump_all
from .tensor import Tensor


class Optimizer:
    """Base class: holds ``param_groups`` (dicts with 'params' and hyper-parameters) and per-parameter
    ``state``; subclasses implement ``_update(p, grad, group, state)``, or ``_update_group(group)``
    to read the group's settings once per step."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (missing ones take the defaults)."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{type(self).__name__}: a param group must be a dict with a 'params' entry")
        ps = group["params"]
        ps = [ps] if isinstance(ps, Tensor) else list(ps)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for i, p in enumerate(ps):
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__}: params[{i}] is a {type(p).__name__}, not a Tensor")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: params[{i}] is not a leaf tensor (op {p.grad_fn})")
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: params[{i}] appears in more than one place")
            seen.add(id(p))
        unknown = set(group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown hyper-parameter(s) {sorted(unknown)}")
        full = {**self.defaults, **group, "params": ps}
        self._check_group(full)
        self.param_groups.append(full)

    def _check_group(self, group: dict[str, Any]) -> None:
        for key in ("lr", "weight_decay", "momentum", "decay", "eps"):
            if key in group and not group[key] >= 0:
                raise ValueError(f"{type(self).__name__}: {key} must be >= 0, got {group[key]}")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad`` (to None by default, like PyTorch)."""
        for group in self.param_groups:
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
        for p, grad, state in self._with_grads(group):
            self._update(p, grad, group, state)

    def _with_grads(self, group: dict) -> list:
        """(parameter, gradient as an ndarray, state dict) for each parameter of ``group`` with a grad."""
        out = []
        states = self.state
        for p in group["params"]:
            grad = p.grad
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

    def _update(self, p: Tensor, grad: np.ndarray, group: dict, state: dict) -> None:
        raise NotImplementedError

    # --- resuming -----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """PyTorch's layout: parameters become indices in group order; arrays are copied."""
        index = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = len(index)
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[id(p)]: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
            for p, s in self.state.items()
            if id(p) in index
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
        new_state: dict[Tensor, dict[str, Any]] = {}
        for k, s in state.items():
            key = int(k)  # indices may come back as strings from other formats
            if key not in by_index:
                raise ValueError(f"{name}.load_state_dict: state for unknown parameter index {k}")
            p = by_index[key]
            entry = {}
            for field, v in s.items():
                if isinstance(v, (np.ndarray, Tensor)):
                    v = np.array(v.data if isinstance(v, Tensor) else v, dtype=p.dtype)
                    if v.shape != p.shape:
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


class SGD(Optimizer):
    """Gradient descent with the 1986 paper's momentum (eq. 9) and optional multiplicative decay.

    Per parameter, with g = dE/dw + weight_decay * w (L2 penalty, as in PyTorch):

        delta(t) = -lr * g + momentum * delta(t-1)      (paper: dw(t) = -eps dE/dw + alpha dw(t-1))
        w       <- w + delta(t)
        w       <- (1 - decay) * w                      (paper: "reduced by 0.2%", decay=0.002)

    ``delta`` (the last weight change) is kept in ``state[p]["delta"]``. With ``nesterov=True`` the step
    is ``-lr * g + momentum * delta(t)`` instead of ``delta(t)``.

    Difference from ``torch.optim.SGD``: PyTorch keeps v(t) = momentum * v(t-1) + g and steps w -= lr * v(t),
    so its weight change is -lr(t) * g + momentum * (lr(t) / lr(t-1)) * delta(t-1). The two agree while lr
    is constant; after an lr change PyTorch rescales the carried-over momentum by lr(t)/lr(t-1), the paper
    does not. (PyTorch's ``dampening`` is not offered.) ``decay`` is applied only to parameters that
    were updated (had a ``.grad``), after the update, and is not part of ``delta``.

    >>> opt = SGD(net.parameters(), lr=0.005, momentum=0.5, decay=0.002)   # doctest: +SKIP
    >>> opt.param_groups[0].update(lr=0.01, momentum=0.9)                  # after 20 sweeps
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        decay: float = 0.0,
    ) -> None:
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        if not 0 <= decay < 1:
            raise ValueError(
                f"SGD: decay is the fraction removed from each weight per step, in [0, 1); got {decay}"
            )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "decay": decay,
        }
        super().__init__(params, defaults)
        self._blocks: dict = {}  # per dtype: scratch for lr * grad of a large parameter (not state)

    def _update_group(self, group: dict) -> None:
        lr, mu, wd, decay = group["lr"], group["momentum"], group["weight_decay"], group["decay"]
        if not (lr >= 0 and mu >= 0 and wd >= 0 and decay >= 0):  # the checks, on the values read
            self._check_group(group)
        nesterov = group["nesterov"]
        items = self._with_grads(group)
        bump_all([p for p, _, _ in items])  # the in-place writes below, for the version checks
        for p, grad, state in items:
            w = p._data  # the array itself (its write is recorded above)
            if wd:
                grad = grad + wd * w
            delta = None
            if mu:
                delta = state.get("delta")
                if delta is None:
                    delta = state["delta"] = np.zeros_like(w)  # the paper's dw(0) = 0
            if w.nbytes <= _BLOCKED_ABOVE:
                s = grad * lr
                if s.dtype != w.dtype:  # as in a block: lr * g rounded to the parameter's dtype
                    s = s.astype(w.dtype)
                if delta is None and not decay:
                    w -= s  # plain gradient descent, without a call per parameter
                else:
                    _step(w, delta, s, mu, nesterov, decay)
            else:  # block by block, through scratch that stays in cache
                for wb, gb, db, sb in _blocks(w, grad, delta, self._block(w.dtype)):
                    _step(wb, db, np.multiply(gb, lr, out=sb), mu, nesterov, decay)

    def _block(self, dtype: np.dtype) -> np.ndarray:
        block = self._blocks.get(dtype)
        if block is None:
            block = self._blocks[dtype] = np.empty(_BLOCK_BYTES // dtype.itemsize, dtype)
        return block


# Parameters larger than _BLOCKED_ABOVE are updated in blocks of _BLOCK_BYTES: lr * grad is written
# into scratch and read back while it is still in L2 (a temporary as large as the parameter would
# spill it: 20 % slower at 16 MiB), and SGD's extra memory stays bounded whatever the model's size.
# Smaller ones take one temporary, which measured as fast at 4 MiB and 14 % faster at 0.8 MiB.
_BLOCK_BYTES = 512 * 1024
_BLOCKED_ABOVE = 4 * 1024 * 1024


def _step(w: np.ndarray, delta: Any, s: np.ndarray, mu: float, nesterov: bool, decay: float) -> None:
    """Apply one step to ``w`` in place, given ``s`` = lr * g rounded to w's dtype."""
    if delta is None:
        w -= s
    else:  # eq. 9 in place: delta(t) = mu delta(t-1) - lr g
        delta *= mu
        delta -= s
        if nesterov:
            w += mu * delta - s
        else:
            w += delta
    if decay:
        w *= 1 - decay


def _blocks(w: np.ndarray, g: np.ndarray, delta: Any, block: np.ndarray) -> Any:
    """(w, g, delta, scratch) slices of at most len(block) elements, covering the arrays; the
    arrays whole with fresh scratch if one is not C-contiguous (reshape(-1) would copy it)."""
    if not all(a is None or a.flags.c_contiguous for a in (w, g, delta)):
        return ((w, g, delta, np.empty_like(w)),)
    n, step = w.size, len(block)
    w, g = w.reshape(-1), g.reshape(-1)
    delta = None if delta is None else delta.reshape(-1)
    return (
        (w[i : i + step], g[i : i + step], None if delta is None else delta[i : i + step], block[: n - i])
        for i in range(0, n, step)
    )


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with PyTorch's update, bias correction and L2 ``weight_decay``:

        g = dE/dw + weight_decay * w;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
        w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)

    ``amsgrad=True`` uses the running maximum of v in the denominator.
    """

    _decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        if not all(0 <= b < 1 for b in betas) or len(betas) != 2:
            raise ValueError(f"{type(self).__name__}: betas must be two numbers in [0, 1), got {betas}")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
        }
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        w = p.data
        if wd and self._decoupled:
            w *= 1 - lr * wd  # AdamW: shrink the weight directly, outside the adaptive scaling
        elif wd:
            grad = grad + wd * w
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(w)
            state["exp_avg_sq"] = np.zeros_like(w)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(w)
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * grad * grad
        if group["amsgrad"]:
            vmax = state.setdefault("max_exp_avg_sq", np.zeros_like(w))
            np.maximum(vmax, v, out=vmax)
            v = vmax
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + eps
        w -= (lr / (1 - b1**t)) * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), as PyTorch's AdamW:
    w <- w * (1 - lr * weight_decay), then the Adam step on the plain gradient. Default decay 0.01."""

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]
