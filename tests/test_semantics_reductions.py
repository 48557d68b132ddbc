"""Where calculus leaves a choice in reductions, scans, sorting and norms: ties, zeros, NaNs and
the zero vector, each checked at exact points against PyTorch (and where the two differ on purpose,
that difference is pinned down)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradgradcheck

torch = pytest.importorskip("torch")

NAN = np.nan


def run(fn, data, weights=None):
    """fn on a leaf of ``data``: (values of every output, gradient of sum(output_0 * weights))."""
    x = Tensor(np.array(data, dtype=np.float64), requires_grad=True)
    out = fn(x)
    outs = list(out) if isinstance(out, tuple) else [out]
    w = np.ones(outs[0].shape) if weights is None else np.asarray(weights, dtype=np.float64)
    (outs[0] * w).sum().backward()
    grad = np.zeros(x.shape) if x.grad is None else x.grad
    return [np.asarray(o.data) for o in outs], grad


def run_torch(fn, data, weights=None):
    x = torch.tensor(np.array(data, dtype=np.float64), requires_grad=True)
    out = fn(x)
    outs = list(out) if isinstance(out, tuple) else [out]
    w = torch.ones(outs[0].shape, dtype=torch.float64) if weights is None else torch.tensor(weights)
    (outs[0] * w).sum().backward()
    grad = np.zeros(x.shape) if x.grad is None else x.grad.numpy()
    return [o.detach().numpy() for o in outs], grad


def assert_same(fn, tfn, data, weights=None):
    """Every output and the gradient equal PyTorch's (float64, exact points)."""
    (ours, g), (theirs, tg) = run(fn, data, weights), run_torch(tfn, data, weights)
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(o, t, rtol=1e-12, atol=0, equal_nan=True, err_msg=f"output {k}")
    np.testing.assert_allclose(g, tg, rtol=1e-12, atol=1e-300, equal_nan=True, err_msg="gradient")
    return g


TIES = [[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 0.0], [-1.0, -1.0, 4.0, -1.0]]


# --- max, min, amax, amin: ties split equally ----------------------------------------------------
@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_extremes_split_ties_like_torch_amax(name, axis):
    tname = "amax" if "max" in name else "amin"
    dim = (0, 1) if axis is None else axis
    g = assert_same(
        lambda x: getattr(autobp, name)(x, axis=axis), lambda x: getattr(torch, tname)(x, dim=dim), TIES
    )
    assert set(np.unique(g)) - {0.0} <= {1.0, 0.5, 1 / 3, 0.25, 1 / 6, 1 / 12}


def test_max_with_pytorch_dim_returns_values_and_splits_where_torch_max_picks_one():
    """autobp.max(x, dim=1) is numpy's max (values only) and splits a tie; torch.max(x, dim=1)
    returns (values, indices) and gives the whole gradient to the returned index (documented)."""
    (values,), g = run(lambda x: autobp.max(x, dim=1), TIES)
    (t_values, t_indices), tg = run_torch(lambda x: tuple(torch.max(x, dim=1)), TIES)
    np.testing.assert_array_equal(values, t_values)
    np.testing.assert_array_equal(g[1], [1 / 3, 1 / 3, 1 / 3, 0.0])
    assert sorted(tg[1]) == [0.0, 0.0, 0.0, 1.0] and tg[1, t_indices[1]] == 1.0
    assert "splits" in autobp.ops.DECLS["max"].differs


def test_ptp_splits_ties_at_both_ends():
    g = assert_same(lambda x: autobp.ptp(x, axis=1), lambda x: x.amax(1) - x.amin(1), TIES)
    np.testing.assert_array_equal(g[2], [-1 / 3, -1 / 3, 1.0, -1 / 3])


# --- sort, argsort, topk, kthvalue ----------------------------------------------------------------
SORT_TIES = [[1.0, 3.0, 3.0, 2.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0, 1.0, 1.0]]
W6 = [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [-1.0, 0.5, 2.0, -3.0, 1.5, 4.0]]


