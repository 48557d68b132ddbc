"""What a sweep runs: each experiment's settings and named variants, the grid of settings, the random
numbers of a run (from experiment, seed and split alone), and ``run_task``, which trains one chunk of
runs as one batched computation and returns one row per run. Imports no Dask: workers call ``run_task``.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import sweep_family as SF
from . import sweep_nets as SN


@dataclass(frozen=True)
class Experiment:
    """An experiment's default settings, named variants (settings changed from the defaults), whether it
    draws held-out splits, its runs per task, and the paper's sweep count to mark on the plots."""

    defaults: dict[str, Any]
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)
    has_splits: bool = False
    chunk: int = 250
    paper_sweeps: int | None = None


# One change at a time from the paper's family-trees procedure (sweep_family.PAPER_SETTINGS), then the
# combinations the single changes point to.
FAMILY_VARIANTS: dict[str, dict[str, Any]] = {
    "paper": {},
    "no decay": {"decay": 0.0},
    "decay after sweep 20": {"decay_from": 20},
    "no output y(1-y)": {"output_error": "no_deriv"},
    "flat spot +0.1": {"flat_spot": 0.1},
    "per-case updates": {"updates": "case"},
    "init 0.5": {"init": 0.5},
    "init 1": {"init": 1.0},
    "no tolerance": {"tolerance": 0.0},
    "biases not decayed": {"decay_biases": False},
    "no biases": {"biases": False},
    "no output y(1-y) + no decay": {"output_error": "no_deriv", "decay": 0.0},
    "no output y(1-y) + decay after 20": {"output_error": "no_deriv", "decay_from": 20},
    "no output y(1-y) + eps 0.03 + decay 0.02%": {"output_error": "no_deriv", "lr": 0.03, "decay": 0.0002},
}

EXPERIMENTS: dict[str, Experiment] = {
    "symmetry": Experiment({"lr": 0.1, "momentum": 0.9, "init": 0.3, "max_sweeps": 10000}, paper_sweeps=1425),
    "xor": Experiment({"lr": 0.5, "momentum": 0.9, "init": 0.3, "max_sweeps": 5000}, paper_sweeps=558),
    "family-trees": Experiment(
        dict(SF.PAPER_SETTINGS), FAMILY_VARIANTS, has_splits=True, chunk=50, paper_sweeps=1500
    ),
}

_CHOICES = {"output_error": ("sse", "no_deriv"), "updates": ("sweep", "case")}


def parse_grid(experiment: str, items: list[str]) -> dict[str, list[Any]]:
    """``["lr=0.1,0.3", "variant=paper,no decay"]`` -> {"lr": [0.1, 0.3], "variant": [...]}, each value
    converted to the type of the setting's default; an unknown key or value names the valid ones."""
    exp = _experiment(experiment)
    valid = sorted(exp.defaults) + (["variant"] if exp.variants else [])
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, sep, values = item.partition("=")
        key = key.strip()
        if not sep or not values:
            raise ValueError(f"--grid {item!r}: expected key=v1,v2,... with a key among {', '.join(valid)}")
        if key not in valid:
            raise ValueError(f"--grid: {experiment} has no setting {key!r}; valid keys: {', '.join(valid)}")
        grid[key] = [_convert(experiment, key, v.strip()) for v in values.split(",")]
    return grid


def _convert(experiment: str, key: str, text: str) -> Any:
    exp = EXPERIMENTS[experiment]
    if key == "variant":
        if text not in exp.variants:  # (variant names hold no commas: the grid splits on them)
            raise ValueError(f"--grid variant: no variant {text!r}; valid: {', '.join(exp.variants)}")
        return text
    default = exp.defaults[key]
    if key in _CHOICES and text not in _CHOICES[key]:
        raise ValueError(f"--grid {key}: {text!r} is not one of {', '.join(_CHOICES[key])}")
    try:
        if isinstance(default, bool):
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "1")
        return type(default)(text)
    except ValueError:
        raise ValueError(
            f"--grid {key}: {text!r} is not a valid {type(default).__name__} (default {default!r})"
        ) from None


