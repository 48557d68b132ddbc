"""nn.init's remaining PyTorch initialisers: eye_ and dirac_ equal torch's exactly; orthogonal_,
trunc_normal_ and sparse_ have the properties torch's have (their random draws differ); the
``generator=`` keyword, the conv gains, and the deprecated names without the underscore."""

import numpy as np
import pytest

import autobp
from autobp import nn
from autobp.nn import init

torch = pytest.importorskip("torch")


def _empty(*shape):
    return nn.Parameter(np.zeros(shape))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2)])
def test_eye_equals_torch(shape):
    got = init.eye_(_empty(*shape))
    want = torch.nn.init.eye_(torch.zeros(shape, dtype=torch.float64))
    assert np.array_equal(got.data, want.numpy())


@pytest.mark.parametrize(
    "shape, groups", [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((2, 4, 1, 3, 3), 1), ((4, 2, 5), 2)]
)
def test_dirac_equals_torch(shape, groups):
    got = init.dirac_(_empty(*shape), groups=groups)
    want = torch.nn.init.dirac_(torch.zeros(shape, dtype=torch.float64), groups=groups)
    assert np.array_equal(got.data, want.numpy())


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 2, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape):
    w = init.orthogonal_(_empty(*shape), gain=2.0, generator=0).data.reshape(shape[0], -1)
    small = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    np.testing.assert_allclose(small, 4.0 * np.eye(small.shape[0]), atol=1e-12)


def test_trunc_normal_stays_inside_and_has_the_truncated_moments():
    w = init.trunc_normal_(_empty(200, 200), mean=1.0, std=2.0, a=0.0, b=3.0, generator=1).data
    assert w.min() >= 0.0 and w.max() <= 3.0
    from scipy.stats import truncnorm

    dist = truncnorm((0.0 - 1.0) / 2.0, (3.0 - 1.0) / 2.0, loc=1.0, scale=2.0)
    assert abs(w.mean() - dist.mean()) < 0.02 and abs(w.std() - dist.std()) < 0.02
    with pytest.raises(ValueError, match="a < b"):
        init.trunc_normal_(_empty(2, 2), a=1.0, b=0.0)


def test_sparse_zeros_the_same_count_in_every_column():
    w = init.sparse_(_empty(10, 6), sparsity=0.3, std=0.5, generator=2).data
    assert ((w == 0).sum(axis=0) == 3).all()
    assert np.std(w[w != 0]) > 0.2


def test_generator_keyword_and_rng_give_the_same_draws_and_are_exclusive():
    a = init.kaiming_uniform_(_empty(3, 4), generator=5).data
    b = init.kaiming_uniform_(_empty(3, 4), rng=5).data
    assert np.array_equal(a, b)
    with pytest.raises(TypeError, match="not both"):
        init.normal_(_empty(2), rng=1, generator=1)
    autobp.manual_seed(9)
    c = init.xavier_normal_(_empty(3, 4)).data
    autobp.manual_seed(9)
    assert np.array_equal(c, init.xavier_normal_(_empty(3, 4)).data)


@pytest.mark.parametrize("name", ["conv1d", "conv2d", "conv3d", "conv_transpose2d", "linear", "tanh", "selu"])
def test_gains_equal_torch(name):
    assert init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))


def test_deprecated_names_warn_and_fill():
    with pytest.warns(FutureWarning, match="deprecated"):
        w = init.eye(_empty(2, 2))
    assert np.array_equal(w.data, np.eye(2))
