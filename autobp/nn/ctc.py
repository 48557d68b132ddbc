"""Connectionist temporal classification loss (Graves et al., 2006), PyTorch's ``ctc_loss`` and
``CTCLoss``: the alpha recursion in log space over the batch and the blank-extended labels at once,
one graph node per call, and its alpha-beta gradient as an explicit rule (first order only)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import autocasts
from .._broadcast import DTypeError, ShapeError
from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._loss_common import check_reduction
from .module import Module

_NEG = -np.inf


def _ints(v: Any, what: str) -> np.ndarray:
    a = np.asarray(v._data if isinstance(v, Tensor) else v)
    if isinstance(v, Tensor) and "lengths" in what and a.dtype.kind not in "iu":  # PyTorch's refusal
        raise DTypeError(f"ctc_loss: {what} must be a Long/Int tensor, got dtype {a.dtype}")
    if a.dtype.kind not in "iub" and not (a.dtype.kind == "f" and np.all(a == np.round(a))):
        raise TypeError(f"ctc_loss: {what} must hold integers, got dtype {a.dtype}")
    return a.astype(np.int64)


def _lengths(v: Any, n: int, what: str, unbatched: bool) -> np.ndarray:
    a = _ints(v, what).reshape(-1) if unbatched else _ints(v, what)
    if a.shape != (n,):
        want = "a number or a 1-element sequence" if unbatched else f"one per sequence, shape ({n},)"
        raise ValueError(f"ctc_loss: {what} must be {want}, got shape {a.shape}")
    return a


def _padded_targets(targets: Any, tl: np.ndarray, n: int, unbatched: bool) -> np.ndarray:
    """Targets as (N, S), from the padded (N, S) form or the concatenated 1-d one."""
    tg = _ints(targets, "targets")
    if unbatched:
        if tg.ndim != 1:
            raise ValueError(f"ctc_loss: unbatched targets must be 1-d (S,), got shape {tg.shape}")
        tg = tg[None]
    elif tg.ndim == 1:  # concatenated: sequence k is the next target_lengths[k] entries
        if tg.size != tl.sum():
            raise ValueError(
                f"ctc_loss: concatenated targets hold {tg.size} labels, target_lengths sum to {tl.sum()}"
            )
        padded = np.zeros((n, int(tl.max(initial=0))), dtype=np.int64)
        padded[np.arange(padded.shape[1])[None, :] < tl[:, None]] = tg
        return padded
    elif tg.ndim != 2 or tg.shape[0] != n:
        raise ValueError(f"ctc_loss: targets must be (N={n}, S) or concatenated 1-d, got shape {tg.shape}")
    if tl.max(initial=0) > tg.shape[1]:
        raise ShapeError(
            f"ctc_loss: a target length of {tl.max()} exceeds the {tg.shape[1]} columns of targets {tg.shape}"
        )
    return tg


def _extended(tg: np.ndarray, tl: np.ndarray, blank: int) -> tuple[np.ndarray, np.ndarray]:
    """The blank-extended labels l' (N, 2S+1): blank, l_1, blank, l_2, ..., blank (padding past a
    target's length reads as blank), and where a path may skip from s-2 to s: l'_s is a label
    different from l'_{s-2} (between two equal labels the blank cannot be skipped)."""
    n, s = tg.shape
    clean = np.where(np.arange(s)[None, :] < tl[:, None], tg, blank)
    ext = np.full((n, 2 * s + 1), blank, dtype=np.int64)
    ext[:, 1::2] = clean
    skip = np.zeros(ext.shape, dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    return ext, skip


def _alpha(e: np.ndarray, skip: np.ndarray, tl: np.ndarray) -> np.ndarray:
    """log alpha_t(s) (T, N, S'): the log probability of the prefixes ending at extended label s at
    step t, emission at t included. alpha_0 allows s = 0 (blank) and s = 1 (first label) only."""
    T, n, width = e.shape
    alpha = np.full(e.shape, _NEG)
    alpha[0, :, 0] = e[0, :, 0]
    if width > 1:
        alpha[0, :, 1] = np.where(tl > 0, e[0, :, 1], _NEG)
    barrier = np.where(skip[:, 2:], 0.0, _NEG)  # added to a skip's source: -inf where it is not allowed
    tmp = np.empty(barrier.shape)
    with np.errstate(invalid="ignore"):
        for t in range(1, T):  # stay at s, or come from s-1, or (where allowed) from s-2
            prev, cur = alpha[t - 1], alpha[t]
            cur[:, 0] = prev[:, 0]
            np.logaddexp(prev[:, 1:], prev[:, :-1], out=cur[:, 1:])
            np.add(prev[:, :-2], barrier, out=tmp)
            np.logaddexp(cur[:, 2:], tmp, out=cur[:, 2:])
            cur += e[t]
    return alpha


def _beta(e: np.ndarray, skip: np.ndarray, il: np.ndarray, tl: np.ndarray) -> np.ndarray:
    """log beta_t(s): the log probability of the suffixes from s at step t to the end (emission at t
    included), started at each sequence's own last step il - 1 from s = 2 tl and s = 2 tl - 1."""
    T, n, width = e.shape
    beta = np.full(e.shape, _NEG)
    barrier = np.where(skip[:, 2:], 0.0, _NEG)  # added to a skip's target: -inf where it is not allowed
    tmp = np.empty(barrier.shape)
    with np.errstate(invalid="ignore"):
        for t in range(T - 1, -1, -1):
            cur = beta[t]
            if t < T - 1:  # stay at s, or go on to s+1, or (where allowed) to s+2
                nxt = beta[t + 1]
                cur[:, -1] = nxt[:, -1]
                np.logaddexp(nxt[:, :-1], nxt[:, 1:], out=cur[:, :-1])
                np.add(nxt[:, 2:], barrier, out=tmp)
                np.logaddexp(cur[:, :-2], tmp, out=cur[:, :-2])
                cur += e[t]
            cur[il - 1 <= t] = _NEG  # not yet started (or past the end)
            start = np.flatnonzero(il - 1 == t)
            cur[start, 2 * tl[start]] = e[t, start, 2 * tl[start]]
            first = start[tl[start] > 0]
            cur[first, 2 * tl[first] - 1] = e[t, first, 2 * tl[first] - 1]
    return beta


@op(
    family="nn",
    namespace="autobp.nn.functional",
    numpy=None,
    method=False,
    second_order=False,
    rules=("ctc_loss", "ctc_loss_backward"),
)
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """Connectionist temporal classification loss: -log p(targets | log_probs), summed over alignments.

    ``log_probs`` (T, N, C) (or (T, C) unbatched), usually a ``log_softmax`` over C; ``targets``
    padded (N, S) or concatenated 1-d, never ``blank``; ``input_lengths`` and ``target_lengths``
    one per sequence. ``reduction="mean"`` divides each loss by its target length (at least 1),
    then averages over the batch. An impossible alignment costs inf (its gradient nan), or 0 with
    zero gradient under ``zero_infinity``. The gradient with respect to ``log_probs`` is PyTorch's:
    it contains an extra exp(log_probs), which sums to one over C and so vanishes through
    ``log_softmax`` (where it is the exact gradient). Not differentiable twice.

    >>> lp = Tensor(np.log(np.full((2, 1, 2), 0.5)))
    >>> round(float(ctc_loss(lp, [[1]], [2], [1], reduction="sum")), 4)  # paths 1-, -1, 11: 3/4
    0.2877
    """
    lp = as_tensor(log_probs)
    if lp.dtype.kind != "f" or lp.ndim not in (2, 3):
        raise ValueError(
            f"ctc_loss: log_probs must be a real floating (T, N, C) or (T, C), got shape {lp.shape} "
            f"and dtype {lp.dtype}"
        )
    check_reduction(reduction, "ctc_loss")
    unbatched = lp.ndim == 2
    x = lp.reshape((lp.shape[0], 1, lp.shape[1])) if unbatched else lp
    T, n, C = x.shape
    if not 0 <= int(blank) < C:
        raise ValueError(f"ctc_loss: blank must be in label range [0, {C}), got {blank}")
    il = _lengths(input_lengths, n, "input_lengths", unbatched)
    tl = _lengths(target_lengths, n, "target_lengths", unbatched)
    if np.any(il < 0) or np.any(il > T):
        raise ShapeError(f"ctc_loss: input_lengths {il} must be in [0, T={T}]")
    if np.any(tl < 0):
        raise ShapeError(f"ctc_loss: target_lengths {tl} must not be negative")
    tg = _padded_targets(targets, tl, n, unbatched)
    used = tg[np.arange(tg.shape[1])[None, :] < tl[:, None]]
    if used.size and (used.min() < 0 or used.max() >= C or np.any(used == blank)):
        raise ValueError(f"ctc_loss: targets must be labels in [0, {C}) other than blank={blank}, got {used}")
    ext, skip = _extended(tg, tl, int(blank))
    lp64 = x._data.astype(np.float64, copy=False)
    e = np.take_along_axis(lp64, np.broadcast_to(ext[None], (T,) + ext.shape), axis=2)  # (T, N, S')
    alpha = _alpha(e, skip, tl) if T else np.full((0, n, ext.shape[1]), _NEG)
    end = np.full(n, _NEG)  # log p(targets): alpha at each sequence's own last step, at s = 2 tl, 2 tl - 1
    if T:
        last, rows = alpha[np.maximum(il - 1, 0), np.arange(n)], np.arange(n)
        end = np.logaddexp(last[rows, 2 * tl], np.where(tl > 0, last[rows, np.maximum(2 * tl - 1, 0)], _NEG))
    nll = np.where(il == 0, np.where(tl == 0, 0.0, np.inf), -end)
    loss = np.where(np.isinf(nll), 0.0, nll) if zero_infinity else nll
    ctx = (int(blank), il, tl, ext, skip, e, alpha, nll, bool(zero_infinity))
    node = Tensor._make(loss.astype(x.dtype), (x,), "ctc_loss", ctx)
    if reduction == "none":
        return node.reshape(()) if unbatched else node
    if reduction == "sum":
        return node.sum()
    return (node / Tensor._const(np.maximum(tl, 1).astype(x.dtype))).mean()


@rule(
    "ctc_loss"
)  # ctx = (blank, input and target lengths, l', skips, emissions, log alpha, nll, zero_infinity)
def _ctc_loss(F, g, out, xs, ctx, need):
    if isinstance(g, Tensor):  # create_graph: the first derivative, recorded as once-differentiable
        (plain,) = _ctc_loss(F, g._data, out._data, (xs[0]._data,), ctx, need)
        return (Tensor._make(plain, (g, xs[0]), "ctc_loss_backward"),)
    blank, il, tl, ext, skip, e, alpha, nll, zero_inf = ctx
    lp = xs[0].astype(np.float64, copy=False)
    T, n, C = lp.shape
    ab = alpha + _beta(e, skip, il, tl)  # log of the probability of the paths through (t, s), times y_t(l'_s)
    m = ab.max(axis=2, keepdims=True)
    m[~np.isfinite(m)] = 0.0
    with np.errstate(invalid="ignore"):
        ex = np.exp(ab - m)
    acc = np.zeros((T, n, C))  # sum over the s with l'_s = c of exp(ab - m)
    acc[:, :, blank] = ex[:, :, 0::2].sum(axis=2)
    rows = np.arange(n)
    for k in range(1, ext.shape[1], 2):  # the label positions; one (n, label) pair per row: no clash
        acc[:, rows, ext[:, k]] += ex[:, :, k]
    # d(-log p)/d lp[t, c] = -exp(lcab - lp + nll); PyTorch adds exp(lp) (see ctc_loss's docstring)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        term = np.where(acc > 0, np.exp(np.log(acc) + m + nll[None, :, None] - lp), 0.0)
        grad = np.exp(lp) - term
    inf = np.isinf(nll)
    grad[:, inf] = 0.0 if zero_inf else np.nan
    grad[np.arange(T)[:, None] >= il[None, :]] = 0.0  # steps past a sequence's end
    grad *= np.asarray(g, dtype=np.float64)[None, :, None]
    return (grad.astype(xs[0].dtype, copy=False),)


@rule("ctc_loss_backward")  # ctc_loss's gradient under create_graph: usable, not differentiable again
def _ctc_loss_backward(F, g, out, xs, ctx, need):
    raise NotImplementedError(
        "ctc_loss: no second derivative: its alpha-beta gradient is not differentiable again"
    )


class CTCLoss(Module):
    """Connectionist temporal classification loss (``F.ctc_loss``), PyTorch's ``nn.CTCLoss``."""

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__()
        check_reduction(reduction, "CTCLoss")
        self.blank, self.reduction, self.zero_infinity = blank, reduction, zero_infinity

    def forward(self, log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any) -> Tensor:
        return ctc_loss(
            log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction, self.zero_infinity
        )

    def extra_repr(self) -> str:
        return f"blank={self.blank}, reduction={self.reduction!r}, zero_infinity={self.zero_infinity}"
