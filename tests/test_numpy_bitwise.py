"""autobp's forward values are numpy's bit for bit where the op is a numpy function: the same
inputs give the same float64/float32 numbers, not merely close ones. Programs that feed a value
into an ill-conditioned step (sampling from a near-singular covariance, an optimizer's line
search) turn a one-ulp difference into a visibly different result, so "close" is not enough."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import Tensor


def _same(ours: Tensor, theirs: np.ndarray) -> None:
    theirs = np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, (ours.dtype, theirs.dtype)
    assert np.array_equal(ours.data, theirs, equal_nan=True), np.max(np.abs(ours.data - theirs))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (33,), (3, 5), (4, 3, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_default_is_numpys_dot(shape, dtype, keepdims):
    """numpy.linalg.norm(x) (ord None, axis None) is sqrt(dot(r, r)) of the raveled array, a BLAS dot
    whose summation order is not add.reduce's: about a quarter of random draws differed in the last
    bit before the forward used the same dot."""
    rs = np.random.RandomState(sum(shape) + len(shape))
    for _ in range(12):
        a = np.asarray(rs.randn(*shape)).astype(dtype)
        _same(autobp.norm(Tensor(a), keepdims=keepdims), np.linalg.norm(a, keepdims=keepdims))
        _same(autobp.linalg.norm(Tensor(a), keepdims=keepdims), np.linalg.norm(a, keepdims=keepdims))
        if a.ndim:  # a negative-stride view is raveled in memory order, as numpy ravels it
            _same(autobp.norm(Tensor(a)[::-1]), np.linalg.norm(a[::-1]))
        if a.ndim == 2:  # 'fro' of a matrix takes the same path in numpy
            _same(autobp.norm(Tensor(a), "fro"), np.linalg.norm(a, "fro"))
        if a.ndim == 1:  # and so does ord=2 of a vector
            _same(autobp.norm(Tensor(a), 2), np.linalg.norm(a, 2))


def test_norm_default_gradient_is_x_over_norm():
    x = Tensor(np.array([[3.0, 0.0], [0.0, -4.0]]), requires_grad=True)
    autobp.norm(x).backward()
    np.testing.assert_array_equal(x.grad, np.array([[0.6, 0.0], [0.0, -0.8]]))
    autobp.gradcheck(
        lambda t: autobp.norm(t, keepdims=True),
        (Tensor(np.random.RandomState(0).randn(3, 4), requires_grad=True),),
    )


def _rbf(ns, log_scale, log_lengths, x, xp):
    """exp(log_scale) exp(-|x/l - x'/l|^2 / 2): the kernel of a Gaussian-process regression."""
    lengths = ns.exp(log_lengths)
    diffs = ns.expand_dims(x / lengths, 1) - ns.expand_dims(xp / lengths, 0)
    return ns.exp(log_scale) * ns.exp(-0.5 * ns.sum(diffs**2, axis=2))


def _gp_predict(ns, solve, params, x, y, xs):
    """Predictive mean and covariance of a GP at ``xs`` (noise exp(params[1]) + 1e-4)."""
    mean, noise = params[0], ns.exp(params[1]) + 0.0001
    k_ss = _rbf(ns, params[2], params[3:], xs, xs)
    k_xs = _rbf(ns, params[2], params[3:], x, xs)
    k_xx = _rbf(ns, params[2], params[3:], x, x) + noise * ns.eye(len(y))
    pred_mean = mean + ns.dot(solve(k_xx, k_xs).T, y - mean)
    pred_cov = k_ss - ns.dot(solve(k_xx, k_xs).T, k_xs)
    return pred_mean, pred_cov


def test_gaussian_process_prediction_is_numpys():
    """The whole forward of a GP prediction (exp, broadcasting, power, sum, eye, solve, dot):
    sampling from the predictive covariance (numpy's multivariate_normal, an SVD of a near-singular
    matrix) magnifies any last-bit difference in it to the third significant digit."""
    rs = np.random.RandomState(0)
    x = np.concatenate([np.linspace(0, 3, 10), np.linspace(6, 8, 10)])[:, None] / 2.0 - 2.0
    y = np.cos(x[:, 0]) / 2.0 + 0.05 * rs.randn(20)
    xs = np.linspace(-7, 7, 60)[:, None]
    params = 0.1 * rs.randn(4)
    m, c = _gp_predict(autobp, autobp.linalg.solve, Tensor(params), Tensor(x), Tensor(y), Tensor(xs))
    m0, c0 = _gp_predict(np, np.linalg.solve, params, x, y, xs)
    _same(m, m0)
    _same(c, c0)


def _advect(ns, f, vx, vy):
    """Semi-Lagrangian advection of ``f`` on a periodic grid: bilinear interpolation at the points
    the velocity came from (floor, integer indices, mod, fancy indexing)."""
    rows, cols = f.shape
    cell_y, cell_x = np.meshgrid(np.arange(rows), np.arange(cols))
    cx, cy = ns.ravel(cell_x - vx), ns.ravel(cell_y - vy)
    left = np.floor(np.asarray(cx.data if isinstance(cx, Tensor) else cx)).astype(int)
    top = np.floor(np.asarray(cy.data if isinstance(cy, Tensor) else cy)).astype(int)
    rw, bw = cx - left, cy - top
    left, top = np.mod(left, rows), np.mod(top, cols)
    right, bot = np.mod(left + 1, rows), np.mod(top + 1, cols)
    flat = (1 - rw) * ((1 - bw) * f[left, top] + bw * f[left, bot]) + rw * (
        (1 - bw) * f[right, top] + bw * f[right, bot]
    )
    return ns.reshape(flat, (rows, cols))


def _relax(ns, vx, vy):
    """Ten Jacobi sweeps for the pressure of a periodic velocity field (np.roll stencils)."""
    h = 1.0 / vx.shape[0]
    div = (
        -0.5
        * h
        * (
            ns.roll(vx, -1, axis=0)
            - ns.roll(vx, 1, axis=0)
            + ns.roll(vy, -1, axis=1)
            - ns.roll(vy, 1, axis=1)
        )
    )
    p = ns.zeros(vx.shape)
    for _ in range(10):
        p = (
            div
            + ns.roll(p, 1, axis=0)
            + ns.roll(p, -1, axis=0)
            + ns.roll(p, 1, axis=1)
            + ns.roll(p, -1, axis=1)
        ) / 4.0
    return vx - 0.5 * (ns.roll(p, -1, axis=0) - ns.roll(p, 1, axis=0)) / h


def test_fluid_step_is_numpys():
    """A few steps of a grid fluid simulation (advection and pressure relaxation) are numpy's
    numbers exactly: an optimizer run over a hundred such steps then follows numpy's path."""
    rs = np.random.RandomState(1)
    f, vx, vy = rs.rand(12, 12), 2.0 * rs.randn(12, 12), 2.0 * rs.randn(12, 12)
    ours, theirs = (Tensor(f), Tensor(vx), Tensor(vy)), (f, vx, vy)
    for _ in range(3):
        ours = (_advect(autobp, *ours), _relax(autobp, ours[1], ours[2]), ours[2])
        theirs = (_advect(np, *theirs), _relax(np, theirs[1], theirs[2]), theirs[2])
        for o, t in zip(ours, theirs):
            _same(o, t)
