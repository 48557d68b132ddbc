"""scipy names beyond the op table: sqrtm's complex roots, solve_banded's unused corners,
multivariate_normal with allow_singular=True against scipy, and autobp.signal.convolve's
axes=/dot_axes= extension against scipy loops, tensordot and PyTorch's conv1d."""

import numpy as np
import pytest
import scipy.linalg as sl
import scipy.signal as ss
import scipy.stats

import autobp
from autobp import Tensor, gradcheck, gradgradcheck

la = autobp.linalg
mvn = autobp.stats.multivariate_normal


def leaf(a):
    return Tensor(np.array(a, dtype=np.float64), requires_grad=True)


# --- sqrtm, solve_banded ------------------------------------------------------------------------------
def test_sqrtm_of_a_matrix_with_negative_eigenvalues_is_scipys_complex_root_and_differentiable():
    a = np.array([[0.5, 0.7, 1.1], [0.7, -0.2, 0.3], [1.1, 0.3, -0.5]])
    root = la.sqrtm(a)
    assert root.dtype == np.complex128
    np.testing.assert_allclose(root.data, sl.sqrtm(a), atol=1e-12)
    np.testing.assert_allclose((root @ root).data, a, atol=1e-12)
    x = leaf(a)
    assert gradcheck(lambda m: la.sqrtm(m).real, [x]) and gradcheck(lambda m: la.sqrtm(m).imag, [x])
    assert gradgradcheck(lambda m: la.sqrtm(m).imag, [x])


def test_solve_banded_gives_the_unused_corners_of_ab_a_zero_gradient():
    ab = leaf([[9.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [1.0, 2.0, 3.0, 9.0]])  # (l, u) = (1, 1)
    b = leaf([1.0, 2.0, 3.0, 4.0])
    la.solve_banded((1, 1), ab, b).sum().backward()
    assert ab.grad[0, 0] == 0.0 and ab.grad[2, -1] == 0.0
    dense = np.diag(ab.data[1]) + np.diag(ab.data[0, 1:], 1) + np.diag(ab.data[2, :-1], -1)
    np.testing.assert_allclose(b.grad, np.linalg.solve(dense.T, np.ones(4)))


def test_solve_banded_and_sylvester_name_the_shapes_they_refuse():
    with pytest.raises(ValueError, match=r"ab must be of shape \(3, M\)"):
        la.solve_banded((1, 1), np.ones((2, 4)), np.ones(4))
    with pytest.raises(ValueError, match=r"q of shape \(2, 2\) does not match"):
        la.solve_sylvester(np.eye(2), np.eye(3), np.ones((2, 2)))


# --- multivariate_normal(allow_singular=True) ---------------------------------------------------------
def _low_rank(seed=0):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((4, 2))
    return rng, w, rng.standard_normal(4)


def test_singular_mvn_matches_scipy_on_and_off_the_support():
    rng, w, mean = _low_rank()
    cov = w @ w.T
    on = mean + rng.standard_normal((3, 2)) @ w.T
    off = on + rng.standard_normal((3, 4))
    for x in (on, off, on[0]):
        ours = mvn.logpdf(x, mean, cov, allow_singular=True)
        np.testing.assert_allclose(
            ours.data, scipy.stats.multivariate_normal.logpdf(x, mean, cov, allow_singular=True)
        )
    np.testing.assert_allclose(
        mvn.pdf(on, mean, cov, allow_singular=True).data,
        scipy.stats.multivariate_normal.pdf(on, mean, cov, allow_singular=True),
    )


def test_singular_mvn_gradient_in_x_is_minus_the_pseudo_inverse_times_the_deviation():
    rng, w, mean = _low_rank(1)
    cov = w @ w.T
    x = leaf(mean + w @ rng.standard_normal(2))
    mvn.logpdf(x, mean, cov, allow_singular=True).backward()
    np.testing.assert_allclose(x.grad, -np.linalg.pinv(cov) @ (x.data - mean), atol=1e-10)


def test_singular_mvn_is_differentiable_to_second_order_along_rank_preserving_changes():
    rng, w, mean = _low_rank(2)

    def logpdf(t, w_):  # points on the support of cov = w w^T, however w turns
        return mvn.logpdf(mean + t @ w_.T, mean, w_ @ w_.T, allow_singular=True)

    args = [leaf(rng.standard_normal((3, 2))), leaf(w)]
    assert gradcheck(logpdf, args) and gradgradcheck(logpdf, args)


def test_singular_mvn_with_a_definite_cov_is_the_ordinary_density():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 3))
    cov, x = a @ a.T + np.eye(3), rng.standard_normal((4, 3))
    np.testing.assert_allclose(
        mvn.logpdf(x, None, cov, allow_singular=True).data, mvn.logpdf(x, None, cov).data, rtol=1e-12
    )
    with pytest.raises(ValueError, match="positive semidefinite"):
        mvn.logpdf(x, None, -cov, allow_singular=True)


# --- signal.convolve(axes=, dot_axes=) -----------------------------------------------------------------
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_convolve_over_axes_with_a_dot_axis_is_a_sum_of_scipy_convolutions(mode):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 5, 4, 3)), rng.standard_normal((2, 4, 2, 3, 2))
    out = autobp.signal.convolve(a, b, mode, axes=([1, 2], [2, 4]), dot_axes=([0, 3], [0, 3]))
    assert out.shape[0] == 4  # in2's kept axis (in1 keeps none), then the two convolved axes
    expected = sum(ss.convolve(a[i, :, :, j], b[i, 2, :, j, :], mode) for i in range(2) for j in range(3))
    np.testing.assert_allclose(out[2], expected, atol=1e-12)


def test_convolve_with_no_convolution_axes_is_tensordot():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 4))
    out = autobp.signal.convolve(a, b, axes=([], []), dot_axes=([0], [0]))
    np.testing.assert_allclose(out.data, np.tensordot(a, b, axes=([0], [0])))


def test_convolve_dot_axes_as_channels_equals_torch_conv1d_and_its_gradients():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    a, b = leaf(rng.standard_normal((3, 7))), leaf(rng.standard_normal((3, 3)))
    out = autobp.signal.convolve(a, b, axes=([1], [1]), dot_axes=([0], [0]))  # sum over 3 channels
    ta, tb = (torch.tensor(t.data, requires_grad=True) for t in (a, b))
    ref = torch.nn.functional.conv1d(ta[None], tb.flip(-1)[None], padding=2)[0, 0]
    np.testing.assert_allclose(out.data, ref.detach().numpy(), atol=1e-12)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (ref * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(b.grad, tb.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_convolve_axes_gradients_and_second_order(mode):
    rng = np.random.default_rng(3)
    args = [leaf(rng.standard_normal((3, 3, 2))), leaf(rng.standard_normal((3, 2, 3)))]
    fn = lambda x, y: autobp.signal.convolve(x, y, mode, axes=([1], [1]), dot_axes=([0], [2]))  # noqa: E731
    assert gradcheck(fn, args) and gradgradcheck(fn, args)


def test_convolve_axes_refuse_mismatched_pairs():
    with pytest.raises(ValueError, match="dot axes 0 of in1 \\(3, 4\\) and 0 of in2 \\(2, 4\\) differ"):
        autobp.signal.convolve(np.ones((3, 4)), np.ones((2, 4)), axes=([1], [1]), dot_axes=([0], [0]))
    with pytest.raises(ValueError, match="pairs 2 axes of in1 with 1"):
        autobp.signal.convolve(np.ones((3, 4)), np.ones((2, 4)), axes=([0, 1], [1]))
