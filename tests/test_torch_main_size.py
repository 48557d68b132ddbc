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
