"""SGD with PyTorch's momentum (the default) or the 1986 paper's (eq. 9), PyTorch's dampening, Nesterov,
L2 weight decay and maximize, plus the paper's multiplicative 0.2% decay; large parameters in blocks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._grad_array import GradArray
from .._inplace import bump_all
from .._scalars import as_operand
from ._torch_flags import DIFFERENTIABLE, FOREACH, FUSED, hyper
from .optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum, ``torch.optim.SGD``'s by default, the 1986 paper's (eq. 9) on request.

    Per parameter, with g = dE/dw + weight_decay * w (L2 penalty, as in PyTorch):

    ``momentum_form="pytorch"`` (default; the buffer v is ``state[p]["momentum_buffer"]``, as in torch)::

        v(1) = g,  v(t) = momentum * v(t-1) + (1 - dampening) * g
        w   <- w - lr * v(t)                  (nesterov=True: w <- w - lr * (g + momentum * v(t)))

    ``momentum_form="paper"`` (the last weight change is ``state[p]["delta"]``)::

        delta(t) = -lr * g + momentum * delta(t-1)      (paper: dw(t) = -eps dE/dw + alpha dw(t-1))
        w       <- w + delta(t)

    With ``nesterov=True`` the paper form steps ``-lr * g + momentum * delta(t)`` instead of ``delta(t)``;
    ``dampening`` d scales the gradient entering its momentum after the first step, as PyTorch does:
    delta(1) = -lr * g, delta(t) = momentum * delta(t-1) - lr * (1 - d) * g.

    The two forms agree while lr is constant (up to round-off). PyTorch's weight change is
    -lr(t) * g + momentum * (lr(t) / lr(t-1)) * delta(t-1): after an lr change (a schedule) it rescales
    the carried-over momentum by lr(t)/lr(t-1), the paper does not. So trajectories follow
    ``torch.optim.SGD`` under any ``lr_scheduler`` by default; the paper experiments (``autobp.paper``)
    pass ``momentum_form="paper"`` to reproduce eq. 9 literally.

    Both forms then apply the paper's multiplicative decay, ``w <- (1 - decay) * w`` ("reduced by 0.2%",
    decay=0.002), only to parameters that were updated (had a ``.grad``); it is not part of the momentum.
    ``maximize=True`` ascends.

    >>> opt = SGD(net.parameters(), lr=0.1, momentum=0.9)  # torch.optim.SGD's update   # doctest: +SKIP
    >>> paper = SGD(net.parameters(), lr=0.005, momentum=0.5, decay=0.002, momentum_form="paper")
    >>> paper.param_groups[0].update(lr=0.01, momentum=0.9)  # after 20 sweeps          # doctest: +SKIP
    """

    _torch_flags = {**FOREACH, **DIFFERENTIABLE, **FUSED}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        decay: float = 0.0,
        momentum_form: str = "pytorch",
    ) -> None:
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"SGD: nesterov=True needs momentum > 0 and zero dampening, got momentum={momentum}, "
                f"dampening={dampening}"
            )
        _check_form(momentum_form)
        if not 0 <= decay < 1:
            raise ValueError(
                f"SGD: decay is the fraction removed from each weight per step, in [0, 1); got {decay}"
            )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "decay": decay,
            "momentum_form": momentum_form,
        }
        super().__init__(params, defaults)
        self._blocks: dict = {}  # per dtype: scratch for lr * grad of a large parameter (not state)
        self._flats: dict = {}  # per group (id): its small momentum buffers as views of one array
        self._consts: dict = {}  # per group (id): lr, mu, dtype, and lr and mu as operands of that dtype

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a ``.grad``; returns ``closure()`` if given.
        SGD's update reads and writes arrays only, so it records nothing without switching grad mode."""
        loss = None if closure is None else closure()
        for group in self.param_groups:
            self._update_group(group)
        return loss

    def _update_group(self, group: dict) -> None:
        lr, mu, wd, decay = group["lr"], group["momentum"], group["weight_decay"], group["decay"]
        lr, wd = hyper(lr), hyper(wd)  # a Tensor lr or weight_decay (torch takes both) as its value
        if not (lr >= 0 and mu >= 0 and wd >= 0 and decay >= 0):  # the checks, on the values read
            self._check_group(group)
        nesterov, damp, maximize = group["nesterov"], group["dampening"], group["maximize"]
        usual = not (wd or decay or nesterov or damp or maximize)
        if usual and (not mu or group["momentum_form"] == "pytorch"):
            if not (mu and self._flat_again(group, lr, mu)):  # the flat buffers' step when it applies
                self._plain_update(group, lr, mu)
            return
        items = self._with_grads(group)
        bump_all([p for p, _, _ in items])  # the in-place writes below, for the version checks
        if mu and group["momentum_form"] != "paper":
            _check_form(group["momentum_form"])
            for p, grad, state in items:
                self._pytorch_step(p._data, -grad if maximize else grad, state, group)
            return
        for p, grad, state in items:
            w = p._data  # the array itself (its write is recorded above)
            if maximize:
                grad = -grad
            if wd:
                grad = grad + wd * w
            delta = None
            if mu:
                delta = state.get("delta")
                if delta is None:
                    delta = state["delta"] = np.zeros_like(w)  # the paper's dw(0) = 0
                elif damp:  # PyTorch damps every gradient entering the momentum but the first
                    grad = grad * (1 - damp)
            if w.nbytes <= _BLOCKED_ABOVE:
                s = grad * lr
                if s.dtype != w.dtype:  # as in a block: lr * g rounded to the parameter's dtype
                    s = s.astype(w.dtype)
                if delta is None and not decay:
                    w -= s  # plain gradient descent, without a call per parameter
                elif not (nesterov or decay):  # the paper's momentum (eq. 9), as _step does it
                    delta *= mu
                    delta -= s
                    w += delta
                else:
                    _step(w, delta, s, mu, nesterov, decay)
            else:  # block by block, through scratch that stays in cache
                for wb, gb, db, sb in _blocks(w, grad, delta, self._block(w.dtype)):
                    _step(wb, db, np.multiply(gb, lr, out=sb), mu, nesterov, decay)

    def _plain_update(self, group: dict, lr: float, mu: float) -> None:
        """The usual settings (PyTorch's momentum or none; no decay, dampening, Nesterov or maximize):
        v = mu v + g (v = g at first), w -= lr v (w -= lr g without momentum), the same arithmetic as
        ``_pytorch_step`` and the general loop, without their per-parameter calls and look-ups (on a
        small net those were most of the step). ``_update_group`` tries ``_flat_again`` first."""
        states, items, params = self.state, [], group["params"]
        ndarray = np.ndarray
        for p in params:  # first every gradient, checked, so a bad one changes nothing
            grad = p._grad
            if grad is None:
                continue
            if type(grad) is not ndarray or grad.shape != p._data.shape:
                grad = self._grad_array(p, grad)
            state = states.get(p)
            if state is None:
                state = states[p] = {}
            items.append((p, grad, state))
        bump_all([item[0] for item in items])  # the in-place writes below, for the version checks
        if mu and len(items) > 1 and self._flat_step(group, items, lr, mu):
            return
        consts: dict = {}  # per dtype: lr and mu as 0-d arrays, the same numbers at less cost per call
        for p, grad, state in items:
            w = p._data
            dt = w.dtype
            c = consts.get(dt)
            if c is None:
                c = consts[dt] = (as_operand(lr, dt), as_operand(mu, dt))
            if mu:
                v = state.get("momentum_buffer")
                if v is None:
                    v = state["momentum_buffer"] = np.array(grad, dtype=w.dtype)
                else:  # in place: the buffer may be a view of a compiled step's flat state
                    v *= c[1]
                    v += grad
                grad = v
            if w.nbytes > _BLOCKED_ABOVE:
                for wb, gb, _, scratch in _blocks(w, grad, None, self._block(w.dtype)):
                    np.subtract(wb, np.multiply(gb, lr, out=scratch), out=wb)
                continue
            s = grad * c[0] if grad.dtype is dt else grad * lr
            if s.dtype is not dt and s.dtype != dt:  # lr * g rounded to w's dtype, as in a block
                s = s.astype(w.dtype)
            w -= s

    def _flat_step(self, group: dict, items: list, lr: float, mu: float) -> bool:
        """PyTorch's momentum step for a group of small parameters that all have gradients, with their
        momentum buffers views of one array: v = mu v + g and lr v are one call each for the whole
        group (as a foreach optimiser does); the same numbers as per parameter. The buffers are made
        so at the first step (v = g); if they are replaced later (load_state_dict, a compiled step's
        own packing), the group goes back to the per-parameter loop. False when it does not apply."""
        flat = self._flats.get(id(group))
        if flat is None:
            if id(group) in self._flats or len(items) != len(group["params"]):
                return False
            if any("momentum_buffer" in state for _, _, state in items):  # state from elsewhere
                self._flats[id(group)] = None
                return False
            flat = self._flats[id(group)] = _flat_buffers(items)
            if flat is None:
                return False
            vflat, sflat, views, steps, _ = flat
            for (_, grad, state), v in zip(items, views):  # the first step: v = g
                v[...] = grad
                state["momentum_buffer"] = v
        else:
            vflat, sflat, views, steps, _ = flat
            if len(views) != len(items):
                return False
            for (_, _, state), v in zip(items, views):
                if state.get("momentum_buffer") is not v:  # replaced: per parameter from now on
                    self._flats[id(group)] = None
                    return False
            vflat *= as_operand(mu, vflat.dtype)
            for (_, grad, _), v in zip(items, views):
                v += grad
        np.multiply(vflat, as_operand(lr, vflat.dtype), out=sflat)  # lr v, rounded to w's dtype
        for (p, _, _), s in zip(items, steps):
            w = p._data
            w -= s
        return True

    def _flat_again(self, group: dict, lr: float, mu: float) -> bool:
        """``_flat_step`` for a group whose flat buffers exist, when every parameter has a gradient array
        of its shape and still its momentum view: the same calls without building the per-parameter
        list first (on a small net that list was a third of the step). False sends the step down the
        general path, which decides as before."""
        flat = self._flats.get(id(group))
        if flat is None:
            return False
        vflat, sflat, views, steps, shapes = flat
        params, states, ndarray = group["params"], self.state, np.ndarray
        if len(params) != len(views):
            return False
        grads = [p._grad for p in params]  # the stored arrays (the .grad property wraps them for users)
        for p, grad, v, shape in zip(params, grads, views, shapes):
            if (type(grad) is not ndarray and type(grad) is not GradArray) or grad.shape != shape:
                return False
            if states[p].get("momentum_buffer") is not v:  # replaced: the general path decides
                return False
        dt = vflat.dtype
        c = self._consts.get(id(group))
        if c is None or c[0] != lr or c[1] != mu or c[2] is not dt:  # lr and mu as operands, once
            c = self._consts[id(group)] = (lr, mu, dt, as_operand(lr, dt), as_operand(mu, dt))
        bump_all(params)  # the in-place writes below, for the version checks
        vflat *= c[4]
        for v, grad in zip(views, grads):
            v += grad
        np.multiply(vflat, c[3], out=sflat)  # lr v, rounded to w's dtype
        for p, s in zip(params, steps):
            w = p._data
            w -= s
        return True

    def _block(self, dtype: np.dtype) -> np.ndarray:
        block = self._blocks.get(dtype)
        if block is None:
            block = self._blocks[dtype] = np.empty(_BLOCK_BYTES // dtype.itemsize, dtype)
        return block

    def _pytorch_step(self, w: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        """PyTorch's momentum: v <- momentum v + (1 - dampening) g (v starts at g), w <- w - lr v
        (Nesterov: w <- w - lr (g + momentum v)); then the paper's decay if any. The buffer is
        updated in place; lr * v goes through cache-sized scratch for a large parameter."""
        mu, lr, wd, damp = group["momentum"], group["lr"], group["weight_decay"], group["dampening"]
        lr, wd = hyper(lr), hyper(wd)
        if wd:
            grad = grad + wd * w
        v = state.get("momentum_buffer")
        if v is None:
            v = state["momentum_buffer"] = np.array(grad, dtype=w.dtype)
        else:
            v *= mu
            v += grad * (1 - damp) if damp else grad
        step = grad + mu * v if group["nesterov"] else v
        if w.nbytes <= _BLOCKED_ABOVE:
            w -= (step * lr).astype(w.dtype, copy=False)  # lr * v rounded to w's dtype, as in a block
            if group["decay"]:
                w *= 1 - group["decay"]
            return
        for wb, sb, _, scratch in _blocks(w, step, None, self._block(w.dtype)):
            _step(wb, None, np.multiply(sb, lr, out=scratch), mu, False, group["decay"])


_FLAT_BYTES = 256 * 1024  # groups with more momentum than this keep one buffer per parameter


def _flat_buffers(items: list) -> tuple | None:
    """(momentum, scratch, momentum views, scratch views, their shapes) shaped as the parameters of
    ``items``, in one array each; None unless they share a float dtype and are small enough together.
    The shapes are kept as tuples because reading ``.shape`` builds one on every step."""
    dt = items[0][0]._data.dtype
    if dt.kind != "f" or any(p._data.dtype != dt for p, _, _ in items):
        return None
    sizes = [p._data.size for p, _, _ in items]
    if sum(sizes) * dt.itemsize > _FLAT_BYTES:
        return None
    vflat, sflat = np.zeros(sum(sizes), dt), np.zeros(sum(sizes), dt)
    views, steps, at = [], [], 0
    for (p, _, _), n in zip(items, sizes):
        views.append(vflat[at : at + n].reshape(p._data.shape))
        steps.append(sflat[at : at + n].reshape(p._data.shape))
        at += n
    return vflat, sflat, views, steps, [v.shape for v in views]


def _check_form(form: Any) -> None:
    if form not in ("paper", "pytorch"):
        raise ValueError(f"SGD: momentum_form must be 'paper' or 'pytorch', got {form!r}")


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
