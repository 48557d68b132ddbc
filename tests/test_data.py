"""autobp.data: TensorDataset and DataLoader (batching, shuffling from a numpy Generator, drop_last,
collate_fn), checked against the orders and batches the arguments imply."""

import numpy as np
import pytest

from autobp import Tensor, data, nn


def _ds(n=10):
    x = np.arange(n * 2, dtype=float).reshape(n, 2)
    y = np.arange(n) % 3
    return data.TensorDataset(x, y), x, y


def test_tensor_dataset_items_and_length():
    ds, x, y = _ds()
    assert len(ds) == 10
    xi, yi = ds[4]
    np.testing.assert_array_equal(xi.data, x[4])
    assert yi.item() == 1 and yi.dtype.kind == "i"  # integer labels stay integers
    with pytest.raises(ValueError, match=r"first dimension, got shapes \[\(3,\), \(4,\)\]"):
        data.TensorDataset(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("drop_last", [False, True])
def test_unshuffled_batches_cover_the_data_in_order(drop_last):
    ds, x, y = _ds()
    loader = data.DataLoader(ds, batch_size=4, drop_last=drop_last)
    batches = list(loader)
    assert len(batches) == len(loader) == (2 if drop_last else 3)
    assert [b[0].shape for b in batches] == [(4, 2), (4, 2)] + ([] if drop_last else [(2, 2)])
    got = np.concatenate([b[0].data for b in batches])
    np.testing.assert_array_equal(got, x[: len(got)])
    assert all(isinstance(b[1], Tensor) and b[1].dtype.kind == "i" for b in batches)


def test_shuffle_is_a_permutation_per_epoch_reproducible_from_the_seed():
    ds, x, y = _ds(20)

    def epochs(seed, n=3):
        loader = data.DataLoader(ds, batch_size=6, shuffle=True, generator=np.random.default_rng(seed))
        return [np.concatenate([b[1].data for b in loader]) for _ in range(n)], loader

    (e1, e2, e3), _ = epochs(0)
    (f1, f2, f3), _ = epochs(0)
    for a, b in ((e1, f1), (e2, f2), (e3, f3)):
        np.testing.assert_array_equal(a, b)  # the same seed, the same sequence of epochs
    assert not np.array_equal(e1, e2)  # each epoch reshuffles
    fresh = data.DataLoader(ds, batch_size=6, shuffle=True, generator=np.random.default_rng(0))
    rows = np.concatenate([b[0].data for b in fresh])
    np.testing.assert_array_equal(np.sort(rows[:, 0]), x[:, 0])  # a permutation of the samples
    # and the order is the generator's own permutation
    np.testing.assert_array_equal(rows[:, 0] / 2, np.random.default_rng(0).permutation(20))


def test_generic_datasets_use_collate_fn_or_the_default_stack():
    class Squares(data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.array([i, i * i], dtype=float), "i": i}

    batch = next(iter(data.DataLoader(Squares(), batch_size=3)))
    np.testing.assert_array_equal(batch["x"].data, [[0, 0], [1, 1], [2, 4]])
    np.testing.assert_array_equal(batch["i"].data, [0, 1, 2])
    sums = list(data.DataLoader(Squares(), batch_size=2, collate_fn=lambda s: sum(d["i"] for d in s)))
    assert sums == [1, 5, 4]


def test_a_loader_trains_a_model_through_the_engine():
    ds, x, y = _ds(12)
    model = nn.Linear(2, 3, rng=0)
    for xb, yb in data.DataLoader(ds, batch_size=5, shuffle=True, generator=1):
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
    assert model.weight.grad is not None and np.all(np.isfinite(model.weight.grad))


def test_bad_loader_arguments_fail_clearly():
    ds, _, _ = _ds()
    with pytest.raises(ValueError, match="positive integer value, but got batch_size=0"):
        data.DataLoader(ds, batch_size=0)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        data.DataLoader(ds, shuffle=True, generator="seed")


@pytest.mark.filterwarnings("ignore:Length of split at index 1 is 0")  # PyTorch warns too
# fractions: floor(10 f) each, the remainder handed one by one to the first splits (PyTorch's rule)
@pytest.mark.parametrize(
    "lengths,sizes",
    [
        ([6, 3, 1], [6, 3, 1]),
        ([0.5, 0.3, 0.2], [5, 3, 2]),
        ([0.34, 0.33, 0.33], [4, 3, 3]),
        ([0.05, 0.05, 0.9], [1, 0, 9]),
    ],
)
def test_random_split_partitions_the_data_reproducibly(lengths, sizes):
    ds, x, y = _ds(10)
    parts = data.random_split(ds, lengths, generator=3)
    again = data.random_split(ds, lengths, generator=np.random.default_rng(3))
    assert [p.indices for p in parts] == [p.indices for p in again]
    assert sum(len(p) for p in parts) == 10
    assert sorted(i for p in parts for i in p.indices) == list(range(10))
    assert [len(p) for p in parts] == sizes
    first = parts[0]
    np.testing.assert_array_equal(first[0][0].data, x[first.indices[0]])
    batch = next(iter(data.DataLoader(first, batch_size=2)))
    np.testing.assert_array_equal(batch[0].data, x[first.indices[:2]])
    with pytest.raises(ValueError, match="summing to 10"):
        data.random_split(ds, [5, 6])


def test_worker_processes_load_in_this_process_with_the_same_batches():
    ds, _, _ = _ds()
    calls = []
    plain = [b[1].data.tolist() for b in data.DataLoader(ds, batch_size=4)]
    workers = data.DataLoader(ds, batch_size=4, num_workers=2, worker_init_fn=calls.append, prefetch_factor=2)
    assert [b[1].data.tolist() for b in workers] == plain
    assert calls == []  # as PyTorch with num_workers=0: no worker, no worker_init_fn
