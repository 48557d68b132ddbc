"""Names HIPS autograd programs use that autobp lacked (found by running autograd 1.9.1's own test
suite through a renaming adapter): scipy.stats.dirichlet.rvs, numpy's constants and dtype names,
autograd's np.make_diagonal."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

import autobp
from autobp import stats


@pytest.mark.parametrize("size", [1, 3, (2, 2)])
def test_dirichlet_rvs_draws_as_scipy(size):
    alpha = np.array([1.5, 2.0, 3.0])
    got = stats.dirichlet.rvs(alpha, size=size, random_state=7)
    want = scipy.stats.dirichlet.rvs(alpha, size=size, random_state=7)
    assert type(got) is np.ndarray
    np.testing.assert_array_equal(got, want)


def test_dirichlet_rvs_uses_numpy_global_generator_by_default():
    np.random.seed(3)
    got = stats.dirichlet.rvs([1.0, 2.0])
    np.random.seed(3)
    want = scipy.stats.dirichlet.rvs([1.0, 2.0])
    np.testing.assert_array_equal(got, want)
    assert got.shape == (1, 2)


def test_dirichlet_rvs_takes_a_tensor_alpha_and_gives_an_array_on_the_simplex():
    got = stats.dirichlet.rvs(autobp.tensor([1.0, 2.0, 4.0], requires_grad=True), size=5, random_state=0)
    assert type(got) is np.ndarray and got.shape == (5, 3)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)
    # the draws feed logpdf, which stays differentiable in alpha
    a = autobp.tensor([1.0, 2.0, 4.0], requires_grad=True)
    assert autobp.gradcheck(lambda t: stats.dirichlet.logpdf(got[0], t), a)


NUMPY_CONSTANTS = ["pi", "e", "inf", "nan", "newaxis", "euler_gamma", "s_", "index_exp", "typecodes"]


@pytest.mark.parametrize("name", NUMPY_CONSTANTS + autobp.numpy_names.__all__)
def test_numpy_names_are_numpys_own(name):
    assert getattr(autobp, name) is getattr(np, name)


def test_numpy_constants_are_not_star_exported_but_the_types_are():
    assert not set(NUMPY_CONSTANTS) & set(autobp.__all__)
    assert set(autobp.numpy_names.__all__) <= set(autobp.__all__)


def test_numpy_names_work_on_tensors_as_numpy_programs_use_them():
    x = autobp.tensor([1.0, autobp.nan, autobp.inf, -autobp.inf], requires_grad=True)
    assert x[:, autobp.newaxis].shape == (4, 1)
    assert x[autobp.s_[1:3]].shape == (2,)
    assert autobp.issubdtype(x.dtype, autobp.floating) and not autobp.issubdtype(x.dtype, autobp.integer)
    assert autobp.dtype("float32") == autobp.float32
    y = autobp.tensor([1.0, 2.0], requires_grad=True)
    (autobp.sin(y * autobp.pi) * autobp.e).sum().backward()
    np.testing.assert_allclose(y.grad, np.pi * np.e * np.cos(np.pi * np.array([1.0, 2.0])))
    with autobp.errstate(divide="ignore"):
        assert np.isinf(autobp.log(np.zeros(1)))[0]


@pytest.mark.parametrize(
    ("shape", "offset", "axis1", "axis2"),
    [((4,), 0, -1, -2), ((3, 4), 0, -1, -2), ((4,), 0, 0, 1), ((2, 3), 1, 0, 2), ((2, 3), -2, 2, 1)],
)
def test_make_diagonal_inverts_numpy_diagonal_as_torch_diag_embed(shape, offset, axis1, axis2):
    torch = pytest.importorskip("torch")
    D = np.random.default_rng(0).standard_normal(shape)
    R = autobp.make_diagonal(D, offset=offset, axis1=axis1, axis2=axis2)
    assert type(R) is np.ndarray  # arrays in, an array out
    want = torch.diag_embed(torch.tensor(D), offset, axis1, axis2).numpy()
    np.testing.assert_array_equal(R, want)
    np.testing.assert_array_equal(np.diagonal(R, offset, axis1, axis2), D)
    assert np.count_nonzero(R) == D.size
    t = autobp.tensor(D, requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.make_diagonal(t, offset, axis1, axis2), t)
    assert autobp.gradgradcheck(lambda t: autobp.make_diagonal(t, offset, axis1, axis2), t)
