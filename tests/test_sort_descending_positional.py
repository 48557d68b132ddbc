"""x.argsort(dim, descending) and x.sort(dim, descending) with PyTorch's positional bool: the same order
as torch's stable sort (ties too); numpy's kind strings in that place still work."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

DATA = np.array([[3.0, 1.0, 3.0, -2.0, 1.0], [0.5, 0.5, -1.0, 7.0, 0.5], [2.0, 2.0, 2.0, 2.0, 2.0]])


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("descending", [True, False])
def test_argsort_positional_descending_matches_torch(dim, descending):
    want = torch.tensor(DATA).argsort(dim=dim, descending=descending, stable=True)
    got = autobp.Tensor(DATA).argsort(dim, descending)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    top = autobp.argsort(autobp.Tensor(DATA), dim, descending)
    np.testing.assert_array_equal(top.numpy(), want.numpy())


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("descending", [True, False])
def test_sort_positional_descending_values_and_gradient_match_torch(dim, descending):
    t = torch.tensor(DATA, requires_grad=True)
    want = t.sort(dim=dim, descending=descending, stable=True).values
    (want * torch.arange(want.numel(), dtype=want.dtype).reshape(want.shape)).sum().backward()
    x = autobp.Tensor(DATA, requires_grad=True)
    got = x.sort(dim, descending)  # autobp's sort returns the values, as numpy's
    (got * autobp.Tensor(np.arange(got.size, dtype=np.float64).reshape(got.shape))).sum().backward()
    np.testing.assert_array_equal(got.numpy(), want.detach().numpy())
    np.testing.assert_array_equal(np.asarray(x.grad), t.grad.numpy())


@pytest.mark.parametrize("kind", ["quicksort", "mergesort", "stable", None])
def test_numpy_kind_strings_still_work(kind):
    np.testing.assert_array_equal(
        autobp.Tensor(DATA).argsort(1, kind).numpy(), np.argsort(DATA, 1, kind="stable")
    )
