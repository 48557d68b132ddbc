"""autobp.masked against torch.masked: values, all-masked-out slices, dtypes and gradients."""

import numpy as np
import pytest

import autobp
from autobp import masked as am

torch = pytest.importorskip("torch")
tm = torch.masked

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4, 5))
M = RNG.random((3, 4, 5)) > 0.4
M[1, 2, :] = False  # a slice fully masked out along the last dim
M[2, :, 1] = False  # ... and along dim 1
MASKS = {"mask": M, "row": M[0, 0], "none": None}

REDUCE = ["sum", "prod", "amax", "amin", "mean", "logsumexp", "var", "std"]
DIMS = [None, 2, 1, (0, 2), -1]


def _t(a):
    return None if a is None else torch.tensor(a)


def _check(got, want, rtol=1e-10):
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.numpy(), want.detach().numpy(), rtol=rtol, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS, ids=str)
@pytest.mark.parametrize("name", REDUCE)
def test_reductions(name, dim, keepdim, mask):
    m = MASKS[mask]
    got = getattr(am, name)(autobp.tensor(X), dim, keepdim=keepdim, mask=m)
    want = getattr(tm, name)(torch.tensor(X), dim, keepdim=keepdim, mask=_t(m))
    _check(got, want)


@pytest.mark.parametrize("ord", [2.0, 1.0, 3.0, np.inf, -np.inf, 0.0])
@pytest.mark.parametrize("dim", [None, 1, (0, 2)], ids=str)
def test_norm(ord, dim):
    got = am.norm(autobp.tensor(X), ord, dim, keepdim=True, mask=M)
    _check(got, tm.norm(torch.tensor(X), ord, dim, keepdim=True, mask=torch.tensor(M)))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1, None])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg(name, dim, keepdim):
    got = getattr(am, name)(autobp.tensor(X), dim, keepdim=keepdim, mask=M)
    want = getattr(tm, name)(torch.tensor(X), dim, keepdim=keepdim, mask=torch.tensor(M))
    assert got.dtype == np.float64  # torch.masked's: the input's dtype
    _check(got, want)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_median(dim, keepdim):
    got = am.median(autobp.tensor(X), dim, keepdim=keepdim, mask=M)
    _check(got, tm.median(torch.tensor(X), dim, keepdim=keepdim, mask=torch.tensor(M)))


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "softmax", "log_softmax", "softmin"])
def test_along_dim(name, dim):
    got = getattr(am, name)(autobp.tensor(X), dim, mask=M)
    _check(got, getattr(tm, name)(torch.tensor(X), dim, mask=torch.tensor(M)))


@pytest.mark.parametrize("ord", [2.0, 1.0])
@pytest.mark.parametrize("dim", [0, 2])
def test_normalize(ord, dim):
    got = am.normalize(autobp.tensor(X), ord, dim, mask=M)
    _check(got, tm.normalize(torch.tensor(X), ord, dim, mask=torch.tensor(M)))


def test_logaddexp():
    y = RNG.standard_normal((3, 4, 5))
    m2 = RNG.random((3, 4, 5)) > 0.5
    got = am.logaddexp(autobp.tensor(X), autobp.tensor(y), input_mask=M, other_mask=m2)
    want = tm.logaddexp(
        torch.tensor(X), torch.tensor(y), input_mask=torch.tensor(M), other_mask=torch.tensor(m2)
    )
    _check(got, want)


def test_integer_dtypes():
    xi = np.arange(12, dtype=np.int32).reshape(3, 4)
    mi = xi % 3 != 0
    for name in ("sum", "prod", "amax", "amin"):
        got = getattr(am, name)(autobp.tensor(xi), 1, mask=mi)
        want = getattr(tm, name)(torch.tensor(xi), 1, mask=torch.tensor(mi))
        assert got.dtype == np.dtype(str(want.dtype).replace("torch.", ""))
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    got = am.var(autobp.tensor(xi), 1, mask=mi)
    assert got.dtype == np.float32
    np.testing.assert_allclose(
        got.numpy(), tm.var(torch.tensor(xi), 1, mask=torch.tensor(mi)).numpy(), rtol=1e-6
    )
    with pytest.raises(ValueError, match="floating"):
        am.mean(autobp.tensor(xi), 1, mask=mi)
    got = am.sum(autobp.tensor(X), 1, dtype=np.float32, mask=M)
    assert got.dtype == np.float32


