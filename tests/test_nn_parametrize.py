"""nn.utils.parametrize and nn.utils.parametrizations against torch's: the stored parameters' names,
the parametrized tensor and its gradients, chaining, right_inverse on assignment, cached(), removal;
weight_norm and spectral_norm as parametrizations (spectral_norm with torch's power-iteration vectors)."""

import numpy as np
import pytest

import autobp
from autobp import nn
from autobp.nn.utils import parametrizations, parametrize

torch = pytest.importorskip("torch")
R = np.random.default_rng(4)


def _pair(cls_a, cls_t, *args):
    a, t = cls_a(*args), cls_t(*args).double()
    for name, p in t.named_parameters():
        getattr(a, name).data[...] = p.detach().numpy()
    return a, t


class Symmetric(nn.Module):
    calls = 0

    def forward(self, x):
        Symmetric.calls += 1
        return autobp.triu(x) + autobp.triu(x, 1).T


class TSymmetric(torch.nn.Module):
    def forward(self, x):
        return x.triu() + x.triu(1).T


class Scale(nn.Module):
    def forward(self, x):
        return x * 2.0

    def right_inverse(self, x):
        return x / 2.0


class TScale(torch.nn.Module):
    def forward(self, x):
        return x * 2.0

    def right_inverse(self, x):
        return x / 2.0


def _grads_match(a, t, x):
    ya, yt = a(autobp.tensor(x)), t(torch.tensor(x))
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), rtol=1e-12)
    (ya * ya).sum().backward()
    (yt * yt).sum().backward()
    ga, gt = dict(a.named_parameters()), dict(t.named_parameters())
    assert sorted(ga) == sorted(gt)
    for name in gt:
        np.testing.assert_allclose(ga[name].grad, gt[name].grad.numpy(), rtol=1e-10, err_msg=name)


def test_custom_parametrizations_chain_and_match_torch():
    a, t = _pair(nn.Linear, torch.nn.Linear, 3, 3)
    parametrize.register_parametrization(a, "weight", Symmetric())
    torch.nn.utils.parametrize.register_parametrization(t, "weight", TSymmetric())
    parametrize.register_parametrization(a, "weight", Scale())
    torch.nn.utils.parametrize.register_parametrization(t, "weight", TScale())
    assert type(a).__name__ == "ParametrizedLinear" and type(nn.Linear(2, 2)).__name__ == "Linear"
    assert parametrize.is_parametrized(a, "weight") and not parametrize.is_parametrized(a, "bias")
    assert sorted(a.state_dict()) == sorted(t.state_dict())
    np.testing.assert_allclose(a.weight.data, a.weight.data.T)
    _grads_match(a, t, R.standard_normal((4, 3)))


def test_assignment_goes_through_right_inverse_and_removal_keeps_the_value():
    a = nn.Linear(2, 2)
    parametrize.register_parametrization(a, "weight", Scale())
    target = np.array([[1.0, 2.0], [3.0, 4.0]])
    a.weight = autobp.tensor(target)
    np.testing.assert_allclose(a.parametrizations.weight.original.data, target / 2)
    np.testing.assert_allclose(a.weight.data, target)
    parametrize.remove_parametrizations(a, "weight")
    assert type(a) is nn.Linear and isinstance(a.weight, nn.Parameter)
    np.testing.assert_allclose(a.weight.data, target)
    assert "parametrizations" not in dict(a.named_modules())
    with pytest.raises(ValueError, match="does not have a parametrization on weight"):
        parametrize.remove_parametrizations(a, "weight")


def test_cached_computes_once_per_block():
    a = nn.Linear(3, 3)
    parametrize.register_parametrization(a, "weight", Symmetric())
    Symmetric.calls = 0
    with parametrize.cached():
        w1, w2 = a.weight, a.weight
    assert w1 is w2 and Symmetric.calls == 1
    assert a.weight is not w1  # outside the block: computed again
    assert Symmetric.calls == 2


def test_a_shape_changing_parametrization_needs_unsafe():
    class Flat(nn.Module):
        def forward(self, x):
            return x.reshape(-1)

    with pytest.raises(ValueError, match="unsafe"):
        parametrize.register_parametrization(nn.Linear(2, 2), "weight", Flat())


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_matches_torch(dim):
    a, t = _pair(nn.Linear, torch.nn.Linear, 3, 4)
    parametrizations.weight_norm(a, dim=dim)
    torch.nn.utils.parametrizations.weight_norm(t, dim=dim)
    _grads_match(a, t, R.standard_normal((5, 3)))


def test_spectral_norm_matches_torch_given_its_vectors():
    a, t = _pair(nn.Linear, torch.nn.Linear, 4, 3)
    parametrizations.spectral_norm(a)
    torch.nn.utils.parametrizations.spectral_norm(t)
    for buf in ("_u", "_v"):
        getattr(a.parametrizations.weight[0], buf).data[...] = getattr(
            t.parametrizations.weight[0], buf
        ).numpy()
    x = R.standard_normal((2, 4))
    for _ in range(2):  # training: a power step per access
        np.testing.assert_allclose(a.weight.data, t.weight.detach().numpy(), rtol=1e-10)
    a.zero_grad()
    t.zero_grad()
    _grads_match(a, t, x)
    singular = np.linalg.svd(a.weight.data, compute_uv=False)[0]
    assert abs(singular - 1.0) < 0.05  # W / sigma has spectral norm close to 1
