"""Reductions, scans and sorts of a 0-d tensor along axis 0 / -1 (also ``(0,)``, ``dim=0``, keepdims).

numpy accepts those axes in sum, prod, max/min, amax/amin, argmax/argmin, any/all, ptp, the nan
reductions, count_nonzero, cumsum/cumprod (shape (1,)) and argsort (shape (1,)): autobp gives numpy's
value, shape and dtype. numpy refuses them in mean, var, std, median, quantile, sort and a 1-tuple axis;
PyTorch accepts them everywhere: autobp gives PyTorch's 0-d result and gradient there. Any other axis
still raises, naming the axis and the shape.
"""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = 0.7

# numpy accepts axis 0 / -1 of a 0-d array in these: (autobp function, numpy function)
NUMPY_ACCEPTS = {
    "sum": (autobp.sum, np.sum),
    "prod": (autobp.prod, np.prod),
    "max": (autobp.max, np.max),
    "min": (autobp.min, np.min),
    "amax": (autobp.amax, np.amax),
    "amin": (autobp.amin, np.amin),
    "ptp": (autobp.ptp, np.ptp),
    "nansum": (autobp.nansum, np.nansum),
    "nanmax": (autobp.nanmax, np.nanmax),
    "nanmin": (autobp.nanmin, np.nanmin),
    "nanmean": (autobp.nanmean, np.nanmean),
    "any": (autobp.any, np.any),
    "all": (autobp.all, np.all),
    "count_nonzero": (autobp.count_nonzero, np.count_nonzero),
    "argmax": (autobp.argmax, np.argmax),
    "argmin": (autobp.argmin, np.argmin),
}
SCANS = {"cumsum": (autobp.cumsum, np.cumsum), "cumprod": (autobp.cumprod, np.cumprod)}


# numpy refuses these for any axis (ptp of booleans; nanmean of integers goes to mean, which refuses)
_REFUSED = {("ptp", np.bool_), ("nanmean", np.int32), ("nanmean", np.bool_)}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize(
    "name, dtype",
    [
        (n, d)
        for n in sorted(NUMPY_ACCEPTS)
        for d in (np.float64, np.float32, np.int32, np.bool_)
        if (n, d) not in _REFUSED
    ],
)
def test_numpy_accepted_reductions_give_numpys_value_shape_dtype(name, dtype, axis, keepdims):
    ours, theirs = NUMPY_ACCEPTS[name]
    a = np.array(X * 10 if dtype in (np.int32,) else X, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = theirs(a, axis=axis, keepdims=keepdims)
    got = ours(autobp.Tensor(a, dtype=dtype), axis=axis, keepdims=keepdims)
    assert got.shape == np.shape(want)
    assert got.dtype == np.asarray(want).dtype, (got.dtype, np.asarray(want).dtype)
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
@pytest.mark.parametrize("name", sorted(SCANS))
def test_cumulative_ops_keep_numpys_shape_one(name, dtype, axis):
    ours, theirs = SCANS[name]
    a = np.array(3 if dtype == np.int32 else X, dtype=dtype)
    want = theirs(a, axis=axis)
    got = ours(autobp.Tensor(a, dtype=dtype), axis=axis)
    assert got.shape == want.shape == (1,)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)
    x = autobp.Tensor(np.float64(X), requires_grad=True)
    assert autobp.gradcheck(lambda v: ours(v, axis=axis), (x,))


@pytest.mark.parametrize("axis", [0, -1])
def test_argsort_is_numpys_one_element_order(axis):
    got = autobp.argsort(autobp.Tensor(X), axis=axis)
    want = np.argsort(np.array(X), axis=axis)
    assert got.shape == want.shape == (1,)
    np.testing.assert_array_equal(got.data, want)