@pytest.mark.parametrize("descending", [False, True])
def test_sort_with_ties_sends_each_gradient_where_torch_sort_does(descending):
    g = assert_same(
        lambda x: autobp.sort(x, descending=descending),
        lambda x: torch.sort(x, descending=descending, stable=True).values,
        SORT_TIES,
        W6,
    )
    np.testing.assert_array_equal(np.sort(g[0]), np.sort(W6[0]))  # a permutation of the weights
    indices = autobp.argsort(Tensor(SORT_TIES), descending=descending).data
    t_indices = torch.sort(torch.tensor(SORT_TIES), descending=descending, stable=True).indices.numpy()
    np.testing.assert_array_equal(indices, t_indices)


def test_sort_default_torch_order_is_the_stable_one_too():
    t_indices = torch.sort(torch.tensor(SORT_TIES)).indices.numpy()
    np.testing.assert_array_equal(autobp.argsort(Tensor(SORT_TIES)).data, t_indices)


@pytest.mark.parametrize("k,largest", [(2, True), (3, False), (5, True)])
def test_topk_with_ties_matches_torch_values_and_tie_group_gradients(k, largest):
    """Values equal torch's; among tied elements torch's pick is unspecified (its selection
    algorithm), autobp's is the stable order: the gradient each group of equal values receives is the
    same, and autobp's indices are the first tied positions."""
    (values, indices), g = run(lambda x: autobp.topk(x, k, largest=largest), SORT_TIES, np.ones((2, k)))
    (t_values, _), tg = run_torch(
        lambda x: tuple(torch.topk(x, k, largest=largest)), SORT_TIES, np.ones((2, k))
    )
    np.testing.assert_array_equal(values, t_values)
    for row, data in enumerate(np.array(SORT_TIES)):
        for v in np.unique(data):
            group = data == v
            assert g[row, group].sum() == tg[row, group].sum()
        expected = np.argsort(-data if largest else data, kind="stable")[:k]
        np.testing.assert_array_equal(indices[row], expected)
    np.testing.assert_array_equal(np.take_along_axis(g, indices, axis=1), np.ones((2, k)))


@pytest.mark.parametrize("k", [1, 3, 5])
def test_kthvalue_with_ties_matches_torch_values_and_tie_group_gradients(k):
    (values, indices), g = run(lambda x: autobp.kthvalue(x, k), SORT_TIES)
    (t_values, _), tg = run_torch(lambda x: tuple(torch.kthvalue(x, k)), SORT_TIES)
    np.testing.assert_array_equal(values, t_values)
    for row, data in enumerate(np.array(SORT_TIES)):
        group = data == values[row]
        assert g[row, group].sum() == tg[row, group].sum() == 1.0
        assert indices[row] == np.argsort(data, kind="stable")[k - 1]
        assert g[row, indices[row]] == 1.0


def test_kthvalue_without_ties_matches_torch_indices():
    data = np.random.default_rng(0).permutation(12).reshape(3, 4).astype(float)
    assert_same(
        lambda x: autobp.kthvalue(x, 2, dim=0, keepdim=True),
        lambda x: tuple(torch.kthvalue(x, 2, 0, True)),
        data,
    )


# --- cummax, cummin: the latest tied position, NaN included ----------------------------------------
@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize(
    "data",
    [
        [1.0, 3.0, 3.0, 2.0, 3.0, 0.0],
        [3.0, 1.0, 1.0, 2.0, 0.0, 0.0],
        [2.0, 2.0, 2.0],
        [1.0, NAN, 3.0, NAN, 0.0],
    ],
)
def test_cummax_cummin_ties_and_nans_follow_torch(name, data):
    assert_same(
        lambda x: getattr(autobp, name)(x, axis=0),
        lambda x: tuple(getattr(torch, name)(x, 0)),
        data,
        np.arange(1.0, len(data) + 1),
    )


