"""gradcheck's findings: the differing Jacobian entries, kinks told apart from errors, and the
report lines with hints at the likely bug (a sign, a constant factor, a missing transpose)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .gradcheck import _Problem

_SHOWN = 5  # worst entries listed per (output, input) pair


@dataclass(frozen=True)
class Mismatch:
    """One Jacobian entry d output[output_index] / d input[input_index] (indices into fn's args/results)."""

    output: int
    input: int
    output_index: tuple
    input_index: tuple
    analytical: float
    numerical: float
    one_sided: tuple  # (forward, backward) difference quotients
    kink: bool

    @property
    def abs_error(self) -> float:
        return abs(self.analytical - self.numerical)

    @property
    def rel_error(self) -> float:
        return self.abs_error / abs(self.numerical) if self.numerical else float("inf")


def _close(a: Any, n: Any, atol: float, rtol: float) -> Any:
    return np.abs(a - n) <= atol + rtol * np.abs(n)


def _index(shape: tuple, flat: int) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _hints(a: np.ndarray, n: np.ndarray, bad: np.ndarray, out_shape: tuple, in_shape: tuple, atol: float):
    """Patterns in the differing entries that point at the bug."""
    av, nv = a[bad], n[bad]
    hints = []
    if not np.all(np.isfinite(nv)):
        hints.append("the numerical derivative is not finite: is the input outside fn's domain?")
    elif np.all(av == 0):
        hints.append(
            "the analytical derivative is 0 at every differing entry: a missing term, or a path cut by a "
            "constant or detach()?"
        )
    elif np.all(np.abs(nv) > atol):
        r = av / nv
        if np.allclose(r, r[0], rtol=1e-3, atol=0) and np.isclose(r[0], -1.0, rtol=1e-3):
            hints.append("analytical = -numerical at every differing entry: the sign is wrong")
        elif np.isclose(r[0], 1.0, rtol=1e-3):  # the values agree to 3 digits: rounding, not a factor
            hints.append(
                "analytical and numerical agree to about 3 digits at every differing entry: "
                "finite-difference error above this atol (loosen atol, or move the input away from a sharp "
                "curve of fn)"
            )
        elif np.allclose(r, r[0], rtol=1e-3, atol=0):
            hints.append(
                f"analytical = {r[0]:.4g} x numerical at every differing entry: a constant factor is off"
            )
    for shape, what in ((in_shape, "input"), (out_shape, "output")):
        if len(shape) >= 2 and shape[-1] == shape[-2] and shape[-1] > 1:
            full = (-1, *shape) if what == "input" else (*shape, -1)
            axes = (-1, -2) if what == "input" else (len(shape) - 2, len(shape) - 1)
            if np.allclose(np.swapaxes(a.reshape(full), *axes).reshape(a.shape), n, rtol=1e-3, atol=atol):
                hints.append(
                    f"analytical equals numerical with the {what}'s last two axes swapped: a transpose "
                    "missing or extra in backward?"
                )
    return hints


def _compare(p: _Problem, a: list, shapes: list, q: tuple, ks: list, atol: float, rtol: float):
    """Report lines, failing entries and accepted kinks over every (output, input) block."""
    central, fwd, bwd = q
    lines, failures, kinks = [], [], []
    for o, shape in enumerate(shapes):
        for k in ks:
            if shape is None or central[o][k] is None or a[o][k].shape != central[o][k].shape:
                continue
            A, N, Fw, Bw = a[o][k], central[o][k], fwd[o][k], bwd[o][k]
            bad = ~_close(A, N, atol, rtol)
            tol = atol + rtol * np.maximum(np.abs(Fw), np.abs(Bw))
            kink = bad & (np.abs(Fw - Bw) > tol)  # one-sided slopes disagree: not differentiable here?
            for r, c in zip(*np.nonzero(kink)):
                # a smooth f has fwd - bwd ~ eps f'', which shrinks with the step; a kink's jump does not
                fw4, bw4 = p.one_sided(k, c, p.eps / 4)
                kink[r, c] = abs(fw4[o][r] - bw4[o][r]) > 0.5 * abs(Fw[r, c] - Bw[r, c])
            sub = kink & (A >= np.minimum(Fw, Bw) - tol) & (A <= np.maximum(Fw, Bw) + tol)
            fail = bad & ~sub
            in_shape = p.base[k].shape
            found = []
            for r, c in zip(*np.nonzero(bad)):
                m = Mismatch(
                    o,
                    p.diff[k],
                    _index(shape, r),
                    _index(in_shape, c),
                    float(A[r, c]),
                    float(N[r, c]),
                    (float(Fw[r, c]), float(Bw[r, c])),
                    bool(kink[r, c]),
                )
                (found if fail[r, c] else kinks).append(m)
            if not found:
                continue
            found.sort(key=lambda m: -np.nan_to_num(m.abs_error, nan=np.inf))
            failures += found
            plain = p.out_names[o].startswith("output ") and p.in_names[k].startswith("input ")
            lead = (
                f"Jacobian mismatch for {p.out_names[o]} with respect to {p.in_names[k]}: " if plain else ""
            )
            lines.append(  # PyTorch's words first, where the names are its (no complex parts)
                f"  {lead}{p.out_names[o]} (shape {shape}) w.r.t. {p.in_names[k]} (shape {in_shape}, "
                f"{p.dtypes[k]}): {len(found)} of {A.size} entries differ; worst first:"
            )
            for m in found[:_SHOWN]:
                lines.append(
                    f"    output element {m.output_index}, input element {m.input_index}: analytical "
                    f"{m.analytical:.6g}, numerical {m.numerical:.6g}, abs err {m.abs_error:.3g}, rel err "
                    f"{m.rel_error:.3g}"
                    + (
                        f"; not differentiable here (one-sided derivatives "
                        f"{m.one_sided[0]:.6g} and {m.one_sided[1]:.6g})"
                        if m.kink
                        else ""
                    )
                )
            lines += [f"    hint: {h}" for h in _hints(A, N, fail, shape, in_shape, atol)]
    return lines, failures, kinks