def settings_list(experiment: str, grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, each resolved to full settings (defaults, then the named
    variant's changes, then the other keys). Family trees with no ``variant`` key runs every variant."""
    exp = _experiment(experiment)
    grid = dict(grid)
    if exp.variants and "variant" not in grid:
        grid = {"variant": list(exp.variants)} | grid
    combos: list[dict[str, Any]] = [{}]
    for key, values in grid.items():
        combos = [c | {key: v} for c in combos for v in values]
    out = []
    for combo in combos:
        settings = dict(exp.defaults)
        if "variant" in combo:
            settings = {"variant": combo["variant"]} | settings | exp.variants[combo["variant"]]
        out.append(settings | {k: v for k, v in combo.items() if k != "variant"})
    return out


def _experiment(name: str) -> Experiment:
    if name not in EXPERIMENTS:
        raise ValueError(f"sweep: no experiment {name!r}; choose from {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[name]


def run_key(experiment: str, settings: dict[str, Any], seed: int, split: int) -> str:
    """The identity of one run: the same key means the same numbers, and a finished key is never rerun."""
    return json.dumps([experiment, settings, seed, split], sort_keys=True, separators=(",", ":"))


def rng(experiment: str, seed: int, split: int, stream: int) -> np.random.Generator:
    """A generator from (experiment, seed, split) alone. Stream 0 draws a run's initial weights, stream 1
    a split's held-out cases (seed 0). The settings are left out on purpose: every setting of a grid starts
    from the same U[0, 1) draws (scaled to its range) and holds out the same cases, a paired comparison."""
    return np.random.default_rng([zlib.crc32(experiment.encode()), stream, seed, split])


def held_out(experiment: str, split: int, k: int = 4) -> np.ndarray:
    """Split ``split``'s ``k`` held-out single-answer patterns (sorted indices into the 104)."""
    from .family_data import patterns

    single = np.flatnonzero(patterns().targets.sum(axis=1) == 1)
    return np.sort(rng(experiment, 0, split, 1).choice(single, size=k, replace=False))


def run_task(task: dict[str, Any]) -> list[dict[str, Any]]:
    """Train ``task["runs"]`` ([(seed, split), ...]) of one experiment with one setting as one batch and
    return one row per run. Appends the task's id to the file named by $AUTOBP_SWEEP_TRACE, if set (tests
    count executions with it)."""
    experiment, settings = task["experiment"], task["settings"]
    runs = [tuple(r) for r in task["runs"]]
    if experiment == "family-trees":
        rows = _family(experiment, settings, runs)
    else:
        rows = _small(experiment, settings, runs)
    trace = os.environ.get("AUTOBP_SWEEP_TRACE")
    if trace:
        with open(trace, "a") as f:
            f.write(task["id"] + "\n")
    return rows


def _row(experiment, settings, seed, split, sweeps, train, held, error, extra) -> dict[str, Any]:
    """The JSONL schema shared by every experiment (``extra`` holds experiment-specific measures)."""
    return {
        "key": run_key(experiment, settings, seed, split),
        "experiment": experiment,
        "settings": settings,
        "seed": seed,
        "split": split,
        "sweeps": sweeps,
        "solved": sweeps is not None,
        "train_score": train,
        "held_out_score": held,
        "final_error": error,
    } | extra


def _small(experiment: str, settings: dict, runs: list[tuple[int, int]]) -> list[dict[str, Any]]:
    from . import symmetry, xor

    x, d = symmetry.patterns() if experiment == "symmetry" else xor.xor_patterns()
    sizes = (x.shape[1], 2, d.shape[1])
    uniforms = np.stack([rng(experiment, s, k, 0).random(SN.n_params(sizes)) for s, k in runs])
    w = SN.init_small(uniforms, sizes, settings["init"])
    out = SN.train_small(x, d, w, settings["lr"], settings["momentum"], settings["max_sweeps"])
    mirror = SN.mirror_opposite(out.weights["W1"]) if experiment == "symmetry" else None
    rows = []
    for i, (seed, split) in enumerate(runs):
        sweeps = int(out.solved_at[i]) if out.solved_at[i] >= 0 else None
        extra = {} if mirror is None else {"mirror_opposite": bool(mirror[i])}
        score, error = int(out.correct[i]) / len(x), float(out.error[i])
        rows.append(_row(experiment, settings, seed, split, sweeps, score, None, error, extra))
    return rows


def _family(experiment: str, settings: dict, runs: list[tuple[int, int]]) -> list[dict[str, Any]]:
    knobs = {k: v for k, v in settings.items() if k != "variant"}
    uniforms = np.stack([rng(experiment, s, k, 0).random(SF.N_PARAMS) for s, k in runs])
    tests = np.stack([held_out(experiment, k) for _, k in runs])
    out = SF.train_family(SF.init_family(uniforms, knobs["init"]), tests, knobs)
    feats = SF.fig4_features(out.person_weights)
    rows = []
    for i, (seed, split) in enumerate(runs):
        sweeps = int(out.fit_at[i]) if out.fit_at[i] >= 0 else None
        extra = {
            "held_out": tests[i].tolist(),
            "held_out_right": int(out.test_right[i]),
            "margin_sweeps": int(out.margin_at[i]) if out.margin_at[i] >= 0 else None,
            "fig4": bool(feats["fig4"][i]),
        } | {k: round(float(v[i]), 3) for k, v in feats.items() if k.startswith("r_")}
        train, held = (
            float(out.train_right[i]) / (104 - len(tests[i])),
            float(out.test_right[i]) / len(tests[i]),
        )
        rows.append(_row(experiment, settings, seed, split, sweeps, train, held, float(out.error[i]), extra))
    return rows
