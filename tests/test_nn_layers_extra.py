"""Softmax2d, RReLU, AlphaDropout, FeatureAlphaDropout, LocalResponseNorm, ChannelShuffle and the
Upsampling layers against PyTorch (values and gradients; the random layers by their structure)."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(8)


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (nn.Softmax2d(), torch.nn.Softmax2d(), (2, 3, 4, 2)),
        (nn.Softmax2d(), torch.nn.Softmax2d(), (3, 2, 2)),
        (nn.RReLU().eval(), torch.nn.RReLU().eval(), (3, 4)),
        (nn.RReLU(0.2, 0.6).eval(), torch.nn.RReLU(0.2, 0.6).eval(), (2, 5)),
        (nn.LocalResponseNorm(3), torch.nn.LocalResponseNorm(3), (2, 5, 3)),
        (nn.LocalResponseNorm(4, 0.1, 0.6, 2.0), torch.nn.LocalResponseNorm(4, 0.1, 0.6, 2.0), (2, 6, 2, 3)),
        (nn.LocalResponseNorm(2, 0.5), torch.nn.LocalResponseNorm(2, 0.5), (1, 3, 2, 2, 2)),
        (nn.ChannelShuffle(2), torch.nn.ChannelShuffle(2), (2, 6, 3)),
        (nn.ChannelShuffle(3), torch.nn.ChannelShuffle(3), (1, 6, 2, 2)),
        (nn.UpsamplingNearest2d(scale_factor=2), torch.nn.UpsamplingNearest2d(scale_factor=2), (1, 2, 3, 2)),
        (nn.UpsamplingBilinear2d((5, 4)), torch.nn.UpsamplingBilinear2d((5, 4)), (1, 2, 3, 2)),
        (nn.AlphaDropout(0.3).eval(), torch.nn.AlphaDropout(0.3).eval(), (4, 3)),
    ],
)
def test_layers_match_torch(ours, theirs, shape):
    compare_with_torch(ours, theirs, rng.standard_normal(shape))


def test_rrelu_slope_at_zero_and_finite_differences():
    x = Tensor(np.array([-1.0, 0.0, 2.0]), requires_grad=True)
    tx = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    F.rrelu(x).sum().backward()
    torch.nn.functional.rrelu(tx).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())  # the slope at 0, as PyTorch
    xs = [Tensor(rng.standard_normal((3, 4)) * 2, requires_grad=True)]
    assert autobp.gradcheck(lambda t: F.local_response_norm(t.reshape(1, 3, 4), 2, 0.3, 0.7, 1.5), xs)


def test_rrelu_training_draws_slopes_in_range_and_uses_them_as_gradient():
    x = Tensor(-np.ones((200,)), requires_grad=True)
    y = nn.RReLU(0.1, 0.3, rng=0)(x)
    slopes = -y.data
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.03
    y.sum().backward()
    np.testing.assert_allclose(x.grad, slopes)
    np.testing.assert_array_equal(nn.RReLU(rng=0)(np.array([2.0, 3.0])).data, [2.0, 3.0])


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_keeps_mean_and_variance_and_its_two_values(p):
    x = rng.standard_normal((400, 250))
    y = nn.AlphaDropout(p, rng=1)(x).data
    a = 1 / np.sqrt((1.7580993408473766**2 * p + 1) * (1 - p))
    kept = np.isclose(y, a * x + 1.7580993408473766 * a * p)
    dropped = np.isclose(y, -1.7580993408473766 * a * (1 - p))
    assert np.all(kept | dropped) and abs(dropped.mean() - p) < 0.01
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02  # the point of alpha dropout
    t = torch.nn.AlphaDropout(p)(torch.tensor(x)).numpy()  # torch's values take the same two forms
    assert np.all(np.isclose(t, a * x + 1.7580993408473766 * a * p) | np.isclose(t, y[dropped][0]))


def test_feature_alpha_dropout_drops_whole_channels():
    y = nn.FeatureAlphaDropout(0.5, rng=2)(np.zeros((6, 8, 3, 3))).data.reshape(6, 8, 9)
    assert np.all(y.min(axis=2) == y.max(axis=2)) and len(np.unique(y)) == 2
    np.testing.assert_array_equal(nn.FeatureAlphaDropout(0.5).eval()(np.ones((1, 2, 2))).data, 1.0)


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match="divisible by groups=4"):
        F.channel_shuffle(np.ones((1, 6, 2)), 4)
    with pytest.raises(ValueError, match="3-D or 4-D"):
        nn.Softmax2d()(np.ones((2, 3)))
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        F.local_response_norm(np.ones((2, 3)), 2)
