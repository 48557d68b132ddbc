"""gumbel_softmax, the *_with_indices pooling forms, the deprecated upsample functions and pdist in
autobp.nn.functional, against PyTorch (the same noise fed to both for gumbel_softmax)."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional if torch is not None else None


def _noise(seed, shape):
    """The Gumbel noise gumbel_softmax draws after autobp.manual_seed(seed): -log(Exponential(1))."""
    return -np.log(np.random.default_rng(seed).exponential(size=shape))


@pytest.mark.parametrize("dim", [-1, 0])
@pytest.mark.parametrize("tau", [1.0, 0.3])
def test_gumbel_softmax_soft_is_softmax_of_noisy_logits(dim, tau):
    logits = np.random.default_rng(1).standard_normal((3, 4))
    autobp.manual_seed(11)
    x = autobp.tensor(logits, requires_grad=True)
    y = F.gumbel_softmax(x, tau=tau, dim=dim)
    w = np.random.default_rng(2).standard_normal(y.shape)
    (y * w).sum().backward()
    t = torch.tensor(logits, requires_grad=True)
    ty = torch.softmax((t + torch.tensor(_noise(11, logits.shape))) / tau, dim=dim)
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(y.data.sum(axis=dim), 1.0)


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient():
    logits = np.random.default_rng(3).standard_normal((5, 3))
    autobp.manual_seed(4)
    x = autobp.tensor(logits, requires_grad=True)
    y = F.gumbel_softmax(x, tau=0.5, hard=True)
    assert set(np.unique(y.data)) <= {0.0, 1.0} and np.all(y.data.sum(axis=-1) == 1.0)
    w = np.random.default_rng(5).standard_normal(y.shape)
    (y * w).sum().backward()
    t = torch.tensor(logits, requires_grad=True)
    soft = torch.softmax((t + torch.tensor(_noise(4, logits.shape))) / 0.5, dim=-1)
    np.testing.assert_array_equal(np.argmax(y.data, -1), soft.argmax(-1).numpy())
    (soft * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_gumbel_softmax_draws_from_the_global_generator():
    logits = np.zeros((2, 6))
    autobp.manual_seed(0)
    a = F.gumbel_softmax(logits).data
    b = F.gumbel_softmax(logits).data
    autobp.manual_seed(0)
    np.testing.assert_array_equal(F.gumbel_softmax(logits).data, a)
    assert not np.array_equal(a, b)
    with pytest.raises(ValueError, match="gumbel_softmax: tau must be positive"):
        F.gumbel_softmax(logits, tau=0.0)
    with pytest.raises(
        ValueError, match=r"gumbel_softmax: dim 2 is out of range for logits of shape \(2, 6\)"
    ):
        F.gumbel_softmax(logits, dim=2)


@pytest.mark.parametrize(
    "name,shape,args",
    [
        ("max_pool1d_with_indices", (2, 3, 7), (3, 2, 1)),
        ("max_pool2d_with_indices", (1, 2, 5, 6), (2, 2, 1)),
        ("max_pool3d_with_indices", (1, 2, 4, 4, 5), (2, 2, 0)),
        ("adaptive_max_pool1d_with_indices", (2, 3, 7), (3,)),
        ("adaptive_max_pool2d_with_indices", (1, 2, 5, 6), ((2, 4),)),
        ("adaptive_max_pool3d_with_indices", (1, 2, 4, 4, 5), ((2, 3, 2),)),
    ],
)
def test_with_indices_forms_match_torch(name, shape, args):
    x = np.random.default_rng(6).standard_normal(shape)
    t = torch.tensor(x, requires_grad=True)
    tv, ti = getattr(TF, name)(t, *args)
    a = autobp.tensor(x, requires_grad=True)
    v, i = getattr(F, name)(a, *args)
    np.testing.assert_allclose(v.data, tv.detach().numpy())
    np.testing.assert_array_equal(i.data, ti.numpy())
    w = np.random.default_rng(7).standard_normal(v.shape)
    (v * w).sum().backward()
    (tv * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, t.grad.numpy())


@pytest.mark.parametrize(
    "name,kwargs,shape",
    [
        ("upsample", {"scale_factor": 2}, (1, 2, 3, 4)),
        ("upsample", {"size": (5, 7), "mode": "bilinear", "align_corners": False}, (1, 2, 3, 4)),
        ("upsample", {"size": 6, "mode": "linear"}, (1, 2, 4)),
        ("upsample_nearest", {"size": (5, 7)}, (1, 2, 3, 4)),
        ("upsample_bilinear", {"scale_factor": 2}, (1, 2, 3, 4)),
        ("upsample_bilinear", {"size": (5, 3)}, (2, 1, 3, 4)),
    ],
)
def test_deprecated_upsample_functions_match_torch(name, kwargs, shape):
    x = np.random.default_rng(8).standard_normal(shape)
    t = torch.tensor(x, requires_grad=True)
    with pytest.warns(UserWarning, match="deprecated"):
        ty = getattr(TF, name)(t, **kwargs)
    a = autobp.tensor(x, requires_grad=True)
    with pytest.warns(UserWarning, match="deprecated"):
        y = getattr(F, name)(a, **kwargs)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    w = np.random.default_rng(9).standard_normal(y.shape)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_pdist_is_torchs():
    x = np.random.default_rng(10).standard_normal((5, 3))
    for p in (1.0, 2.0, 3.5):
        np.testing.assert_allclose(F.pdist(x, p).data, TF.pdist(torch.tensor(x), p).numpy(), rtol=1e-12)
    assert F.pdist is autobp.pdist
