"""L-BFGS with PyTorch's interface (``step(closure)``, one parameter group, history on the first
parameter's state) and its steps: the two-loop recursion over the last ``history_size`` pairs, a fixed
step or the strong-Wolfe line search with cubic interpolation (Nocedal & Wright, alg. 3.5 and 3.6)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._graph import enable_grad, no_grad
from .._inplace import bump_all
from ..tensor import Tensor
from ._torch_flags import complex_view, plain_group, real_view
from .optimizer import Optimizer


def _cubic_min(x1, f1, g1, x2, f2, g2, bounds=None) -> float:
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, kept within
    ``bounds`` (default: between x1 and x2); the bounds' midpoint when the cubic has no minimum."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    disc = d1 * d1 - g1 * g2
    if disc < 0:
        return (lo + hi) / 2.0
    d2 = float(np.sqrt(disc))
    if x1 <= x2:
        m = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        m = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(m, lo), hi)


def _strong_wolfe(evaluate, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """A step t along d with f(t) <= f + c1 t gtd and |f'(t)| <= -c2 gtd: widen a bracket until it
    holds such a point, then shrink it by safeguarded cubic interpolation. ``evaluate(t)`` returns
    (loss, flat gradient) at x + t d. Returns (loss, gradient, t, evaluations)."""
    d_norm = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evals, ls_iter = 1, 0
    gtd_new = float(g_new @ d)
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    while ls_iter < max_ls:  # bracketing
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            br, br_f, br_g, br_gtd = [t], [f_new], [g_new], [gtd_new]
            done = True
            break
        if gtd_new >= 0:
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev, gtd_new]
            break
        t_next = _cubic_min(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, (t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new, gtd_new
        t = t_next
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
    if ls_iter == max_ls:
        br, br_f, br_g, br_gtd = [0.0, t], [f, f_new], [g, g_new], [gtd, gtd_new]
    low, high = (0, 1) if br_f[0] <= br_f[-1] else (1, 0)
    stalled = False
    while not done and ls_iter < max_ls:  # zoom
        if abs(br[1] - br[0]) * d_norm < tolerance_change:
            break
        t = _cubic_min(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1])
        # keep t at least a tenth of the bracket away from its ends when progress stalls
        margin = 0.1 * (max(br) - min(br))
        if min(max(br) - t, t - min(br)) < margin:
            if stalled or t >= max(br) or t <= min(br):
                t = max(br) - margin if abs(t - max(br)) < abs(t - min(br)) else min(br) + margin
                stalled = False
            else:
                stalled = True
        else:
            stalled = False
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= br_f[low]:
            br[high], br_f[high], br_g[high], br_gtd[high] = t, f_new, g_new, gtd_new
            low, high = (0, 1) if br_f[0] <= br_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[high] - br[low]) >= 0:
                br[high], br_f[high], br_g[high], br_gtd[high] = br[low], br_f[low], br_g[low], br_gtd[low]
            br[low], br_f[low], br_g[low], br_gtd[low] = t, f_new, g_new, gtd_new
    return br_f[low], br_g[low], br[low], evals


class LBFGS(Optimizer):
    """Limited-memory BFGS, as ``torch.optim.LBFGS``: each ``step(closure)`` runs up to ``max_iter``
    iterations (``max_eval`` closure calls, default max_iter * 5 // 4) and returns the first loss.
    The closure zeroes the gradients, computes the loss, calls ``backward()`` and returns the loss.

    >>> def closure():
    ...     opt.zero_grad(); loss = f(w); loss.backward(); return loss        # doctest: +SKIP
    >>> opt = LBFGS([w], line_search_fn="strong_wolfe"); opt.step(closure)  # doctest: +SKIP
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_iter * 5 // 4 if max_eval is None else max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS: only one parameter group is supported (as in PyTorch)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self) -> np.ndarray:
        """Every gradient in one flat vector; a complex parameter's as its real and imaginary parts
        (torch's view_as_real), so the dot products are those of the real problem."""
        parts = []
        for p in self._params:
            g = np.zeros(p.shape, p.dtype) if p._grad is None else np.asarray(p._grad, dtype=p.dtype)
            parts.append(real_view(g).reshape(-1) if g.dtype.kind == "c" else g.reshape(-1))
        return np.concatenate(parts)

    def _move(self, t: float, d: np.ndarray) -> None:
        """w <- w + t d, parameter by parameter (an in-place write, as an optimiser step)."""
        bump_all(self._params)
        at = 0
        for p in self._params:
            w = p._data
            if w.dtype.kind == "c":
                n = 2 * w.size
                step = (t * d[at : at + n]).astype(w.real.dtype, copy=False)
                w += complex_view(step.reshape(w.shape + (2,)))
            else:
                n = w.size
                w += (t * d[at : at + n]).reshape(w.shape).astype(w.dtype, copy=False)
            at += n

    def _set(self, xs: list) -> None:
        bump_all(self._params)
        for p, x in zip(self._params, xs):
            p._data[...] = x

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run the L-BFGS iterations; ``closure`` is evaluated with grad mode on."""
        if closure is None:
            raise ValueError("LBFGS.step needs a closure that recomputes the loss and its gradients")
        group = plain_group(self.param_groups[0])  # a Tensor lr as the float it holds
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change, history = (
            group["tolerance_grad"],
            group["tolerance_change"],
            group["history_size"],
        )

        def evaluate() -> Any:
            with enable_grad():
                return closure()

        with no_grad():
            state = self.state.setdefault(self._params[0], {})
            state.setdefault("func_evals", 0)
            state.setdefault("n_iter", 0)
            orig_loss = evaluate()
            loss = float(orig_loss)
            evals = 1
            state["func_evals"] += 1
            g = self._flat_grad()
            if np.abs(g).max(initial=0.0) <= tol_grad:
                return orig_loss
            d, t = state.get("d"), state.get("t")
            old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
            H_diag, prev_g, prev_loss = (
                state.get("H_diag"),
                state.get("prev_flat_grad"),
                state.get("prev_loss"),
            )
            n_iter = 0
            while n_iter < max_iter:
                n_iter += 1
                state["n_iter"] += 1
                if state["n_iter"] == 1:
                    d, old_dirs, old_stps, ro, H_diag = -g, [], [], [], 1.0
                else:
                    y, s = g - prev_g, d * t
                    ys = float(y @ s)
                    if ys > 1e-10:  # curvature condition: keep the pair (y, s)
                        if len(old_dirs) == history:  # forget the oldest pair
                            del old_dirs[0], old_stps[0], ro[0]
                        old_dirs.append(y)
                        old_stps.append(s)
                        ro.append(1.0 / ys)
                        H_diag = ys / float(y @ y)  # the initial inverse Hessian's scale
                    # two-loop recursion: d = -H g
                    al = state.setdefault("al", [None] * history)  # torch keeps its buffer
                    q = -g
                    for i in range(len(old_dirs) - 1, -1, -1):
                        al[i] = float(old_stps[i] @ q) * ro[i]
                        q = q - al[i] * old_dirs[i]
                    d = q * H_diag
                    for i in range(len(old_dirs)):
                        be_i = float(old_dirs[i] @ d) * ro[i]
                        d = d + (al[i] - be_i) * old_stps[i]
                prev_g, prev_loss = g.copy(), loss
                gsum = float(np.abs(g).sum())  # 0 when every gradient is zero: 1 / 0 is inf, as torch's
                t = min(1.0, 1.0 / gsum if gsum else float("inf")) * lr if state["n_iter"] == 1 else lr
                gtd = float(g @ d)
                if gtd > -tol_change:  # not a descent direction any more
                    break
                if group["line_search_fn"] == "strong_wolfe":
                    x0 = [p._data.copy() for p in self._params]

                    def at(step: float, d: np.ndarray = d, x0: list = x0) -> tuple:
                        self._move(step, d)
                        f_t = float(evaluate())
                        g_t = self._flat_grad()
                        self._set(x0)
                        return f_t, g_t

                    loss, g, t, ls_evals = _strong_wolfe(at, t, d, loss, g, gtd, max_ls=max_eval - evals)
                    self._move(t, d)
                else:
                    self._move(t, d)
                    ls_evals = 0
                    if n_iter != max_iter:  # PyTorch skips the evaluation after the last iteration
                        loss = float(evaluate())
                        g = self._flat_grad()
                        ls_evals = 1
                evals += ls_evals
                state["func_evals"] += ls_evals
                if n_iter == max_iter or evals >= max_eval or np.abs(g).max(initial=0.0) <= tol_grad:
                    break
                if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                    break  # no progress
            state.update(
                d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
                prev_flat_grad=prev_g, prev_loss=prev_loss,
            )  # fmt: skip
        return orig_loss

    def state_dict(self) -> dict[str, Any]:
        """As the base class, with the history lists copied too (later steps change them in place)."""
        return copy.deepcopy(super().state_dict())

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """As the base class; the history (flat vectors, not of a parameter's shape) is copied as is."""
        sd = copy.deepcopy(state_dict)
        keep = ("func_evals", "n_iter")
        flat = {k: {f: s.pop(f) for f in list(s) if f not in keep} for k, s in sd["state"].items()}
        super().load_state_dict(sd)
        for k, entries in flat.items():
            self.state[self._params[int(k)]].update({f: _arrays(v) for f, v in entries.items()})


def _arrays(v: Any) -> Any:
    """Saved LBFGS history (Tensors, as state_dict gives them, or arrays; lists of them) as the
    numpy arrays the steps work on."""
    if isinstance(v, Tensor):
        return np.array(v._data)
    if isinstance(v, list):
        return [_arrays(x) for x in v]
    return v
