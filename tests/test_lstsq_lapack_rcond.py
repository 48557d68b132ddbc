"""lstsq's rank cut as LAPACK applies it: xGELSD replaces an rcond outside (0, 1) by its unit
roundoff (numpy's lstsq and torch's driver='gelsd' keep every singular value for rcond=1.0, where
autobp zeroed the solution), xGELSS a negative one; gelsy's full-rank solution is not cut by rcond.
Oracles: numpy.linalg.lstsq, torch.linalg.lstsq, scipy.linalg.lstsq (gelsy)."""

import numpy as np
import pytest
import scipy.linalg

import autobp

torch = pytest.importorskip("torch")

RCONDS = [None, 0.5, 1.0, 2.0, 0.0, -1.0]
SHAPES = [(4, 3), (3, 4), (1, 1), (5, 5)]


def _data(shape, seed=0):
    r = np.random.default_rng(seed)
    return r.random(shape), r.random((shape[0], 2))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("rcond", RCONDS)
def test_numpy_form_rank_and_solution_as_numpy(shape, rcond):
    a, b = _data(shape)
    x, res, rank, s = np.linalg.lstsq(a, b, rcond=rcond)
    ours = autobp.linalg.lstsq(autobp.tensor(a), autobp.tensor(b), rcond)
    assert int(ours[2]) == rank
    np.testing.assert_allclose(np.asarray(ours[0]), x, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.asarray(ours[1]), res, rtol=1e-9, atol=1e-12)
    assert ours.solution is ours[0]  # a named tuple in numpy's order


@pytest.mark.parametrize("driver", ["gelsd", "gelss"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("rcond", RCONDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_svd_drivers_as_torch(driver, shape, rcond, dtype):
    a, b = (x.astype(dtype) for x in _data(shape, 1))
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), rcond=rcond, driver=driver)
    ours = autobp.linalg.lstsq(autobp.tensor(a), autobp.tensor(b), rcond, driver=driver)
    assert int(np.asarray(ours.rank)) == int(theirs.rank)
    tol = 1e-4 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(np.asarray(ours.solution), theirs.solution.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("rcond", [None, 0.5, 1.0, 2.0])
def test_gelsy_full_rank_solution_not_cut(shape, rcond):
    a, b = _data(shape, 2)
    x, _, rank, _ = scipy.linalg.lstsq(a, b, cond=rcond, lapack_driver="gelsy")
    ours = autobp.linalg.lstsq(autobp.tensor(a), autobp.tensor(b), rcond, driver="gelsy")
    assert int(np.asarray(ours.rank)) == rank
    np.testing.assert_allclose(np.asarray(ours.solution), x, rtol=1e-9, atol=1e-12)


def test_rcond_one_gradient_is_the_full_pinv_one():
    a, b = _data((4, 3), 3)
    at = autobp.tensor(a, requires_grad=True)
    autobp.linalg.lstsq(at, autobp.tensor(b), 1.0, driver="gelsd").solution.sum().backward()
    tt = torch.tensor(a, requires_grad=True)
    torch.linalg.lstsq(tt, torch.tensor(b), rcond=1.0, driver="gelsd").solution.sum().backward()
    np.testing.assert_allclose(np.asarray(at.grad), tt.grad.numpy(), rtol=1e-8)


def test_batched_input_takes_torchs_default_gelsy_form():
    r = np.random.default_rng(4)
    a, b = r.random((2, 3, 4, 4)), r.random((2, 3, 4, 2))
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
    ours = autobp.linalg.lstsq(autobp.tensor(a), autobp.tensor(b))
    for o, t in zip(ours, theirs):
        assert np.asarray(o).shape == tuple(t.shape)
        assert np.asarray(o).dtype == t.numpy().dtype
        np.testing.assert_allclose(np.asarray(o), t.numpy(), rtol=1e-9)
    # a single matrix broadcast over a batch of right-hand sides
    theirs = torch.linalg.lstsq(torch.tensor(a[:1, :1]), torch.tensor(b)).solution
    ours = autobp.linalg.lstsq(autobp.tensor(a[:1, :1]), autobp.tensor(b)).solution
    np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-9)
