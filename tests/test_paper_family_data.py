"""The family-trees data built from the two trees: counts from PAPER-FACTS, known facts, isomorphism."""

from collections import Counter

import numpy as np

from autobp.paper.family_data import ENGLISH, ITALIAN, PEOPLE, RELATIONS, is_male, patterns, triples


def test_counts_triples_patterns_and_two_answer_patterns():
    data = patterns()
    assert len(triples()) == 112
    assert len(data) == 104
    two = [data.describe(i) for i in range(len(data)) if data.targets[i].sum() == 2]
    assert len(two) == 8
    assert all(data.targets.sum(axis=1) >= 1)
    assert {d.split()[0] for d in two} == {"Colin", "Charlotte", "Alfonso", "Sophia"}
    assert {d.split()[1] for d in two} == {"has-uncle", "has-aunt"}


def test_counts_per_relation_match_the_enumeration_in_paper_facts():
    by_triple = Counter(rel for _, rel, _ in triples())
    expected = dict(father=12, mother=12, husband=10, wife=10, son=12, daughter=12)
    expected |= dict(uncle=8, aunt=8, brother=6, sister=6, nephew=8, niece=8)
    assert by_triple == expected
    by_pattern = Counter(RELATIONS[r] for r in patterns().relation)
    assert by_pattern == expected | {"uncle": 4, "aunt": 4}


def test_known_facts_from_the_papers():
    facts = set(triples())
    # Nature Fig. 3: Colin has two aunts, one of them by marriage.
    assert {p2 for p1, rel, p2 in facts if (p1, rel) == ("Colin", "aunt")} == {"Jennifer", "Margaret"}
    assert {p2 for p1, rel, p2 in facts if (p1, rel) == ("Colin", "uncle")} == {"Arthur", "Charles"}
    assert ("Pierro", "son", "Marco") in facts and ("Pierro", "son", "Tomaso") not in facts
    assert ("Victoria", "husband", "James") in facts
    assert ("Christopher", "daughter", "Victoria") in facts
    assert ("Arthur", "niece", "Charlotte") in facts and ("Margaret", "nephew", "Colin") in facts
    assert not any(p1 == p2 for p1, _, p2 in facts)


def test_every_relation_fixes_the_sex_of_person2():
    male_relations = {"father", "husband", "son", "uncle", "brother", "nephew"}
    for _, rel, p2 in triples():
        assert is_male(p2) == (rel in male_relations), (rel, p2)


def test_the_trees_are_isomorphic_position_by_position():
    to_english = dict(zip(ITALIAN, ENGLISH))
    facts = triples()
    english = {t for t in facts if t[0] in ENGLISH}
    italian = {(to_english[a], r, to_english[b]) for a, r, b in facts if a in ITALIAN}
    assert english == italian and len(english) == 56
    assert all((a in ENGLISH) == (b in ENGLISH) for a, _, b in facts)


def test_inputs_are_one_hot_and_targets_cover_every_triple():
    data = patterns()
    person, relation = data.inputs()
    assert person.shape == (104, 24) and relation.shape == (104, 12)
    assert np.all(person.sum(axis=1) == 1) and np.all(relation.sum(axis=1) == 1)
    rebuilt = {
        (PEOPLE[data.person[i]], RELATIONS[data.relation[i]], PEOPLE[j])
        for i in range(len(data))
        for j in np.flatnonzero(data.targets[i])
    }
    assert rebuilt == set(triples())
    assert len({(p, r) for p, r in zip(data.person, data.relation)}) == 104
