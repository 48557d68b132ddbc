"""autobp.data's samplers against torch.utils.data's: the deterministic ones index for index, their
errors type and message; the random ones by their properties (a permutation, reproducible from
manual_seed or a generator, frequencies in proportion to the weights), since the generators differ."""

import numpy as np
import pytest

import autobp
from autobp import data

torch = pytest.importorskip("torch")
tdata = pytest.importorskip("torch.utils.data")


def _raises_like(ours, theirs):
    """Both raise, the same exception type and message."""
    with pytest.raises(Exception) as want:
        theirs()
    with pytest.raises(want.type) as got:
        ours()
    assert str(got.value) == str(want.value)


def test_sequential_and_batch_samplers_match_torch():
    src = list(range(7))
    assert list(data.SequentialSampler(src)) == list(tdata.SequentialSampler(src))
    assert len(data.SequentialSampler(src)) == 7
    for bs in (1, 2, 3, 7, 9):
        for drop in (False, True):
            ours = data.BatchSampler(data.SequentialSampler(src), bs, drop)
            theirs = tdata.BatchSampler(tdata.SequentialSampler(src), bs, drop)
            assert list(ours) == list(theirs)
            assert len(ours) == len(theirs)
    assert list(data.BatchSampler([5, 3, 1], 2, False)) == [[5, 3], [1]]  # any iterable of indices


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.BatchSampler(range(3), 0, False),
        lambda m: m.BatchSampler(range(3), True, False),
        lambda m: m.BatchSampler(range(3), 2, 1),
        lambda m: m.RandomSampler(range(3), replacement=1),
        lambda m: m.RandomSampler(range(3), num_samples=0),
        lambda m: m.RandomSampler(range(3), num_samples=2.0),
        lambda m: m.WeightedRandomSampler([1.0, 2.0], 0),
        lambda m: m.WeightedRandomSampler([1.0, 2.0], 3, replacement=1),
        lambda m: m.WeightedRandomSampler([[1.0, 2.0]], 3),
        lambda m: list(m.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
        lambda m: list(m.WeightedRandomSampler([1.0, -2.0], 3)),
        lambda m: list(m.WeightedRandomSampler([0.0, 0.0], 3)),
        lambda m: list(m.WeightedRandomSampler([1.0, float("nan")], 3)),
        lambda m: list(m.WeightedRandomSampler([1.0, float("inf")], 3)),
        lambda m: m.Sampler().__iter__(),
    ],
)
def test_bad_sampler_arguments_fail_as_torch(make):
    _raises_like(lambda: make(data), lambda: make(tdata))


def test_random_sampler_is_a_permutation_reproducible_from_manual_seed():
    src = list(range(20))
    autobp.manual_seed(0)
    sampler = data.RandomSampler(src)
    first, second = list(sampler), list(sampler)
    assert sorted(first) == src and sorted(second) == src
    assert first != second  # a fresh order each pass
    assert all(type(i) is int for i in first)  # plain ints, as torch's
    autobp.manual_seed(0)
    assert list(sampler) == first and list(sampler) == second  # the global generator, looked up per pass
    assert len(sampler) == len(tdata.RandomSampler(src)) == 20


def test_random_sampler_num_samples_chains_permutations():
    src = list(range(5))
    gen = np.random.default_rng(1)
    got = list(data.RandomSampler(src, num_samples=12, generator=gen))
    assert len(got) == len(data.RandomSampler(src, num_samples=12)) == 12
    assert sorted(got[:5]) == src and sorted(got[5:10]) == src  # two whole permutations
    assert len(set(got[10:])) == 2  # then two distinct indices
    for drawn in (got, list(tdata.RandomSampler(src, num_samples=12))):  # torch's has the same shape
        counts = np.bincount(drawn, minlength=5)
        assert sorted(counts) == [2, 2, 2, 3, 3]


