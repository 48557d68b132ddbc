"""``value in t`` as numpy's and PyTorch's ``(t == value).any()`` (it raised "truth value is
ambiguous" for a row), PyTorch's RuntimeError for a string; found by PyTorch's test_torch.py."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

X = np.arange(1, 10).reshape(3, 3)


@pytest.mark.parametrize(
    "value",
    [4, 12, 4.0, True, np.int64(5), np.arange(1, 4), np.arange(11, 14), np.array([[1, 2, 3]]), np.array(5.0)],
)
def test_contains_matches_torch_and_numpy(value):
    want = torch.as_tensor(value) in torch.tensor(X)
    assert (ab.tensor(value) in ab.tensor(X)) is want
    assert (np.asarray(value) in X) == want
    if np.ndim(value) == 0:
        assert (value in ab.tensor(X)) is want


def test_contains_errors():
    x = ab.tensor(X)
    with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
        "foo" in x  # noqa: B015
    with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
        "foo" in torch.tensor(X)  # noqa: B015
    with pytest.raises(RuntimeError):
        ab.tensor([1, 2]) in x  # noqa: B015
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]) in torch.tensor(X)  # noqa: B015
