"""PyTorch's keywords on numpy-named functions, with torch as the oracle: nonzero(as_tuple=),
trapezoid(dim=), diagflat(offset=), cdist(compute_mode=)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])


@pytest.mark.parametrize("x", [X, X[0], np.float64(3.0), np.float64(0.0)], ids=["2d", "1d", "0d", "0d-zero"])
@pytest.mark.parametrize("as_tuple", [False, True])
def test_nonzero_as_tuple(x, as_tuple):
    want = torch.nonzero(torch.tensor(x), as_tuple=as_tuple)
    got = autobp.nonzero(autobp.tensor(x), as_tuple=as_tuple)
    if as_tuple:
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.data, w.numpy())
    else:
        assert got.shape == tuple(want.shape)
        np.testing.assert_array_equal(got.data, want.numpy())
    if not as_tuple:  # the method too
        np.testing.assert_array_equal(autobp.tensor(x).nonzero(as_tuple=False).data, want.numpy())


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_trapezoid_dim(dim):
    tx = torch.tensor(X, requires_grad=True)
    want = torch.trapezoid(tx, dim=dim)
    (tg,) = torch.autograd.grad(want.sum(), tx)
    ax = autobp.tensor(X, requires_grad=True)
    got = autobp.trapezoid(ax, dim=dim)
    (ag,) = autobp.autograd.grad(got.sum(), ax)
    np.testing.assert_allclose(got.data, want.detach().numpy())
    np.testing.assert_allclose(np.asarray(ag), tg.numpy())


@pytest.mark.parametrize("offset", [0, 2, -1])
def test_diagflat_offset(offset):
    np.testing.assert_array_equal(
        autobp.diagflat(autobp.tensor(X), offset=offset).data,
        torch.diagflat(torch.tensor(X), offset=offset).numpy(),
    )


@pytest.mark.parametrize(
    "mode", ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"]
)
def test_cdist_compute_mode(mode):
    a, b = np.random.default_rng(0).standard_normal((2, 4, 3))
    want = torch.cdist(torch.tensor(a), torch.tensor(b), 2.0, mode).numpy()
    np.testing.assert_allclose(
        autobp.cdist(autobp.tensor(a), autobp.tensor(b), 2.0, mode).data, want, rtol=1e-12
    )
    with pytest.raises(ValueError, match="compute_mode"):
        autobp.cdist(autobp.tensor(a), autobp.tensor(b), 2.0, "fast")


def test_logspace_fourth_argument_is_numpys_endpoint_and_a_number_there_is_refused():
    """numpy's order (start, stop, num, endpoint, base): torch's logspace(start, end, steps, base)
    would silently read base as endpoint, so a number other than 0/1 there raises; by keyword it is
    PyTorch's result."""
    with pytest.raises(TypeError, match="base="):
        autobp.logspace(0, -3, 2, 2.0)
    want = torch.logspace(0, -3, 4, 2.0, dtype=torch.float64).numpy()
    np.testing.assert_allclose(autobp.logspace(0, -3, 4, base=2.0).data, want)
    np.testing.assert_allclose(autobp.logspace(0, 2, 3, False).data, np.logspace(0, 2, 3, False))
    np.testing.assert_allclose(autobp.logspace(0, 2, 3, 0).data, np.logspace(0, 2, 3, 0))


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize(
    "flags", [(i, v, c) for i in (False, True) for v in (False, True) for c in (False, True)]
)
def test_unique_returns_what_numpy_returns(flags, axis):
    """Every combination of return_index/inverse/counts gives numpy's arrays (counts alone were
    dropped before)."""
    x = np.array([[3.0, 1.0, 3.0], [3.0, 1.0, 3.0], [2.0, 1.0, 0.0]])
    want = np.unique(x, *flags, axis=axis)
    got = autobp.unique(autobp.tensor(x), *flags, axis=axis)
    want, got = (want if isinstance(want, tuple) else (want,)), (got if isinstance(got, tuple) else (got,))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.data, w)


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_unique_torch_keywords(dim):
    x = np.array([[3.0, 1.0, 3.0], [3.0, 1.0, 3.0], [2.0, 1.0, 0.0]])
    want = torch.unique(torch.tensor(x), sorted=True, return_counts=True, dim=dim)
    got = autobp.unique(autobp.tensor(x), sorted=True, return_counts=True, dim=dim)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.data, w.numpy())
