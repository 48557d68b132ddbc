"""Many family-trees runs (Fig. 3's net, each with its own weights and held-out cases) trained at once in
plain numpy, with the knobs that could explain why the paper's result does not reproduce.

All 104 patterns go through every run; a run's 4 held-out patterns are masked out of its error, so runs
with different splits share one (runs, 104, ...) computation. No operation mixes runs: a run's numbers do
not depend on its batch (tested). With the default knobs this is the paper's procedure, checked against
``family_trees.train`` (autobp's engine) in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .family_data import patterns
from .family_trees import PAPER, feature_scores
from .sweep_nets import sigmoid

# Layer shapes (in, out) in the order the U[0, 1) draws are laid out.
SHAPES = {"Wp": (24, 6), "bp": (1, 6), "Wr": (12, 6), "br": (1, 6), "Wc": (12, 12), "bc": (1, 12)}
SHAPES |= {"Wq": (12, 6), "bq": (1, 6), "Wo": (6, 24), "bo": (1, 24)}
N_PARAMS = sum(a * b for a, b in SHAPES.values())

# The paper's procedure; a variant changes some of these.
PAPER_SETTINGS = {
    "sweeps": PAPER["sweeps"],
    "warm_sweeps": PAPER["warm_sweeps"],
    "lr1": PAPER["lr1"],
    "momentum1": PAPER["momentum1"],
    "lr": PAPER["lr2"],
    "momentum": PAPER["momentum2"],
    "decay": PAPER["decay"],
    "decay_from": 0,  # first sweep whose change is followed by decay
    "decay_biases": True,  # "every weight": the biases too
    "biases": True,  # False: every bias fixed at 0
    "init": PAPER["init"],
    "tolerance": 0.2,  # error zero above 0.8 / below 0.2; 0 = plain targets 1 and 0
    "output_error": "sse",  # "sse": delta = e y(1 - y); "no_deriv": delta = e (cross-entropy-like)
    "flat_spot": 0.0,  # added to every sigmoid derivative (Fahlman's 0.1)
    "updates": "sweep",  # "sweep": one change per sweep; "case": one per training case, in index order
}


@dataclass
class FamilyRuns:
    """Per run (arrays over runs): first sweep with every training case right by the 0.5 rule and first
    with every one within the 0.2/0.8 margin (-1 = never), final E, training cases right at the end
    (0.5 rule), held-out cases right, and the person-encoding weights (runs, 24, 6)."""

    fit_at: np.ndarray
    margin_at: np.ndarray
    error: np.ndarray
    train_right: np.ndarray
    test_right: np.ndarray
    person_weights: np.ndarray


def init_family(uniforms: np.ndarray, scale: float) -> dict[str, np.ndarray]:
    """Every weight and bias from U(-scale, scale), given each run's U[0, 1) draws (runs, N_PARAMS)."""
    out, at = {}, 0
    for name, (a, b) in SHAPES.items():
        out[name] = -scale + 2 * scale * uniforms[:, at : at + a * b].reshape(-1, a, b)
        at += a * b
    return out


def _forward(w: dict[str, np.ndarray], person: np.ndarray, relation: np.ndarray) -> list[np.ndarray]:
    # A one-hot input times a weight matrix is a row of it: gathering gives the same numbers exactly.
    hp = sigmoid(w["Wp"][:, person] + w["bp"])
    hr = sigmoid(w["Wr"][:, relation] + w["br"])
    h = np.concatenate([hp, hr], axis=2)
    c = sigmoid(h @ w["Wc"] + w["bc"])
    q = sigmoid(c @ w["Wq"] + w["bq"])
    return [h, c, q, sigmoid(q @ w["Wo"] + w["bo"])]


def _error_terms(y: np.ndarray, d: np.ndarray, tolerance: float) -> np.ndarray:
    """dE/dy per output: y minus the margin edge where y is on the wrong side of it, else 0."""
    if tolerance == 0:
        return y - d
    on = d > 0.5
    edge = np.where(on, 1 - tolerance, tolerance)
    outside = np.where(on, y < edge, y > edge)
    return np.where(outside, y - edge, 0.0)


def _grads(w, acts, e, onehots, settings) -> dict[str, np.ndarray | None]:
    """dE/dw for every parameter, from the output error terms ``e`` (zero on masked cases)."""
    h, c, q, y = acts
    fs = settings["flat_spot"]
    slope = lambda a: a * (1 - a) + fs  # noqa: E731  the sigmoid's derivative, from its output
    do = e if settings["output_error"] == "no_deriv" else e * slope(y)
    dq = (do @ w["Wo"].transpose(0, 2, 1)) * slope(q)
    dc = (dq @ w["Wq"].transpose(0, 2, 1)) * slope(c)
    dh = (dc @ w["Wc"].transpose(0, 2, 1)) * slope(h)
    tr = lambda a: a.transpose(0, 2, 1)  # noqa: E731
    p1, r1 = onehots
    g = {"Wo": tr(q) @ do, "Wq": tr(c) @ dq, "Wc": tr(h) @ dc}
    g |= {"Wp": p1.T @ dh[..., :6], "Wr": r1.T @ dh[..., 6:]}
    g |= {"b" + k[1]: d_.sum(axis=1, keepdims=True) for k, d_ in (("Wo", do), ("Wq", dq), ("Wc", dc))}
    g |= {"bp": dh[..., :6].sum(axis=1, keepdims=True), "br": dh[..., 6:].sum(axis=1, keepdims=True)}
    if not settings["biases"]:
        g |= {k: None for k in g if k.startswith("b")}
    return g


