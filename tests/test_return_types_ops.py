"""Every autobp function that PyTorch gives a ``torch.return_types`` result returns autobp's class of the
same name and fields (function, Tensor method and ``out=`` forms), compared with torch itself; the
numpy-named linalg results keep their numpy names as aliases of those classes."""

import pickle
import warnings

import numpy as np
import pytest

import autobp as ab
from autobp import return_types as rt

torch = pytest.importorskip("torch")

X0 = np.random.default_rng(0).standard_normal((4, 4))
SPD = X0 @ X0.T + 4 * np.eye(4)
PIV = np.array([3, 2, 3, 4], dtype=np.int32)


def _calls(m, la, t, a, s):
    """name -> a call of library ``m`` (torch or autobp) giving that named result."""
    return {
        "topk": lambda: m.topk(a, 2),
        "topk-method": lambda: a.topk(2, dim=0),
        "kthvalue": lambda: m.kthvalue(a, 1, 0),
        "kthvalue-method": lambda: a.kthvalue(2),
        "cummax": lambda: m.cummax(a, 0),
        "cummax-method": lambda: a.cummax(1),
        "cummin": lambda: m.cummin(a, 1),
        "cummin-method": lambda: a.cummin(0),
        "mode": lambda: m.mode(a, 0),
        "mode-method": lambda: a.mode(),
        "aminmax": lambda: m.aminmax(a),
        "aminmax-method": lambda: a.aminmax(dim=0),
        "svd": lambda: m.svd(a),
        "svd-method": lambda: a.svd(),
        "slogdet": lambda: m.slogdet(a),
        "slogdet-method": lambda: a.slogdet(),
        "qr": lambda: m.qr(a),
        "qr-method": lambda: a.qr(),
        "geqrf": lambda: m.geqrf(a),
        "geqrf-method": lambda: a.geqrf(),
        "triangular_solve": lambda: m.triangular_solve(a, s),
        "triangular_solve-method": lambda: a.triangular_solve(s),
        "frexp": lambda: m.frexp(a),
        "frexp-method": lambda: a.frexp(),
        "lu_unpack": lambda: m.lu_unpack(*la.lu_factor(a)),
        "histogram": lambda: m.histogram(a, 3),
        "histogram-method": lambda: a.histogram(3),
        "histogramdd": lambda: m.histogramdd(a, 2),
        "lu-get_infos": lambda: m.lu(a, get_infos=True),
        "linalg.svd": lambda: la.svd(a),
        "linalg.slogdet": lambda: la.slogdet(a),
        "linalg.qr": lambda: la.qr(a),
        "linalg.eig": lambda: la.eig(a),
        "linalg.eigh": lambda: la.eigh(s),
        "linalg.cholesky_ex": lambda: la.cholesky_ex(s),
        "linalg.inv_ex": lambda: la.inv_ex(a),
        "linalg.solve_ex": lambda: la.solve_ex(a, s),
        "linalg.lu_factor": lambda: la.lu_factor(a),
        "linalg.lu_factor_ex": lambda: la.lu_factor_ex(a),
        "linalg.ldl_factor": lambda: la.ldl_factor(s),
        "linalg.ldl_factor_ex": lambda: la.ldl_factor_ex(s),
        "linalg.lu": lambda: la.lu(a),
        "linalg.lstsq": lambda: la.lstsq(a, s),
        # out= forms give the *_out twin, as PyTorch's
        "topk-out": lambda: m.topk(a, 2, out=(t(0.0), t(0))),
        "cummax-out": lambda: m.cummax(a, 0, out=(t(0.0), t(0))),
        "svd-out": lambda: m.svd(a, out=(t(0.0), t(0.0), t(0.0))),
        "slogdet-out": lambda: m.slogdet(a, out=(t(0.0), t(0.0))),
        "frexp-out": lambda: m.frexp(a, out=(t(0.0), t(np.int32(0)))),
        "histogram-out": lambda: m.histogram(a, 3, out=(t(0.0), t(0.0))),
        "linalg.eigh-out": lambda: la.eigh(s, out=(t(0.0), t(0.0))),
        "linalg.svd-out": lambda: la.svd(a, out=(t(0.0), t(0.0), t(0.0))),
        "linalg.qr-out": lambda: la.qr(a, out=(t(0.0), t(0.0))),
        "linalg.inv_ex-out": lambda: la.inv_ex(a, out=(t(0.0), t(np.int32(0)))),
    }


def _torch_empty(v):
    return torch.empty(
        0,
        dtype=torch.int32
        if isinstance(v, np.int32)
        else torch.float64
        if isinstance(v, float)
        else torch.int64,
    )


def _ab_empty(v):
    return ab.empty(
        0, dtype=np.int32 if isinstance(v, np.int32) else np.float64 if isinstance(v, float) else np.int64
    )


def _both():
    tt = _calls(torch, torch.linalg, _torch_empty, torch.tensor(X0), torch.tensor(SPD))
    ours = _calls(ab, ab.linalg, _ab_empty, ab.tensor(X0), ab.tensor(SPD))
    return tt, ours


NAMES = list(_calls(torch, torch.linalg, None, None, None))


