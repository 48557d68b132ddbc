"""autobp.data's DataLoader, collate functions and dataset combinators against torch.utils.data's:
the same batches (structure, values, dtypes), lengths, and errors (type and message)."""

import collections

import numpy as np
import pytest

import autobp
from autobp import Tensor, data

torch = pytest.importorskip("torch")
tdata = pytest.importorskip("torch.utils.data")

Point = collections.namedtuple("Point", "x y")


def plain(x):
    """A batch as nested Python/numpy values with dtype names, for comparing ours with torch's."""
    if isinstance(x, Tensor):
        return ("T", str(x.dtype), x.data.tolist())
    if isinstance(x, torch.Tensor):
        return ("T", str(x.dtype).removeprefix("torch."), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, {k: plain(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [plain(v) for v in x])
    return (type(x).__name__, x)


def ours_and_torch(value):
    """The same value with autobp Tensors for ours and torch tensors for torch's."""
    if isinstance(value, np.ndarray) and value.dtype.kind not in "SUO":
        return Tensor(value, dtype=value.dtype), torch.from_numpy(value.copy())
    return value, value


def _raises_like(ours, theirs):
    """Both raise, the same exception type, our message torch's (maybe followed by details)."""
    with pytest.raises(Exception) as want:
        theirs()
    with pytest.raises(want.type) as got:
        ours()
    assert str(got.value).startswith(str(want.value))


SAMPLES = [
    [1, 2, 3],
    [1.5, 2.5],
    [True, False],
    [np.float32(1.5), np.float32(2)],
    [np.int32(4), np.int32(5)],
    [np.array([1.0, 2.0], dtype=np.float32), np.array([3.0, 4.0], dtype=np.float32)],
    [np.array(1.5), np.array(2.5)],
    [np.arange(6).reshape(2, 3), np.arange(6, 12).reshape(2, 3)],
    ["a", "b"],
    [b"a", b"b"],
    [(1, "a", 2.0), (2, "b", 3.0)],
    [[1, [2.0, 3]], [4, [5.0, 6]]],
    [{"x": 1, "y": {"z": [1.0, 2.0]}}, {"x": 2, "y": {"z": [3.0, 4.0]}}],
    [Point(1, 2.5), Point(3, 4.5)],
    [Point(np.zeros(2), "s"), Point(np.ones(2), "t")],
    [collections.OrderedDict(a=1, b=2.0), collections.OrderedDict(a=3, b=4.0)],
]


@pytest.mark.parametrize("batch", SAMPLES, ids=range(len(SAMPLES)))
def test_default_collate_matches_torch(batch):
    assert plain(data.default_collate(batch)) == plain(tdata.default_collate(batch))


def test_default_collate_stacks_tensors_keeping_dtype_and_graph():
    xs = [np.arange(3, dtype=np.float32) + i for i in range(4)]
    ours = data.default_collate([Tensor(x, dtype=np.float32) for x in xs])
    theirs = tdata.default_collate([torch.from_numpy(x) for x in xs])
    assert plain(ours) == plain(theirs)
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    batch = data.default_collate([w * 2, w * 3])
    batch.sum().backward()
    np.testing.assert_array_equal(w.grad, [5.0, 5.0])  # the batch is on the graph


@pytest.mark.parametrize(
    "batch",
    [
        [(1, 2), (3,)],
        [np.zeros(2), np.zeros(3)],
        [np.zeros((2, 1)), np.zeros((2, 2))],
        [np.array(["a"]), np.array(["b"])],
        [object(), object()],
        [None, None],
        [1 + 2j, 3j],
    ],
    ids=range(7),
)
def test_default_collate_errors_match_torch(batch):
    _raises_like(lambda: data.default_collate(batch), lambda: tdata.default_collate(batch))


def test_mixed_numbers_collate_as_torch_tensor_does_with_float64_default():
    for batch in ([True, 2], [2, True], [1, 2**40]):
        assert plain(data.default_collate(batch)) == plain(tdata.default_collate(batch))
    got = data.default_collate([1, 2.5])  # torch: its default float32; autobp's default float is float64
    assert got.dtype == np.float64 and got.data.tolist() == tdata.default_collate([1, 2.5]).tolist()


def test_mismatched_tensor_sizes_raise_torchs_stack_error():
    ours = [Tensor(np.zeros(2)), Tensor(np.zeros(2)), Tensor(np.zeros(3))]
    theirs = [torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64), torch.zeros(3)]
    _raises_like(lambda: data.default_collate(ours), lambda: tdata.default_collate(theirs))


@pytest.mark.parametrize(
    "sample",
    [
        (1, np.zeros(2)),
        [np.float32(3), 5, "s"],
        {"a": np.arange(3), "b": (2.0, np.int16(1))},
        Point(np.ones(1), 2),
        np.array(["x", "y"]),
        np.arange(4, dtype=np.uint8),
        7,
    ],
    ids=range(7),
)
def test_default_convert_matches_torch(sample):
    assert plain(data.default_convert(sample)) == plain(tdata.default_convert(sample))


class Squares(data.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=np.float32), "i": i, "name": f"s{i}"}


