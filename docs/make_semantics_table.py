"""Write docs/concepts/semantics.md: the gradient each op gives where calculus leaves a choice
(kinks, ties, zeros, boundaries), autobp's value beside PyTorch's, computed, not typed in.
``python docs/make_semantics_table.py``; tests/test_docs_tables.py checks the file is current and
that autobp equals PyTorch in every row not marked as a deliberate difference."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import autobp  # noqa: E402

OUT = HERE / "concepts" / "semantics.md"
A = autobp

# (op, point, inputs, autobp fn, torch fn (as a string of torch code on x, y), note); the gradient of
# sum(fn(*inputs)) w.r.t. the first input (and the second, where there is one) is tabulated.
ROWS = [
    ("relu", "x = 0", ([-1.0, 0.0, 1.0],), lambda x: A.relu(x), "torch.relu(x)", "subgradient 0 at the kink"),
    ("abs", "x = 0", ([-1.0, 0.0, 1.0],), lambda x: A.abs(x), "x.abs()", "sign(0) = 0"),
    ("sqrt", "x = 0", ([0.0, 4.0],), lambda x: A.sqrt(x), "x.sqrt()", "inf at 0"),
    (
        "clip",
        "x at both bounds",
        ([-1.0, 0.0, 1.0, 2.0],),
        lambda x: A.clip(x, 0.0, 1.0),
        "x.clamp(0.0, 1.0)",
        "the bounds are inside: the gradient passes",
    ),
    (
        "maximum",
        "ties",
        ([1.0, 2.0], [1.0, 3.0]),
        lambda x, y: A.maximum(x, y),
        "torch.maximum(x, y)",
        "a tie splits the gradient in halves",
    ),
    (
        "minimum",
        "ties",
        ([1.0, 2.0], [1.0, 3.0]),
        lambda x, y: A.minimum(x, y),
        "torch.minimum(x, y)",
        "a tie splits the gradient in halves",
    ),
    (
        "max (values)",
        "ties",
        ([3.0, 1.0, 3.0],),
        lambda x: A.max(x),
        "x.amax()",
        "ties split equally, as torch.amax; torch.max(dim) gives all to one index",
    ),
    ("min (values)", "ties", ([1.0, 1.0, 3.0],), lambda x: A.min(x), "x.amin()", "ties split equally"),
    ("x ** 0", "x = 0", ([0.0, 2.0],), lambda x: x**0.0, "x ** 0.0", "0, not 0 * inf"),
    (
        "x ** y",
        "x = 0, y = 0 / 2 / -1",
        ([0.0, 0.0, 0.0], [0.0, 2.0, -1.0]),
        lambda x, y: x**y,
        "x ** y",
        "d/dy is 0 where 0 ** y is constant",
    ),
    ("0 ** y", "y = 0, 1", ([0.0, 1.0],), lambda y: 0.0**y, "0.0 ** x", "0 at the jump y = 0"),
    ("sign", "x = 0", ([-1.0, 0.0, 2.0],), lambda x: A.sign(x), "x.sign()", "0 everywhere"),
    (
        "floor / round",
        "x = 0.5",
        ([0.5, 1.5],),
        lambda x: A.floor(x) + A.round(x),
        "x.floor() + x.round()",
        "0 everywhere",
    ),
    (
        "remainder",
        "a = b (discontinuity)",
        ([2.0, 3.0], [2.0, 2.0]),
        lambda x, y: A.remainder(x, y),
        "torch.remainder(x, y)",
        "d/db = -floor(a / b)",
    ),
    (
        "fmod",
        "negative a",
        ([-3.0, 3.0], [2.0, 2.0]),
        lambda x, y: A.fmod(x, y),
        "torch.fmod(x, y)",
        "d/db = -trunc(a / b)",
    ),
    (
        "hardtanh",
        "x = ±1",
        ([-1.0, 1.0, 0.0],),
        lambda x: A.nn.functional.hardtanh(x),
        "torch.nn.functional.hardtanh(x)",
        "",
    ),
    (
        "relu6",
        "x = 0, 6",
        ([0.0, 6.0, 3.0],),
        lambda x: A.nn.functional.relu6(x),
        "torch.nn.functional.relu6(x)",
        "",
    ),
    (
        "leaky_relu",
        "x = 0",
        ([0.0],),
        lambda x: A.nn.functional.leaky_relu(x, 0.1),
        "torch.nn.functional.leaky_relu(x, 0.1)",
        "",
    ),
    ("prod", "one zero, two zeros", ([2.0, 0.0, 3.0],), lambda x: A.prod(x), "x.prod()", ""),
    ("prod", "two zeros", ([0.0, 0.0, 3.0],), lambda x: A.prod(x), "x.prod()", ""),
    ("cumprod", "a zero", ([2.0, 0.0, 3.0],), lambda x: A.cumprod(x, axis=0), "x.cumprod(0)", ""),
    ("std", "zero variance", ([1.0, 1.0, 1.0],), lambda x: A.std(x, ddof=1), "x.std()", ""),
    ("norm", "the zero vector", ([0.0, 0.0],), lambda x: A.norm(x), "torch.linalg.norm(x)", ""),
    (
        "sort (values)",
        "ties",
        ([2.0, 1.0, 2.0],),
        lambda x: A.sort(x) * A.tensor([1.0, 2.0, 3.0]),
        "torch.sort(x).values * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)",
        "which tied element gets which gradient",
    ),
    (
        "cummax (values)",
        "ties",
        ([1.0, 3.0, 3.0, 2.0],),
        lambda x: A.cummax(x, axis=0)[0] * A.tensor([1.0, 2.0, 3.0, 4.0]),
        "x.cummax(0).values * torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)",
        "",
    ),
    (
        "det",
        "a singular matrix",
        ([[1.0, 2.0], [2.0, 4.0]],),
        lambda x: A.linalg.det(x),
        "torch.linalg.det(x)",
        "the adjugate: finite",
    ),
]


def _fmt(a: np.ndarray) -> str:
    return np.array2string(np.asarray(a, dtype=float), precision=4, separator=", ", suppress_small=True)


def compute() -> list:
    """Each row's gradients by autobp and by PyTorch (None if torch or the op is missing)."""
    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    for op, point, inputs, fn, tfn, note in ROWS:
        xs = [A.tensor(np.array(v, dtype=float), requires_grad=True) for v in inputs]
        try:
            with np.errstate(all="ignore"):
                fn(*xs).sum().backward()
        except AttributeError:  # the op does not exist (yet): no row
            continue
        ours = [x.grad for x in xs]
        theirs = None
        if torch is not None:
            ts = [torch.tensor(np.array(v, dtype=float), requires_grad=True) for v in inputs]
            names = {"torch": torch, "x": ts[0], "y": ts[-1]}
            eval(tfn, names).sum().backward()  # noqa: S307  (our own table's expressions)
            theirs = [t.grad.numpy() for t in ts]
        rows.append((op, point, inputs, ours, theirs, note))
    return rows


def render(rows: list | None = None) -> str:
    rows = compute() if rows is None else rows
    lines = [
        "# Gradients where calculus leaves a choice",
        "",
        "Generated by `docs/make_semantics_table.py` from the code and from PyTorch: do not edit by hand.",
        "Each row is the gradient of `sum(op(inputs))` with respect to each input; autobp follows",
        "PyTorch everywhere (a test fails otherwise).",
        "",
        "| op | at | inputs | autobp gradient | PyTorch gradient | note |",
        "|---|---|---|---|---|---|",
    ]
    for op, point, inputs, ours, theirs, note in rows:
        shown = " ; ".join(_fmt(v) for v in inputs)
        a = " ; ".join(_fmt(g) for g in ours)
        t = "—" if theirs is None else " ; ".join(_fmt(g) for g in theirs)
        lines.append(f"| `{op}` | {point} | {shown} | {a} | {t} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    print(f"wrote {OUT.relative_to(HERE.parent)}")
