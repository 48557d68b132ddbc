"""``inplace=True`` on the activation and dropout layers writes into the input as PyTorch's layers do:
the same object comes back, its version moves, a leaf that requires grad is refused, and gradients
through a non-leaf match torch's."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn

torch = pytest.importorskip("torch")
tnn = torch.nn

X = np.array([[-4.0, -2.5, -0.7, 0.0], [0.3, 1.2, 3.5, 7.0]])

# (class name, constructor arguments)
ACTS = [
    ("ReLU", ()),
    ("ReLU6", ()),
    ("LeakyReLU", (0.2,)),
    ("ELU", (0.7,)),
    ("CELU", (1.3,)),
    ("SELU", ()),
    ("Hardtanh", (-2.0, 2.0)),
    ("Hardsigmoid", ()),
    ("Hardswish", ()),
    ("SiLU", ()),
    ("Mish", ()),
    ("Threshold", (0.5, -3.0)),
]


@pytest.mark.parametrize("name,args", ACTS, ids=[a[0] for a in ACTS])
def test_activation_inplace_matches_torch(name, args):
    ours, theirs = getattr(nn, name)(*args, inplace=True), getattr(tnn, name)(*args, inplace=True)
    assert repr(ours) == repr(theirs)
    assert repr(getattr(nn, name)(*args)) == repr(getattr(tnn, name)(*args))
    # a non-leaf: written in place, and the gradient reaches the leaf behind it
    a = autobp.Tensor(X.copy(), requires_grad=True)
    ta = torch.tensor(X.copy(), requires_grad=True)
    h, th = a * 1.5, ta * 1.5
    v = h._version
    y, ty = ours(h), theirs(th)
    assert y is h and ty is th
    assert h._version > v
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    w = np.arange(X.size, dtype=float).reshape(X.shape)
    (y * autobp.Tensor(w)).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    # torch's hardsigmoid and CELU backwards round a constant (1/6, 1/alpha) to float32
    tol = 1e-7 if name in ("Hardsigmoid", "CELU") else 1e-12
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=tol, atol=1e-12)
    # a leaf that requires grad: refused, as PyTorch refuses it
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        theirs(torch.tensor(X, requires_grad=True))
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        ours(autobp.Tensor(X, requires_grad=True))
    # a plain tensor: its data is overwritten
    p = autobp.Tensor(X.copy())
    assert ours(p) is p
    np.testing.assert_allclose(p.data, theirs(torch.tensor(X.copy())).numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,args", ACTS, ids=[a[0] for a in ACTS])
def test_activation_without_inplace_leaves_the_input(name, args):
    ours = getattr(nn, name)(*args)
    x = autobp.Tensor(X.copy())
    y = ours(x)
    assert y is not x and x._version == 0
    np.testing.assert_array_equal(x.data, X)


def test_rrelu_inplace_eval_matches_torch_and_training_writes():
    ours, theirs = nn.RReLU(0.1, 0.3, inplace=True), tnn.RReLU(0.1, 0.3, inplace=True)
    assert repr(ours) == repr(theirs)
    ours.eval(), theirs.eval()
    a, ta = autobp.Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    h, th = a * 2.0, ta * 2.0
    y, ty = ours(h), theirs(th)
    assert y is h and ty is th
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    y.sum().backward(), ty.sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-12)
    ours.train()
    x = autobp.Tensor(X.copy())
    assert ours(x) is x and x._version == 1
    neg = X < 0
    slopes = x.data[neg] / X[neg]
    assert np.all((slopes >= 0.1) & (slopes <= 0.3))
    with pytest.raises(RuntimeError, match="leaf Variable"):
        ours(autobp.Tensor(X, requires_grad=True))


DROPS = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]


def _shape(name):
    return (2, 3) + (4,) * (int(name[-2]) if name[-1] == "d" else 1)


@pytest.mark.parametrize("name", DROPS)
def test_dropout_inplace_writes_the_same_mask_as_out_of_place(name):
    assert repr(getattr(nn, name)(0.3, inplace=True)) == repr(getattr(tnn, name)(0.3, inplace=True))
    assert repr(getattr(nn, name)(0.3)) == repr(getattr(tnn, name)(0.3))
    shape = _shape(name)
    base = np.random.default_rng(0).normal(size=shape)
    ours, plain = getattr(nn, name)(0.4, inplace=True, rng=7), getattr(nn, name)(0.4, rng=7)
    a, b = autobp.Tensor(base, requires_grad=True), autobp.Tensor(base, requires_grad=True)
    h = a * 1.0
    y, z = ours(h), plain(b * 1.0)
    assert y is h and h._version == 1
    np.testing.assert_array_equal(y.data, z.data)
    (y * y).sum().backward(), (z * z).sum().backward()
    np.testing.assert_array_equal(a.grad, b.grad)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        getattr(tnn, name)(0.4, inplace=True)(torch.tensor(base, requires_grad=True))
    with pytest.raises(RuntimeError, match="leaf Variable"):
        ours(autobp.Tensor(base, requires_grad=True))


@pytest.mark.parametrize("name", DROPS)
def test_dropout_inplace_p1_and_eval_match_torch(name):
    shape = _shape(name)
    base = np.random.default_rng(1).normal(size=shape)
    ours, theirs = getattr(nn, name)(1.0, inplace=True), getattr(tnn, name)(1.0, inplace=True)
    a, ta = autobp.Tensor(base, requires_grad=True), torch.tensor(base, requires_grad=True)
    h, th = a * 1.0, ta * 1.0
    assert ours(h) is h and theirs(th) is th
    np.testing.assert_array_equal(h.data, th.detach().numpy())
    h.sum().backward(), th.sum().backward()
    np.testing.assert_array_equal(a.grad, ta.grad.numpy())
    # evaluation (and p == 0): PyTorch returns the input untouched, even a leaf requiring grad
    for m, tm in (
        (ours.eval(), theirs.eval()),
        (getattr(nn, name)(0.0, True), getattr(tnn, name)(0.0, True)),
    ):
        leaf, tleaf = autobp.Tensor(base, requires_grad=True), torch.tensor(base, requires_grad=True)
        assert m(leaf) is leaf and tm(tleaf) is tleaf
        assert leaf._version == tleaf._version == 0


@pytest.mark.parametrize("name", ["AlphaDropout", "FeatureAlphaDropout"])
def test_alpha_dropout_layers_ignore_inplace_as_torch(name):
    assert repr(getattr(nn, name)(0.2, inplace=True)) == repr(getattr(tnn, name)(0.2, inplace=True))
    x, tx = autobp.Tensor(np.ones((2, 3, 2))), torch.ones(2, 3, 2)
    y, ty = getattr(nn, name)(0.5, inplace=True)(x), getattr(tnn, name)(0.5, inplace=True)(tx)
    assert (y is x) == (ty is tx) == False  # noqa: E712
    assert x._version == tx._version == 0
