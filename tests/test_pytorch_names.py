"""PyTorch's top-level names (autobp/pytorch_names.py): dtype spellings are numpy's types of the same
meaning as torch's, from_numpy shares memory, the rank-checked products match torch, t() transposes."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab


def test_dtype_names_mean_what_torchs_do():
    torch = pytest.importorskip("torch")
    names = ["float16", "float32", "float64", "complex64", "complex128", "int8", "int16", "int32", "int64"]
    names += ["uint8", "half", "double", "cfloat", "cdouble", "short", "long", "float", "int", "bool"]
    for name in names:
        ours = np.dtype(getattr(ab, name))
        theirs = str(getattr(torch, name)).removeprefix("torch.")
        assert ours == np.dtype(theirs), name
    assert ab.zeros(2, dtype=ab.float32).dtype == np.float32
    assert ab.tensor([1, 2]).to(ab.long).dtype == np.int64


def test_star_import_does_not_shadow_builtins():
    namespace: dict = {}
    exec("from autobp import *", namespace)  # noqa: S102
    assert "float" not in namespace and "int" not in namespace and "bool" not in namespace
    assert namespace["float32"] is np.float32
    assert "range" not in namespace and "complex" not in namespace  # attributes only (torch.range, ...)
    assert ab.range(0, 2).tolist() == [0.0, 1.0, 2.0]  # PyTorch's inclusive end


def test_public_names_are_listed_once_and_all_exist():
    for module in (ab, ab.nn, ab.nn.functional, ab.linalg, ab.special, ab.stats, ab.fft, ab.optim):
        names = list(module.__all__)
        twice = sorted({n for n in names if names.count(n) > 1})
        assert twice == [], f"{module.__name__}.__all__ lists {twice} more than once"
        missing = [n for n in names if not hasattr(module, n)]
        assert missing == [], f"{module.__name__}.__all__ names {missing}, which it lacks"


def test_from_numpy_shares_memory_and_dtype():
    a = np.arange(4, dtype=np.int32)
    t = ab.from_numpy(a)
    a[0] = 7
    assert t.dtype == np.int32 and t.data[0] == 7
    with pytest.raises(TypeError, match="numpy.ndarray"):
        ab.from_numpy([1, 2])
    assert ab.is_tensor(t) and not ab.is_tensor(a)
    assert ab.numel(ab.zeros((2, 3))) == 6


@pytest.mark.parametrize(
    "name, shapes", [("mm", ((2, 3), (3, 4))), ("mv", ((2, 3), (3,))), ("bmm", ((2, 3, 4), (2, 4, 5)))]
)
def test_products_match_torch_and_check_ranks(name, shapes):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    ours = [ab.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = getattr(ab, name)(*ours), getattr(torch, name)(*theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-13)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=rf"{name}: needs .*got shapes \(3,\)"):
        getattr(ab, name)(ab.ones(3), ab.ones(3))


def test_t_transposes_matrices_only():
    x = ab.tensor(np.arange(6.0).reshape(2, 3))
    assert np.array_equal(x.t().data, x.data.T)
    assert x[0].t().shape == (3,)
    with pytest.raises(ValueError, match=r"at most 2 axes, got shape \(1, 2, 3\)"):
        x.reshape(1, 2, 3).t()


def test_inference_mode_records_nothing_and_restores():
    x = ab.tensor([1.0, 2.0], requires_grad=True)
    with ab.inference_mode():
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    with ab.inference_mode(False):
        assert (x * 2).requires_grad

    @ab.inference_mode()
    def f(t):
        return t * 2

    assert not f(x).requires_grad and ab.is_grad_enabled()


def test_functional_call_substitutes_parameters_as_torch_func():
    torch = pytest.importorskip("torch")
    ab.manual_seed(0)
    m = ab.nn.Sequential(ab.nn.Linear(3, 2), ab.nn.Tanh(), ab.nn.Linear(2, 1))
    own = m[0].weight
    tm = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)).double()
    tm.load_state_dict({k: torch.tensor(v.numpy()) for k, v in m.state_dict().items()})
    w0, x0 = (
        np.random.default_rng(1).standard_normal((2, 3)),
        np.random.default_rng(2).standard_normal((4, 3)),
    )
    w, tw = ab.tensor(w0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    out = ab.func.functional_call(m, {"0.weight": w}, (ab.tensor(x0),))
    ref = torch.func.functional_call(tm, {"0.weight": tw}, (torch.tensor(x0),))
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-12)
    assert m[0].weight is own and own.grad is None  # restored, and untouched by the call
    # a name the module lacks is set as an attribute for the call, as torch.func.functional_call does
    typo = ab.func.functional_call(m, {"0.wieght": w}, (ab.tensor(x0),))
    ref = torch.func.functional_call(tm, {"0.wieght": tw}, (torch.tensor(x0),))
    np.testing.assert_allclose(typo.data, ref.detach().numpy(), rtol=1e-13)
    assert not hasattr(m[0], "wieght") and not hasattr(tm[0], "wieght")


def test_grad_materialize_grads_and_autograd_functional():
    x, y = ab.tensor([1.0, 2.0], requires_grad=True), ab.tensor([3.0], requires_grad=True)
    gx, gy = ab.autograd.grad((x * x).sum(), [x, y], materialize_grads=True)
    assert gx.data.tolist() == [2.0, 4.0] and gy.data.tolist() == [0.0]
    assert ab.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None
    jac = ab.autograd.functional.jacobian(lambda t: t * t, x)
    np.testing.assert_array_equal(jac.data, np.diag([2.0, 4.0]))


def test_like_constructors_take_requires_grad_and_norm_takes_dim():
    torch = pytest.importorskip("torch")
    assert ab.ones_like(ab.zeros(2), requires_grad=True).requires_grad
    assert ab.zeros_like(ab.zeros(2)).requires_grad is False
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(
        ab.linalg.norm(ab.tensor(a), dim=1, keepdim=True).data,
        torch.linalg.norm(torch.tensor(a), dim=1, keepdim=True).numpy(),
    )


@pytest.mark.parametrize("p", [2.0, 1.0])
def test_cdist_matches_torch_also_at_zero_distances(p):
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).standard_normal((4, 3))
    b = np.random.default_rng(1).standard_normal((5, 3))
    a[2], b[1] = a[0], a[0]  # repeated rows: zero distances, where the norm has a kink
    x, y = ab.tensor(a, requires_grad=True), ab.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    d, td = ab.cdist(x, y, p), torch.cdist(tx, ty, p)
    d.sum().backward()
    td.sum().backward()
    np.testing.assert_allclose(d.data, td.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_as_tensor_and_inverse():
    a = np.ones(3)
    t = ab.as_tensor(a)
    a[0] = 5.0
    assert t.data[0] == 5.0  # shares memory, as torch.as_tensor of a numpy array
    assert ab.as_tensor(t) is t and ab.as_tensor(t, dtype=np.float32).dtype == np.float32
    assert ab.as_tensor([1, 2]).dtype == np.int64
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(ab.inverse(ab.tensor(m)).data, np.linalg.inv(m))


@pytest.mark.parametrize(
    "data, kw",
    [
        (np.random.default_rng(0).standard_normal(50), {"bins": 7}),
        (np.random.default_rng(1).standard_normal(50), {"bins": 5, "min": -1, "max": 1}),
        (np.ones(4), {"bins": 4}),  # an empty range: torch widens it by one each side
        (np.arange(10.0, dtype=np.float32), {"bins": 3}),
    ],
)
def test_histc_matches_torch(data, kw):
    torch = pytest.importorskip("torch")
    ours, theirs = ab.histc(ab.tensor(data), **kw), torch.histc(torch.tensor(data), **kw)
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
