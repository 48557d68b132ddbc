"""InverseGamma, Weibull and Pareto against torch.distributions: values, moments, entropy, cdf, shapes
and gradients of log_prob and rsample."""

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")

_R = np.random.default_rng(11)
# parameters straddling the moment thresholds (a, alpha = 1 and 2)
_A = np.array([0.6, 1.5, 2.5, 4.0])
_B = _R.random(4) + 0.5
_CASES = {"InverseGamma": (_A, _B), "Weibull": (_B, _A), "Pareto": (_B, _A)}


def _both(name):
    args = _CASES[name]
    ta = [torch.tensor(a, requires_grad=True) for a in args]
    aa = [autobp.tensor(a, requires_grad=True) for a in args]
    return getattr(torch.distributions, name)(*ta), getattr(D, name)(*aa), ta, aa


@pytest.mark.parametrize("name", list(_CASES))
def test_moments_entropy_and_support_as_torch(name):
    td, ad, _, _ = _both(name)
    for attr in ("mean", "mode", "variance", "stddev"):
        np.testing.assert_allclose(getattr(ad, attr), getattr(td, attr).detach().numpy(), rtol=1e-9)
    np.testing.assert_allclose(ad.entropy(), td.entropy().detach().numpy(), rtol=1e-9)
    assert ad.batch_shape == tuple(td.batch_shape) and ad.event_shape == ()
    assert ad.has_rsample and td.has_rsample
    x = td.sample((3,))
    np.testing.assert_array_equal(ad.support.check(autobp.tensor(x.numpy())), td.support.check(x).numpy())


@pytest.mark.parametrize("name", list(_CASES))
def test_log_prob_cdf_icdf_and_their_gradients_as_torch(name):
    td, ad, ta, aa = _both(name)
    torch.manual_seed(0)
    x = td.sample((5,))
    xa = autobp.tensor(x.numpy())
    lt, la = td.log_prob(x), ad.log_prob(xa)
    np.testing.assert_allclose(la, lt.detach().numpy(), rtol=1e-9)
    np.testing.assert_allclose(ad.cdf(xa), td.cdf(x).detach().numpy(), rtol=1e-9)
    q = torch.full((4,), 0.3, dtype=torch.float64)
    if name == "InverseGamma":  # a Gamma has no icdf in either library
        with pytest.raises(NotImplementedError):
            td.icdf(q)
        with pytest.raises(NotImplementedError):
            ad.icdf(autobp.tensor(q.numpy()))
    else:
        np.testing.assert_allclose(ad.icdf(autobp.tensor(q.numpy())), td.icdf(q).detach().numpy(), rtol=1e-9)
    lt.sum().backward()
    la.sum().backward()
    for a, t in zip(aa, ta):
        np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-8)


@pytest.mark.parametrize("name", list(_CASES))
def test_rsample_is_differentiable_and_expand_keeps_moments(name):
    _, ad, _, aa = _both(name)
    s = ad.rsample((2,))
    assert s.shape == (2, 4)
    s.sum().backward()
    assert all(a.grad is not None and np.all(np.isfinite(a.grad)) for a in aa)
    e = ad.expand((3, 4))
    assert type(e) is type(ad) and e.batch_shape == (3, 4) and e.sample().shape == (3, 4)
    np.testing.assert_allclose(e.mean, np.broadcast_to(ad.mean.detach().numpy(), (3, 4)))


@pytest.mark.parametrize(
    ("name", "args"),
    [("Pareto", (0.0, 0.0)), ("Pareto", (1.0, -1.0)), ("Weibull", (1.0, -1.0)), ("InverseGamma", (1.0, 0.0))],
)
def test_bad_parameters_raise_value_error_as_torch(name, args):
    with pytest.raises(ValueError):
        getattr(torch.distributions, name)(*[torch.tensor(a) for a in args], validate_args=True)
    with pytest.raises(ValueError):
        getattr(D, name)(*args, validate_args=True)


def test_pareto_log_prob_below_scale_is_rejected():
    d = D.Pareto(autobp.tensor([1.0, 2.0]), autobp.tensor([3.0, 0.5]))
    with pytest.raises(ValueError):
        d.log_prob(autobp.tensor([0.5, 2.5]))
