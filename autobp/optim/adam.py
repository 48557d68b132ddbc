"""Adam and its relatives (AdamW, Adamax, NAdam, RAdam) with PyTorch's updates, bias corrections and
state names, so trajectories agree with ``torch.optim`` to round-off and state_dicts read alike."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._torch_flags import CAPTURABLE, DIFFERENTIABLE, FOREACH, FUSED
from .optimizer import Optimizer


def _check_betas(name: str, betas: Any) -> tuple[float, float]:
    betas = tuple(betas)
    bad = [i for i, b in enumerate(betas) if not 0 <= b < 1]
    if len(betas) != 2 or bad:
        ours = f"{name}: betas must be two numbers in [0, 1), got {betas}"
        if bad:  # torch's words first
            ours = f"Invalid beta parameter at index {bad[0]}: {betas[bad[0]]} ({ours})"
        raise ValueError(ours)
    return betas


def _moments(state: dict, w: np.ndarray, grad: np.ndarray, b1: float, b2: float) -> tuple:
    """Advance the step count and the two moment estimates (PyTorch's lerp form for the first):
    m <- m + (1 - b1)(g - m),  v <- b2 v + (1 - b2) g^2.  Returns (t, m, v)."""
    if "step" not in state:
        state["step"] = 0
        state["exp_avg"] = np.zeros_like(w)
        state["exp_avg_sq"] = np.zeros_like(w)
    state["step"] += 1
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m += (grad - m) * (1 - b1)
    v *= b2
    v += (grad * grad) * (1 - b2)
    return state["step"], m, v


def _weight_decay(w: np.ndarray, grad: np.ndarray, lr: float, wd: float, decoupled: bool) -> np.ndarray:
    """L2 decay adds wd * w to the gradient; decoupled decay (AdamW) shrinks w by lr * wd directly."""
    if wd and decoupled:
        w *= 1 - lr * wd
    elif wd:
        grad = grad + wd * w
    return grad


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with PyTorch's update, bias correction and L2 ``weight_decay``:

        g = dE/dw + weight_decay * w;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
        w <- w - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)

    ``amsgrad=True`` uses the running maximum of v in the denominator; ``decoupled_weight_decay=True``
    is AdamW; ``maximize=True`` ascends.

    >>> opt = Adam(net.parameters(), lr=1e-3, amsgrad=True)   # doctest: +SKIP
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE, **FUSED}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": _check_betas(type(self).__name__, betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
        grad = _weight_decay(w, grad, lr, group["weight_decay"], group["decoupled_weight_decay"])
        t, m, v = _moments(state, w, grad, b1, b2)
        if group["amsgrad"]:
            vmax = state.get("max_exp_avg_sq")
            if vmax is None:
                vmax = state["max_exp_avg_sq"] = np.zeros_like(w)
            np.maximum(vmax, v, out=vmax)
            v = vmax
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + eps
        w -= (lr / (1 - b1**t)) * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), as PyTorch's AdamW:
    w <- w * (1 - lr * weight_decay), then the Adam step on the plain gradient. Default decay 0.01."""

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True
        )


class Adamax(Optimizer):
    """Adam with the infinity norm (Kingma & Ba 2015, sec. 7.1), as PyTorch's Adamax:

    u <- max(b2 u, |g| + eps);  w <- w - lr / (1 - b1^t) * m / u
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": _check_betas("Adamax", betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if wd:
            grad = grad + wd * w
        if "step" not in state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(w)
            state["exp_inf"] = np.zeros_like(w)
        state["step"] += 1
        m, u = state["exp_avg"], state["exp_inf"]
        m += (grad - m) * (1 - b1)
        u *= b2
        np.maximum(u, np.abs(grad) + eps, out=u)
        w -= (lr / (1 - b1 ** state["step"])) * (m / u)


class NAdam(Optimizer):
    """Adam with Nesterov momentum (Dozat 2016) and PyTorch's momentum schedule
    mu_t = b1 (1 - 0.5 * 0.96^(t * momentum_decay)):

        w <- w - lr (1 - mu_t) / (1 - prod_{i<=t} mu_i) * g / d
               - lr mu_{t+1} / (1 - prod_{i<=t+1} mu_i) * m / d,    d = sqrt(v / (1 - b2^t)) + eps

    The running product of the mu's is ``state["mu_product"]``, a float32 scalar as in PyTorch (with
    its default dtype). ``decoupled_weight_decay`` as AdamW.
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}
    _scalar_state = ("step", "mu_product")

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        if not momentum_decay >= 0:
            raise ValueError(
                f"Invalid momentum_decay value: {momentum_decay} (NAdam: momentum_decay must be >= 0)"
            )
        defaults = {
            "lr": lr,
            "betas": _check_betas("NAdam", betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
        psi = group["momentum_decay"]
        grad = _weight_decay(w, grad, lr, group["weight_decay"], group["decoupled_weight_decay"])
        if "mu_product" not in state:
            state["mu_product"] = np.float32(1.0)
        t, m, v = _moments(state, w, grad, b1, b2)
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        # PyTorch keeps the product as a float32 scalar (its default dtype) and multiplies in float32;
        # so does this, or the steps would differ from PyTorch's in the 8th digit
        # (a Tensor beta1 makes mu a 0-d tensor of its dtype: torch then multiplies in the wider one)
        mu32 = mu if isinstance(mu, np.generic) else np.float32(mu)
        state["mu_product"] = np.float32(np.float32(state["mu_product"]) * mu32)
        prod = float(state["mu_product"])
        denom = np.sqrt(v / (1 - b2**t)) + eps
        w += (-lr * (1.0 - mu) / (1.0 - prod)) * (grad / denom)
        w += (-lr * mu_next / (1.0 - prod * mu_next)) * (m / denom)


class RAdam(Optimizer):
    """Rectified Adam (Liu et al. 2020), as PyTorch's RAdam: while the variance estimate's length
    rho_t = rho_inf - 2 t b2^t / (1 - b2^t) is at most 5 the step is plain momentum,
    w <- w - lr m / (1 - b1^t); afterwards it is Adam's step times the rectification
    r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t)),
    with denominator (sqrt(v) + eps) / sqrt(1 - b2^t). ``decoupled_weight_decay`` as AdamW.
    """

    _torch_flags = {**FOREACH, **CAPTURABLE, **DIFFERENTIABLE}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": _check_betas("RAdam", betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, w: np.ndarray, grad: np.ndarray, group: dict, state: dict) -> None:
        lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
        grad = _weight_decay(w, grad, lr, group["weight_decay"], group["decoupled_weight_decay"])
        t, m, v = _moments(state, w, grad, b1, b2)
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * (b2**t) / bc2
        step = (m / bc1) * lr
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            step = step * (math.sqrt(bc2) / (np.sqrt(v) + eps)) * rect
        w -= step