def test_cummax_along_an_axis_of_a_matrix_follows_torch():
    data = [[1.0, 1.0, 0.0], [1.0, 2.0, 2.0], [0.0, 2.0, 1.0]]
    for axis in (0, 1):
        assert_same(
            lambda x, a=axis: autobp.cummax(x, axis=a),
            lambda x, a=axis: tuple(torch.cummax(x, a)),
            data,
            np.arange(9.0).reshape(3, 3),
        )


# --- products with zeros ----------------------------------------------------------------------------
ZEROS = [[1.5, 0.0, 2.0, -3.0], [0.0, 2.0, 0.0, 4.0], [1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 5.0]]


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_prod_with_one_and_several_zeros_matches_torch(axis):
    tfn = (lambda x: x.prod()) if axis is None else (lambda x: x.prod(axis))
    g = assert_same(lambda x: autobp.prod(x, axis=axis), tfn, ZEROS)
    if axis == 1:  # one zero: the product of the others there, 0 elsewhere; two zeros: all 0
        np.testing.assert_array_equal(
            g, [[0.0, -9.0, 0.0, 0.0], [0.0] * 4, [24.0, 12.0, 8.0, 6.0], [0.0] * 4]
        )


def test_prod_over_two_axes_with_a_zero():
    data = np.array(ZEROS[:3]).reshape(3, 2, 2)
    assert_same(lambda x: autobp.prod(x, axis=(0, 2)), lambda x: x.prod(2).prod(0), data)


@pytest.mark.parametrize("axis", [0, 1])
def test_cumprod_with_zeros_matches_torch(axis):
    assert_same(
        lambda x: autobp.cumprod(x, axis=axis),
        lambda x: torch.cumprod(x, axis),
        ZEROS,
        np.arange(16.0).reshape(4, 4) - 5,
    )


@pytest.mark.parametrize(
    "fn", [lambda x: autobp.prod(x, axis=1), lambda x: autobp.cumprod(x, axis=1)], ids=["prod", "cumprod"]
)
def test_product_gradients_at_zeros_are_differentiable_again(fn):
    """The gradient at exact zeros is a polynomial: its own derivative matches finite differences
    (a masked formula would cut the dependence of grad_i = 0 on the zero's neighbours)."""
    assert gradgradcheck(fn, [Tensor(ZEROS, requires_grad=True)])


