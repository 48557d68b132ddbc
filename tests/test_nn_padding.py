"""F.pad and the padding layers, one_hot, cosine_similarity and the distance layers against PyTorch
(values and gradients) and finite differences."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import Tensor, nn

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(6)


@pytest.mark.parametrize(
    "shape, pad, mode, value",
    [
        ((2, 3), (1, 2), "constant", None),
        ((2, 3, 4), (1, -1, 2, 0), "constant", 2.5),  # a negative pad crops
        ((1, 2, 3, 4), (0, 1, -1, 1, 1, 0), "constant", -1.0),
        ((2, 3, 5), (2, 1), "reflect", None),
        ((1, 2, 4, 3), (1, 2, 2, 1), "reflect", None),
        ((2, 3, 4), (3, 1), "replicate", None),
        ((1, 1, 2, 3, 3), (1, 0, 2, 1, 0, 1), "replicate", None),
        ((2, 2, 4, 3), (1, 2, 3, 0), "circular", None),
    ],
)
def test_pad_matches_torch_values_and_gradients(shape, pad, mode, value):
    x = rng.standard_normal(shape)
    ours = Tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    kw = {} if value is None else {"value": value}
    out, tout = F.pad(ours, pad, mode, **kw), TF.pad(theirs, pad, mode, **kw)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-15)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-13)
    assert autobp.gradcheck(lambda t: F.pad(t, pad, mode, **kw), [Tensor(x, requires_grad=True)])


@pytest.mark.parametrize(
    "name, arg, shape",
    [
        ("ZeroPad1d", 2, (2, 3, 4)),
        ("ZeroPad2d", (1, 0, 2, 1), (1, 2, 3, 3)),
        ("ZeroPad3d", 1, (1, 1, 2, 2, 2)),
        ("ConstantPad1d", (2, 1), (3, 4)),
        ("ConstantPad2d", 1, (2, 2, 3)),
        ("ReflectionPad1d", (2, 1), (2, 3, 4)),
        ("ReflectionPad2d", 1, (1, 2, 3, 3)),
        ("ReflectionPad3d", (1, 0, 1, 1, 0, 1), (1, 1, 2, 3, 3)),
        ("ReplicationPad1d", 3, (2, 2, 3)),
        ("ReplicationPad2d", (0, 2, 1, 0), (2, 3, 2)),
        ("ReplicationPad3d", 1, (1, 2, 2, 2, 2)),
        ("CircularPad1d", (1, 2), (2, 2, 3)),
        ("CircularPad2d", 1, (1, 2, 3, 3)),
        ("CircularPad3d", (1, 1, 0, 1, 1, 0), (1, 1, 2, 2, 3)),
    ],
)
def test_padding_layers_match_torch(name, arg, shape):
    args = (arg, 1.5) if name.startswith("Constant") else (arg,)
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    compare_with_torch(ours, theirs, rng.standard_normal(shape))


def test_pad_errors_name_the_problem():
    with pytest.raises(ValueError, match="even number"):
        F.pad(np.ones((2, 2)), (1, 2, 3))
    with pytest.raises(ValueError, match="mode must be"):
        F.pad(np.ones((2, 2)), (1, 1), mode="wrap")
    with pytest.raises(ValueError, match="smaller than the size"):
        F.pad(np.ones((1, 2, 2)), (2, 0), mode="reflect")
    with pytest.raises(ValueError, match=r"3-d or 4-d input"):
        nn.ReflectionPad2d(1)(np.ones(3))


def test_one_hot_matches_torch():
    idx = np.array([[0, 3], [2, 2]])
    for n in (-1, 5):
        out, tout = F.one_hot(idx, n), TF.one_hot(torch.tensor(idx), n)
        assert out.dtype == np.int64 and out.shape == tuple(tout.shape)
        np.testing.assert_array_equal(out.data, tout.numpy())
    assert F.one_hot(np.zeros((0,), dtype=np.int64), 3).shape == (0, 3)
    with pytest.raises(ValueError, match="class index 3 is out of range for num_classes=3"):
        F.one_hot(np.array([3]), 3)
    with pytest.raises(TypeError, match="integers"):
        F.one_hot(np.array([1.0]))


@pytest.mark.parametrize(
    "s1, s2, dim",
    [((4, 3), (4, 3), 1), ((2, 3, 4), (1, 3, 4), -1), ((3, 5), (5,), -1), ((2, 3), (2, 3), 0)],
)
def test_cosine_similarity_matches_torch(s1, s2, dim):
    a, b = rng.standard_normal(s1), rng.standard_normal(s2)
    xs = [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)]  # away from the clamp
    a[0] *= 1e-10  # below eps: the norm is clamped, its gradient still the unclamped one (torch's)
    compare_with_torch(nn.CosineSimilarity(dim), torch.nn.CosineSimilarity(dim), a, b)
    assert autobp.gradcheck(lambda u, v: F.cosine_similarity(u, v, dim), xs)


def test_pairwise_distance_layer_matches_torch():
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    for kw in (dict(), dict(p=1.0, keepdim=True), dict(p=3.0, eps=1e-3)):
        compare_with_torch(nn.PairwiseDistance(**kw), torch.nn.PairwiseDistance(**kw), a, b)
