"""put/put_ into a 0-d tensor (raised "multiple indices are not supported for 0d arrays"), t() of a
3-D tensor as a RuntimeError and is_nonzero's words, found by PyTorch's test_torch.py. torch is the oracle."""

import itertools

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("shapes", list(itertools.product([(), (1,)], repeat=3)))
def test_put_scalar_shapes_match_torch(accumulate, shapes):
    target, index, source = shapes
    d, i, s = ab.full(target, 3.0), ab.zeros(index, dtype=ab.int64), ab.full(source, 5.0)
    td = torch.full(target, 3.0, dtype=torch.float64)
    ti, ts = torch.zeros(index, dtype=torch.int64), torch.full(source, 5.0, dtype=torch.float64)
    got, want = ab.put(d, i, s, accumulate), torch.put(td, ti, ts, accumulate)
    assert got.shape == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    d.put_(i, s, accumulate)
    td.put_(ti, ts, accumulate)
    assert d.shape == tuple(td.shape)
    np.testing.assert_array_equal(d.numpy(), td.numpy())


def test_put_into_0d_gradients_match_torch():
    a, s = ab.tensor(2.0, requires_grad=True), ab.tensor(3.0, requires_grad=True)
    (ab.put(a * 1, ab.tensor(0), s, accumulate=True) ** 2).backward()
    ta = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ts = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    (torch.put(ta * 1, torch.tensor(0), ts, accumulate=True) ** 2).backward()
    assert float(a.grad) == float(ta.grad) and float(s.grad) == float(ts.grad)


def test_t_of_3d_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions"):
        ab.ones(2, 3, 4).t()
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions"):
        torch.ones(2, 3, 4).t()


@pytest.mark.parametrize(
    "values, words",
    [
        ([], "Boolean value of Tensor with no values is ambiguous"),
        ([0, 0], "Boolean value of Tensor with more than one value is ambiguous"),
    ],
)
def test_is_nonzero_words(values, words):
    with pytest.raises(RuntimeError, match=words):
        ab.tensor(values).is_nonzero()
    with pytest.raises(RuntimeError, match=words):
        torch.tensor(values).is_nonzero()
    assert ab.tensor([[0.1]]).is_nonzero() is torch.tensor([[0.1]]).is_nonzero() is True


def test_apply_and_map_errors_as_torch():
    x, tx = ab.arange(1, 6), torch.arange(1, 6)
    np.testing.assert_array_equal(
        x.clone().apply_(lambda k: k + k).numpy(), tx.clone().apply_(lambda k: k + k).numpy()
    )
    with pytest.raises(TypeError):
        x.apply_(lambda k: "str")
    with pytest.raises(TypeError):
        tx.apply_(lambda k: "str")
    with pytest.raises(RuntimeError):
        ab.zeros(1).map_(ab.ones(2, 3), lambda a, b: a + b)
    with pytest.raises(RuntimeError):
        torch.zeros(1).map_(torch.ones(2, 3), lambda a, b: a + b)
