"""Normalisation layers against PyTorch: outputs, gradients and running statistics over several
training steps and in evaluation, for every switch (momentum None, affine, track_running_stats)."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch, load_from_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(2)


def _steps(ours, theirs, shape, steps=3):
    """Train-mode calls (running statistics move), then an eval-mode call; all compared."""
    load_from_torch(ours, theirs.double())
    for _ in range(steps):
        compare_with_torch(ours, theirs, rng.standard_normal(shape) * 2 + 1, load=False)
    ours.eval(), theirs.eval()
    compare_with_torch(ours, theirs, rng.standard_normal(shape), load=False)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(momentum=None),
        dict(momentum=0.3, affine=False),
        dict(track_running_stats=False),
        dict(eps=1e-3, momentum=None, affine=False),
    ],
)
def test_batchnorm2d_matches_torch_over_steps(kw):
    ours, theirs = nn.BatchNorm2d(3, **kw), torch.nn.BatchNorm2d(3, **kw)
    theirs.weight is not None and torch.nn.init.uniform_(theirs.weight)  # not the trivial ones
    _steps(ours, theirs, (4, 3, 3, 2))


@pytest.mark.parametrize("shape", [(5, 4), (3, 4, 6)])
def test_batchnorm1d_matches_torch_over_steps(shape):
    ours, theirs = nn.BatchNorm1d(4, momentum=None), torch.nn.BatchNorm1d(4, momentum=None)
    _steps(ours, theirs, shape)


def test_batchnorm_state_dict_keys_and_buffers():
    bn = nn.BatchNorm2d(2)
    assert list(bn.state_dict()) == list(torch.nn.BatchNorm2d(2).state_dict())
    assert bn.state_dict()["num_batches_tracked"].dtype == np.int64
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    bn(rng.standard_normal((3, 2, 2, 2)))
    assert int(bn.num_batches_tracked.data) == 1
    bn.eval()(rng.standard_normal((3, 2, 2, 2)))
    assert int(bn.num_batches_tracked.data) == 1  # evaluation does not count


def test_batchnorm_one_value_per_channel_is_an_error():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(np.zeros((1, 3)))


@pytest.mark.parametrize("kw", [dict(), dict(affine=True), dict(track_running_stats=True, momentum=0.2)])
def test_instancenorm2d_matches_torch(kw):
    _steps(nn.InstanceNorm2d(3, **kw), torch.nn.InstanceNorm2d(3, **kw), (2, 3, 4, 3))


@pytest.mark.parametrize(
    "shape, kw",
    [((4,), dict()), ((3, 4), dict(elementwise_affine=False)), ((4,), dict(bias=False, eps=1e-3))],
)
def test_layernorm_matches_torch(shape, kw):
    ours, theirs = nn.LayerNorm(shape, **kw), torch.nn.LayerNorm(shape, **kw)
    for p in theirs.parameters():
        torch.nn.init.normal_(p)
    compare_with_torch(ours, theirs, rng.standard_normal((2, 5, 3, 4)))


def test_groupnorm_and_rmsnorm_match_torch():
    gn = torch.nn.GroupNorm(2, 6)
    torch.nn.init.normal_(gn.weight), torch.nn.init.normal_(gn.bias)
    compare_with_torch(nn.GroupNorm(2, 6), gn, rng.standard_normal((3, 6, 2, 3)))
    compare_with_torch(
        nn.GroupNorm(3, 6, affine=False),
        torch.nn.GroupNorm(3, 6, affine=False),
        rng.standard_normal((3, 6, 5)),
    )
    rms = torch.nn.RMSNorm((3, 4))
    torch.nn.init.normal_(rms.weight)
    compare_with_torch(nn.RMSNorm((3, 4)), rms, rng.standard_normal((2, 3, 4)))
    compare_with_torch(nn.RMSNorm(4, eps=1e-2), torch.nn.RMSNorm(4, eps=1e-2), rng.standard_normal((2, 3, 4)))


@pytest.mark.parametrize(
    "fn",
    [
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        lambda x, w, b: F.layer_norm(x, (3,), w, b),
        lambda x, w, b: F.group_norm(x.reshape(2, 3, 2), 1, w, b),
        lambda x, w, b: F.instance_norm(x.reshape(2, 3, 2), weight=w, bias=b),
        lambda x, w, b: F.rms_norm(x, (3,), w) + b,
    ],
)
def test_functional_norms_match_finite_differences(fn):
    xs = [Tensor(rng.standard_normal(s), requires_grad=True) for s in ((4, 3), (3,), (3,))]
    assert autobp.gradcheck(fn, xs)
    assert autobp.gradgradcheck(fn, xs)


def test_train_and_eval_flags_propagate():
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.BatchNorm1d(2), nn.Dropout()))
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_batchnorm3d_and_instancenorm1d_match_torch():
    _steps(nn.BatchNorm3d(2), torch.nn.BatchNorm3d(2), (3, 2, 2, 2, 3))
    kw = dict(affine=True, track_running_stats=True)
    _steps(nn.InstanceNorm1d(3, **kw), torch.nn.InstanceNorm1d(3, **kw), (2, 3, 5))


@pytest.mark.parametrize(
    "kw, shape",
    [
        (dict(), (2, 3, 2, 3, 4)),
        (dict(affine=True, track_running_stats=True, momentum=0.3), (2, 3, 3, 2, 2)),
        (dict(affine=True), (3, 2, 3, 2)),  # unbatched (C, D, H, W)
    ],
)
def test_instancenorm3d_matches_torch(kw, shape):
    _steps(nn.InstanceNorm3d(3, **kw), torch.nn.InstanceNorm3d(3, **kw), shape)


def test_instancenorm3d_other_channels_warn_as_torch():
    # without affine weights or running statistics num_features is unused: torch warns and normalises
    with pytest.warns(UserWarning, match="does not match num_features"):
        y = nn.InstanceNorm3d(3)(np.ones((2, 4, 2, 2, 2)))
    assert y.shape == tuple(torch.nn.InstanceNorm3d(3)(torch.ones(2, 4, 2, 2, 2)).shape)
    with pytest.raises(ValueError, match="InstanceNorm3d"):  # the wrong number of dimensions
        nn.InstanceNorm3d(3)(np.zeros((2, 3, 2, 2, 2, 2)))