class TSquares(tdata.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=np.float32), "i": i, "name": f"s{i}"}


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"batch_size": 3},
        {"batch_size": 3, "drop_last": True},
        {"batch_size": None},
        {"batch_size": 2, "sampler": [6, 0, 3]},
        {"batch_sampler": [[1, 2], [6], [0, 5, 4]]},
        {"batch_size": 4, "collate_fn": lambda b: [d["i"] for d in b]},
    ],
    ids=range(7),
)
def test_map_style_loader_batches_and_lengths_match_torch(kw):
    ours, theirs = data.DataLoader(Squares(), **kw), tdata.DataLoader(TSquares(), **kw)
    assert len(ours) == len(theirs)
    assert [plain(b) for b in ours] == [plain(b) for b in theirs]


def test_tensor_dataset_batches_match_torch_including_batch_size_none():
    x = np.arange(10.0).reshape(5, 2)
    y = np.arange(5)
    for kw in ({"batch_size": 2}, {"batch_size": None}, {"batch_size": 2, "drop_last": True}):
        ours = data.DataLoader(data.TensorDataset(x, y), **kw)
        theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(x), torch.tensor(y)), **kw)
        assert [plain(b) for b in ours] == [plain(b) for b in theirs]
        assert len(ours) == len(theirs)


