"""The two isomorphic family trees of Hinton (1986), and every (person1, relation, person2) fact they imply.

Nothing is typed in by hand except the trees: marriages, children and sex. The twelve relations are
derived from them, with uncles and aunts by marriage counted (so Colin has two aunts, as in the paper).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Input/output order of Hinton's Fig. 6: males then females, English row then the Italian equivalents.
ENGLISH = (
    "Christopher Andrew Arthur James Charles Colin Penelope Christine Victoria Jennifer Margaret Charlotte"
).split()
ITALIAN = "Roberto Pierro Emilio Marco Tomaso Alfonso Maria Francesca Lucia Angela Gina Sophia".split()
PEOPLE = tuple(ENGLISH + ITALIAN)
RELATIONS = tuple("father mother husband wife son daughter uncle aunt brother sister nephew niece".split())

# One tree, written with the English names; the Italian tree is the same shape, position by position.
_MARRIAGES = (("Christopher", "Penelope"), ("Andrew", "Christine"), ("Arthur", "Margaret"))
_MARRIAGES += (("James", "Victoria"), ("Charles", "Jennifer"))  # (husband, wife)
_CHILDREN = {
    ("Christopher", "Penelope"): ("Arthur", "Victoria"),
    ("Andrew", "Christine"): ("James", "Jennifer"),
    ("James", "Victoria"): ("Colin", "Charlotte"),
}
_TO_ITALIAN = dict(zip(ENGLISH, ITALIAN))


def is_male(person: str) -> bool:
    """Sex from the Fig. 6 layout: the first six people of each row are male."""
    return PEOPLE.index(person) % 12 < 6


def _tree(names: dict[str, str]) -> tuple[list[tuple[str, str]], dict[tuple[str, str], tuple[str, ...]]]:
    marriages = [(names[h], names[w]) for h, w in _MARRIAGES]
    children = {(names[f], names[m]): tuple(names[c] for c in kids) for (f, m), kids in _CHILDREN.items()}
    return marriages, children


def _facts_of_tree(marriages, children) -> set[tuple[str, str, str]]:
    """Every true (p1, relation, p2), read as "p1 has-relation p2"."""
    spouse = {h: w for h, w in marriages} | {w: h for h, w in marriages}
    parents = {c: (f, m) for (f, m), kids in children.items() for c in kids}
    kids_of = {p: kids for (f, m), kids in children.items() for p in (f, m)}

    def siblings(p: str) -> set[str]:
        return {s for s in kids_of.get(parents[p][0], ()) if s != p} if p in parents else set()

    def uncles_aunts(p: str) -> set[str]:
        # Brothers and sisters of each parent, and their husbands and wives (by marriage).
        out: set[str] = set()
        for parent in parents.get(p, ()):
            for s in siblings(parent):
                out |= {s} | ({spouse[s]} if s in spouse else set())
        return out

    people = set(spouse) | set(parents)
    facts = set()
    for p in people:
        related = {"parent": set(parents.get(p, ())), "spouse": {spouse[p]} if p in spouse else set()}
        related["child"] = set(kids_of.get(p, ()))
        related["sibling"] = siblings(p)
        related["uncle_aunt"] = uncles_aunts(p)
        related["nephew_niece"] = {q for q in people if p in uncles_aunts(q)}
        pairs = {"parent": ("father", "mother"), "spouse": ("husband", "wife"), "child": ("son", "daughter")}
        pairs |= {"sibling": ("brother", "sister"), "uncle_aunt": ("uncle", "aunt")}
        pairs["nephew_niece"] = ("nephew", "niece")
        for kind, (male_rel, female_rel) in pairs.items():
            for q in related[kind]:
                facts.add((p, male_rel if is_male(q) else female_rel, q))
    return facts


def triples() -> list[tuple[str, str, str]]:
    """All 112 (person1, relation, person2) facts of both trees, sorted by the input/output layout."""
    english = _facts_of_tree(*_tree({n: n for n in ENGLISH}))
    italian = _facts_of_tree(*_tree(_TO_ITALIAN))
    key = lambda t: (PEOPLE.index(t[0]), RELATIONS.index(t[1]), PEOPLE.index(t[2]))  # noqa: E731
    return sorted(english | italian, key=key)


@dataclass(frozen=True)
class FamilyData:
    """The 104 (person1, relation) input patterns with multi-hot targets over the 24 people.

    ``person[i]`` and ``relation[i]`` index PEOPLE and RELATIONS; ``targets[i]`` has a 1 for every
    correct person2 (two for the uncle/aunt patterns of the youngest generation).
    """

    person: np.ndarray
    relation: np.ndarray
    targets: np.ndarray

    def __len__(self) -> int:
        return len(self.person)

    def inputs(self) -> tuple[np.ndarray, np.ndarray]:
        """One-hot person1 (n, 24) and one-hot relation (n, 12), float64."""
        return np.eye(24)[self.person], np.eye(12)[self.relation]

    def subset(self, index: np.ndarray) -> FamilyData:
        """The patterns at ``index``, in that order."""
        return FamilyData(self.person[index], self.relation[index], self.targets[index])

    def describe(self, i: int) -> str:
        """A pattern as text, e.g. ``Colin has-aunt {Jennifer, Margaret}``."""
        answers = ", ".join(PEOPLE[j] for j in np.flatnonzero(self.targets[i]))
        return f"{PEOPLE[self.person[i]]} has-{RELATIONS[self.relation[i]]} {{{answers}}}"


def patterns() -> FamilyData:
    """The 104 distinct (person1, relation) patterns built from the 112 triples."""
    grouped: dict[tuple[int, int], list[int]] = {}
    for p1, rel, p2 in triples():
        grouped.setdefault((PEOPLE.index(p1), RELATIONS.index(rel)), []).append(PEOPLE.index(p2))
    keys = sorted(grouped)
    targets = np.zeros((len(keys), 24))
    for row, key in enumerate(keys):
        targets[row, grouped[key]] = 1.0
    person = np.array([k[0] for k in keys])
    relation = np.array([k[1] for k in keys])
    return FamilyData(person, relation, targets)