# differentiable reductions, compared with torch (value, shape, gradient) and finite differences.
# (autobp op with axis/dim/keepdim, torch op taking (t, dim, keepdim))
TORCH = {
    "sum": (lambda t, d, k: autobp.sum(t, dim=d, keepdim=k), lambda t, d, k: torch.sum(t, d, k)),
    "mean": (lambda t, d, k: autobp.mean(t, dim=d, keepdim=k), lambda t, d, k: torch.mean(t, d, k)),
    "prod": (lambda t, d, k: autobp.prod(t, dim=d, keepdim=k), lambda t, d, k: torch.prod(t, d, k)),
    "amax": (lambda t, d, k: autobp.amax(t, dim=d, keepdim=k), lambda t, d, k: torch.amax(t, d, k)),
    "amin": (lambda t, d, k: autobp.amin(t, dim=d, keepdim=k), lambda t, d, k: torch.amin(t, d, k)),
    "max": (lambda t, d, k: autobp.max(t, dim=d, keepdim=k), lambda t, d, k: torch.max(t, d, k).values),
    "min": (lambda t, d, k: autobp.min(t, dim=d, keepdim=k), lambda t, d, k: torch.min(t, d, k).values),
    "nansum": (lambda t, d, k: autobp.nansum(t, dim=d, keepdim=k), lambda t, d, k: torch.nansum(t, d, k)),
    "nanmean": (
        lambda t, d, k: autobp.nanmean(t, dim=d, keepdim=k),
        lambda t, d, k: torch.nanmean(t, d, k),
    ),
    "logsumexp": (
        lambda t, d, k: autobp.logsumexp(t, dim=d, keepdim=k),
        lambda t, d, k: torch.logsumexp(t, d, k),
    ),
    "median": (
        lambda t, d, k: autobp.median(t, dim=d, keepdim=k),
        lambda t, d, k: torch.median(t, d, k).values,
    ),
    "quantile": (
        lambda t, d, k: autobp.quantile(t, 0.3, dim=d, keepdim=k),
        lambda t, d, k: torch.quantile(t, 0.3, d, k),
    ),
    "nanmedian": (
        lambda t, d, k: autobp.nanmedian(t, dim=d, keepdim=k),
        lambda t, d, k: torch.nanmedian(t, d, k).values,
    ),
    "norm": (
        lambda t, d, k: autobp.linalg.vector_norm(t, dim=d, keepdim=k),
        lambda t, d, k: torch.linalg.vector_norm(t, dim=d, keepdim=k),
    ),
    "norm_np": (
        lambda t, d, k: autobp.norm(t, axis=d, keepdims=k),
        lambda t, d, k: torch.linalg.norm(t, dim=d, keepdim=k),
    ),
    "sort": (lambda t, d, k: autobp.sort(t, dim=d), lambda t, d, k: torch.sort(t, d).values),
    "logcumsumexp": (
        lambda t, d, k: autobp.logcumsumexp(t, dim=d),
        lambda t, d, k: torch.logcumsumexp(t, d),
    ),
    "cummax": (lambda t, d, k: autobp.cummax(t, dim=d).values, lambda t, d, k: torch.cummax(t, d).values),
    "cummin": (lambda t, d, k: autobp.cummin(t, dim=d).values, lambda t, d, k: torch.cummin(t, d).values),
}
for _c in (0, 1, 2):
    TORCH[f"var_correction{_c}"] = (
        lambda t, d, k, c=_c: autobp.var(t, dim=d, keepdim=k, correction=c),
        lambda t, d, k, c=_c: torch.var(t, d, correction=c, keepdim=k),
    )
    TORCH[f"std_correction{_c}"] = (
        lambda t, d, k, c=_c: autobp.std(t, dim=d, keepdim=k, correction=c),
        lambda t, d, k, c=_c: torch.std(t, d, correction=c, keepdim=k),
    )


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", sorted(TORCH))
def test_0d_reductions_match_torch_values_and_gradients(name, dim, keepdim):
    ours, theirs = TORCH[name]
    x = autobp.Tensor(np.float64(X), requires_grad=True)
    t = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y, ty = ours(x, dim, keepdim), theirs(t, dim, keepdim)
        assert y.shape == tuple(ty.shape) == ()
        np.testing.assert_allclose(y.data, ty.detach().numpy())
        (y * 3.0).backward()
        (ty * 3.0).backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())  # nan where torch's is nan (var with N <= ddof)


@pytest.mark.parametrize(
    "name", sorted(n for n in TORCH if "correction1" not in n and "correction2" not in n)
)
def test_0d_reductions_gradients_match_finite_differences(name):
    ours = TORCH[name][0]
    x = autobp.Tensor(np.float64(X), requires_grad=True)
    assert autobp.gradcheck(lambda v: ours(v, 0, False), (x,))
    assert autobp.gradgradcheck(lambda v: ours(v, -1, False) * ours(v, -1, False), (x,))


@pytest.mark.parametrize("ddof", [0, 1, 2])
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_ddof_as_numpy_of_one_element(name, ddof):
    # numpy refuses axis 0 of a 0-d array in var; of the same one element as a 1-d array it gives
    # 0 for ddof 0 and nan (N - ddof <= 0) otherwise, as autobp's 0-d answer and torch's do
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(np.array([X]), axis=0, ddof=ddof)
        got = getattr(autobp, name)(autobp.Tensor(X), axis=0, ddof=ddof)
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "prod", "any", "nansum", "var", "median"])
def test_one_tuple_axis_of_0d_is_torchs(name):
    # numpy refuses axis=(0,) on a 0-d array; PyTorch's dim=(0,) reduces its one element
    got = getattr(autobp, name)(autobp.Tensor(X), axis=(0,))
    tfn = {
        "prod": lambda t: torch.prod(t, 0),
        "median": lambda t: torch.median(t, 0).values,
        "var": lambda t: torch.var(t, (0,), correction=0),  # autobp's default ddof is numpy's 0
    }
    tfn = tfn.get(name, lambda t: getattr(torch, name)(t, (0,)))
    want = tfn(torch.tensor(X, dtype=torch.float64))
    assert got.shape == ()
    np.testing.assert_allclose(got.data, want.numpy())


BAD = ["sum", "mean", "prod", "amax", "max", "var", "std", "any", "argmax", "median", "nansum", "logsumexp"]


@pytest.mark.parametrize("axis", [1, -2, 3])
@pytest.mark.parametrize("name", BAD)
def test_other_axes_of_0d_raise_naming_axis_and_shape(name, axis):
    with pytest.raises(IndexError, match=rf"axis {axis}\b.*shape \(\)"):
        getattr(autobp, name)(autobp.Tensor(X), axis=axis)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "sort", "argsort", "logcumsumexp"])
def test_other_axes_of_0d_raise_in_scans_and_sorts(name):
    with pytest.raises(IndexError, match=r"axis 1\b.*shape \(\)"):
        getattr(autobp, name)(autobp.Tensor(X), axis=1)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "var"])
def test_repeated_axis_of_0d_raises(name):
    with pytest.raises(ValueError, match="repeated"):
        getattr(autobp, name)(autobp.Tensor(X), axis=(0, -1))


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "argmax", "sort"])
def test_tuple_axis_refused_where_numpy_and_torch_take_one_int(name):
    with pytest.raises(TypeError, match="axis must be an int"):
        getattr(autobp, name)(autobp.Tensor(X), axis=(0,))


def test_numpy_dispatch_reaches_the_0d_rule():
    x = autobp.Tensor(np.float64(X), requires_grad=True)
    y = np.sum(x, axis=0) + np.max(x, axis=-1)
    assert isinstance(y, autobp.Tensor) and y.shape == ()
    y.backward()
    np.testing.assert_allclose(x.grad, 2.0)
