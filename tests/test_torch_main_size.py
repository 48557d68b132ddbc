"""``t.size()`` is a Size (PyTorch's torch.Size, a tuple) and Size keeps its type through slicing, ``+``
and ``*`` and takes 0-d integer tensors, as torch.Size; found by PyTorch's test_torch.py."""

import pickle

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def test_size_method_returns_size():
    got, want = ab.ones(2, 3).size(), torch.ones(2, 3).size()
    assert isinstance(got, ab.Size) and isinstance(got, tuple) and isinstance(want, torch.Size)
    assert got == want == (2, 3)
    assert ab.ones(2, 3).size(-1) == want[-1] == 3
    assert isinstance(pickle.loads(pickle.dumps(got)), ab.Size)


@pytest.mark.parametrize(
    "op",
    [
        lambda s: s * 2,
        lambda s: 2 * s,
        lambda s: s[:-1],
        lambda s: s + s,
        lambda s: s + (1,),
        lambda s: (1,) + s,
    ],
)
def test_size_operations_keep_the_type(op):
    got, want = op(ab.Size([1, 2, 3])), op(torch.Size([1, 2, 3]))
    assert isinstance(got, ab.Size) and isinstance(want, torch.Size)
    assert tuple(got) == tuple(want)


def test_size_items():
    got = ab.Size([0, 1, ab.tensor(2), np.int64(3), ab.tensor([4])[0]])
    want = torch.Size([0, 1, torch.tensor(2), np.int64(3), torch.tensor([4])[0]])
    assert tuple(got) == tuple(want) and all(type(n) is int for n in got)
    assert type(ab.Size([1, 2])[0]) is int
    for bad in ([1.5], [2.0], ab.ones(3)):
        with pytest.raises(TypeError):
            ab.Size(bad)
        with pytest.raises(TypeError):
            torch.Size(torch.ones(3) if isinstance(bad, ab.Tensor) else bad)
    with pytest.raises(TypeError):
        ab.Size([ab.tensor(2.0)])
    with pytest.raises(TypeError):
        torch.Size([torch.tensor(2.0)])


@pytest.mark.parametrize(
    "shape, dim, sizes, words",
    [
        ((1,), 0, [], "sizes must be non-empty"),
        ((1,), 0, [2, 2], r"Provided sizes \[2, 2\] don't multiply up to the size of dim 0 \(1\)"),
        ((5, 10), 1, (-1, -1), "only one dimension can be inferred"),
        ((5, 10), 1, (-1, 4), r"Provided sizes \[-1, 4\] don't multiply up to the size of dim 1 \(10\)"),
        ((2, 0), 1, (2, -1, 0), "the unspecified dimension size -1 can be any value and is ambiguous"),
    ],
)
def test_unflatten_errors_as_torch(shape, dim, sizes, words):
    with pytest.raises(RuntimeError, match=words):
        ab.ones(shape).unflatten(dim, sizes)
    with pytest.raises(RuntimeError, match=words):
        torch.ones(shape).unflatten(dim, sizes)


def test_unflatten_values_and_dim_type():
    for shape, dim, sizes in [((2, 0, 2), 1, (3, -1, 4, 5)), ((2, 10), 1, (5, -1)), ((4,), 0, (-1, 2))]:
        assert ab.ones(shape).unflatten(dim, sizes).shape == tuple(
            torch.ones(shape).unflatten(dim, sizes).shape
        )
    with pytest.raises(TypeError, match=r"argument 'dim' \(position 1\) must be int, not str"):
        ab.tensor([1]).unflatten("A", (1, 1))
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        ab.tensor(1).unflatten(0, [0])  # test_torch.py expects IndexError; torch 2.13 raises RuntimeError
    with pytest.raises(RuntimeError):
        torch.tensor(1).unflatten(0, [0])
