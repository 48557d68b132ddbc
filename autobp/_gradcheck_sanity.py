"""gradcheck's sanity checks beside the numbers: a function that modifies its differentiable inputs in
place, a ``.grad`` on an input that does not require it, a backward pass that is not repeatable, and
outputs that change shape or dtype when an input is perturbed."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._gradcheck_complex import _items
from .tensor import Tensor


def _sanity(p: Any, rng: np.random.Generator, nondet_tol: float = 0.0) -> list[str]:
    """Inputs that require grad left unmodified (others, such as batch_norm's running statistics, may be
    updated in place, as PyTorch's gradcheck allows), no .grad on inputs that do not require it, a
    repeatable backward (two passes with the same cotangents within ``nondet_tol``: PyTorch's
    reentrancy check)."""
    problems: list[str] = []
    clones = [
        Tensor(np.array(a.data), requires_grad=a.requires_grad, dtype=a.dtype) if isinstance(a, Tensor) else a
        for a in p.args
    ]
    tensors = {i: c for i, c in enumerate(clones) if isinstance(c, Tensor)}

    def snapshot() -> dict:
        return {i: np.array(c.data) for i, c in tensors.items()}

    def changed(before: dict, what: str) -> None:
        for i, c in tensors.items():
            if c.requires_grad and not np.array_equal(c.data, before[i], equal_nan=True):
                problems.append(f"{what} modified input {i} in place")

    before = snapshot()
    outs = [
        o for o in _items(p.fn(*clones)) if isinstance(o, Tensor) and o.requires_grad and o.dtype.kind == "f"
    ]
    changed(before, "the forward pass")
    if not outs:
        return problems
    before = snapshot()
    loss = sum((o * Tensor._const(rng.standard_normal(o.shape))).sum() for o in outs)
    loss.backward(retain_graph=True)
    changed(before, "backward")
    first = {}
    for i, c in tensors.items():
        if not c.requires_grad and c._grad is not None:
            problems.append(f"input {i} does not require grad but received a .grad")
        elif c.requires_grad:
            first[i], c._grad = c._grad, None
    loss.backward()
    for i, g in first.items():
        g2 = tensors[i]._grad
        if (g is None) != (g2 is None) or (
            g is not None and not np.allclose(g, g2, rtol=0, atol=nondet_tol, equal_nan=True)
        ):
            diff = (
                "one pass gave none"
                if g is None or g2 is None
                else f"largest difference {np.max(np.abs(g - g2)):.3g}"
            )
            problems.append(
                f"a second backward gave a different gradient for input {i} ({diff}): backward is not "
                "deterministic (Backward is not reentrant, i.e., running backward with same input and "
                "grad_output multiple times gives different values, although analytical gradient matches "
                f"numerical gradient. The tolerance for nondeterminism was {nondet_tol}.)"
            )
    return problems


def no_differentiable_output(p: Any) -> bool:
    """Does fn return Tensors of which none requires grad? Then a numerical derivative that is not
    zero fails with PyTorch's words (asked only when the check has already failed)."""
    try:
        outs = [o for o in _items(p.fn(*p.args)) if isinstance(o, Tensor)]
    except Exception:
        return False
    return bool(outs) and not any(o.requires_grad for o in outs)


class _PerturbedOutputError(AssertionError):
    """fn's outputs changed shape or dtype under a perturbation: raised as it is (PyTorch's AssertionError),
    never folded into a gradcheck report."""


def _perturbed_mismatch(who: str, first: list, now: list) -> None:
    """PyTorch's AssertionError for a function whose outputs change shape or dtype when an input moves
    by eps: its difference quotients would mean nothing."""
    if len(first) != len(now):
        raise _PerturbedOutputError(
            f"{who}: Expected `func` to return the same number of outputs when inputs are perturbed by "
            f"`eps`, but got {len(first)} and {len(now)}."
        )
    for o, (a, b) in enumerate(zip(first, now)):
        if (a is None) != (b is None) or (a is not None and a[0] != b[0]):
            shapes = tuple(None if m is None else m[0] for m in (a, b))
            raise _PerturbedOutputError(
                f"{who}: Expected `func` to return outputs with the same shape when inputs are perturbed "
                f"by `eps`, but got: shapes {shapes[0]} and {shapes[1]} (output {o})."
            )
        if a is not None and a[1] != b[1]:
            raise _PerturbedOutputError(
                f"{who}: Expected `func` to return outputs with the same dtype when inputs are perturbed "
                f"by `eps`, but got: dtypes {a[1]} and {b[1]} (output {o})."
            )
