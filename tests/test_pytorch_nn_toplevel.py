"""PyTorch's top-level nn functions (torch.conv2d, torch.layer_norm, torch.batch_norm's argument order,
torch.kl_div's integer reduction, torch.lstm_cell, ...) against PyTorch: values and every input's
gradient."""

import numpy as np
import pytest

import autobp

from .torch_compare import Const, compare

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)


def rn(*shape):
    return R.standard_normal(shape)


def pos(*shape):
    return R.uniform(0.2, 2.0, shape)


def prob(*shape):
    return R.uniform(0.05, 0.95, shape)


def sign(*shape):
    return np.where(R.random(shape) < 0.5, -1.0, 1.0)


def logp(*shape):
    x = rn(*shape)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


CASES = [
    ("conv1d", (rn(2, 4, 7), rn(6, 2, 3), rn(6)), dict(stride=2, padding=1, groups=2)),
    ("conv2d", (rn(1, 2, 5, 5), rn(3, 2, 2, 3), rn(3)), dict(padding=1, dilation=(1, 2))),
    ("conv3d", (rn(1, 2, 3, 4, 4), rn(2, 2, 2, 2, 2)), {}),
    ("conv_transpose1d", (rn(2, 3, 5), rn(3, 2, 3), rn(2)), dict(stride=2, output_padding=1)),
    ("conv_transpose2d", (rn(1, 2, 3, 3), rn(2, 3, 2, 2)), dict(stride=2, padding=1)),
    ("conv_transpose3d", (rn(1, 2, 2, 2, 2), rn(2, 1, 2, 2, 2)), {}),
    ("conv_tbc", (rn(6, 2, 3), rn(3, 3, 4), rn(4)), dict(pad=1)),
    ("embedding", (rn(5, 3), np.array([[0, 2, 4], [2, 2, 1]])), dict(padding_idx=2)),
    ("layer_norm", (rn(2, 3, 4), [3, 4], rn(3, 4), rn(3, 4)), dict(eps=1e-3)),
    ("group_norm", (rn(2, 4, 3), 2, rn(4), rn(4)), {}),
    ("batch_norm", (rn(4, 3, 2), rn(3), rn(3), None, None, True, 0.1, 1e-5, False), {}),
    ("batch_norm", (rn(4, 3), rn(3), rn(3), Const(rn(3)), Const(pos(3)), False, 0.1, 1e-5, False), {}),
    ("instance_norm", (rn(2, 3, 5), rn(3), rn(3), None, None, True, 0.1, 1e-5, False), {}),
    ("rms_norm", (rn(2, 5), [5], rn(5)), dict(eps=1e-4)),
    ("bilinear", (rn(3, 2), rn(3, 4), rn(5, 2, 4), rn(5)), {}),
    ("cosine_similarity", (rn(3, 4), rn(3, 4)), dict(dim=0)),
    ("pairwise_distance", (rn(3, 4), rn(3, 4)), dict(p=3.0, keepdim=True)),
    ("pixel_shuffle", (rn(1, 8, 2, 3), 2), {}),
    ("pixel_unshuffle", (rn(1, 2, 4, 6), 2), {}),
    ("channel_shuffle", (rn(2, 6, 3), 3), {}),
    ("native_channel_shuffle", (rn(2, 6, 3), 2), {}),
    ("prelu", (rn(2, 3, 4), pos(3)), {}),
    ("selu", (rn(3, 4),), {}),
    ("celu", (rn(3, 4), 0.7), {}),
    ("rrelu", (rn(3, 4),), {}),
    ("threshold", (rn(3, 4), 0.1, -2.0), {}),
    ("hardshrink", (rn(3, 4), 0.4), {}),
    ("kl_div", (logp(3, 4), prob(3, 4)), dict(reduction=2)),
    ("kl_div", (logp(3, 4), logp(3, 4)), dict(reduction=0, log_target=True)),
    ("poisson_nll_loss", (rn(5), pos(5), True, True, 1e-8, 1), {}),
    ("poisson_nll_loss", (pos(5), pos(5), False, False, 1e-8, 0), {}),
    ("binary_cross_entropy_with_logits", (rn(3, 4), prob(3, 4), Const(pos(3, 4)), Const(pos(4)), 1), {}),
    ("binary_cross_entropy_with_logits", (rn(3, 4), prob(3, 4)), dict(reduction=2)),
    ("cosine_embedding_loss", (rn(4, 3), rn(4, 3), sign(4), 0.1), {}),
    ("hinge_embedding_loss", (rn(5), sign(5), 0.5, 2), {}),
    ("margin_ranking_loss", (rn(5), rn(5), sign(5), 0.2, 0), {}),
    ("triplet_margin_loss", (rn(4, 3), rn(4, 3), rn(4, 3)), dict(margin=2.0, swap=True)),
    ("triplet_margin_loss", (rn(4, 3), rn(4, 3), rn(4, 3)), dict(p=1.0, reduction=1)),
    ("kl_div", (logp(3, 4), prob(3, 4)), {}),
    ("kl_div", (logp(3, 4), prob(3, 4), 1), {}),
    ("hinge_embedding_loss", (rn(5), sign(5)), {}),
    ("max_pool1d", (rn(2, 3, 7), 3), dict(stride=2, padding=1)),
    ("max_pool2d", (rn(1, 2, 5, 5), 2), {}),
    ("max_pool3d", (rn(1, 1, 4, 4, 4), 2), dict(ceil_mode=True, stride=3)),
    ("max_pool1d_with_indices", (rn(2, 3, 8), 2), {}),
    ("avg_pool1d", (rn(2, 3, 7), 3), dict(stride=2, padding=1, count_include_pad=False)),
    ("adaptive_avg_pool1d", (rn(2, 3, 7), 3), {}),
    ("adaptive_max_pool1d", (rn(2, 3, 7), 3), {}),
    ("affine_grid_generator", (rn(2, 2, 3), [2, 1, 3, 4], False), {}),
    ("grid_sampler", (rn(1, 2, 4, 5), R.uniform(-0.9, 0.9, (1, 3, 2, 2)), 0, 0, False), {}),
    ("grid_sampler", (rn(1, 2, 4, 5), R.uniform(-1.2, 1.2, (1, 3, 2, 2)), 0, 1, True), {}),
    ("gru_cell", (rn(3, 4), rn(3, 5), rn(15, 4), rn(15, 5), rn(15), rn(15)), {}),
    ("gru_cell", (rn(3, 4), rn(3, 5), rn(15, 4), rn(15, 5)), {}),
    ("rnn_tanh_cell", (rn(3, 4), rn(3, 5), rn(5, 4), rn(5, 5), rn(5), rn(5)), {}),
    ("rnn_relu_cell", (rn(2, 4), rn(2, 5), rn(5, 4), rn(5, 5), rn(5), rn(5)), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_torch(name, args, kwargs):
    compare(
        lambda *a: getattr(autobp, name)(*a, **kwargs),
        lambda *a: getattr(torch, name)(*a, **kwargs),
        *args,
        rtol=1e-8,
        grad=name != "native_channel_shuffle",  # PyTorch has no derivative for it
    )


def test_lstm_cell_matches_torch():
    x, h, c, wi, wh, bi, bh = rn(3, 4), rn(3, 5), rn(3, 5), rn(20, 4), rn(20, 5), rn(20), rn(20)
    compare(
        lambda x, h, c, *w: autobp.lstm_cell(x, (h, c), *w),
        lambda x, h, c, *w: torch.lstm_cell(x, (h, c), *w),
        x, h, c, wi, wh, bi, bh,
    )  # fmt: skip


def test_ctc_loss_matches_torch():
    lp = logp(6, 2, 4)
    targets = np.array([[1, 2, 1], [3, 3, 0]])
    for red in (0, 1, 2):
        compare(
            lambda p, red=red: autobp.ctc_loss(p, targets, [6, 5], [3, 2], 0, red),
            lambda p, red=red: torch.ctc_loss(p, torch.tensor(targets), [6, 5], [3, 2], 0, red),
            lp,
            rtol=1e-7,
        )


@pytest.mark.parametrize("mode", [0, 1, 2])
def test_embedding_bag_matches_torch_with_its_bookkeeping(mode):
    w = rn(10, 3)
    idx, off = np.array([7, 8, 9, 2, 4, 4, 1]), np.array([0, 3, 3])
    ab, th = compare(
        lambda w: autobp.embedding_bag(w, idx, off, False, mode),
        lambda w: torch.embedding_bag(w, torch.tensor(idx), torch.tensor(off), False, mode),
        w,
    )
    ab2, _ = compare(
        lambda w: autobp.embedding_bag(w, idx, off, False, mode, False, None, False, 4),
        lambda w: torch.embedding_bag(
            w, torch.tensor(idx), torch.tensor(off), False, mode, False, None, False, 4
        ),
        w,
    )
    assert ab2[0].shape == (3, 3)


def test_dropout_positional_train_flag_and_scaling():
    x = autobp.ones((200, 50))
    assert autobp.dropout(x, 0.3, False) is x or np.array_equal(autobp.dropout(x, 0.3, False).data, x.data)
    y = autobp.dropout(x, 0.3, True).data
    assert set(np.unique(y)) <= {0.0, 1 / 0.7}
    assert abs((y == 0).mean() - 0.3) < 0.02
    f = autobp.feature_dropout(autobp.ones((40, 30, 5)), 0.5, True).data
    assert np.all(f == f[:, :, :1])  # whole channels
    assert set(np.unique(f)) <= {0.0, 2.0}
    a = autobp.alpha_dropout(x, 0.2, True).data
    assert len(np.unique(a)) == 2  # the kept value and the dropped one, both affinely mapped
    t = autobp.ones(5)
    assert autobp.dropout_(t, 0.0, True) is t
    with pytest.raises(ValueError, match="p must be"):
        autobp.feature_dropout(x, 1.5, True)


def test_dropout_samples_from_the_global_generator():
    autobp.manual_seed(3)
    a = autobp.dropout(autobp.ones(100), 0.5, True).data
    autobp.manual_seed(3)
    b = autobp.dropout(autobp.ones(100), 0.5, True).data
    np.testing.assert_array_equal(a, b)


def test_inplace_activation_forms_match_torch():
    for name, extra in [("selu_", ()), ("celu_", (0.5,)), ("threshold_", (0.2, 9.0)), ("rrelu_", ())]:
        x = rn(3, 4)
        a, t = autobp.tensor(x.copy()), torch.tensor(x.copy())
        assert getattr(autobp, name)(a, *extra) is a
        getattr(torch, name)(t, *extra)
        np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-12)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="reduction"):
        autobp.kl_div(autobp.zeros(3), autobp.zeros(3), 5)
    with pytest.raises(ValueError, match="conv_tbc"):
        autobp.conv_tbc(autobp.zeros((2, 3)), autobp.zeros((1, 3, 2)), autobp.zeros(2))
    with pytest.raises(ValueError, match="gru_cell"):
        autobp.gru_cell(
            autobp.zeros((2, 3)), autobp.zeros((2, 4)), autobp.zeros((12, 3)), autobp.zeros((4, 4))
        )
    with pytest.raises(ValueError, match="grid_sampler"):
        autobp.grid_sampler(autobp.zeros((1, 1, 2, 2)), autobp.zeros((1, 1, 1, 2)), 5, 0, False)
    with pytest.raises(ValueError, match="mode"):
        autobp.embedding_bag(autobp.zeros((3, 2)), [0], [0], False, 3)


def test_gradcheck_lstm_cell():
    x, h, c, wi, wh = (
        autobp.tensor(a, requires_grad=True) for a in (rn(2, 3), rn(2, 2), rn(2, 2), rn(8, 3), rn(8, 2))
    )
    assert autobp.gradcheck(lambda *a: autobp.lstm_cell(a[0], (a[1], a[2]), a[3], a[4])[1], (x, h, c, wi, wh))