def test_random_sampler_with_replacement_draws_uniformly():
    gen = autobp.random.Generator(autobp.random.PCG64(3))  # an autobp (numpy) Generator
    got = np.array(list(data.RandomSampler(range(4), replacement=True, num_samples=8000, generator=gen)))
    assert got.min() == 0 and got.max() == 3
    freq = np.bincount(got, minlength=4) / got.size
    np.testing.assert_allclose(freq, 0.25, atol=0.02)  # 4.5 standard deviations
    again = data.RandomSampler(range(4), replacement=True, num_samples=50, generator=7)
    assert list(again) != list(again)  # an int seed: one generator for the sampler's life
    assert list(data.RandomSampler(range(4), True, 50, generator=7)) == list(
        data.RandomSampler(range(4), True, 50, generator=np.random.default_rng(7))
    )


def test_subset_random_sampler_permutes_its_indices():
    idx = [10, 11, 12, 13, 14, 15]
    sampler = data.SubsetRandomSampler(idx, generator=np.random.default_rng(0))
    got = list(sampler)
    assert sorted(got) == idx and len(sampler) == 6
    again = list(data.SubsetRandomSampler(idx, generator=np.random.default_rng(0)))
    assert again == got


@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0, 4.0], np.array([0.0, 1.0, 1.0, 2.0])])
def test_weighted_sampler_frequencies_follow_the_weights(weights):
    w = np.asarray(weights, dtype=float)
    sampler = data.WeightedRandomSampler(weights, 20000, generator=np.random.default_rng(5))
    got = np.array(list(sampler))
    assert len(sampler) == 20000 and got.size == 20000
    np.testing.assert_allclose(np.bincount(got, minlength=4) / got.size, w / w.sum(), atol=0.015)
    theirs = tdata.WeightedRandomSampler(torch.tensor(weights), 10)
    assert np.array_equal(sampler.weights.data, theirs.weights.numpy())  # stored as float64, as torch's
    assert str(theirs.weights.dtype) == "torch.float64" and sampler.weights.dtype == np.float64


def test_weighted_sampler_without_replacement_draws_each_index_once():
    w = [1.0, 0.0, 5.0, 2.0, 1.0]
    for seed in range(5):
        got = list(data.WeightedRandomSampler(w, 4, replacement=False, generator=seed))
        assert len(set(got)) == 4 and 1 not in got  # a zero weight is never drawn
    autobp.manual_seed(2)
    a = list(data.WeightedRandomSampler(w, 3, replacement=False))
    autobp.manual_seed(2)
    assert list(data.WeightedRandomSampler(w, 3, replacement=False)) == a
    # the heaviest index comes first most often: P = 5/9
    firsts = [next(iter(data.WeightedRandomSampler(w, 2, False, generator=s))) for s in range(600)]
    assert abs(firsts.count(2) / 600 - 5 / 9) < 0.07
    every = list(data.WeightedRandomSampler(w, 5, replacement=False, generator=1))
    assert sorted(every) == [0, 1, 2, 3, 4] and every[-1] == 1  # torch too: the zero weight comes last
    assert sorted(tdata.WeightedRandomSampler(w, 5, replacement=False)) == [0, 1, 2, 3, 4]


def test_samplers_drive_a_loader_as_in_torch():
    x = np.arange(6)
    ours = data.DataLoader(data.TensorDataset(x), sampler=[4, 1, 5, 0], batch_size=3)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(x)), sampler=[4, 1, 5, 0], batch_size=3)
    assert [b[0].data.tolist() for b in ours] == [b[0].tolist() for b in theirs]
    assert len(ours) == len(theirs) == 2
    bs = [[0, 2], [5], [1, 3, 4]]
    ours = data.DataLoader(data.TensorDataset(x), batch_sampler=bs)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(x)), batch_sampler=bs)
    assert [b[0].data.tolist() for b in ours] == [b[0].tolist() for b in theirs]
    assert len(ours) == len(theirs) == 3
