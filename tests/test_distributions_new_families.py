"""ContinuousBernoulli, FisherSnedecor, GeneralizedPareto, Kumaraswamy, VonMises and Wishart against
torch.distributions: shapes, support, log_prob, cdf/icdf, moments and entropy, with their gradients
in every parameter (float64), expand, sample dtypes and the errors for bad parameters."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import distributions as D

torch = pytest.importorskip("torch")
T = torch.distributions

_R = np.random.default_rng(5)


def _spd(*batch, k=3):
    a = _R.standard_normal(batch + (k, k))
    return a @ np.swapaxes(a, -1, -2) + k * np.eye(k)


_COV = _spd(2)
# name: (family, positional parameters, keyword parameters); each set straddles the moments' thresholds
CASES = {
    "ContinuousBernoulli-probs": (
        "ContinuousBernoulli",
        (np.array([0.7, 0.2, 0.4995, 0.5, 0.5005, 0.999]),),
        {},
    ),
    "ContinuousBernoulli-logits": ("ContinuousBernoulli", (), {"logits": np.array([-3.0, 0.0, 1e-4, 2.5])}),
    "FisherSnedecor": (
        "FisherSnedecor",
        (np.array([0.5, 1.5, 3.0, 6.0]), np.array([1.0, 3.0, 5.0, 7.0])),
        {},
    ),
    "GeneralizedPareto": (
        "GeneralizedPareto",
        (_R.standard_normal(4), _R.random(4) + 0.5, np.array([-0.3, 0.0, 0.2, 0.6])),
        {},
    ),
    "Kumaraswamy": ("Kumaraswamy", (np.array([0.5, 1.5, 3.0, 2.0]), np.array([1.0, 3.0, 0.7, 2.0])), {}),
    "VonMises": ("VonMises", (np.array([0.3, -2.0, 1.0, 3.0]), np.array([0.5, 3.7, 3.8, 20.0])), {}),
    "Wishart-cov": ("Wishart", (np.array([2.5, 6.0]),), {"covariance_matrix": _COV}),
    "Wishart-prec": ("Wishart", (np.array([4.5, 3.0]),), {"precision_matrix": _COV}),
    "Wishart-tril": ("Wishart", (np.array([2.5, 6.0]),), {"scale_tril": np.linalg.cholesky(_COV)}),
}


def _build(case, lib):
    family, args, kwargs = CASES[case]
    mk = (
        (lambda a: torch.tensor(a, requires_grad=True))
        if lib is T
        else (lambda a: autobp.tensor(a, requires_grad=True))
    )
    leaves = [mk(a) for a in args] + [mk(v) for v in kwargs.values()]
    d = getattr(lib, family)(*leaves[: len(args)], **dict(zip(kwargs, leaves[len(args) :])))
    return d, leaves


def _compare(case, fn_t, fn_a, rtol=1e-9):
    """fn(distribution) in both libraries: equal values (nan where torch's is) and equal gradients of
    the finite entries' sum in every parameter (nan where torch's is nan)."""
    dt, lt = _build(case, T)
    da, la = _build(case, D)
    vt, va = fn_t(dt), fn_a(da)
    np.testing.assert_allclose(va.detach().numpy(), vt.detach().numpy(), rtol=rtol, atol=1e-12)
    fin = np.isfinite(vt.detach().numpy())
    if not vt.requires_grad or not fin.any():
        return
    gt = torch.autograd.grad(vt[torch.tensor(fin)].sum(), lt, allow_unused=True)
    va[autobp.tensor(fin)].sum().backward()
    for g, leaf in zip(gt, la):
        expected = np.zeros(leaf.shape) if g is None else g.numpy()
        got = np.zeros(leaf.shape) if leaf.grad is None else np.asarray(leaf.grad)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-10)


def _samples(case):
    dt, _ = _build(case, T)
    torch.manual_seed(0)
    return dt.sample((3,)).detach()


@pytest.fixture(autouse=True)
def _quiet_float64():
    # torch's GeneralizedPareto compares with a default-dtype 0: float64 for the float64 parameters
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Wishart's low-df warning, in both libraries
            yield
    finally:
        torch.set_default_dtype(old)


@pytest.mark.parametrize("case", list(CASES))
def test_shapes_flags_and_support_as_torch(case):
    (dt, _), (da, _) = _build(case, T), _build(case, D)
    assert da.batch_shape == tuple(dt.batch_shape) and da.event_shape == tuple(dt.event_shape)
    assert da.has_rsample == dt.has_rsample and da.has_enumerate_support == dt.has_enumerate_support
    assert da.support.event_dim == dt.support.event_dim
    x = _samples(case)
    np.testing.assert_array_equal(da.support.check(autobp.tensor(x.numpy())), dt.support.check(x).numpy())
    assert da.sample((2, 3)).shape == tuple(dt.sample((2, 3)).shape)
    assert da.sample().dtype == np.float64
    if dt.has_rsample:
        assert da.rsample((4,)).shape == tuple(dt.rsample((4,)).shape)
    e = da.expand((5,) + da.batch_shape)
    assert type(e) is type(da) and e.batch_shape == (5,) + da.batch_shape
    te = dt.expand((5,) + tuple(dt.batch_shape))
    torch.manual_seed(1)
    x5 = te.sample()
    np.testing.assert_allclose(
        e.log_prob(autobp.tensor(x5.numpy())), te.log_prob(x5).detach().numpy(), rtol=1e-9
    )


@pytest.mark.parametrize("case", list(CASES))
def test_log_prob_and_gradients_as_torch(case):
    x = _samples(case)
    _compare(case, lambda d: d.log_prob(x), lambda d: d.log_prob(autobp.tensor(x.numpy())))


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("what", ["mean", "mode", "variance", "stddev", "entropy"])
def test_moments_entropy_and_gradients_as_torch(case, what):
    def get(d):
        return d.entropy() if what == "entropy" else getattr(d, what)

    dt, _ = _build(case, T)
    try:
        get(dt)
    except NotImplementedError:  # torch has none: neither has autobp
        with pytest.raises(NotImplementedError):
            get(_build(case, D)[0])
        return
    if case == "Kumaraswamy" and what == "mode":  # deliberate difference: torch 2.13's is nan everywhere
        assert torch.isnan(get(dt)).all()  # (autobp's maximiser is tested below)
        return
    _compare(case, get, get)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("what", ["cdf", "icdf"])
def test_cdf_icdf_and_gradients_as_torch(case, what):
    dt, _ = _build(case, T)
    x = _samples(case) if what == "cdf" else torch.full(tuple(dt.batch_shape), 0.3, dtype=torch.float64)
    try:
        getattr(dt, what)(x)
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            getattr(_build(case, D)[0], what)(autobp.tensor(x.numpy()))
        return
    _compare(case, lambda d: getattr(d, what)(x), lambda d: getattr(d, what)(autobp.tensor(x.numpy())))


def test_kumaraswamy_mode_maximises_the_density():
    # torch 2.13 answers nan for every concentration (log1p(-b) in its formula); this one is the argmax
    a, b = np.array([1.5, 3.0, 2.0, 1.0, 0.5]), np.array([3.0, 1.0, 2.0, 4.0, 2.0])
    d = D.Kumaraswamy(autobp.tensor(a), autobp.tensor(b))
    grid = np.linspace(1e-4, 1 - 1e-4, 20001)
    density = a * b * grid[:, None] ** (a - 1) * (1 - grid[:, None] ** a) ** (b - 1)
    expected = grid[np.argmax(density[:, :4], axis=0)]
    np.testing.assert_allclose(d.mode.numpy()[:4], expected, atol=1e-4)
    assert np.isnan(d.mode.numpy()[4])  # a < 1: the density is unbounded at 0 (nan, torch's mask)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", list(CASES))
def test_samples_keep_the_parameters_dtype(case, dtype):
    family, args, kwargs = CASES[case]
    d = getattr(D, family)(
        *[autobp.tensor(a.astype(dtype)) for a in args],
        **{k: autobp.tensor(v.astype(dtype)) for k, v in kwargs.items()},
    )
    assert d.sample((2,)).dtype == np.dtype(dtype)
    if d.has_rsample:
        assert d.rsample().dtype == np.dtype(dtype)


BAD = [
    ("ContinuousBernoulli", {"probs": [1.1, 0.2, 0.4]}),
    ("ContinuousBernoulli", {"probs": [-0.5]}),
    ("ContinuousBernoulli", {"probs": 1.00001}),
    ("FisherSnedecor", {"df1": [0.0, 0.0], "df2": [-1.0, -100.0]}),
    ("FisherSnedecor", {"df1": [1.0, 1.0], "df2": [0.0, 0.0]}),
    ("GeneralizedPareto", {"loc": [0.0, 0.0], "scale": [-1.0, -100.0], "concentration": [0.0, 0.0]}),
    ("GeneralizedPareto", {"loc": [1.0, 1.0], "scale": [0.0, 0.0], "concentration": [-1.0, -100.0]}),
    ("Kumaraswamy", {"concentration1": [0.0, 1.0], "concentration0": [1.0, 1.0]}),
    ("Kumaraswamy", {"concentration1": [1.0], "concentration0": [-1.0]}),
    ("VonMises", {"loc": [0.0], "concentration": [0.0]}),
    ("VonMises", {"loc": [0.0, 1.0], "concentration": [1.0, -2.0]}),
    ("Wishart", {"covariance_matrix": [[1.0, 0.0], [0.0, -2.0]], "df": [1.5]}),
    ("Wishart", {"covariance_matrix": [[1.0, 1.0], [1.0, -2.0]], "df": [3.0]}),
    ("Wishart", {"covariance_matrix": [[1.0, 1.0], [1.0, -2.0]], "df": 3.0}),
    ("Wishart", {"covariance_matrix": [[1.0, 0.0], [0.0, 1.0]], "df": [0.5]}),
    ("Wishart", {"scale_tril": [[1.0, 0.5], [0.0, 1.0]], "df": [3.0]}),
]


@pytest.mark.parametrize(("family", "kwargs"), BAD)
def test_bad_parameters_raise_value_error_as_torch(family, kwargs):
    def conv(v, mk):
        return mk(v) if isinstance(v, list) else v

    with pytest.raises(ValueError):
        getattr(T, family)(
            **{k: conv(v, lambda a: torch.tensor(a, dtype=torch.float64)) for k, v in kwargs.items()},
            validate_args=True,
        )
    with pytest.raises(ValueError):
        getattr(D, family)(**{k: conv(v, autobp.tensor) for k, v in kwargs.items()}, validate_args=True)


def test_continuous_bernoulli_checks_probs_whenever_validate_args_is_given():
    # torch checks probs before clamping them when validate_args is given, even as False; left unset,
    # the clamped value passes
    for lib, mk in ((T, lambda a: torch.tensor(a, dtype=torch.float64)), (D, autobp.tensor)):
        with pytest.raises(ValueError):
            lib.ContinuousBernoulli(mk([1.5]), validate_args=False)
        d = lib.ContinuousBernoulli(mk([1.5]))
        assert float(d.probs[0]) == pytest.approx(1.0 - np.finfo(np.float64).eps)
    with pytest.raises(ValueError):
        D.ContinuousBernoulli(0.3, logits=0.1)


def test_wishart_argument_errors_and_low_df_warning_as_torch():
    eye = np.eye(2)
    for lib, mk in ((T, lambda a: torch.tensor(a, dtype=torch.float64)), (D, autobp.tensor)):
        with pytest.raises(AssertionError):
            lib.Wishart(mk(3.0), covariance_matrix=mk(eye), scale_tril=mk(eye))
        with pytest.raises(AssertionError):
            lib.Wishart(mk(3.0))
        with pytest.raises(ValueError):
            lib.Wishart(mk(3.0), covariance_matrix=mk([1.0, 2.0]))
        with pytest.raises(ValueError):
            lib.Wishart(mk(1.0), covariance_matrix=mk(eye), validate_args=False)
        with pytest.warns(UserWarning, match="Low df"):
            lib.Wishart(mk(1.5), covariance_matrix=mk(eye))
