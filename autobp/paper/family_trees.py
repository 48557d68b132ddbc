"""Family trees (Nature 1986, Figs. 2-4; Hinton 1986): a five-layer net learns 100 of the 104 relationship
patterns and is tested on the 4 it never saw.

Fig. 3's net: person1 (24, one-hot) -> 6 and relation (12, one-hot) -> 6, both -> 12 -> 6 -> 24 outputs,
all logistic. The loss is 1/2 sum (y - d)^2 with the 0.2/0.8 margin; full-batch eq. 9 updates with the
paper's schedule (eps 0.005 / alpha 0.5 for 20 sweeps, then eps 0.01 / alpha 0.9) and 0.2% decay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import nn
from ..nn import functional as F
from ..ops import concatenate
from ..optim import SGD
from ..tensor import Tensor
from ._progress import progress
from .family_data import PEOPLE, FamilyData, patterns

PAPER = {"sweeps": 1500, "warm_sweeps": 20, "lr1": 0.005, "momentum1": 0.5, "lr2": 0.01, "momentum2": 0.9}
PAPER |= {"decay": 0.002, "init": 0.3, "held_out": 4, "test_correct": (4, 3)}


class FamilyNet(nn.Module):
    """Fig. 3: two 6-unit encodings (people, relations) -> 12 central -> 6 -> 24 people, all sigmoid."""

    def __init__(self, init: float = 0.3, rng: np.random.Generator | int | None = None) -> None:
        super().__init__()
        rng = np.random.default_rng(rng)
        self.person = nn.Linear(24, 6, rng=rng)
        self.relation = nn.Linear(12, 6, rng=rng)
        self.central = nn.Linear(12, 12, rng=rng)
        self.penultimate = nn.Linear(12, 6, rng=rng)
        self.output = nn.Linear(6, 24, rng=rng)
        for p in self.parameters():  # the paper's start: every weight and bias from U(-init, init)
            nn.init.uniform_(p, -init, init, rng=rng)

    def forward(self, person: Tensor, relation: Tensor) -> Tensor:
        return self.logits(person, relation).sigmoid()

    def logits(self, person: Tensor, relation: Tensor) -> Tensor:
        """The output units' net inputs (before their sigmoid)."""
        both = concatenate([self.person(person).sigmoid(), self.relation(relation).sigmoid()], axis=1)
        return self.output(self.penultimate(self.central(both).sigmoid()).sigmoid())

    def predict(self, data: FamilyData) -> np.ndarray:
        """Output activities (n, 24) for the patterns of ``data``."""
        p, r = data.inputs()
        return self(Tensor(p), Tensor(r)).data


