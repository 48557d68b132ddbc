"""The nan-reductions where the op table cannot look: with NaNs the gradient at a NaN is 0 and the
rest is the gradient of the reduction of the other elements, as PyTorch's nansum and torch.where
compositions give; all-NaN slices, ddof beyond the count, numpy's keywords and errors."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor

X = np.array([[1.5, np.nan, -0.7, 2.0], [np.nan, 0.4, 1.1, -1.3], [0.9, -2.1, np.nan, 0.6]])


def _torch_filled(torch, x, fill):
    return torch.where(torch.isnan(x), torch.full_like(x, fill), x)


def _torch_nanvar(torch, x, axis, ddof):
    present = ~torch.isnan(x)
    xz = _torch_filled(torch, x, 0.0)
    n = present.sum(axis, keepdim=True)
    mean = xz.sum(axis, keepdim=True) / n
    dev = torch.where(present, xz - mean, torch.zeros_like(x))
    return (dev * dev).sum(axis) / (n.squeeze(axis) - ddof)


CASES = {
    "nanprod": (lambda x: autobp.nanprod(x, axis=1), lambda t, x: _torch_filled(t, x, 1.0).prod(1)),
    "nancumsum": (lambda x: autobp.nancumsum(x, axis=1), lambda t, x: _torch_filled(t, x, 0.0).cumsum(1)),
    "nancumprod": (lambda x: autobp.nancumprod(x, axis=0), lambda t, x: _torch_filled(t, x, 1.0).cumprod(0)),
    "nanvar": (lambda x: autobp.nanvar(x, axis=1, ddof=1), lambda t, x: _torch_nanvar(t, x, 1, 1)),
    "nanstd": (lambda x: autobp.nanstd(x, axis=0), lambda t, x: _torch_nanvar(t, x, 0, 0).sqrt()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_with_nans_matches_torchs_nan_composition(name):
    torch = pytest.importorskip("torch")
    ours, theirs = CASES[name]
    x = Tensor(X, requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    out, tout = ours(x), theirs(torch, tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    w = np.random.default_rng(0).standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert np.all(x.grad[np.isnan(X)] == 0)


def test_nansum_style_gradient_of_nanprod_at_a_nan_is_zero_and_the_rest_is_the_others_product():
    x = Tensor([2.0, np.nan, 3.0], requires_grad=True)
    autobp.nanprod(x).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 2.0])


def test_all_nan_slice_gives_nan_with_numpys_warning_and_zero_gradient():
    x = Tensor([[np.nan, np.nan], [1.0, 3.0]], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        v = autobp.nanvar(x, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(v.data, np.nanvar(x.data, axis=1))
    (v * Tensor([0.0, 1.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 0.0], [-1.0, 1.0]])


def test_ddof_beyond_the_count_is_nan_as_numpy():
    with pytest.warns(RuntimeWarning):
        out = autobp.nanvar([1.0, np.nan], ddof=1)
    assert np.isnan(out)


def test_numpys_keywords_where_mean_and_correction():
    mask = ~np.eye(3, 4, dtype=bool)
    np.testing.assert_allclose(autobp.nanvar(X, axis=1, where=mask), np.nanvar(X, axis=1, where=mask))
    m = np.nanmean(X, axis=1, keepdims=True)
    np.testing.assert_allclose(autobp.nanstd(X, axis=1, mean=m), np.nanstd(X, axis=1, mean=m))
    np.testing.assert_allclose(autobp.nanvar(X, axis=0, correction=1), np.nanvar(X, axis=0, correction=1))
    with pytest.raises(ValueError, match="ddof and correction"):
        autobp.nanvar(X, ddof=1, correction=1)
    np.testing.assert_allclose(autobp.nanprod(X, axis=0, initial=2.0), np.nanprod(X, axis=0, initial=2.0))


def test_float32_and_dtype_keyword_follow_numpy():
    x32 = X.astype(np.float32)
    for name in ("nanprod", "nanvar", "nanstd", "nancumsum", "nancumprod"):
        assert getattr(autobp, name)(x32).dtype == getattr(np, name)(x32).dtype == np.float32
    assert autobp.nancumsum(x32, dtype=np.float64).dtype == np.float64
    assert autobp.nanvar(np.arange(4)).dtype == np.nanvar(np.arange(4)).dtype


def test_nanargmax_and_nanargmin_skip_nans_and_refuse_all_nan_slices():
    np.testing.assert_array_equal(autobp.nanargmax(X, axis=1), np.nanargmax(X, axis=1))
    np.testing.assert_array_equal(autobp.nanargmin(X, axis=0), np.nanargmin(X, axis=0))
    assert autobp.nanargmax(Tensor(X)).dtype == np.intp
    with pytest.raises(ValueError, match="All-NaN slice"):
        autobp.nanargmax(np.array([[np.nan, 1.0], [np.nan, 2.0]]), axis=0)
    with pytest.raises(ValueError, match="All-NaN slice"):
        autobp.nanargmin([np.nan])


def test_numpys_functions_dispatch_on_tensors():
    x = Tensor(X, requires_grad=True)
    for fn in (np.nanprod, np.nanvar, np.nanstd, np.nancumsum, np.nancumprod):
        assert isinstance(fn(x), Tensor)
    np.nanvar(x).backward()
    assert np.all(np.isfinite(x.grad)) and np.all(x.grad[np.isnan(X)] == 0)


def test_cumulative_sum_and_prod_follow_numpy_2():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    for name in ("cumulative_sum", "cumulative_prod"):
        for axis in (0, 1):
            for initial in (False, True):
                np.testing.assert_array_equal(
                    getattr(autobp, name)(x, axis=axis, include_initial=initial),
                    getattr(np, name)(x, axis=axis, include_initial=initial),
                )
        with pytest.raises(ValueError, match="axis is required"):
            getattr(autobp, name)(x)
        with pytest.raises(ValueError, match="at least one dimension"):
            getattr(autobp, name)(np.float64(2.0))
    t = Tensor([2.0, 3.0], requires_grad=True)
    autobp.cumulative_prod(t, include_initial=True).sum().backward()  # 1 + 2 + 2*3
    np.testing.assert_array_equal(t.grad, [4.0, 2.0])
