"""The printed table, the bars the issues set, and the JSON record of a run."""

from __future__ import annotations

import json
import statistics
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
        "| workload | phase | impl | median | ratio | paired | noise | fastest | peak | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio = f"x{r.ratio:.2f}" if r.ratio is not None else ""
        pair = _paired(r, _row(rows, r.workload, r.phase, r.base)) if r.base else None
        paired = f"x{pair:.2f}" if pair is not None else ""
        noise = f"±{r.noise * 100:.0f}%" if r.noise is not None else ""
        note = r.note or (f"ratio to {r.base}" if r.base and r.impl == r.base else "")
        cells = [
            r.workload,
            r.phase,
            r.impl,
            _fmt(r, r.median_s),
            ratio,
            paired,
            noise,
            _fmt(r, r.best_s),
            _peak(r),
            note,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _peak(r: Row) -> str:
    if r.peak_bytes is None:
        return "n/a" if r.median_s is not None and not r.memory else ""
    size = r.peak_bytes / 2**20
    text = f"{size:.3g} MiB" if size >= 1 else f"{r.peak_bytes / 2**10:.3g} KiB"
    return text + (f" (x{r.peak_ratio:.2g})" if r.peak_ratio is not None else "")


def _row(rows: list[Row], workload: str, phase: str, impl: str) -> Row | None:
    for r in rows:
        if (r.workload, r.phase, r.impl) == (workload, phase, impl) and r.median_s is not None:
            return r
    return None


def _median(rows: list[Row], workload: str, phase: str, impl: str) -> float | None:
    r = _row(rows, workload, phase, impl)
    return r.median_s if r else None


def _paired(a: Row | None, b: Row | None) -> float | None:
    """The median over rounds of a's sample / b's sample from the same round of the rotation.

    Both samples of a round were taken within a fraction of a second of each other, so a slow
    drift in background load cancels in each quotient; the ratio of the two medians does not
    cancel it when the load changed between the rounds that set one median and the other."""
    if (
        a is None
        or b is None
        or a.workload != b.workload
        or not a.samples
        or len(a.samples) != len(b.samples)
    ):
        return None
    return statistics.median(x / y for x, y in zip(a.samples, b.samples))


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


# (bar, numerator row, denominator row, limit), rows as "workload phase impl": met when the ratio <= limit.
# Issues 3 and 8 set their bars against the plain hand-written numpy, kept as numpy.simple; issue 19's
# are against the tight floor, numpy.
BARS = [
    ("issue 19: symmetry autobp/numpy <= 3.5", "symmetry step autobp", "symmetry step numpy", 3.5),
    ("issue 19: mlp step autobp/numpy <= 1.05", "mlp step autobp", "mlp step numpy", 1.05),
    (
        "issue 19: symmetry autobp.compile/numpy <= 1.5",
        "symmetry step autobp.compile",
        "symmetry step numpy",
        1.5,
    ),
    ("issue 19: family autobp.compile/numpy <= 1.5", "family step autobp.compile", "family step numpy", 1.5),
    ("issue 19: net36 autobp.compile/numpy <= 1.5", "net36 step autobp.compile", "net36 step numpy", 1.5),
    ("issue 19: mlp step autobp.compile/numpy <= 1.03", "mlp step autobp.compile", "mlp step numpy", 1.03),
    (
        "issue 19: overhead fwd+bwd per op autobp/numpy <= 2.2",
        "overhead forward_backward autobp",
        "overhead forward_backward numpy",
        2.2,
    ),
    ("issue 19: net36 autobp/torch <= 1", "net36 step autobp", "net36 step torch", 1.0),
    ("issue 19: scalar autobp/micrograd <= 1/5", "scalar step autobp", "scalar step micrograd", 1 / 5),
    (
        "issue 19: checkpoint time autobp.checkpoint/autobp <= 1.4",
        "checkpoint step autobp.checkpoint",
        "checkpoint step autobp",
        1.4,
    ),
    ("issue 3: mlp step autobp/numpy.simple <= 1.15", "mlp step autobp", "mlp step numpy.simple", 1.15),
    ("issue 8: mlp step autobp/numpy.simple <= 1.05", "mlp step autobp", "mlp step numpy.simple", 1.05),
    (
        "issue 8: symmetry autobp/numpy.simple <= 2.0",
        "symmetry step autobp",
        "symmetry step numpy.simple",
        2.0,
    ),
    ("issues 3, 8: symmetry autobp/torch <= 1", "symmetry step autobp", "symmetry step torch", 1.0),
    ("issue 8: family autobp/numpy.simple <= 2.0", "family step autobp", "family step numpy.simple", 2.0),
    ("issue 8: family autobp/torch <= 1", "family step autobp", "family step torch", 1.0),
    (
        "opt-in trace: symmetry autobp.trace/numpy.simple <= 2.0",
        "symmetry step autobp.trace",
        "symmetry step numpy.simple",
        2.0,
    ),
    (
        "opt-in trace: family autobp.trace/numpy.simple <= 2.0",
        "family step autobp.trace",
        "family step numpy.simple",
        2.0,
    ),
    ("issue 8: scalar autobp/micrograd <= 1/3", "scalar step autobp", "scalar step micrograd", 1 / 3),
    ("issue 8: mlp step/forward autobp <= 2.5", "mlp step autobp", "mlp forward autobp", 2.5),
    (
        "issue 8: overhead fwd+bwd autobp/torch <= 1",
        "overhead forward_backward autobp",
        "overhead forward_backward torch",
        1.0,
    ),
]

# (bar, row, reference row, factor): met when the reference's peak memory >= factor x the row's
MEMORY_BARS = [
    (
        "issue 19: checkpoint peak memory autobp/autobp.checkpoint >= 3",
        "checkpoint step autobp.checkpoint",
        "checkpoint step autobp",
        3.0,
    ),
]


def bars(rows: list[Row]) -> list[dict[str, Any]]:
    """Each bar of issues 3, 8 and 19 that this run measured: the figure, the limit, met or not."""
    out = []
    for name, num, den, limit in BARS:
        a, b = _row(rows, *num.split()), _row(rows, *den.split())
        if a and b:
            value = _paired(a, b) or a.median_s / b.median_s
            out.append({"bar": name, "value": value, "limit": limit, "met": value <= limit})
    for name, row, ref, factor in MEMORY_BARS:
        a, b = _row(rows, *row.split()), _row(rows, *ref.split())
        if a and b and a.peak_bytes and b.peak_bytes:
            value = b.peak_bytes / a.peak_bytes
            out.append({"bar": name, "value": value, "limit": factor, "met": value >= factor})
    for r in rows:
        if r.identical is not None:
            bar = f"issue 19: {r.workload} {r.impl} gradients bit-identical"
            out.append({"bar": bar, "value": None, "limit": None, "met": r.identical})
    if any(r.workload == "chain" and r.impl == "autobp" for r in rows):
        done = _median(rows, "chain", "build+backward", "autobp") is not None
        out.append({"bar": "issue 8: chain completes", "value": None, "limit": None, "met": done})
    return out


def render_bars(checks: list[dict[str, Any]]) -> str:
    lines = []
    for c in checks:
        verdict = "met" if c["met"] else "MISSED"
        if c["value"] is None:
            lines.append(f"  {c['bar']}: {verdict}")
        else:
            # three decimals: a ratio of 1.053 printed as 1.05 would read as meeting a 1.05 bar
            lines.append(f"  {c['bar']}: {c['value']:.3f} ({verdict})")
    return "\n".join(lines)


def write_json(path: str, meta: dict[str, Any], rows: list[Row], checks: list[dict[str, Any]]) -> None:
    record = {**meta, "rows": [asdict(r) for r in rows], "derived": dict(derived(rows)), "bars": checks}
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