@pytest.mark.parametrize("case", NAMES)
def test_same_class_and_fields_as_torch(case):
    tt, ours = _both()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.qr / torch.lu / triangular_solve are deprecated
        ref = tt[case]()
    got = ours[case]()
    name = type(ref).__name__
    assert type(ref).__module__ == "torch.return_types"
    assert type(got).__name__ == name and type(got) is getattr(rt, name)
    assert isinstance(got, getattr(rt, name)) and isinstance(got, tuple)
    assert got._fields == type(ref).__match_args__ == type(got).__match_args__
    for i, field in enumerate(got._fields):
        assert getattr(got, field) is got[i]
    assert len(got) == len(ref) == type(got).n_fields == type(ref).n_fields


def test_tensor_lu_is_a_plain_tuple_as_torch():
    ref = torch.tensor(X0).lu(get_infos=True)  # torch.Tensor.lu is Python: a plain tuple
    assert type(ref) is type(ab.tensor(X0).lu(get_infos=True)) is tuple


def test_numpy_names_are_the_torch_classes():
    la = ab.linalg
    pairs = {
        "EighResult": "linalg_eigh",
        "EigResult": "linalg_eig",
        "SlogdetResult": "linalg_slogdet",
        "SVDResult": "linalg_svd",
        "QRResult": "linalg_qr",
        "LUResult": "linalg_lu",
        "LUFactorResult": "linalg_lu_factor",
        "LUFactorExResult": "linalg_lu_factor_ex",
        "LDLFactorResult": "linalg_ldl_factor",
        "LDLFactorExResult": "linalg_ldl_factor_ex",
    }
    for old, new in pairs.items():
        assert getattr(la, old) is getattr(rt, new)
    # numpy's named results have the same field names as torch.linalg's
    a = SPD
    assert np.linalg.eigh(a)._fields == rt.linalg_eigh._fields
    assert np.linalg.svd(a)._fields == rt.linalg_svd._fields
    assert np.linalg.slogdet(a)._fields == rt.linalg_slogdet._fields
    assert np.linalg.qr(a)._fields == rt.linalg_qr._fields


def test_numpy_inputs_keep_numpy_kinds():
    """numpy arrays in: named results stay named (numpy's eigh/svd/... are), frexp/histogram/lstsq
    stay plain tuples as numpy's are."""
    a = SPD
    for fn in ("eigh", "svd", "slogdet", "qr", "eig"):
        got, ref = getattr(ab.linalg, fn)(a), getattr(np.linalg, fn)(a)
        assert got._fields == ref._fields and isinstance(got, getattr(rt, "linalg_" + fn))
        for g, r in zip(got, ref):
            assert not isinstance(g, ab.Tensor) and np.shape(g) == np.shape(r)
    assert type(ab.linalg.lstsq(a, a)) is type(np.linalg.lstsq(a, a)) is tuple
    assert type(ab.frexp(a)) is tuple and type(ab.histogram(a)) is tuple


def test_structseq_behaviour_as_torch():
    x = ab.tensor(X0)
    got, ref = ab.topk(x, 2), torch.topk(torch.tensor(X0), 2)
    # one sequence builds it; another length is a TypeError (torch's too)
    built = rt.topk((got.values, got.indices))
    assert type(built) is rt.topk and built.values is got.values
    assert type(torch.return_types.topk((ref.values, ref.indices))) is torch.return_types.topk
    for cls, v in ((rt.topk, ab.ones(1)), (torch.return_types.topk, torch.ones(1))):
        with pytest.raises(TypeError):
            cls((v, v, v))
        with pytest.raises(TypeError):
            cls(5)
    # a tuple: equal to the plain tuple, hashable as it, sliced into plain tuples
    pair = rt.topk((1, 2))
    assert pair == (1, 2) and torch.return_types.topk((1, 2)) == (1, 2)
    assert hash(pair) == hash((1, 2)) == hash(torch.return_types.topk((1, 2)))
    assert type(pair[:1]) is type(torch.return_types.topk((1, 2))[:1]) is tuple
    assert pair + (3,) == (1, 2, 3)
    # repr: the module path, then one field per line
    assert repr(pair) == "autobp.return_types.topk(\nvalues=1,\nindices=2)"
    assert repr(torch.return_types.topk((1, 2))) == "torch.return_types.topk(\nvalues=1,\nindices=2)"
    # pickled and back: the same class
    back = pickle.loads(pickle.dumps(got))
    assert type(back) is rt.topk and np.array_equal(back.values.data, got.values.data)
    assert type(pickle.loads(pickle.dumps(ab.linalg.eigh(ab.tensor(SPD))))) is ab.linalg.EighResult


def test_values_as_torch():
    x, tx = ab.tensor(X0), torch.tensor(X0)
    for got, ref in [
        (ab.topk(x, 2), torch.topk(tx, 2)),
        (ab.cummax(x, 0), torch.cummax(tx, 0)),
        (ab.kthvalue(x, 2, 1), torch.kthvalue(tx, 2, 1)),
        (ab.aminmax(x, dim=1), torch.aminmax(tx, dim=1)),
        (ab.linalg.slogdet(x), torch.linalg.slogdet(tx)),
    ]:
        for g, r in zip(got, ref):
            np.testing.assert_allclose(np.asarray(g.data), r.numpy(), rtol=1e-12)


def test_autobp_pytree_and_grad_keep_the_class():
    x = ab.tensor(X0, requires_grad=True)
    r = ab.topk(x, 2)
    leaves, tree = ab.pytree.tree_flatten(r)
    assert type(tree.unflatten(leaves)) is rt.topk
    r.values.sum().backward()
    ref = torch.tensor(X0, requires_grad=True)
    torch.topk(ref, 2).values.sum().backward()
    np.testing.assert_array_equal(x.grad, ref.grad.numpy())