class Count(data.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class TCount(tdata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class SizedCount(Count):
    def __len__(self):
        return self.n


class TSizedCount(TCount):
    def __len__(self):
        return self.n


@pytest.mark.parametrize(
    "kw", [{}, {"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}], ids=range(4)
)
def test_iterable_dataset_loader_matches_torch(kw):
    ours, theirs = data.DataLoader(Count(5), **kw), tdata.DataLoader(TCount(5), **kw)
    assert [plain(b) for b in ours] == [plain(b) for b in theirs]
    for loader in (ours, theirs):  # no __len__: TypeError, as torch
        with pytest.raises(TypeError, match="has no len"):
            len(loader)
    ours, theirs = data.DataLoader(SizedCount(5), **kw), tdata.DataLoader(TSizedCount(5), **kw)
    assert len(ours) == len(theirs)
    chained = data.DataLoader(Count(2) + Count(3), **kw)
    assert [plain(b) for b in chained] == [plain(b) for b in tdata.DataLoader(TCount(2) + TCount(3), **kw)]


def _conflicts(m, it, ds):
    return [
        lambda: m.DataLoader(it, shuffle=True),
        lambda: m.DataLoader(it, sampler=[1]),
        lambda: m.DataLoader(it, batch_sampler=[[1]]),
        lambda: m.DataLoader(ds, sampler=[0], shuffle=True),
        lambda: m.DataLoader(ds, batch_sampler=[[0]], batch_size=2),
        lambda: m.DataLoader(ds, batch_sampler=[[0]], drop_last=True),
        lambda: m.DataLoader(ds, batch_size=None, drop_last=True),
        lambda: m.DataLoader(ds, batch_size=0),
        lambda: m.DataLoader(ds, num_workers=-1),
        lambda: m.DataLoader(ds, timeout=-1),
        lambda: m.DataLoader(ds, prefetch_factor=2),
        lambda: m.DataLoader(ds, persistent_workers=True),
        lambda: m.DataLoader(ds, num_workers=2, prefetch_factor=-1),
        lambda: setattr(m.DataLoader(ds), "batch_size", 3),
        lambda: setattr(m.DataLoader(ds), "dataset", ds),
    ]


@pytest.mark.parametrize("k", range(15))
def test_loader_option_conflicts_raise_torchs_errors(k):
    ours = _conflicts(data, Count(3), Squares())[k]
    theirs = _conflicts(tdata, TCount(3), TSquares())[k]
    _raises_like(ours, theirs)


def test_loader_shuffles_from_the_global_generator_or_its_own():
    ds = data.TensorDataset(np.arange(12))
    autobp.manual_seed(4)
    loader = data.DataLoader(ds, batch_size=5, shuffle=True)
    assert isinstance(loader.sampler, data.RandomSampler) and isinstance(
        loader.batch_sampler, data.BatchSampler
    )
    epochs = [np.concatenate([b[0].data for b in loader]).tolist() for _ in range(2)]
    assert all(sorted(e) == list(range(12)) for e in epochs) and epochs[0] != epochs[1]
    autobp.manual_seed(4)
    assert [np.concatenate([b[0].data for b in loader]).tolist() for _ in range(2)] == epochs
    gen = autobp.random.Generator(autobp.random.PCG64(9))
    own = data.DataLoader(ds, batch_size=5, shuffle=True, generator=gen)
    first = np.concatenate([b[0].data for b in own]).tolist()
    assert first == np.random.default_rng(9).permutation(12).tolist()  # drawn from that generator
    assert data.get_worker_info() is None and tdata.get_worker_info() is None


def test_collate_fn_settable_and_loader_iterator_has_a_length():
    loader = data.DataLoader(Squares(), batch_size=3)
    loader.collate_fn = len  # not a frozen attribute (torch's neither)
    it = iter(loader)
    assert len(it) == 3 and list(it) == [3, 3, 1]


def test_concat_dataset_indexing_matches_torch():
    a, b, c = np.arange(3), np.arange(10, 15), np.arange(20, 22)
    ours = data.TensorDataset(a) + data.TensorDataset(b) + data.TensorDataset(c)
    theirs = tdata.TensorDataset(torch.tensor(a)) + tdata.TensorDataset(torch.tensor(b))
    theirs = theirs + tdata.TensorDataset(torch.tensor(c))
    assert isinstance(ours, data.ConcatDataset) and len(ours) == len(theirs) == 10
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    for i in range(-10, 10):
        assert ours[i][0].item() == theirs[i][0].item()
    _raises_like(lambda: ours[-11], lambda: theirs[-11])
    with pytest.raises(IndexError):
        ours[10]
    _raises_like(lambda: data.ConcatDataset([]), lambda: tdata.ConcatDataset([]))
    _raises_like(
        lambda: data.ConcatDataset([ours, Count(2)]), lambda: tdata.ConcatDataset([theirs, TCount(2)])
    )
    batch = next(iter(data.DataLoader(ours, batch_size=10)))
    assert batch[0].data.tolist() == [0, 1, 2, 10, 11, 12, 13, 14, 20, 21]


def test_chain_and_stack_datasets_match_torch():
    assert list(data.ChainDataset([Count(2), Count(3)])) == list(tdata.ChainDataset([TCount(2), TCount(3)]))
    assert len(data.ChainDataset([SizedCount(2), SizedCount(4)])) == 6
    for chain in (data.ChainDataset([Count(2)]), tdata.ChainDataset([TCount(2)])):
        with pytest.raises(TypeError, match="has no len"):
            len(chain)
    _raises_like(lambda: list(data.ChainDataset([[1]])), lambda: list(tdata.ChainDataset([[1]])))
    xs, ys = list(range(4)), [10 * i for i in range(4)]
    assert data.StackDataset(xs, ys)[2] == tdata.StackDataset(xs, ys)[2] == (2, 20)
    assert data.StackDataset(x=xs, y=ys)[3] == tdata.StackDataset(x=xs, y=ys)[3] == {"x": 3, "y": 30}
    assert len(data.StackDataset(x=xs, y=ys)) == 4
    st, tst = data.StackDataset(x=xs, y=ys), tdata.StackDataset(x=xs, y=ys)
    assert st.__getitems__([0, 2]) == tst.__getitems__([0, 2])
    assert plain(next(iter(data.DataLoader(st, batch_size=3)))) == plain(
        next(iter(tdata.DataLoader(tst, batch_size=3)))
    )
    _raises_like(lambda: data.StackDataset(xs, y=ys), lambda: tdata.StackDataset(xs, y=ys))
    _raises_like(lambda: data.StackDataset(xs, ys[:2]), lambda: tdata.StackDataset(xs, ys[:2]))
    _raises_like(lambda: data.StackDataset(), lambda: tdata.StackDataset())
    _raises_like(lambda: data.Dataset()[0], lambda: tdata.Dataset()[0])
    _raises_like(lambda: len(data.Dataset()), lambda: len(tdata.Dataset()))
    _raises_like(lambda: data.IterableDataset(), lambda: tdata.IterableDataset())


def test_subset_of_subset_and_random_split_fractions():
    base = list(range(10, 20))
    ours = data.Subset(data.Subset(base, [1, 3, 5, 7]), [3, 0])
    theirs = tdata.Subset(tdata.Subset(base, [1, 3, 5, 7]), [3, 0])
    assert [ours[0], ours[1], len(ours)] == [theirs[0], theirs[1], len(theirs)] == [17, 11, 2]
    assert ours.__getitems__([1, 0]) == theirs.__getitems__([1, 0])
    for lengths in ([0.3, 0.3, 0.4], [0.5, 0.5], [1], [2, 3], [0.05, 0.95]):
        ours = data.random_split(range(5), lengths, generator=0)
        theirs = tdata.random_split(range(5), lengths)
        assert [len(s) for s in ours] == [len(s) for s in theirs]
        assert sorted(i for s in ours for i in s) == list(range(5))
    for lengths in ([3, 3], [0.5, 0.6], [1.2, -0.2]):
        _raises_like(
            lambda n=lengths: data.random_split(range(5), n),
            lambda n=lengths: tdata.random_split(range(5), n),
        )
    autobp.manual_seed(1)
    first = [s.indices for s in data.random_split(range(8), [0.5, 0.5])]
    autobp.manual_seed(1)
    assert [s.indices for s in data.random_split(range(8), [0.5, 0.5])] == first


def test_generic_base_classes_subscript_as_torchs():
    class Pairs(data.Dataset[tuple]):
        def __getitem__(self, i):
            return i, 2 * i

        def __len__(self):
            return 3

    class Evens(data.Sampler[int]):
        def __iter__(self):
            return iter([0, 2])

    class Stream(data.IterableDataset[int]):
        def __iter__(self):
            return iter(range(3))

    loader: data.DataLoader[tuple] = data.DataLoader(Pairs(), sampler=Evens(), batch_size=2)
    assert plain(next(iter(loader))) == ("list", [("T", "int64", [0, 2]), ("T", "int64", [0, 4])])
    assert list(data.DataLoader(Stream(), batch_size=None)) == [0, 1, 2]


def test_utils_data_is_the_same_module():
    import autobp.utils.data as D
    from autobp.utils.data import DataLoader
    from autobp.utils.data.sampler import RandomSampler

    from autobp.utils.hooks import RemovableHandle

    assert D is autobp.data is autobp.utils.data and DataLoader is data.DataLoader
    assert RandomSampler is data.RandomSampler
    t = Tensor(np.ones(2), requires_grad=True)
    handle = t.register_hook(lambda g: g)
    assert isinstance(handle, RemovableHandle)
