"""Reductions of empty tensors give numpy's and PyTorch's values: the mean of nothing is nan (with
numpy's RuntimeWarning), and the gradient reaching the empty input is empty."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autobp as ab


@pytest.mark.parametrize(
    "shape, axis", [((0,), None), ((0, 3), 0), ((0, 3), 1), ((2, 0), 1), ((2, 0, 3), (0, 1))]
)
def test_mean_of_nothing_is_nan_as_numpy_and_torch(shape, axis):
    torch = pytest.importorskip("torch")
    x = ab.zeros(shape, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = ab.mean(x, axis=axis)
    assert any(issubclass(w.category, RuntimeWarning) for w in caught) == (m.size > 0)  # numpy warns then
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.mean(np.zeros(shape), axis=axis)
    np.testing.assert_array_equal(m.data, expected)
    t = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    tm = t.mean() if axis is None else t.mean(dim=axis)
    np.testing.assert_array_equal(m.data, tm.detach().numpy())
    (m * 1.0).sum().backward()
    assert x.grad.shape == shape
