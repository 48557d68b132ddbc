"""Why the family-trees net stalls under the paper's schedule: measurements over variants, not tuning.

Under the paper's settings every output settles near 0.2 for every input (the base rate) and E sits near
18.4. ``activity_spread`` shows why the way out is slow: how much each layer's activities still vary
across the 100 cases. ``investigate`` runs one documented change at a time and reports when each run
leaves the plateau and when it fits its training set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..ops import concatenate
from ..tensor import Tensor
from . import family_trees as T
from .family_data import patterns

# One change at a time from the paper's schedule (eps 0.01 after sweep 20, 0.2% decay, U(-0.3, 0.3)).
VARIANTS: dict[str, dict] = {
    "paper": {},
    "no decay": {"decay": 0.0},
    "no decay, eps 0.05": {"decay": 0.0, "lr": 0.05},
    "eps 0.1": {"lr": 0.1},
    "no decay, U(-1, 1)": {"decay": 0.0, "init": 1.0},
    "no decay, logistic output error": {"decay": 0.0, "output_error": "logistic"},
    "logistic output error": {"output_error": "logistic"},
}


def activity_spread(net: T.FamilyNet) -> dict[str, float]:
    """Mean over units of the standard deviation across all 104 cases, layer by layer.

    A layer whose activities barely vary from case to case passes almost no information about the
    input forward, and its gradient carries almost none back.
    """
    p, r = (Tensor(a) for a in patterns().inputs())
    people, relations = net.person(p).sigmoid(), net.relation(r).sigmoid()
    central = net.central(concatenate([people, relations], axis=1)).sigmoid()
    penultimate = net.penultimate(central).sigmoid()
    output = net.output(penultimate).sigmoid()
    layers = {"people (6)": people, "relations (6)": relations, "central (12)": central}
    layers |= {"penultimate (6)": penultimate, "output (24)": output}
    return {name: float(t.data.std(axis=0).mean()) for name, t in layers.items()}


def escape_sweep(errors: Sequence[float], level: float = 15.0) -> int | None:
    """First sweep whose error is below ``level`` (the plateau sits near 18.4), or None."""
    below = np.flatnonzero(np.asarray(errors) < level)
    return int(below[0]) if below.size else None


def fit_sweep(train_right: Sequence[int], n_train: int = 100) -> int | None:
    """First sweep at which every training pattern is right by the 0.5 rule, or None."""
    hits = np.flatnonzero(np.asarray(train_right) == n_train)
    return int(hits[0]) if hits.size else None


def investigate(
    variants: dict[str, dict] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    sweeps: int = 3000,
    show_progress: bool = False,
) -> list[dict]:
    """Train every variant on every seed; one row per (variant, seed) with escape and fit sweeps,
    final training accuracy, held-out result and the first-layer weight size."""
    rows = []
    for name, options in (variants or VARIANTS).items():
        for seed in seeds:
            run = T.train(seed, sweeps=sweeps, show_progress=show_progress, **options)
            rows.append(
                {
                    "variant": name,
                    "seed": seed,
                    "escape": escape_sweep(run.errors),
                    "fit": fit_sweep(run.train_right),
                    "train_correct": run.train_correct,
                    "test_correct": run.test_correct,
                    "final_error": run.errors[-1],
                    "person_weight_max": float(np.abs(run.net.person.weight.data).max()),
                }
            )
    return rows
