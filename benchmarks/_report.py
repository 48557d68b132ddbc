"""The printed table, the bars the issues set, and the JSON record of a run."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ._harness import Row

_SCALE = {"s": 1.0, "ms": 1e3, "us": 1e6}


def _fmt(row: Row, value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * _SCALE[row.unit]:.3f} {row.unit}"


def table(rows: list[Row]) -> str:
    """Markdown table: one line per (workload, phase, implementation)."""
    lines = [
        "| workload | phase | impl | median | ratio | noise | fastest | note |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio = f"x{r.ratio:.2f}" if r.ratio is not None else ""
        noise = f"±{r.noise * 100:.0f}%" if r.noise is not None else ""
        note = r.note or (f"ratio to {r.base}" if r.base and r.impl == r.base else "")
        cells = [r.workload, r.phase, r.impl, _fmt(r, r.median_s), ratio, noise, _fmt(r, r.best_s), note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _median(rows: list[Row], workload: str, phase: str, impl: str) -> float | None:
    for r in rows:
        if (r.workload, r.phase, r.impl) == (workload, phase, impl):
            return r.median_s
    return None


def derived(rows: list[Row]) -> list[tuple[str, float]]:
    """Figures read off several rows: step/forward cost, per-op cost in bare numpy calls."""
    out = []
    for impl in ("numpy", "autobp", "autobp.nn", "torch", "mygrad", "autograd"):
        step, fwd = _median(rows, "mlp", "step", impl), _median(rows, "mlp", "forward", impl)
        if step and fwd:
            out.append((f"mlp step/forward, {impl}", step / fwd))
    bare = _median(rows, "overhead", "forward", "numpy")
    if bare:
        for impl in ("autobp", "torch", "mygrad", "autograd"):
            for phase in ("forward", "forward_backward"):
                m = _median(rows, "overhead", phase, impl)
                if m:
                    out.append((f"overhead {phase} per op, {impl}, in bare numpy calls", m / bare))
    return out


def bars(rows: list[Row]) -> list[dict[str, Any]]:
    """Each bar of issues 3 and 8 that this run measured: the figure, the limit, met or not."""
    A, N, T = "autobp", "numpy", "torch"

    def m(w: str, p: str, i: str) -> float | None:
        return _median(rows, w, p, i)

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a and b else None

    step, fwd, fb = "step", "forward", "forward_backward"
    checks = [
        ("issue 3: mlp step autobp/numpy <= 1.15", ratio(m("mlp", step, A), m("mlp", step, N)), 1.15),
        ("issue 8: mlp step autobp/numpy <= 1.05", ratio(m("mlp", step, A), m("mlp", step, N)), 1.05),
        ("issue 8: symmetry autobp/numpy <= 2.0", ratio(m("symmetry", step, A), m("symmetry", step, N)), 2.0),
        (
            "issues 3, 8: symmetry autobp/torch <= 1",
            ratio(m("symmetry", step, A), m("symmetry", step, T)),
            1.0,
        ),
        ("issue 8: family autobp/numpy <= 2.0", ratio(m("family", step, A), m("family", step, N)), 2.0),
        ("issue 8: family autobp/torch <= 1", ratio(m("family", step, A), m("family", step, T)), 1.0),
        (
            "issue 8: scalar autobp/micrograd <= 1/3",
            ratio(m("scalar", step, A), m("scalar", step, "micrograd")),
            1 / 3,
        ),
        ("issue 8: mlp step/forward autobp <= 2.5", ratio(m("mlp", step, A), m("mlp", fwd, A)), 2.5),
        (
            "issue 8: overhead fwd+bwd autobp/torch <= 1",
            ratio(m("overhead", fb, A), m("overhead", fb, T)),
            1.0,
        ),
    ]
    out = [
        {"bar": name, "value": v, "limit": lim, "met": v <= lim} for name, v, lim in checks if v is not None
    ]
    if any(r.workload == "chain" and r.impl == "autobp" for r in rows):
        done = m("chain", "build+backward", A) is not None
        out.append({"bar": "issue 8: chain completes", "value": None, "limit": None, "met": done})
    return out


def render_bars(checks: list[dict[str, Any]]) -> str:
    lines = []
    for c in checks:
        verdict = "met" if c["met"] else "MISSED"
        if c["value"] is None:
            lines.append(f"  {c['bar']}: {verdict}")
        else:
            lines.append(f"  {c['bar']}: {c['value']:.2f} ({verdict})")
    return "\n".join(lines)


def write_json(path: str, meta: dict[str, Any], rows: list[Row], checks: list[dict[str, Any]]) -> None:
    record = {**meta, "rows": [asdict(r) for r in rows], "derived": dict(derived(rows)), "bars": checks}
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
