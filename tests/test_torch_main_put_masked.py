"""torch.put / Tensor.put with accumulate (out of place, as PyTorch), masked_select(out=), and the
error types of masked_select/masked_fill/masked_scatter/addcdiv, found by running PyTorch's
test/test_torch.py against autobp (helper torchmain6). torch is the oracle."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

D = np.arange(12.0).reshape(3, 4)
IDX = np.array([[0, 11], [0, 5]])
SRC = np.array([[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("spelling", ["positional", "keyword", "method"])
def test_put_accumulate_is_out_of_place_as_torch(accumulate, spelling):
    a = ab.tensor(D)
    i, s = ab.tensor(IDX), ab.tensor(SRC)
    if spelling == "positional":
        got = ab.put(a, i, s, accumulate)
    elif spelling == "keyword":
        got = ab.put(a, i, s, accumulate=accumulate)
    else:
        got = a.put(i, s, accumulate=accumulate)
    want = torch.put(torch.tensor(D), torch.tensor(IDX), torch.tensor(SRC), accumulate)
    if accumulate or spelling != "positional":
        np.testing.assert_allclose(got.numpy(), want.numpy())
    else:  # repeated index without accumulate: torch leaves the winner unspecified; check the rest
        np.testing.assert_allclose(got.numpy().ravel()[[5, 11]], want.numpy().ravel()[[5, 11]])
    np.testing.assert_array_equal(a.numpy(), D)  # the input is unchanged


def test_put_accumulate_gradients_match_torch():
    a = ab.tensor(D, requires_grad=True)
    s = ab.tensor(SRC, requires_grad=True)
    (ab.put(a * 2, ab.tensor(IDX), s, accumulate=True) ** 2).sum().backward()
    ta = torch.tensor(D, requires_grad=True)
    ts = torch.tensor(SRC, requires_grad=True)
    (torch.put(ta * 2, torch.tensor(IDX), ts, accumulate=True) ** 2).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy())
    np.testing.assert_allclose(s.grad, ts.grad.numpy())


def test_numpy_put_keeps_its_meaning():
    a = ab.tensor(D)
    assert ab.put(a, [0, 1], [7.0]) is None
    want = D.copy()
    np.put(want, [0, 1], [7.0])
    np.testing.assert_array_equal(a.numpy(), want)


def test_masked_select_out():
    x = np.random.default_rng(0).normal(size=(4, 5))
    m = x > 0
    o = ab.empty(0)
    assert ab.masked_select(ab.tensor(x), ab.tensor(m), out=o) is o
    np.testing.assert_array_equal(o.numpy(), torch.masked_select(torch.tensor(x), torch.tensor(m)).numpy())


def _torch_raises(fn):
    with pytest.raises(RuntimeError):
        fn()


def test_bad_inputs_raise_runtime_errors_as_torch():
    x, tx = ab.zeros(3), torch.zeros(3, dtype=torch.float64)
    u8 = np.array([1, 0, 1], dtype=np.uint8)
    with pytest.raises(RuntimeError, match="expected BoolTensor for mask"):
        x.masked_select(ab.tensor(u8))
    _torch_raises(lambda: tx.masked_select(torch.tensor(u8)))
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        x.masked_fill_(ab.tensor(u8), 1.0)
    _torch_raises(lambda: tx.masked_fill_(torch.tensor(u8), 1.0))
    with pytest.raises(RuntimeError, match="Number of elements of source < number of ones in mask"):
        x.masked_scatter_(ab.ones(3, dtype=ab.bool), ab.zeros(2))
    ones = torch.ones(3, dtype=torch.bool)
    _torch_raises(lambda: tx.masked_scatter_(ones, torch.zeros(2, dtype=torch.float64)))
    one = np.array([1])
    with pytest.raises(RuntimeError, match="Integer division with addcdiv is no longer supported"):
        ab.addcdiv(ab.tensor(one), ab.tensor(one), ab.tensor(one))
    _torch_raises(lambda: torch.addcdiv(torch.tensor(one), torch.tensor(one), torch.tensor(one)))
