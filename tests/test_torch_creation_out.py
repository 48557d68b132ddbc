"""PyTorch's out= for the creation functions (arange, linspace, logspace, eye, full, rand, randn,
randint), against PyTorch (found by running PyTorch's test_tensor_creation_ops.py against autobp)."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

_DT = {
    "float32": (np.float32, torch.float32),
    "float64": (np.float64, torch.float64),
    "int64": (np.int64, torch.int64),
}


def _check(ours, theirs):
    ours_a, theirs_a = np.asarray(ours.detach().numpy()), theirs.detach().numpy()
    assert ours_a.dtype == theirs_a.dtype and ours_a.shape == theirs_a.shape
    np.testing.assert_allclose(ours_a.astype(np.float64), theirs_a.astype(np.float64), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize(
    "call",
    [
        lambda m, out: m.arange(0, 4, out=out),
        lambda m, out: m.linspace(0, 3, 4, out=out),
        lambda m, out: m.logspace(0, 3, 4, base=2, out=out),
    ],
)
def test_sequences_fill_an_out_view_of_the_same_size_in_order(call, dtype):
    ours_base, theirs_base = autobp.zeros((2, 3), dtype=_DT[dtype][0]), torch.zeros(2, 3, dtype=_DT[dtype][1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no resize, so no warning (as PyTorch)
        returned = call(autobp, ours_base.narrow(1, 1, 2))
    call(torch, theirs_base.narrow(1, 1, 2))
    _check(ours_base, theirs_base)
    assert returned.shape == (2, 2)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, out: m.arange(0.6, 0.89, 0.1, out=out),
        lambda m, out: m.arange(1, 10, 0.3, out=out),
        lambda m, out: m.arange(1, -1, -1, out=out),
        lambda m, out: m.linspace(0.5, 2.5, 7, out=out),
        lambda m, out: m.logspace(0, 1, 5, out=out),
        lambda m, out: m.eye(3, out=out),
        lambda m, out: m.eye(2, 4, out=out),
        lambda m, out: m.full((2, 3), 7, out=out),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_out_takes_the_result_in_its_dtype_and_is_returned(call, dtype):
    ours_out, theirs_out = autobp.zeros(0, dtype=_DT[dtype][0]), torch.zeros(0, dtype=_DT[dtype][1])
    returned = call(autobp, ours_out)
    call(torch, theirs_out)
    assert returned is ours_out
    _check(ours_out, theirs_out)


def test_full_with_out_and_a_different_dtype_is_refused():
    o, to = autobp.empty(5, dtype=np.int64), torch.empty(5, dtype=torch.int64)
    with pytest.raises(RuntimeError):
        torch.full(to.shape, 1.0, dtype=torch.float, out=to)
    with pytest.raises(RuntimeError, match="out="):
        autobp.full(o.shape, 1.0, dtype=np.float32, out=o)
    assert (
        autobp.full(o.shape, 1.0, out=o).dtype
        == np.int64
        == np.dtype(torch.full((5,), 1.0, out=to).numpy().dtype)
    )


def test_random_creation_with_out_draws_the_same_numbers():
    for fn, args in ((autobp.rand, (3, 3)), (autobp.randn, (3, 3)), (autobp.randint, (0, 6, (4, 4)))):
        autobp.manual_seed(7)
        expected = fn(*args)
        autobp.manual_seed(7)
        out = autobp.tensor([], dtype=expected.dtype)
        assert fn(*args, out=out) is out
        np.testing.assert_array_equal(out.numpy(), expected.numpy())
    out = autobp.empty((2, 1), dtype=np.float32)
    assert autobp.randint(3, size=(2, 1), out=out).dtype == np.float32  # out's dtype, as torch.randint
    assert torch.randint(3, size=(2, 1), out=torch.empty((2, 1), dtype=torch.float32)).dtype == torch.float32


@pytest.mark.parametrize(
    "args", [(1, 10, 0.3), (-4.0, 4.0, 0.01), (-1, 1, 2 / 49), (0.6, 0.89, 0.1), (0, 1e4, 0.7)]
)
def test_float32_arange_is_rounded_once_like_pytorch(args):
    # PyTorch computes start + i * step in double and rounds once; numpy's float32 arange adds the
    # step in float32 (several ulps off by the end)
    ours = autobp.arange(*args, dtype=np.float32).numpy()
    theirs = torch.arange(*args, dtype=torch.float32).numpy()
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    exact = np.float64(args[0]) + np.arange(ours.size) * np.float64(args[2])
    scale = np.spacing(np.float32(np.abs(exact).max()))
    np.testing.assert_allclose(ours, exact.astype(np.float32), rtol=6e-8, atol=scale)  # the nearest float32
    np.testing.assert_allclose(ours, theirs, rtol=2.5e-7, atol=scale)  # PyTorch's rounding is as close


@pytest.mark.parametrize("name", ["linspace", "logspace"])
def test_negative_steps_raise_runtime_error_too(name):
    with pytest.raises(RuntimeError):
        getattr(torch, name)(0, 1, -1)
    with pytest.raises(RuntimeError, match="non-negative"):  # PyTorch's class
        getattr(autobp, name)(0, 1, -1)
    with pytest.raises(ValueError, match="non-negative"):  # numpy's class
        getattr(autobp, name)(0, 1, steps=-1)
    assert getattr(autobp, name)(0, 1, 0).shape == tuple(getattr(torch, name)(0, 1, 0).shape) == (0,)