def test_product_gradient_when_the_product_underflows():
    """Where a product underflows to 0, out / x_i is 0 (PyTorch's gradient: it divides); autobp's is
    the true prod_{j != i} x_j."""
    (value,), g = run(autobp.prod, [0.5, 5e-324, 2.0])
    assert value == 0.0
    np.testing.assert_array_equal(g, [5e-324 * 2.0, 1.0, 0.5 * 5e-324])
    _, tg = run_torch(lambda x: x.prod(), [0.5, 5e-324, 2.0])
    assert tg[1] == 0.0  # the difference, pinned down
    _, g = run(autobp.cumprod, [0.5, 1e-200, 1e-200, 2.0], [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(g, [1.0, 0.5, 0.5e-200 + 1e-200, 0.0], rtol=1e-15, atol=0)  # abc underflows


# --- var and std ------------------------------------------------------------------------------------
@pytest.mark.parametrize("correction", [0, 1])
def test_std_at_zero_spread_has_torch_gradient_zero(correction):
    data = [[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]
    g = assert_same(
        lambda x: autobp.std(x, axis=1, correction=correction),
        lambda x: x.std(1, correction=correction),
        data,
    )
    np.testing.assert_array_equal(g[0], [0.0, 0.0, 0.0])
    assert_same(
        lambda x: autobp.var(x, axis=1, ddof=correction), lambda x: x.var(1, correction=correction), data
    )


def test_var_spellings_agree_and_conflicts_are_refused():
    x = Tensor([1.0, 2.0, 4.0, 8.0])
    want = np.var(x.data, ddof=1)
    for v in (
        autobp.var(x, ddof=1),
        autobp.var(x, correction=1),
        autobp.var(x, unbiased=True),
        x.var(dim=0, unbiased=True),
    ):
        assert v.item() == pytest.approx(want, rel=1e-15)
    with pytest.raises(
        ValueError, match="ddof and correction can.t be provided simultaneously"
    ):  # numpy.s words
        autobp.var(x, ddof=1, correction=1)


# --- median, quantile ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data", [[2.0, 1.0, 2.0, 3.0, 2.0], [1.0, 1.0, 1.0], [4.0, 1.0, 4.0, 0.0, 1.0, 1.0, 9.0]]
)
def test_median_of_an_odd_count_with_ties_splits_like_torch_median(data):
    assert_same(lambda x: autobp.median(x), lambda x: torch.median(x), data)


def test_median_of_an_even_count_is_numpys_mean_of_the_middle_two():
    """torch.median returns the lower middle value; autobp's (numpy's) the mean of the two, whose
    gradient (without ties) is that of torch.quantile(x, 0.5)."""
    data = [4.0, 1.0, 3.0, 0.0]
    (value,), _ = run(autobp.median, data)
    assert value == 2.0 == np.median(data) != torch.median(torch.tensor(data)).item()
    assert_same(autobp.median, lambda x: torch.quantile(x, 0.5), data)


def test_median_of_an_even_count_with_ties_splits_each_middle_value():
    (value,), g = run(autobp.median, [1.0, 1.0, 2.0, 2.0, 5.0, 0.0])
    assert value == 1.5
    np.testing.assert_array_equal(g, [0.25, 0.25, 0.25, 0.25, 0.0, 0.0])


@pytest.mark.parametrize("q", [0.5, 0.25, 0.6, 1.0])
def test_quantile_with_ties_sends_the_gradient_where_torch_quantile_does(q):
    data = [[2.0, 1.0, 2.0, 1.0, 2.0], [3.0, 3.0, 3.0, 3.0, 3.0]]
    assert_same(lambda x: autobp.quantile(x, q, axis=1), lambda x: torch.quantile(x, q, dim=1), data)


def test_quantile_refuses_q_out_of_range_and_other_methods():
    x = Tensor([1.0, 2.0])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        autobp.quantile(x, 1.5)
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        autobp.percentile(x, -1)
    with pytest.raises(
        ValueError, match="linear, lower, higher, nearest, midpoint, inverted_cdf.*; got 'bogus'"
    ):
        autobp.quantile(x, 0.5, method="bogus")  # numpy's thirteen are accepted (weibull, hazen, ...)


# --- NaN-ignoring reductions ------------------------------------------------------------------------
NANS = [[1.0, NAN, 3.0], [NAN, NAN, NAN], [2.0, 2.0, NAN]]


@pytest.mark.parametrize("name", ["nansum", "nanmean"])
def test_nan_reductions_give_zero_gradient_at_nans_like_torch(name):
    """0 at every NaN, as PyTorch; for a row of NaNs only, torch.nanmean's gradient is NaN (0 / 0)
    where autobp's stays 0 (its mean is NaN either way)."""
    rows = [0, 2] if name == "nanmean" else [0, 1, 2]
    data = np.array(NANS)
    assert_same(
        lambda x: getattr(autobp, name)(x[rows], axis=1), lambda x: getattr(torch, name)(x[rows], 1), data
    )
    (values,), g = run(lambda x: getattr(autobp, name)(x, axis=1), data)
    np.testing.assert_array_equal(g[np.isnan(data)], 0.0)
    np.testing.assert_array_equal(values, [4.0, 0.0, 4.0] if name == "nansum" else [2.0, NAN, 2.0])


def test_nanmax_nanmin_skip_nans_and_split_ties():
    with pytest.warns(RuntimeWarning):
        np.nanmax(NANS, axis=1)  # numpy warns on the all-NaN row; autobp gives the same values
    (values,), g = run(lambda x: autobp.nanmax(x, axis=1), NANS)
    np.testing.assert_array_equal(values, [3.0, NAN, 2.0])
    np.testing.assert_array_equal(g, [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    (values,), g = run(lambda x: autobp.nanmin(x), NANS)
    assert values == 1.0 and g[0, 0] == 1.0 and g.sum() == 1.0


# --- norms at zero and at ties ------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2, 1, np.inf, -np.inf, 0, 0.5, 1.5, 3, -1])
def test_vector_norm_of_zero_and_of_ties_matches_torch(p):
    data = [[0.0, 0.0, 0.0], [0.0, 3.0, -3.0], [1.0, -2.0, 0.0]]
    assert_same(
        lambda x: autobp.vector_norm(x, p, axis=1), lambda x: torch.linalg.vector_norm(x, p, dim=1), data
    )


def test_two_norm_of_the_zero_vector_has_gradient_zero():
    (value,), g = run(autobp.norm, [0.0, 0.0, 0.0])
    assert value == 0.0
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("ord_", [None, "fro", 1, -1, np.inf, -np.inf])
def test_matrix_norms_of_zero_and_of_tied_sums_match_torch(ord_):
    for data in ([[0.0, 0.0], [0.0, 0.0]], [[1.0, -2.0], [-2.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]):
        t_ord = "fro" if ord_ is None else ord_
        assert_same(lambda x: autobp.norm(x, ord_), lambda x, o=t_ord: torch.linalg.matrix_norm(x, o), data)


def test_norm_orders_from_singular_values_match_numpy():
    a = np.array([[3.0, 1.0], [0.5, 2.0]])
    for ord_ in ("nuc", 2, -2):
        assert autobp.norm(Tensor(a), ord_).item() == pytest.approx(np.linalg.norm(a, ord_), rel=1e-12)
    with pytest.raises(ValueError, match="invalid order 'fro' for vectors"):
        autobp.norm(Tensor([1.0, 2.0]), "fro", axis=0)


# --- errors name the op and the shapes --------------------------------------------------------------
def test_empty_reductions_without_a_value_raise_clearly():
    empty = Tensor(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"argmax: tensor of shape \(2, 0\) is empty"):
        autobp.argmax(empty)
    with pytest.raises(ValueError, match="amax: cannot reduce over empty axis 1"):
        autobp.amax(empty, axis=1)
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):  # numpy's NaN, and its warning
        assert np.isnan(autobp.median(empty).item())
    with pytest.raises(ValueError, match=r"topk: k=3 is out of range for dimension 0 of size 2"):
        autobp.topk(Tensor([1.0, 2.0]), 3)
    with pytest.raises(IndexError):  # an AxisError: both ValueError and IndexError
        autobp.cumsum(Tensor([1.0]), axis=1)


# --- numpy's own functions on Tensors record the same ops -------------------------------------------
@pytest.mark.parametrize(
    "np_call,ours",
    [
        (lambda x: np.sort(x, axis=0), lambda x: autobp.sort(x, axis=0)),
        (lambda x: np.cumprod(x, 1), lambda x: autobp.cumprod(x, 1)),
        (lambda x: np.median(x, axis=1), lambda x: autobp.median(x, axis=1)),
        (lambda x: np.quantile(x, [0.2, 0.7]), lambda x: autobp.quantile(x, [0.2, 0.7])),
        (lambda x: np.linalg.norm(x, 1), lambda x: autobp.norm(x, 1)),
        (lambda x: np.prod(x, axis=0), lambda x: autobp.prod(x, axis=0)),
        (lambda x: np.std(x, ddof=1), lambda x: autobp.std(x, ddof=1)),
        (lambda x: np.ptp(x), lambda x: autobp.ptp(x)),
        (lambda x: np.diff(x, 2), lambda x: autobp.diff(x, 2)),
        (
            lambda x: np.average(x, axis=1, weights=[1.0, 2.0, 3.0]),
            lambda x: autobp.average(x, 1, [1.0, 2.0, 3.0]),
        ),
    ],
)
def test_numpy_functions_on_tensors_differentiate_like_the_ops(np_call, ours):
    data = [[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]
    (want,), g_want = run(ours, data)
    (got,), g_got = run(np_call, data)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(g_got, g_want)
    assert np.any(g_got != 0)
