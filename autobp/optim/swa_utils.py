"""Stochastic weight averaging and exponential moving averages of a model (``torch.optim.swa_utils``):
``AveragedModel``, the ``SWALR`` schedule, ``update_bn`` and the averaging functions.

An ``AveragedModel`` keeps a deep copy of the model whose parameters (and, with ``use_buffers=True``,
buffers) are a running average of the model's, updated by ``update_parameters(model)``; the first
update copies them. The averaging never records a graph.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._graph import no_grad
from ..nn.module import Module
from ..nn.normalization import _BatchNorm
from ..tensor import Tensor
from ._lr_phases import _per_group
from .lr_scheduler import LRScheduler
from .optimizer import Optimizer

__all__ = [
    "AveragedModel",
    "update_bn",
    "SWALR",
    "get_ema_multi_avg_fn",
    "get_swa_multi_avg_fn",
    "get_ema_avg_fn",
    "get_swa_avg_fn",
]

AvgFn = Callable[[Tensor, Tensor, Any], Tensor]
MultiAvgFn = Callable[[list, list, Any], None]


def _is_inexact(t: Tensor) -> bool:
    return t.dtype.kind in "fc"


def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


def get_ema_multi_avg_fn(decay: float = 0.999) -> MultiAvgFn:
    """A ``multi_avg_fn`` for an exponential moving average: each averaged tensor moves a fraction
    1 - ``decay`` of the way to the model's (a lerp, in place)."""
    _check_decay(decay)

    def ema_update(ema_param_list: list, current_param_list: list, _: Any) -> None:
        with no_grad():
            if _is_inexact(ema_param_list[0]):
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.lerp_(p_model, 1 - decay)
            else:
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> MultiAvgFn:
    """A ``multi_avg_fn`` for the equal-weight average: averaged += (model - averaged) / (n + 1) in
    place, n being the number of models averaged so far."""

    def swa_update(averaged_param_list: list, current_param_list: list, num_averaged: Any) -> None:
        n = float(num_averaged.item() if isinstance(num_averaged, Tensor) else num_averaged)
        weight = 1 / (n + 1)
        if isinstance(num_averaged, Tensor):  # PyTorch divides the integer count tensor: a float32
            weight = float(np.float32(weight))
        with no_grad():
            for p_avg, p_model in zip(averaged_param_list, current_param_list):
                if _is_inexact(p_avg):
                    p_avg.lerp_(p_model, weight)
                else:
                    p_avg.copy_(p_avg + (p_model - p_avg) / (n + 1))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> AvgFn:
    """An ``avg_fn`` for an exponential moving average: decay * averaged + (1 - decay) * model."""
    _check_decay(decay)

    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> AvgFn:
    """An ``avg_fn`` for the equal-weight average: averaged + (model - averaged) / (n + 1)."""

    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A copy of ``model`` holding the running average of its parameters (SWA by default, or any
    ``avg_fn`` / ``multi_avg_fn`` such as ``get_ema_multi_avg_fn(0.999)``); calling it runs the copy.

    ``n_averaged`` (a buffer, so in the state_dict) counts the models averaged. With
    ``use_buffers=True`` the buffers (BatchNorm statistics) are averaged too; otherwise they are
    copied from the model at each update. ``device`` is accepted for PyTorch's signature (CPU only).

    >>> from autobp import nn
    >>> net = nn.Linear(2, 1, rng=0)
    >>> swa = AveragedModel(net)
    >>> swa.update_parameters(net)
    >>> int(swa.n_averaged.item())
    1
    """

    def __init__(
        self,
        model: Module,
        device: Any = None,
        avg_fn: AvgFn | None = None,
        multi_avg_fn: MultiAvgFn | None = None,
        use_buffers: bool = False,
    ) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        if device not in (None, "cpu") and str(device) != "cpu":
            raise ValueError(f"AveragedModel: autobp runs on the CPU only, got device={device!r}")
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", np.array(0, dtype=np.int64))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The averaged copy applied to the arguments."""
        return self.module(*args, **kwargs)

    def _tensors(self, model: Module, ours: bool) -> list[Tensor]:
        if self.use_buffers:
            m = self.module if ours else model
            return list(itertools.chain(m.parameters(), m.buffers()))
        return list(self.parameters() if ours else model.parameters())

    def update_parameters(self, model: Module) -> None:
        """Average ``model``'s current parameters into this copy (copy them on the first call)."""
        mine, theirs = self._tensors(model, True), self._tensors(model, False)
        theirs = [p.detach() for p in theirs]
        n = int(self.n_averaged.item())
        with no_grad():
            if n == 0:
                for p_avg, p_model in zip(mine, theirs):
                    p_avg.copy_(p_model)
            elif self.avg_fn is None:
                count = self.n_averaged.detach()
                groups: dict[Any, tuple[list, list]] = {}
                for p_avg, p_model in zip(mine, theirs):  # PyTorch groups them by dtype
                    pair = groups.setdefault(p_avg.dtype, ([], []))
                    pair[0].append(p_avg)
                    pair[1].append(p_model)
                for avgs, models in groups.values():
                    if self.multi_avg_fn is not None:
                        self.multi_avg_fn(avgs, models, count)
                    else:  # PyTorch's CPU path: the elementwise SWA average
                        fn = get_swa_avg_fn()
                        for p_avg, p_model in zip(avgs, models):
                            p_avg.copy_(fn(p_avg.detach(), p_model, count))
            else:
                count = self.n_averaged.detach()
                for p_avg, p_model in zip(mine, theirs):
                    p_avg.copy_(self.avg_fn(p_avg.detach(), p_model, count))
            if not self.use_buffers:  # keep the buffers in step with the model's
                for b_avg, b_model in zip(self.module.buffers(), model.buffers()):
                    b_avg.copy_(b_model.detach())
            self.n_averaged.copy_(Tensor(np.array(n + 1, dtype=np.int64)))


def update_bn(loader: Iterable[Any], model: Module, device: Any = None) -> None:
    """Recompute the running statistics of every BatchNorm layer of ``model`` with one pass over
    ``loader`` (batches, or tuples/lists whose first item is the batch): the statistics are reset,
    accumulated as a cumulative average (momentum None), and the momenta and mode restored."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with no_grad():
        for batch in loader:
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each group's lr to ``swa_lr`` (one value, or one per group) over ``anneal_epochs``
    steps, by a cosine (``"cos"``) or straight (``"linear"``) path, then hold it, as PyTorch's."""

    def __init__(
        self,
        optimizer: Optimizer,
        swa_lr: float | list[float],
        anneal_epochs: int = 10,
        anneal_strategy: str = "cos",
        last_epoch: int = -1,
    ) -> None:
        swa_lrs = _per_group("swa_lr", optimizer, swa_lr)  # Tensors cloned, as torch's
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t: float) -> float:
        return t

    @staticmethod
    def _cosine_anneal(t: float) -> float:
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr: float, swa_lr: float, alpha: float) -> float:
        """The lr the path started from, given the lr ``alpha`` of the way along it."""
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def _set_anneal_func(self, anneal_strategy: str) -> None:
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" else self._linear_anneal

    def get_lr(self) -> list[float]:
        """Each group's lr for this step, moved along the path from the current one."""
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        groups = self.optimizer.param_groups
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs)]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimiser and the annealing function (restored from its name)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``."""
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)
