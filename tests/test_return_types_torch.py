"""autobp.return_types mirrors torch.return_types: the same names and fields, made from one sequence,
and the functions PyTorch gives named results (frexp, qr, histogram, histogramdd) give them too."""

import pickle

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")
TORCH_NAMES = {n for n in dir(torch.return_types) if not n.startswith("_") and n.islower()}
TORCH_NAMES -= {"all_return_types", "inspect", "name", "pytree_register_structseq", "register_pytree_node"}
TORCH_NAMES -= {"return_types", "torch"}


@pytest.mark.parametrize("name", sorted(TORCH_NAMES))
def test_same_names_and_fields_as_torch(name):
    ours, theirs = getattr(ab.return_types, name), getattr(torch.return_types, name)
    n = theirs.n_fields
    made = ours([ab.zeros(()) for _ in range(n)])
    assert type(made) is ours and len(made) == n
    ref = theirs([torch.zeros(()) for _ in range(n)])
    fields = [f for f in dir(ref) if not f.startswith("_") and f not in dir(tuple)]
    fields = [f for f in fields if f not in ("n_fields", "n_sequence_fields", "n_unnamed_fields")]
    assert sorted(made._fields) == sorted(fields)
    for i, f in enumerate(made._fields):
        assert getattr(made, f) is made[i]
    with pytest.raises(TypeError):
        ours([ab.zeros(())] * (n + 1))
    with pytest.raises(TypeError):
        theirs([torch.zeros(())] * (n + 1))


def test_pickle_and_star_import():
    r = ab.return_types.topk([ab.ones(2), ab.zeros(2)])
    back = pickle.loads(pickle.dumps(r))
    assert type(back) is ab.return_types.topk and np.array_equal(back.values.data, [1.0, 1.0])
    ns: dict = {}
    exec("from autobp.return_types import *", ns)
    assert "kthvalue" in ns and "linalg_svd_out" in ns


def test_functions_with_named_results_as_torch():
    x0 = np.array([[1.5, -3.0, 0.25], [8.0, 2.0, -0.5], [1.0, 1.0, 4.0]])
    a, t = ab.tensor(x0), torch.tensor(x0)
    m, e = ab.frexp(a)
    assert ab.frexp(a).mantissa is not None and a.frexp().exponent.dtype == np.int32
    np.testing.assert_array_equal(m.data, torch.frexp(t).mantissa.numpy())
    np.testing.assert_array_equal(e.data, torch.frexp(t).exponent.numpy())
    q = ab.qr(a)
    np.testing.assert_allclose(abs(q.Q.data), abs(torch.qr(t).Q.numpy()), atol=1e-12)
    np.testing.assert_allclose(abs(q.R.data), abs(torch.qr(t).R.numpy()), atol=1e-12)
    h = ab.histogram(a, 3)
    np.testing.assert_allclose(h.hist.data, torch.histogram(t, 3).hist.numpy())
    np.testing.assert_allclose(h.bin_edges.data, torch.histogram(t, 3).bin_edges.numpy())
    hd = ab.histogramdd(a, 2)
    th = torch.histogramdd(t, 2)
    np.testing.assert_allclose(hd.hist.data, th.hist.numpy())
    assert len(hd.bin_edges) == len(th.bin_edges) == 3


def test_numpy_inputs_keep_numpy_plain_tuples():
    assert type(ab.frexp(np.ones(2))) is tuple and type(np.frexp(np.ones(2))) is tuple
    assert type(ab.histogram(np.ones(3), 2)) is tuple


def test_out_gives_the_out_twin_as_torch():
    a = ab.tensor(np.arange(4.0).reshape(2, 2) + np.eye(2))
    res = ab.qr(a)
    out = (ab.empty(0), ab.empty(0))
    got = ab.qr(a, out=out)
    empty = torch.empty(0, dtype=torch.float64)
    ref = torch.qr(torch.tensor(a.data), out=(empty, empty.clone()))
    assert got.Q is out[0] and type(got).__name__ == type(ref).__name__ == "qr_out"
    assert type(got) is ab.return_types.qr_out and type(res) is ab.return_types.qr
    np.testing.assert_allclose(out[0].data, res.Q.data)


@pytest.mark.parametrize(
    "name, args",
    [
        ("topk", (2,)),
        ("kthvalue", (2, 0)),
        ("cummax", (0,)),
        ("cummin", (1,)),
        ("mode", (0,)),
        ("aminmax", ()),
        ("slogdet", ()),
        ("svd", ()),
        ("geqrf", ()),
        ("frexp", ()),
        ("histogram", (3,)),
    ],
)
def test_out_of_named_results_as_torch(name, args):
    x0 = np.array([[1.5, -3.0, 0.25], [8.0, 2.0, -0.5], [1.0, 1.0, 4.0]])
    ours_fn, theirs_fn = getattr(ab, name), getattr(torch, name)
    ref = theirs_fn(torch.tensor(x0), *args)
    outs = tuple(ab.empty(tuple(r.shape), dtype=np.asarray(r.numpy()).dtype) for r in ref)
    got = ours_fn(ab.tensor(x0), *args, out=outs)
    assert all(g is o for g, o in zip(got, outs))
    for f, g, r in zip(ref._fields if hasattr(ref, "_fields") else range(len(ref)), got, ref):
        if name in ("svd", "geqrf") and f != "S":  # signs of singular vectors / reflectors may differ
            np.testing.assert_allclose(np.abs(g.data), np.abs(r.numpy()), atol=1e-10)
        else:
            np.testing.assert_allclose(g.data, r.numpy(), atol=1e-12)
    for field in type(got)._fields:
        assert getattr(got, field) is not None