def split(data: FamilyData, seed: int, held_out: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices: ``held_out`` single-answer patterns drawn at random with ``default_rng(seed)``.

    Single-answer only because the paper's Fig. 8 shows one correct output per test case.
    """
    single = np.flatnonzero(data.targets.sum(axis=1) == 1)
    test = np.sort(np.random.default_rng(seed).choice(single, size=held_out, replace=False))
    return np.setdiff1d(np.arange(len(data)), test), test


def correct(outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The paper's test criterion per pattern: every correct output > 0.5 and every other < 0.5."""
    return np.all((outputs > 0.5) == (targets > 0.5), axis=1)


def within_margin(outputs: np.ndarray, targets: np.ndarray, slack: float = 0.0) -> np.ndarray:
    """Per pattern: on-outputs > 0.8 - slack and off-outputs < 0.2 + slack (the training criterion)."""
    on = targets > 0.5
    return np.all(np.where(on, outputs > 0.8 - slack, outputs < 0.2 + slack), axis=1)


@dataclass
class FamilyRun:
    """One training run: its held-out patterns, error curve, train/test results and the trained net."""

    seed: int
    test_index: list[int]
    errors: list[float] = field(default_factory=list)
    train_right: list[int] = field(default_factory=list)  # training patterns right (0.5 rule) per sweep
    train_correct: float = 0.0  # fraction of training patterns right at the 0.5 threshold
    train_within_margin: float = 0.0  # fraction within 0.01 of the 0.2/0.8 margins
    test_correct: int = 0
    test_cases: list[str] = field(default_factory=list)
    net: FamilyNet | None = None


def train(
    seed: int = 0,
    sweeps: int = 1500,
    lr: float = 0.01,
    momentum: float = 0.9,
    decay: float = 0.002,
    init: float = 0.3,
    warm_sweeps: int = 20,
    held_out: int = 4,
    output_error: str = "sse",
    show_progress: bool = False,
) -> FamilyRun:
    """Train Fig. 3's net on 100 patterns with the paper's schedule; ``lr``/``momentum`` are the values
    after the ``warm_sweeps`` sweeps at eps 0.005 / alpha 0.5. ``seed`` draws both weights and held-out set.

    ``output_error="sse"`` is the paper's E with the 0.2/0.8 margin. ``"logistic"`` is an experiment, not
    the paper: the output units' error signal is y - d' (d' the margin edge) without the factor y(1 - y),
    i.e. cross-entropy with the same margins; ``errors`` still records the paper's E.
    """
    if output_error not in ("sse", "logistic"):
        raise ValueError(
            f"family_trees.train: output_error must be 'sse' or 'logistic', got {output_error!r}"
        )
    data = patterns()
    train_index, test_index = split(data, seed, held_out)
    train_data, test_data = data.subset(train_index), data.subset(test_index)
    net = FamilyNet(init=init, rng=seed)
    opt = SGD(
        net.parameters(), lr=PAPER["lr1"], momentum=PAPER["momentum1"], decay=decay, momentum_form="paper"
    )
    p, r = (Tensor(a) for a in train_data.inputs())
    errors: list[float] = []
    train_right: list[int] = []
    bar = progress(sweeps, f"family trees seed {seed}", show_progress)
    for t in range(sweeps):
        if t == warm_sweeps:
            opt.param_groups[0].update(lr=lr, momentum=momentum)
        if output_error == "sse":
            y = net(p, r)
            loss = F.sse_loss(y, train_data.targets, tolerance=0.2)
            errors.append(loss.item())
            right = correct(y.data, train_data.targets)
        else:
            z = net.logits(p, r)
            loss, paper_error = _logistic_loss(z, train_data.targets)
            errors.append(paper_error)
            right = correct(z.data > 0, train_data.targets)
        train_right.append(int(right.sum()))
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.update()
    bar.close()
    out_train, out_test = net.predict(train_data), net.predict(test_data)
    cases = [
        f"{test_data.describe(i)}: {'right' if ok else 'wrong'} (top {PEOPLE[int(np.argmax(out_test[i]))]})"
        for i, ok in enumerate(correct(out_test, test_data.targets))
    ]
    return FamilyRun(
        seed=seed,
        test_index=test_index.tolist(),
        errors=errors,
        train_right=train_right,
        train_correct=float(correct(out_train, train_data.targets).mean()),
        train_within_margin=float(within_margin(out_train, train_data.targets, slack=0.01).mean()),
        test_correct=int(correct(out_test, test_data.targets).sum()),
        test_cases=cases,
        net=net,
    )


def _logistic_loss(z: Tensor, targets: np.ndarray) -> tuple[Tensor, float]:
    """Cross-entropy against the margin edges (0.8 on, 0.2 off), counted only outside the margin, and
    the paper's margin E for the same outputs."""
    y = 1 / (1 + np.exp(-z.data))
    on = targets > 0.5
    edge = np.where(on, 0.8, 0.2)
    outside = np.where(on, y < 0.8, y > 0.2)
    loss = (F.binary_cross_entropy_with_logits(z, edge, reduction="none") * outside).sum()
    return loss, float(0.5 * np.sum(np.where(outside, y - edge, 0.0) ** 2))


def features(net: FamilyNet) -> dict[str, int]:
    """Which of the 6 person-encoding units best encodes nationality, generation and family branch.

    For each unit, the weights from the 24 people are correlated with a feature coded per person:
    nationality (English +1, Italian -1), generation (1, 2, 3 from the top of the tree) and branch
    (Christopher/Penelope's side -1, Andrew/Christine's side +1, Colin/Charlotte's generation 0). The unit
    with the largest |r| is returned for each feature (numbered 1..6 as in Fig. 4) with r in ``scores``.
    """
    scores = dict(zip(_FEATURES, feature_scores(net.person.weight.data).tolist()))
    best = {name: int(np.argmax(np.abs(s))) + 1 for name, s in scores.items()}
    return best | {f"r_{name}": round(float(scores[name][best[name] - 1]), 2) for name in scores}


def feature_scores(person_weight: np.ndarray) -> np.ndarray:
    """Correlation r (3, units) of each person unit's 24 incoming weights (``person_weight`` is
    (units, 24)) with the nationality, generation and branch codes of ``features``, in that order."""
    return np.array([[_corr(w, code) for w in person_weight] for code in _FEATURES.values()])


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denom) if denom > 0 else 0.0


def _codes() -> dict[str, np.ndarray]:
    # English row in Fig. 6 order: Christopher Andrew Arthur James Charles Colin, then the six females.
    generation = [1, 1, 2, 2, 2, 3, 1, 1, 2, 2, 2, 3]
    # Margaret married in on Arthur's side (-1), Charles on Andrew's (+1).
    branch = [-1, 1, -1, 1, 1, 0, -1, 1, -1, 1, -1, 0]
    nationality = [1] * 12 + [-1] * 12
    return {"nationality": np.array(nationality, float), "generation": np.array(generation * 2, float)} | {
        "branch": np.array(branch * 2, float)
    }


_FEATURES = _codes()
