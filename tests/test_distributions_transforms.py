"""Transforms (Exp, Affine, Sigmoid, Tanh, Compose and their inverses) against torch's: forward and
inverse values, log |det J| and its gradient, sign; a normalising flow's log density through
TransformedDistribution, with gradients to the flow's parameters checked by central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

X = np.array([[-1.3, 0.2, 0.9], [2.0, -0.4, 0.05]])

MAKE = {
    "Exp": lambda L: L.transforms.ExpTransform(),
    "Sigmoid": lambda L: L.transforms.SigmoidTransform(),
    "Tanh": lambda L: L.transforms.TanhTransform(),
    "Affine": lambda L: L.transforms.AffineTransform(0.5, -2.0),
    "Affine-event": lambda L: L.transforms.AffineTransform(
        0.5,
        torch.tensor([1.0, -2.0, 0.3], dtype=torch.float64) if L is T else np.array([1.0, -2.0, 0.3]),
        event_dim=1,
    ),
    "Compose": lambda L: L.transforms.ComposeTransform(
        [
            L.transforms.AffineTransform(0.1, 0.5),
            L.transforms.TanhTransform(),
            L.transforms.AffineTransform(1.0, 3.0),
        ]
    ),
    "Softplus": lambda L: L.transforms.SoftplusTransform(),
    "Inverse-Power": lambda L: (
        L.transforms.PowerTransform(torch.tensor(2.5, dtype=torch.float64) if L is T else 2.5).inv
    ),
    "Inverse-Sigmoid": lambda L: L.transforms.SigmoidTransform().inv,
}


@pytest.mark.parametrize("name", sorted(MAKE))
def test_transform_values_log_det_and_gradients_match_torch(name):
    ours, theirs = MAKE[name](D), MAKE[name](T)
    x_in = 1.0 / (1.0 + np.exp(-X)) if name.startswith("Inverse") else X  # the inverses' domains: (0, 1)
    x, tx = autobp.tensor(x_in.copy(), requires_grad=True), torch.tensor(x_in.copy(), requires_grad=True)
    y, ty = ours(x), theirs(tx)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.inv(y).numpy(), x_in, rtol=1e-9, atol=1e-12)
    ladj, tladj = ours.log_abs_det_jacobian(x, y), theirs.log_abs_det_jacobian(tx, ty)
    assert ladj.shape == tuple(tladj.shape)
    np.testing.assert_allclose(ladj.numpy(), tladj.detach().numpy(), rtol=1e-10, atol=1e-12)
    (ladj.sum() + y.sum()).backward()
    (tladj.sum() + ty.sum()).backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(np.asarray(ours.sign), np.asarray(theirs.sign))
    assert ours.event_dim == theirs.event_dim


def test_log_det_is_the_log_of_the_derivative():
    x = np.array([-0.7, 0.3, 1.9])
    for t, deriv in (
        (D.transforms.TanhTransform(), lambda v: 1 - np.tanh(v) ** 2),
        (D.transforms.SigmoidTransform(), lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2),
        (D.transforms.ExpTransform(), np.exp),
    ):
        np.testing.assert_allclose(t.log_abs_det_jacobian(x, t(x)).numpy(), np.log(deriv(x)), rtol=1e-12)


def test_transforms_compare_equal_by_type_and_parameters():
    assert D.transforms.ExpTransform() == D.transforms.ExpTransform()
    assert D.transforms.AffineTransform(1.0, 2.0) == D.transforms.AffineTransform(1.0, 2.0)
    assert D.transforms.AffineTransform(1.0, 2.0) != D.transforms.AffineTransform(1.0, 3.0)
    assert D.transforms.ExpTransform() != D.transforms.TanhTransform()


def test_a_planar_like_flow_log_prob_matches_torch_and_central_differences():
    base_loc, base_scale = np.array([0.2, -0.1]), np.array([0.8, 1.3])
    shift, scale = np.array([0.3, -0.5]), np.array([1.5, 0.7])
    y = np.array([[0.4, -0.3], [-0.9, 0.8]])

    def flow(L, a, b, s, c):
        t = L.transforms
        return L.TransformedDistribution(
            L.Normal(a, b), [t.AffineTransform(s, c), t.TanhTransform(), t.AffineTransform(0.0, 2.0)]
        )

    tens = [torch.tensor(v) for v in (base_loc, base_scale, shift, scale)]
    expected = flow(T, *tens).log_prob(torch.tensor(y)).numpy()
    np.testing.assert_allclose(
        flow(D, base_loc, base_scale, shift, scale).log_prob(y).numpy(), expected, rtol=1e-10
    )
    inputs = [autobp.tensor(v.copy(), requires_grad=True) for v in (base_loc, base_scale, shift, scale)]
    assert autobp.gradcheck(lambda *ps: flow(D, *ps).log_prob(y), inputs, eps=1e-6, atol=1e-6, rtol=1e-5)


def test_transformed_distribution_samples_lie_in_the_codomain_and_cdf_icdf_invert():
    d = D.TransformedDistribution(
        D.Normal(0.0, 1.0), [D.transforms.AffineTransform(0.0, -2.0), D.transforms.SigmoidTransform()]
    )
    autobp.manual_seed(0)
    s = d.sample((100,)).numpy()
    assert np.all((s > 0) & (s < 1))
    p = np.array([0.1, 0.5, 0.8])
    np.testing.assert_allclose(d.cdf(d.icdf(p)).numpy(), p, rtol=1e-10)
    td = T.TransformedDistribution(
        T.Normal(torch.tensor(0.0, dtype=torch.float64), 1.0),
        [T.AffineTransform(0.0, -2.0), T.SigmoidTransform()],
    )
    np.testing.assert_allclose(
        d.cdf(np.array([0.3])).numpy(), td.cdf(torch.tensor([0.3], dtype=torch.float64)).numpy()
    )


def test_cache_size_1_inverts_the_last_output_exactly_as_torch():
    # a squashed Gaussian (SAC's policy): a draw that tanh rounds to 1 still has a finite log density
    loc = autobp.tensor([20.0, 0.3], requires_grad=True)
    d = D.TransformedDistribution(D.Normal(loc, 1.0), [D.transforms.TanhTransform(cache_size=1)])
    autobp.manual_seed(0)
    y = d.rsample()
    assert y.numpy()[0] == 1.0  # tanh(~20) rounds to 1
    lp = d.log_prob(y)
    assert np.all(np.isfinite(lp.numpy()))
    lp.sum().backward()
    assert np.all(np.isfinite(loc.grad))
    uncached = D.TransformedDistribution(D.Normal(loc, 1.0), [D.transforms.TanhTransform()])
    assert not np.isfinite(uncached.log_prob(y).numpy()[0])
    tt = T.TanhTransform(cache_size=1)
    tx = torch.tensor([20.0], dtype=torch.float64)
    assert tt.inv(tt(tx)) is tx and D.transforms.TanhTransform(cache_size=1).inv is not None
    with pytest.raises(ValueError, match="cache_size"):
        D.transforms.ExpTransform(cache_size=2)
