"""interp at the points the op table avoids: exactly at the knots (the derivative in x is the slope
of the segment to the right, the last segment's at xp[-1], as a PyTorch user's floor-based
interpolation gives), outside the knots (gradient 0 in x, 1 to left/right), complex values, errors."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

XP = np.array([0.0, 1.0, 3.0, 4.0])
FP = np.array([1.0, 3.0, 2.0, 6.0])
SLOPES = np.diff(FP) / np.diff(XP)  # 2, -0.5, 4


def _grads(x, xp=XP, fp=FP, **kw):
    xt, xpt, fpt = (Tensor(np.asarray(a, float), requires_grad=True) for a in (x, xp, fp))
    out = autobp.interp(xt, xpt, fpt, **kw)
    out.sum().backward()
    return out.data, xt.grad, xpt.grad, fpt.grad


def _torch_interp(torch, x, xp, fp):
    """How a PyTorch user writes interp: the segment from searchsorted(right=True) - 1, clamped."""
    j = (torch.searchsorted(xp, x, right=True) - 1).clamp(0, len(xp) - 2)
    t = (x - xp[j]) / (xp[j + 1] - xp[j])
    inner = (1 - t) * fp[j] + t * fp[j + 1]
    return torch.where(x < xp[0], fp[0], torch.where(x > xp[-1], fp[-1], inner))


def test_values_at_the_knots_are_the_knot_values_exactly():
    out, *_ = _grads(XP)
    np.testing.assert_array_equal(out, FP)
    np.testing.assert_array_equal(out, np.interp(XP, XP, FP))


def test_derivative_in_x_at_a_knot_is_the_right_segments_slope_and_the_last_segments_at_the_end():
    _, gx, _, _ = _grads(XP)
    np.testing.assert_array_equal(gx, [SLOPES[0], SLOPES[1], SLOPES[2], SLOPES[2]])


def test_at_the_knots_gradients_match_a_torch_floor_based_interpolation():
    torch = pytest.importorskip("torch")
    x = np.concatenate([XP, [-1.0, 0.5, 2.0, 5.0]])
    _, gx, gxp, gfp = _grads(x)
    tx, txp, tfp = (torch.tensor(a, requires_grad=True) for a in (x, XP, FP))
    _torch_interp(torch, tx, txp, tfp).sum().backward()
    for ours, theirs in ((gx, tx.grad), (gxp, txp.grad), (gfp, tfp.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_outside_the_knots_the_value_is_left_or_right_and_x_gets_no_gradient():
    x = Tensor([-2.0, 7.0], requires_grad=True)
    left, right = Tensor(-5.0, requires_grad=True), Tensor(9.0, requires_grad=True)
    out = autobp.interp(x, XP, FP, left=left, right=right)
    np.testing.assert_array_equal(out.data, [-5.0, 9.0])
    (out * Tensor([2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    assert float(left.grad) == 2.0 and float(right.grad) == 3.0


def test_default_ends_send_the_gradient_to_the_first_and_last_values():
    _, gx, gxp, gfp = _grads([-1.0, 9.0])
    np.testing.assert_array_equal(gfp, [1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(gx, [0.0, 0.0])
    np.testing.assert_array_equal(gxp, np.zeros(4))


def test_gradient_in_the_knots_is_the_derivative_of_the_interpolant():
    # x = 2 lies in [1, 3] at t = 0.5: d/dxp[1] = slope (t - 1), d/dxp[2] = -slope t
    _, _, gxp, gfp = _grads([2.0])
    np.testing.assert_allclose(gxp, [0.0, SLOPES[1] * -0.5, -SLOPES[1] * 0.5, 0.0])
    np.testing.assert_allclose(gfp, [0.0, 0.5, 0.5, 0.0])
    assert autobp.gradcheck(lambda a, b, c: autobp.interp(a, b, c), _leaves([0.3, 2.2, 3.9], XP, FP))


def _leaves(*arrays):
    return [Tensor(np.asarray(a, float), requires_grad=True) for a in arrays]


def test_complex_values_interpolate_real_and_imaginary_parts_as_numpy():
    fp = FP + 1j * np.array([0.5, -1.0, 2.0, 0.0])
    x = np.array([-1.0, 0.5, 2.5, 3.0, 10.0])
    out = autobp.interp(x, XP, fp, left=1j, right=2 + 0j)
    np.testing.assert_allclose(out, np.interp(x, XP, fp, left=1j, right=2 + 0j), rtol=1e-14)
    fpt = Tensor(fp, requires_grad=True)
    w = np.array([1.0, 2.0, -1.0, 0.5, 3.0])
    (autobp.interp(Tensor(x), XP, fpt) * w).real.sum().backward()
    xr = Tensor(FP, requires_grad=True)
    (autobp.interp(Tensor(x), XP, xr) * w).sum().backward()
    np.testing.assert_allclose(fpt.grad.real, xr.grad)  # d Re(out) / d Re(fp) is the real weights


def test_period_wraps_like_numpy():
    x = np.array([-170.0, -10.0, 0.0, 190.0, 350.0])
    xp = np.array([190.0, -190.0, 350.0, -350.0])
    fp = np.array([5.0, 10.0, 3.0, 4.0])
    np.testing.assert_allclose(autobp.interp(x, xp, fp, period=360), np.interp(x, xp, fp, period=360))


def test_numpys_interp_on_a_tensor_dispatches_and_records():
    x = Tensor([0.5, 3.5], requires_grad=True)
    out = np.interp(x, XP, FP)
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [SLOPES[0], SLOPES[2]])


def test_float32_stays_float32_and_integers_give_float64():
    assert (
        autobp.interp(Tensor(np.float32([0.5])), XP.astype(np.float32), FP.astype(np.float32)).dtype
        == np.float32
    )
    assert autobp.interp(np.array([1, 2]), [0, 3], [0, 3]).dtype == np.float64


@pytest.mark.parametrize(
    "args, match",
    [
        (([1.0], [0.0, 1.0], [1.0]), "not of the same length"),
        (([1.0], [], []), "empty"),
        (([1.0], [[0.0, 1.0]], [[0.0, 1.0]]), "1-d"),
        (([1j], [0.0, 1.0], [0.0, 1.0]), "x must be real"),
    ],
)
def test_bad_input_is_refused_clearly(args, match):
    with pytest.raises((ValueError, TypeError), match=match):
        autobp.interp(*(Tensor(np.asarray(a)) for a in args))


def test_period_zero_is_refused():
    with pytest.raises(ValueError, match="period"):
        autobp.interp(Tensor([1.0]), XP, FP, period=0)
