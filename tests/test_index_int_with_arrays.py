"""An integer index next to array indices is numpy's array index (docs/concepts/names.md, Indexing):
``t[0, :, idx]`` puts the index dimensions first, where PyTorch reads the integer as a basic index.
Values against numpy, the shape against torch's (the documented difference), gradients by gradcheck."""

import numpy as np
import pytest

import autobp

rng = np.random.default_rng(5)
A = rng.standard_normal((2, 3, 4, 5))
IDX = np.array([[1, 3], [0, 2], [3, 3]])

CASES = [
    lambda t, i: t[0, :, i],  # integer and array separated by a slice: numpy puts the array dims first
    lambda t, i: t[1, :, i, 1:4],
    lambda t, i: t[:, 0, i],  # adjacent: the array dims stay in place (both libraries agree)
    lambda t, i: t[..., i, 2],
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_and_shapes_are_numpys(case):
    f = CASES[case]
    got = f(autobp.tensor(A), autobp.tensor(IDX))
    want = f(A, IDX)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.detach().numpy(), want)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_gradients(case):
    f = CASES[case]
    x = autobp.tensor(A[:, :, :, :3].copy(), requires_grad=True)  # small: gradcheck is O(size)
    idx = autobp.tensor(IDX % 3)
    assert autobp.gradcheck(lambda t: f(t, idx), (x,))


def test_torch_reads_a_separated_integer_as_a_basic_index():
    torch = pytest.importorskip("torch")
    t = torch.tensor(A)
    i = torch.tensor(IDX)
    # the documented difference: same elements, PyTorch keeps the sliced dim first
    assert tuple(t[0, :, i].shape) == (3, 3, 2, 5)
    assert autobp.tensor(A)[0, :, autobp.tensor(IDX)].shape == (3, 2, 3, 5)
    np.testing.assert_array_equal(np.moveaxis(t[0, :, i].numpy(), 0, 2), A[0, :, IDX])
    # adjacent advanced indices: both libraries agree
    assert tuple(t[:, 0, i].shape) == autobp.tensor(A)[:, 0, autobp.tensor(IDX)].shape
