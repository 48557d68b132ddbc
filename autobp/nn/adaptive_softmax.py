"""nn.AdaptiveLogSoftmaxWithLoss (Grave et al. 2017, "Efficient softmax approximation for GPUs"):
frequent classes in a head softmax, rarer ones in clusters reached through one head entry each,
with smaller projections; PyTorch's layout, names and results."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._default_dtype import DEFAULT_FLOAT, default_float
from .._device import check_device
from ..ops import concatenate
from ..ops.nnops import log_softmax
from ..tensor import Tensor
from . import init
from .layers import Linear, ModuleList, Sequential
from .module import Module

ASMoutput = namedtuple("ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """Adaptive softmax, as torch.nn.AdaptiveLogSoftmaxWithLoss: ``cutoffs`` (increasing, in
    [1, n_classes - 1]) split the classes into a head shortlist [0, cutoffs[0]) and tail clusters; the
    head (``head``: in_features -> shortlist + one logit per cluster) and each cluster i (``tail[i]``:
    in_features -> in_features // div_value^(i+1) -> cluster size, no biases) are log-softmaxes.

    ``forward(input, target)`` gives (output, loss): each row's log-probability of its target and
    the mean of their negatives. ``log_prob(input)`` gives all classes' log-probabilities and
    ``predict(input)`` the most likely class.

    >>> asm = AdaptiveLogSoftmaxWithLoss(8, 10, [4, 7], rng=0)
    >>> asm(np.ones((3, 8)), np.array([0, 5, 9])).output.shape
    (3,)
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Any,
        div_value: float = 4.0,
        head_bias: bool = False,
        rng: init.RngLike = None,
        dtype: Any = DEFAULT_FLOAT,
        *,
        device: Any = None,
    ) -> None:
        dtype = default_float(dtype)  # None, PyTorch's default argument: the default dtype
        check_device(device, type(self).__name__)
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError(
                "AdaptiveLogSoftmaxWithLoss: cutoffs should be a sequence of length larger than 0"
            )
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs)
            or any(int(c) != c for c in cutoffs)
        ):
            raise ValueError(
                "AdaptiveLogSoftmaxWithLoss: cutoffs should be a sequence of unique, positive integers "
                f"sorted in increasing order, each in [1, n_classes - 1 = {n_classes - 1}]; got {cutoffs}"
            )
        rng = init.as_generator(rng)
        self.in_features, self.n_classes = int(in_features), int(n_classes)
        self.cutoffs = [int(c) for c in cutoffs] + [self.n_classes]
        self.div_value, self.head_bias = float(div_value), bool(head_bias)
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(self.in_features, self.head_size, bias=self.head_bias, rng=rng, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(self.in_features // (self.div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(
                    Linear(self.in_features, hsz, bias=False, rng=rng, dtype=dtype),
                    Linear(hsz, osz, bias=False, rng=rng, dtype=dtype),
                )
            )

    def _input(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input, dtype=self.head.weight.dtype)
        if x.ndim not in (1, 2) or x.shape[-1] != self.in_features:
            raise ValueError(
                f"AdaptiveLogSoftmaxWithLoss: input must be (N, {self.in_features}) or "
                f"({self.in_features},), got shape {x.shape}"
            )
        return x

    def forward(self, input: Any, target: Any) -> ASMoutput:
        x = self._input(input)
        t = np.asarray(target._data if isinstance(target, Tensor) else target)
        if t.dtype.kind not in "iu":
            raise TypeError(f"AdaptiveLogSoftmaxWithLoss: targets must be integers, got dtype {t.dtype}")
        batched = x.ndim == 2
        if (batched and t.shape != (x.shape[0],)) or (not batched and t.shape != ()):
            raise ShapeError(
                f"AdaptiveLogSoftmaxWithLoss: Input and target should have the same size in the batch "
                f"dimension: input {x.shape} and target {t.shape} (need one target per row)"
            )
        if not batched:
            x, t = x[None], t[None]
        if t.size and (t.min() < 0 or t.max() >= self.n_classes):
            raise ShapeError(
                f"AdaptiveLogSoftmaxWithLoss: Target values should be in [0, {self.n_classes - 1}], "
                f"but values in range [{t.min()}, {t.max()}] were found"
            )
        n = t.shape[0]
        gather = t.copy()  # the head entry each row reads: its class, or its cluster's entry
        order, parts = [], []
        bounds = [0] + self.cutoffs
        for i in range(1, len(bounds) - 1):
            rows = np.nonzero((t >= bounds[i]) & (t < bounds[i + 1]))[0]
            if rows.size == 0:
                continue
            gather[rows] = self.shortlist_size + i - 1
            local = log_softmax(self.tail[i - 1](x[rows]), axis=1)
            parts.append(local[np.arange(rows.size), t[rows] - bounds[i]])
            order.append(rows)
        head = log_softmax(self.head(x), axis=1)
        output = head[np.arange(n), gather]
        if parts:  # add each cluster row's within-cluster log-probability, put back in row order
            short = np.nonzero(t < self.shortlist_size)[0]
            values = concatenate([Tensor._const(np.zeros(short.size, dtype=x.dtype))] + parts)
            output = output + values[np.argsort(np.concatenate([short] + order), kind="stable")]
        loss = (-output).mean()
        return ASMoutput(output if batched else output[0], loss)

    def log_prob(self, input: Any) -> Tensor:
        """log-probabilities of all n_classes classes, (N, n_classes) (or (n_classes,) for 1-D input)."""
        x = self._input(input)
        batched = x.ndim == 2
        x = x if batched else x[None]
        head = log_softmax(self.head(x), axis=1)
        cols = [head[:, : self.shortlist_size]]
        for i in range(self.n_clusters):
            s = self.shortlist_size + i
            cols.append(log_softmax(self.tail[i](x), axis=1) + head[:, s : s + 1])
        out = concatenate(cols, axis=1)
        return out if batched else out[0]

    def predict(self, input: Any) -> Tensor:
        """The most likely class of each row (int64), the argmax of log_prob."""
        lp = self.log_prob(input)
        return Tensor._const(np.argmax(lp.data, axis=-1).astype(np.int64))

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, n_classes={self.n_classes}, cutoffs={self.cutoffs[:-1]}"
