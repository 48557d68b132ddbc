"""quantile's methods at exact ties (nearest's half-to-even positions, midpoint at whole positions)
and the NaN-ignoring quantiles' gradients with NaNs, against PyTorch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

METHODS = ["linear", "lower", "higher", "nearest", "midpoint"]


def _both(fn, tfn, data):
    x = autobp.tensor(data, requires_grad=True)
    y = fn(x)
    y.sum().backward()
    tx = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    ty = tfn(tx)
    ty.sum().backward()
    return y, x.grad, ty.detach().numpy(), tx.grad.numpy()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_each_method_at_positions_that_fall_on_and_between_elements_matches_torch_and_numpy(method, n):
    """q = k / (2 (n - 1)) puts the position on every element and every half-way point: the
    rounding of 'nearest' (half to even) and the whole positions of 'midpoint' are exercised."""
    data = np.random.default_rng(n).permutation(n).astype(np.float64) * 0.7 - 1.0
    qs = np.arange(2 * (n - 1) + 1) / (2 * (n - 1))
    y, g, ty, tg = _both(
        lambda x: autobp.quantile(x, qs, method=method),
        lambda x: torch.quantile(x, torch.tensor(qs), interpolation=method),
        data,
    )
    np.testing.assert_allclose(y.data, np.quantile(data, qs, method=method), rtol=1e-15)
    np.testing.assert_allclose(y.data, ty, rtol=1e-15)
    np.testing.assert_allclose(g, tg, rtol=1e-15)


@pytest.mark.parametrize("method", METHODS)
def test_pytorch_interpolation_keyword_and_ties_send_the_gradient_where_torch_does(method):
    data = [[2.0, 1.0, 2.0, 1.0, 2.0, 1.0], [3.0, 3.0, 3.0, 3.0, 3.0, 3.0]]
    y, g, ty, tg = _both(
        lambda x: x.quantile(0.3, dim=1, keepdim=True, interpolation=method),
        lambda x: torch.quantile(x, 0.3, dim=1, keepdim=True, interpolation=method),
        data,
    )
    np.testing.assert_array_equal(y.data, ty)
    np.testing.assert_array_equal(g, tg)


@pytest.mark.parametrize("method", METHODS)
def test_nanquantile_ignores_nans_in_value_and_gradient_like_torch(method):
    nan = np.nan
    data = [[1.0, nan, 3.0, 2.0, -1.0], [nan, 0.5, nan, 0.25, nan], [nan, nan, nan, nan, nan]]
    y, g, ty, tg = _both(
        lambda x: autobp.nanquantile(x, [0.25, 0.6], axis=1, method=method),
        lambda x: torch.nanquantile(x, torch.tensor([0.25, 0.6], dtype=x.dtype), dim=1, interpolation=method),
        data,
    )
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning, match="All-NaN"):
        expected = np.nanquantile(data, [0.25, 0.6], axis=1, method=method)
    np.testing.assert_array_equal(y.data, expected)
    np.testing.assert_array_equal(y.data, ty)
    np.testing.assert_allclose(g, tg, rtol=1e-15)


def test_nanpercentile_and_nanmedian_are_numpys_with_torchs_gradient():
    nan = np.nan
    data = [[4.0, nan, 1.0, 3.0], [nan, 2.0, 7.0, nan]]
    y, g, ty, tg = _both(
        lambda x: x.nanpercentile(40.0, axis=-1),
        lambda x: torch.nanquantile(x, 0.4, dim=-1),
        data,
    )
    np.testing.assert_array_equal(y.data, np.nanpercentile(data, 40.0, axis=-1))
    np.testing.assert_allclose(g, tg, rtol=1e-15)
    m = autobp.nanmedian(autobp.tensor(data), axis=1)
    np.testing.assert_array_equal(m.data, np.nanmedian(data, axis=1))  # 3.0 and 4.5: middle pair's mean
    assert m.data.tolist() == [3.0, 4.5]


def test_an_unknown_method_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="nanquantile: method must be one of linear, lower"):
        autobp.nanquantile(autobp.tensor([1.0, 2.0]), 0.5, interpolation="closest_observation")
