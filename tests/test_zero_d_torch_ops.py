"""PyTorch's dim-taking functions on a 0-d tensor read it as one element along dim 0 / -1 and give
0-d results; torch is the oracle for values, shapes and gradients."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

CASES = [
    ("topk", lambda m, x: m.topk(x, 1)),
    ("topk-dim0-smallest", lambda m, x: m.topk(x, 1, 0, False)),
    ("kthvalue", lambda m, x: m.kthvalue(x, 1)),
    ("kthvalue-keepdim", lambda m, x: m.kthvalue(x, 1, 0, True)),
    ("mode", lambda m, x: m.mode(x)),
    ("mode-dim0-keepdim", lambda m, x: m.mode(x, 0, True)),
]


@pytest.mark.parametrize("name, fn", CASES, ids=[c[0] for c in CASES])
def test_zero_d_values_indices_and_gradient(name, fn):
    tx = torch.tensor(-1.25, dtype=torch.float64, requires_grad=True)
    tv, ti = fn(torch, tx)
    (tg,) = torch.autograd.grad(tv * 3.0, tx)
    ax = autobp.tensor(-1.25, requires_grad=True)
    av, ai = fn(autobp, ax)
    (ag,) = autobp.autograd.grad(av * 3.0, ax)
    assert av.shape == tuple(tv.shape) == () and ai.shape == tuple(ti.shape) == ()
    assert av.item() == tv.item() and ai.item() == ti.item() and ai.dtype == np.int64
    assert float(np.asarray(ag)) == tg.item()


INDEX_CASES = [
    ("index_select", lambda m, x, i: m.index_select(x, 0, i([0]))),
    ("index_add", lambda m, x, i: m.index_add(x, 0, i([0]), x * 2.0, alpha=3)),
    ("index_copy", lambda m, x, i: m.index_copy(x, -1, i([0]), x * 5.0)),
    ("index_fill", lambda m, x, i: m.index_fill(x, 0, i([0]), 7.0) + x),
    ("index_reduce", lambda m, x, i: m.index_reduce(x, 0, i([0]), x + 1.0, "prod")),
    ("scatter", lambda m, x, i: m.scatter(x, 0, i(0), x * 4.0)),
    ("scatter_add", lambda m, x, i: m.scatter_add(x, 0, i(0), x * 4.0)),
    ("scatter_reduce", lambda m, x, i: m.scatter_reduce(x, 0, i(0), x * 0.5, "amax", include_self=False)),
    ("gather-0d-index", lambda m, x, i: m.gather(x, 0, i(0))),
    ("gather-1d-index", lambda m, x, i: m.gather(x, 0, i([0, 0]))),
]


@pytest.mark.parametrize("name, fn", INDEX_CASES, ids=[c[0] for c in INDEX_CASES])
def test_zero_d_index_functions(name, fn):
    tx = torch.tensor(-1.25, dtype=torch.float64, requires_grad=True)
    t = fn(torch, tx, lambda v: torch.tensor(v))
    (tg,) = torch.autograd.grad(t.sum() * 3.0, tx)
    ax = autobp.tensor(-1.25, requires_grad=True)
    a = fn(autobp, ax, lambda v: autobp.tensor(v))
    (ag,) = autobp.autograd.grad(a.sum() * 3.0, ax)
    assert a.shape == tuple(t.shape)
    np.testing.assert_allclose(a.data, t.detach().numpy())
    np.testing.assert_allclose(float(np.asarray(ag)), tg.item())


@pytest.mark.parametrize("reduce", ["add", "multiply"])
@pytest.mark.parametrize("value", [2.5, -1.7])
@pytest.mark.parametrize(
    "x", [np.array([-3, 1, 2]), np.array(-3), np.array([-3.0, 1.0, 2.0])], ids=["int", "int-0d", "float"]
)
def test_scatter_reduce_of_a_number_casts_it_to_the_input_dtype_first(x, value, reduce):
    idx = np.array([0, 0]) if x.ndim else np.array(0)
    want = torch.scatter(torch.tensor(x), 0, torch.tensor(idx), value, reduce=reduce).numpy()
    got = autobp.scatter(autobp.tensor(x), 0, autobp.tensor(idx), value, reduce=reduce)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got.data, want)
