"""nn.utils.parametrizations.orthogonal against torch's: the weight is orthogonal, equals torch's for
the same stored tensor (and base), and the gradients reaching the stored tensor are torch's."""

import numpy as np
import pytest

import autobp
from autobp import nn
from autobp.nn.utils import parametrizations, parametrize

torch = pytest.importorskip("torch")
tpar = torch.nn.utils.parametrizations

MAPS = ["matrix_exp", "cayley", "householder"]
SHAPES = [(4, 4), (5, 3), (3, 5)]


def _pair(shape, seed=0):
    """A Linear with weight of ``shape`` in both libraries, same values."""
    w = np.random.default_rng(seed).normal(size=shape)
    ours = nn.Linear(shape[1], shape[0], rng=0)
    theirs = torch.nn.Linear(shape[1], shape[0]).double()
    with autobp.no_grad():
        ours.weight.data[...] = w
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(w))
        theirs.bias.copy_(torch.tensor(ours.bias.data))
    return ours, theirs


def _orthonormal_error(W):
    W = np.asarray(W)
    G = W.T @ W if W.shape[0] >= W.shape[1] else W @ W.T
    return np.abs(G - np.eye(min(W.shape))).max()


def _compare_forward_and_grads(ours, theirs, shape):
    x = np.random.default_rng(7).normal(size=(2, shape[1]))
    y = ours(autobp.Tensor(x))
    ty = theirs(torch.tensor(x))
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    c = np.random.default_rng(8).normal(size=y.shape)
    (y * autobp.Tensor(c)).sum().backward()
    (ty * torch.tensor(c)).sum().backward()
    g = ours.parametrizations.weight.original.grad
    tg = theirs.parametrizations.weight.original.grad.numpy()
    np.testing.assert_allclose(g, tg, rtol=1e-9, atol=1e-11)
    assert np.abs(tg).max() > 1e-3  # a gradient that could have been wrong


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("orthogonal_map", MAPS)
def test_trivialization_matches_torch(orthogonal_map, shape):
    ours, theirs = _pair(shape)
    parametrizations.orthogonal(ours, orthogonal_map=orthogonal_map)
    tpar.orthogonal(theirs, orthogonal_map=orthogonal_map)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    assert _orthonormal_error(ours.weight.data) < 1e-12
    # the starting weight: the original's orthogonal factor (random completion aside, it is torch's)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(
        ours.parametrizations.weight.original.data, theirs.parametrizations.weight.original.detach().numpy()
    )
    # move the unconstrained tensor (and share torch's base, whose random completion differs)
    r = np.random.default_rng(3).normal(size=shape) * 0.5
    if orthogonal_map == "householder":  # its diagonal holds the signs (+-1) and gets no gradient
        idx = np.arange(min(shape))
        r[idx, idx] = [-1.0, 1.0, -1.0][: len(idx)] + [-1.0] * (len(idx) - 3)
    with autobp.no_grad():
        ours.parametrizations.weight.original.data[...] = r
        ours.parametrizations.weight[0].base.data[...] = theirs.parametrizations.weight[0].base.numpy()
    with torch.no_grad():
        theirs.parametrizations.weight.original.copy_(torch.tensor(r))
    assert _orthonormal_error(ours.weight.data) < 1e-12
    _compare_forward_and_grads(ours, theirs, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("orthogonal_map", MAPS)
def test_without_trivialization_matches_torch(orthogonal_map, shape):
    ours, theirs = _pair(shape, seed=1)
    parametrizations.orthogonal(ours, orthogonal_map=orthogonal_map, use_trivialization=False)
    tpar.orthogonal(theirs, orthogonal_map=orthogonal_map, use_trivialization=False)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    # householder: the stored tensor is LAPACK's QR reflectors with signs on the diagonal, as torch's;
    # matrix_exp / cayley keep the weight as it was
    np.testing.assert_allclose(
        ours.parametrizations.weight.original.data,
        theirs.parametrizations.weight.original.detach().numpy(),
        rtol=1e-10,
        atol=1e-12,
    )
    assert _orthonormal_error(ours.weight.data) < 1e-12
    _compare_forward_and_grads(ours, theirs, shape)


@pytest.mark.parametrize("orthogonal_map", MAPS)
def test_assigning_an_orthogonal_matrix_sets_the_weight(orthogonal_map):
    q = np.linalg.qr(np.random.default_rng(5).normal(size=(4, 4)))[0]
    ours = parametrizations.orthogonal(nn.Linear(4, 4, rng=0), orthogonal_map=orthogonal_map)
    ours.weight = autobp.Tensor(q)
    np.testing.assert_allclose(ours.weight.data, q, atol=1e-12)
    ours.weight = autobp.Tensor(q[:, ::-1] * 2.0)  # not orthogonal: its QR factor is used, as torch
    theirs = tpar.orthogonal(torch.nn.Linear(4, 4).double(), orthogonal_map=orthogonal_map)
    theirs.weight = torch.tensor(q[:, ::-1] * 2.0)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), atol=1e-12)


def test_default_map_and_errors_as_torch():
    sq = parametrizations.orthogonal(nn.Linear(3, 3, rng=0))
    tall = parametrizations.orthogonal(nn.Linear(2, 4, rng=0))
    assert sq.parametrizations.weight[0].orthogonal_map == "matrix_exp"
    assert tall.parametrizations.weight[0].orthogonal_map == "householder"
    assert torch.nn.utils.parametrizations.orthogonal(torch.nn.Linear(2, 4)).parametrizations.weight[
        0
    ].orthogonal_map.name == ("householder")
    for bad, kw in ((nn.Linear(2, 2, rng=0), {"orthogonal_map": "qr"}), (nn.LayerNorm(3), {})):
        with pytest.raises(ValueError, match="orthogonal_map has to be one of|Expected a matrix"):
            parametrizations.orthogonal(bad, **kw)
    fixed = parametrizations.orthogonal(nn.Linear(3, 3, rng=0), "weight", "cayley", use_trivialization=False)
    with pytest.raises(NotImplementedError, match="not possible to assign"):
        fixed.weight = autobp.Tensor(np.eye(3))
    with pytest.raises(ValueError, match="shape"):
        sq.weight = autobp.Tensor(np.eye(2))
    assert parametrize.is_parametrized(sq, "weight")


def test_batch_of_matrices_is_orthogonal():
    m = nn.Module()
    m.register_parameter("weight", nn.Parameter(np.random.default_rng(2).normal(size=(2, 4, 3))))
    parametrizations.orthogonal(m, orthogonal_map="cayley")
    W = m.weight.data
    for w in W:
        assert _orthonormal_error(w) < 1e-12