def train_family(weights: dict[str, np.ndarray], held_out: np.ndarray, settings: dict) -> FamilyRuns:
    """Train one net per run from the initial ``weights`` (``init_family``; leading axis = runs), holding
    out the pattern indices in the same row of ``held_out`` (runs, k), for ``settings["sweeps"]`` sweeps.

    Sweep t (0-based) uses eps ``lr1`` / alpha ``momentum1`` while t < ``warm_sweeps``, then ``lr`` /
    ``momentum``; the change is dw(t) = -eps dE/dw + alpha dw(t-1) (the paper's eq. 9), then every weight
    is multiplied by 1 - ``decay`` if t >= ``decay_from``. Fit sweeps are checked before each change.
    """
    s = PAPER_SETTINGS | settings
    data = patterns()
    person, relation, d = data.person, data.relation, data.targets
    onehots = (np.eye(24)[person], np.eye(12)[relation])
    runs, n = len(held_out), len(d)
    mask = np.ones((runs, n))
    np.put_along_axis(mask, held_out, 0.0, axis=1)
    train = mask > 0
    w = {k: v.copy() if s["biases"] or k.startswith("W") else np.zeros_like(v) for k, v in weights.items()}
    delta = {k: np.zeros_like(v) for k, v in w.items()}
    fit_at, margin_at = np.full(runs, -1), np.full(runs, -1)
    on = d > 0.5
    for t in range(s["sweeps"] + 1):
        acts = _forward(w, person, relation)
        y = acts[-1]
        right = np.all((y > 0.5) == on, axis=2)
        inside = np.all(np.where(on, y > 0.8, y < 0.2), axis=2)
        fit_at[(fit_at < 0) & np.all(right | ~train, axis=1)] = t
        margin_at[(margin_at < 0) & np.all(inside | ~train, axis=1)] = t
        if t == s["sweeps"]:
            break
        lr, mu = (s["lr1"], s["momentum1"]) if t < s["warm_sweeps"] else (s["lr"], s["momentum"])
        decay = s["decay"] if t >= s["decay_from"] else 0.0
        if s["updates"] == "sweep":
            e = _error_terms(y, d, s["tolerance"]) * mask[:, :, None]
            _change(w, delta, _grads(w, acts, e, onehots, s), lr, mu, decay, s["decay_biases"])
        else:
            for i in range(n):
                active = train[:, i]
                if not active.any():
                    continue
                sub = {k: v[active] for k, v in w.items()}
                a = _forward(sub, person[i : i + 1], relation[i : i + 1])
                e = _error_terms(a[-1], d[i : i + 1], s["tolerance"])
                oh = (onehots[0][i : i + 1], onehots[1][i : i + 1])
                g = _grads(sub, a, e, oh, s)
                sub_delta = {k: v[active] for k, v in delta.items()}
                _change(sub, sub_delta, g, lr, mu, 0.0, s["decay_biases"])
                for k in w:
                    w[k][active], delta[k][active] = sub[k], sub_delta[k]
            if decay:  # once per sweep, so the total decay matches the per-sweep runs
                _change(w, delta, None, lr, mu, decay, s["decay_biases"])
    y = _forward(w, person, relation)[-1]
    e = _error_terms(y, d, s["tolerance"]) * mask[:, :, None]
    right = np.all((y > 0.5) == on, axis=2)
    return FamilyRuns(
        fit_at=fit_at,
        margin_at=margin_at,
        error=0.5 * (e**2).sum(axis=(1, 2)),
        train_right=(right & train).sum(axis=1),
        test_right=(right & ~train).sum(axis=1),
        person_weights=w["Wp"],
    )


def _change(w, delta, grads, lr, mu, decay, decay_biases) -> None:
    """Eq. 9 on every parameter (skipped when ``grads`` is None), then the multiplicative decay."""
    for k in w:
        if grads is not None and grads[k] is not None:
            delta[k] = mu * delta[k] - lr * grads[k]
            w[k] = w[k] + delta[k]
        if decay and (decay_biases or k.startswith("W")):
            w[k] = w[k] * (1 - decay)


def fig4_features(person_weights: np.ndarray, threshold: float = 0.7) -> dict[str, np.ndarray]:
    """Per run, the best |r| between one person-unit's 24 weights and each Fig. 4 feature (nationality,
    generation, branch; ``family_trees.feature_scores``) and whether all three reach ``threshold`` on
    three different units (``fig4``)."""
    scores = np.stack([feature_scores(w.T) for w in person_weights])  # (runs, 3 features, 6 units)
    best = np.abs(scores).max(axis=2)
    units = np.abs(scores).argmax(axis=2)
    distinct = np.array([len(set(u)) == 3 for u in units])
    out = {f"r_{name}": best[:, i] for i, name in enumerate(("nationality", "generation", "branch"))}
    return out | {"fig4": np.all(best >= threshold, axis=1) & distinct}
