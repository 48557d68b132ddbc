"""A sweep's results as distributions: per setting, success rate with a Wilson interval, median and
interquartile range of sweeps-to-solve with N, held-out scores (family trees), as a table and as plots."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .sweep_tasks import EXPERIMENTS


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for a success rate k/n; (0, 1) when n = 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def label(experiment: str, settings: dict[str, Any]) -> str:
    """A setting's name: its variant (family trees) and any values that differ from the defaults."""
    exp = EXPERIMENTS[experiment]
    base = dict(exp.defaults) | exp.variants.get(settings.get("variant", ""), {})
    changed = [f"{k}={v}" for k, v in settings.items() if k != "variant" and base.get(k) != v]
    return ", ".join(([settings["variant"]] if "variant" in settings else []) + changed) or "defaults"


def group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows by setting, in first-seen order, keyed by the setting's label."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(label(r["experiment"], r["settings"]), []).append(r)
    return out


def summarize(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per setting: N, solved/fit rate and its Wilson interval, median and IQR of sweeps among the
    runs that solved, and for family trees the held-out distribution and the Fig. 4 feature share."""
    out = []
    for name, rs in group(rows).items():
        n, sweeps = len(rs), [r["sweeps"] for r in rs if r["solved"]]
        k = len(sweeps)
        q1, med, q3 = np.percentile(sweeps, [25, 50, 75]).tolist() if sweeps else (None,) * 3
        s = {"setting": name, "n": n, "solved": k, "rate": k / n, "rate_ci": wilson(k, n)}
        s |= {"median_sweeps": med, "q1_sweeps": q1, "q3_sweeps": q3}
        paper = EXPERIMENTS[rs[0]["experiment"]].paper_sweeps
        if paper and rs[0]["experiment"] != "family-trees":
            s["within_paper"] = sum(x <= paper for x in sweeps) / n
        if "mirror_opposite" in rs[0]:
            s["mirror_opposite"] = sum(r["mirror_opposite"] for r in rs if r["solved"])
        if "held_out_right" in rs[0]:
            held = np.array([r["held_out_right"] for r in rs])
            repro = sum(r["solved"] and r["held_out_right"] >= 3 for r in rs)
            s |= {"held_mean": float(held.mean()), "held_4": float(np.mean(held == 4))}
            s |= {"held_3": float(np.mean(held >= 3)), "held_counts": np.bincount(held, minlength=5).tolist()}
            s |= {"reproduce": repro / n, "reproduce_ci": wilson(repro, n)}
            s |= {"margin_fit": float(np.mean([r["margin_sweeps"] is not None for r in rs]))}
            s |= {"fig4": float(np.mean([r["fig4"] for r in rs]))}
            s |= {
                f: float(np.median([r[f] for r in rs])) for f in ("r_nationality", "r_generation", "r_branch")
            }
            s["train_score"] = float(np.mean([r["train_score"] for r in rs]))
        out.append(s)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _ci(c: tuple[float, float]) -> str:
    return f"[{100 * c[0]:.0f}, {100 * c[1]:.0f}]"


def _sweeps(s: dict[str, Any]) -> str:
    if s["median_sweeps"] is None:
        return "-"
    return f"{s['median_sweeps']:,.0f} ({s['q1_sweeps']:,.0f}-{s['q3_sweeps']:,.0f}, N={s['solved']})"


def table(experiment: str, summary: list[dict[str, Any]], markdown: bool = False) -> str:
    """The summary as an aligned text table, or a markdown table."""
    paper = EXPERIMENTS[experiment].paper_sweeps
    if experiment == "family-trees":
        head = ["setting", "N", "fit in run [95% CI]", "sweeps to fit, median (IQR, N)", "held-out mean /4"]
        head += ["4/4", ">= 3/4", "fit and >= 3/4 [95% CI]", "Fig. 4 units", "train right"]
        body = [
            [s["setting"], str(s["n"]), f"{_pct(s['rate'])} {_ci(s['rate_ci'])}", _sweeps(s)]
            + [f"{s['held_mean']:.2f}", _pct(s["held_4"]), _pct(s["held_3"])]
            + [f"{_pct(s['reproduce'])} {_ci(s['reproduce_ci'])}", _pct(s["fig4"]), _pct(s["train_score"])]
            for s in summary
        ]
    else:
        head = ["setting", "N", "solved [95% CI]", "sweeps to solve, median (IQR, N)", f"solved by {paper:,}"]
        body = [
            [s["setting"], str(s["n"]), f"{_pct(s['rate'])} {_ci(s['rate_ci'])}", _sweeps(s)]
            + [_pct(s["within_paper"])]
            for s in summary
        ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *map(fmt, body)])


def write(experiment: str, rows: list[dict[str, Any]], out: str | Path, plots: bool = True) -> list[Path]:
    """Write summary.md and summary.json (and, with matplotlib, the plots) into ``out``; return the paths."""
    out = Path(out)
    summary = summarize(rows)
    paths = [out / "summary.md", out / "summary.json"]
    paths[0].write_text(table(experiment, summary, markdown=True) + "\n")
    paths[1].write_text(json.dumps(summary, indent=1))
    if plots:
        try:
            import matplotlib
        except ImportError:
            return paths
        matplotlib.use("Agg")
        paths += _plots(experiment, rows, summary, out)
    return paths


def _plots(experiment: str, rows, summary, out: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    paper = EXPERIMENTS[experiment].paper_sweeps
    groups = group(rows)
    fig, (hist, ecdf) = plt.subplots(1, 2, figsize=(11, 4))
    for name, rs in groups.items():
        sweeps = np.sort([r["sweeps"] for r in rs if r["solved"]])
        if len(sweeps):
            hist.hist(sweeps, bins=40, histtype="step", label=name)
            ecdf.step(sweeps, np.arange(1, len(sweeps) + 1) / len(rs), where="post", label=name)
    for ax in (hist, ecdf):
        ax.axvline(paper, color="k", ls="--", lw=1, label=f"paper: {paper:,}")
        ax.set_xlabel("sweeps to solve" if experiment != "family-trees" else "sweeps to fit the training set")
    hist.set_ylabel("runs")
    ecdf.set_ylabel("fraction of all runs solved by then")
    ecdf.legend(fontsize=7)
    fig.tight_layout()
    paths = [out / "sweeps.png"]
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(summary) + 1.5))
    y = np.arange(len(summary))
    rate = np.array([s["rate"] for s in summary])
    ci = np.array([s["rate_ci"] for s in summary]).T
    ax.errorbar(rate, y, xerr=[rate - ci[0], ci[1] - rate], fmt="o", capsize=3)
    ax.set_yticks(y, [s["setting"] for s in summary], fontsize=8)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()  # first setting on top, as in the table
    ax.set_xlabel("success rate (fit within the cap), 95% Wilson interval")
    fig.tight_layout()
    paths.append(out / "success.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)
    if experiment == "family-trees":
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(summary) + 1.5))
        left = np.zeros(len(summary))
        for right in range(5):
            share = np.array([s["held_counts"][right] / s["n"] for s in summary])
            ax.barh(y, share, left=left, label=f"{right}/4", color=plt.cm.RdYlGn(right / 4))
            left += share
        ax.set_yticks(y, [s["setting"] for s in summary], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("share of runs by held-out cases right (paper: 4/4 and 3/4)")
        ax.legend(ncol=5, fontsize=7, loc="lower right")
        fig.tight_layout()
        paths.append(out / "held_out.png")
        fig.savefig(paths[-1], dpi=100)
        plt.close(fig)
    return paths