def test_var_correction():
    for kw in ({"correction": 0}, {"unbiased": False}, {"correction": 2}):
        got = am.var(autobp.tensor(X), 2, mask=M, **kw)
        _check(got, tm.var(torch.tensor(X), 2, mask=torch.tensor(M), **kw))


def _grads(name, args, kwargs, dim_arg=True):
    xa = autobp.tensor(X, requires_grad=True)
    xt = torch.tensor(X, requires_grad=True)
    w = RNG.standard_normal(getattr(am, name)(xa, *args, mask=M, **kwargs).shape)
    out_a = getattr(am, name)(xa, *args, mask=M, **kwargs)
    autobp.sum(autobp.where(np.isfinite(out_a.numpy()), out_a * w, 0.0)).backward()
    out_t = getattr(tm, name)(xt, *args, mask=torch.tensor(M), **kwargs)
    torch.where(torch.isfinite(out_t), out_t * torch.tensor(w), 0.0).sum().backward()
    return xa.grad, xt.grad.numpy()


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("sum", (2,), {}),
        ("prod", (1,), {}),
        ("amax", ((0, 2),), {}),
        ("amin", (2,), {"keepdim": True}),
        ("mean", (2,), {}),
        ("var", (2,), {}),
        ("std", (1,), {}),
        ("logsumexp", (2,), {}),
        ("norm", (2.0, 2), {}),
        ("median", (2,), {}),
        ("cumsum", (2,), {}),
        ("cumprod", (1,), {}),
        ("softmax", (2,), {}),
        ("log_softmax", (2,), {}),
        ("softmin", (1,), {}),
        ("normalize", (2.0, 2), {}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_gradients_against_torch(name, args, kwargs):
    ga, gt = _grads(name, args, kwargs)
    ga = np.asarray(ga)
    # torch's var/std: a nan gradient over a fully masked-out slice, which autobp's matches
    np.testing.assert_allclose(ga, gt, rtol=1e-9, atol=1e-12, equal_nan=True)
    assert np.all(ga[~M & np.isfinite(gt)] == 0)  # masked-out elements: zero gradient


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: am.sum(x, 1, mask=M[:, :, 0]),
        lambda x: am.mean(x, (0, 1), mask=M[:, :, 1]),
        lambda x: am.softmax(x, 1, mask=M[:, :, 2] | np.eye(3, 4, dtype=bool)),
        lambda x: am.logsumexp(x, 0, mask=M[:, :, 3] | np.eye(3, 4, dtype=bool)),
    ],
    ids=["sum", "mean", "softmax", "logsumexp"],
)
def test_gradcheck(fn):
    x = autobp.tensor(X[:, :, 0], requires_grad=True)
    assert autobp.gradcheck(fn, (x,))
    assert autobp.gradgradcheck(fn, (x,))


def test_bad_mask():
    with pytest.raises(IndexError, match="more dimensions"):
        am.sum(autobp.tensor(X[0]), mask=M)
    with pytest.raises(ValueError, match="broadcast"):
        am.sum(autobp.tensor(X), mask=np.ones(3, bool))


def test_where_gradient_of_branch_not_taken_is_zero():
    # as torch.where: a nan gradient reaching where's output does not leak into the unselected input
    cond = np.array([True, False, True])
    xa = autobp.tensor([1.0, 2.0, 3.0], requires_grad=True)
    xt = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        autobp.sum(autobp.where(cond, xa, 0.0) / autobp.tensor([1.0, 0.0, 2.0])).backward()
    (
        torch.where(torch.tensor(cond), xt, 0.0) / torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64)
    ).sum().backward()
    np.testing.assert_array_equal(np.asarray(xa.grad), xt.grad.numpy())
