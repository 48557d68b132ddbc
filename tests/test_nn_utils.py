"""nn.utils vs torch.nn.utils: clip_grad_norm_ (every norm type, the returned total, nonfinite
handling), clip_grad_value_, parameters_to_vector / vector_to_parameters."""

import numpy as np
import pytest

from autobp import Tensor, nn
from autobp.nn import utils

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(0)
SHAPES = [(3, 4), (5,), (2, 2, 2)]


def _both(scale=1.0, dtype=np.float64):
    grads = [(RNG.standard_normal(s) * scale).astype(dtype) for s in SHAPES]
    ours = [nn.Parameter(np.zeros(s, dtype=dtype)) for s in SHAPES]
    theirs = [
        torch.zeros(s, dtype=torch.float64 if dtype == np.float64 else torch.float32, requires_grad=True)
        for s in SHAPES
    ]
    for p, tp, g in zip(ours, theirs, grads):
        p.grad, tp.grad = g.copy(), torch.tensor(g.copy())
    ours.append(nn.Parameter(np.zeros(2)))  # no grad: skipped
    theirs.append(torch.zeros(2, requires_grad=True))
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), 0.5])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])  # clipping, and not (grads scaled by exactly 1)
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _both()
    total = utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, Tensor) and total.shape == ()
    np.testing.assert_allclose(total.item(), ttotal.item(), rtol=1e-12)
    for p, tp in zip(ours, theirs):
        if tp.grad is None:
            assert p.grad is None
        else:
            np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-12)
    if max_norm < total.item():  # after clipping the norm is max_norm (up to the 1e-6 guard)
        after = utils.get_total_norm([p.grad for p in ours if p.grad is not None], norm_type)
        assert after.item() == pytest.approx(max_norm, rel=1e-5)


def test_clip_grad_norm_keeps_float32_and_accepts_one_tensor():
    ours, _ = _both(dtype=np.float32)
    total = utils.clip_grad_norm_(ours[0], 0.1)
    assert total.dtype == np.float32 and ours[0].grad.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours[0].grad), 0.1, rtol=1e-5)


def test_clip_grad_norm_nonfinite_raises_on_request_and_spreads_nan_otherwise():
    ours, theirs = _both()
    ours[0].grad[0, 0] = np.inf
    theirs[0].grad[0, 0] = np.inf
    with pytest.raises(RuntimeError, match="inf"):
        utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    total = utils.clip_grad_norm_(ours, 1.0)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert total.item() == ttotal.item() == np.inf
    for p, tp in zip(ours[:3], theirs):
        np.testing.assert_array_equal(p.grad, tp.grad.numpy())  # inf * 0 = nan, 0 * finite = 0


def test_clip_grad_norm_without_grads_returns_zero():
    assert utils.clip_grad_norm_([nn.Parameter(np.ones(2))], 1.0).item() == 0.0


def test_clip_grad_value_matches_torch():
    ours, theirs = _both(scale=3.0)
    utils.clip_grad_value_(ours, 1.5)
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for p, tp in zip(ours[:3], theirs):
        np.testing.assert_array_equal(p.grad, tp.grad.numpy())
    assert max(np.abs(p.grad).max() for p in ours[:3]) == 1.5


def test_parameters_to_vector_and_back():
    ps = [nn.Parameter(RNG.standard_normal(s)) for s in SHAPES]
    tps = [torch.tensor(p.data.copy(), requires_grad=True) for p in ps]
    vec = utils.parameters_to_vector(ps)
    tvec = torch.nn.utils.parameters_to_vector(tps)
    np.testing.assert_array_equal(vec.data, tvec.detach().numpy())
    w = RNG.standard_normal(vec.shape)
    (vec * w).sum().backward()  # differentiable: each parameter receives its slice of w
    (tvec * torch.tensor(w)).sum().backward()
    for p, tp in zip(ps, tps):
        np.testing.assert_array_equal(p.grad, tp.grad.numpy())
    new = Tensor(np.arange(vec.size, dtype=float))
    versions = [p._version for p in ps]
    utils.vector_to_parameters(new, ps)
    np.testing.assert_array_equal(np.concatenate([p.data.ravel() for p in ps]), new.data)
    assert all(p._version > v for p, v in zip(ps, versions))  # recorded as in-place writes
    with pytest.raises(ValueError, match=r"\(3,\) must be 1-D with 25 elements"):
        utils.vector_to_parameters(Tensor(np.zeros(3)), ps)
    with pytest.raises(TypeError, match="Tensor"):
        utils.vector_to_parameters(np.zeros(25), ps)
