"""Constants in, constants out (autobp/_plain.py). Every public op call the op table's cases make is
made again through the public function on the calls' arrays instead of Tensors: no Tensor comes out,
but numpy's (or scipy's) kind of result, dtype and values, and the values the Tensor call gave;
with the Tensors themselves the public function still gives Tensors. Every declared op is reached."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest
import scipy.linalg
import scipy.signal
import scipy.special
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autobp
from autobp import Tensor, _plain
from autobp.compile.calls import Recorder, fill
from autobp.ops import DECLS

from . import opcases  # noqa: F401  fills CASES
from .optable import CASES

PLAIN = {n: d for n, d in DECLS.items() if d.namespace in _plain.NAMESPACES and n not in _plain.CONSTRUCTORS}
BY_FN = {d.fn: d for d in PLAIN.values()}
SELECTED = [c for c in CASES if set(c.ops) & set(PLAIN)]
SCIPY = {"autobp": scipy.special, "autobp.special": scipy.special, "autobp.linalg": scipy.linalg}
SCIPY["autobp.signal"] = scipy.signal
ids = lambda c: c.id  # noqa: E731


PUBLIC = {}  # declaration -> the function users call: autobp.<name>, autobp.linalg.<name>, ...
for _ns in _plain.NAMESPACES:
    for _obj in vars(importlib.import_module(_ns)).values():
        _d = BY_FN.get(getattr(_obj, "__wrapped__", None))
        if _d is not None and _d.namespace == _ns:
            PUBLIC[_d.name] = _obj
PUBLIC["trace"] = autobp.trace  # replay.trace, which is the matrix trace given an array


# autobp.linalg's names that follow torch.linalg where scipy.linalg's function of that name differs
# (1-based LAPACK pivots; docs/concepts/names.md)
TORCH_NOT_SCIPY = {
    "lu_factor",
    "lu_factor_ex",
    "lu",
}  # lu: torch.linalg.lu's P has the input's dtype (scipy's is real)


def _spherical_jn(n, z, derivative=False):
    """scipy's spherical_jn, except at subnormal z for n > 0: scipy answers nan there, where the value,
    z^n / (2n+1)!!, underflows to 0 (autobp's answer; the op table's oracle says the same)."""
    out = scipy.special.spherical_jn(n, z, derivative)
    if derivative:
        return out
    mended = np.where((np.asarray(n) > 0) & (np.abs(z) < 1e-300), 0.0, out)
    return mended[()] if np.ndim(out) == 0 else mended


MENDED = {"spherical_jn": _spherical_jn}  # scipy's value an artefact of its own, autobp's right


def oracle(d):
    """numpy's function of that name (the one dispatching to the op), else scipy's, else None."""
    if d.name in TORCH_NOT_SCIPY:
        return None
    if d.name in MENDED:
        return MENDED[d.name]
    if d.namespace == "autobp.special" or not d.numpy:
        return getattr(SCIPY.get(d.namespace), d.name, d.numpy[0] if d.numpy else None)
    return d.numpy[0]


def _items(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _kind(x):
    """What a caller of numpy sees: an ndarray, a numpy scalar, or another Python type."""
    return (
        "ndarray" if isinstance(x, np.ndarray) else "numpy scalar" if isinstance(x, np.generic) else type(x)
    )


def public_calls(case, arrays):
    """(declaration, args, kwargs, input Tensors) of each public op call ``case.fn`` makes at top
    level on Tensors of ``arrays`` (autobp.compile's recorder notes them), its own ops only."""
    recorder = Recorder()
    with np.errstate(all="ignore"):
        recorder.run(case.fn, tuple(Tensor(a, dtype=a.dtype) for a in arrays))
    calls = [e[1] for e in recorder.tape if e[0] == "open"]
    return [(BY_FN[c.fn], c.args, c.kwargs, c.inputs) for c in calls if c.fn in BY_FN]


def oracle_args(d, fn, args, kwargs):
    """The recorded call (every parameter bound) as ``fn`` (numpy's or scipy's) takes it: its
    positional-only parameters from ours in order, the rest by name; parameters left at our default
    are dropped where theirs has none or no value (numpy's ``_NoValue``), and a parameter ``fn`` lacks
    (PyTorch's spellings) makes the call incomparable (None) unless it holds our default."""
    params = list(inspect.signature(d.fn).parameters.values())
    named = {
        p.name: a for p, a in zip(params, args) if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    }
    rest = list(args[len(named) :])
    named.update(kwargs)
    theirs = inspect.signature(fn).parameters
    n_pos = sum(p.kind is p.POSITIONAL_ONLY for p in theirs.values())
    if params[0].kind is params[0].VAR_POSITIONAL:
        pos = rest
    else:
        keys = list(named)[: max(n_pos, 1)]
        pos = [named.pop(k) for k in keys] + rest
    kw = {}
    named.pop("optimize", None)  # einsum's contraction order: speed only
    for k, v in named.items():
        ours = _default(params, k)
        if _same(v, ours):
            default = theirs[k].default if k in theirs else None
            if (
                k not in theirs
                or default is np._NoValue
                or default is theirs[k].empty
                or _same(default, ours)
            ):
                continue
        if k not in theirs:
            return None
        kw[k] = v
    return pos, kw


def _default(params, name):
    return next((p.default for p in params if p.name == name), inspect.Parameter.empty)


def _same(a, b):
    try:
        return a is b or (type(a) is type(b) and bool(a == b))
    except Exception:
        return False


def _flat(items):
    """Outputs with a list among them (histogramdd's edges) spread out, to compare one by one."""
    return [v for o in items for v in (o if isinstance(o, list) else [o])]


def check_call(d, args, kwargs, inputs):
    values = [np.array(t._data) for t in inputs]
    with np.errstate(all="ignore"):
        on_tensors = _items(PUBLIC[d.name](*fill(args, inputs), **fill(kwargs, inputs)))
        ours = _items(PUBLIC[d.name](*fill(args, values), **fill(kwargs, values)))
        expected = None
        fn = oracle(d)
        if fn is not None:
            call = oracle_args(d, fn, fill(args, values), fill(kwargs, values))
            try:
                expected = None if call is None else _items(fn(*call[0], **call[1]))
            except (TypeError, ValueError, IndexError):  # PyTorch's options (pad's "circular"), empty
                expected = None
    ours, on_tensors = _flat(ours), _flat(on_tensors)
    expected = None if expected is None else _flat(expected)
    if inputs and not all(isinstance(t, (bool, int, type(None))) for t in on_tensors):  # iscomplexobj
        assert any(isinstance(t, Tensor) for t in on_tensors), (
            f"{d.name} of Tensors: {[type(t) for t in on_tensors]}"
        )
    assert not any(isinstance(o, Tensor) for o in ours), f"{d.name} of arrays: {[type(o) for o in ours]}"
    assert len(ours) == len(on_tensors)
    for k, (o, t) in enumerate(zip(ours, on_tensors)):
        if o is None:  # put_along_axis writes into its array, as numpy's
            assert t is None
            continue
        if isinstance(t, Tensor) and d.name not in _plain.FIXUPS:
            assert np.asarray(o).dtype == t.dtype, f"{d.name} output {k}"
        np.testing.assert_array_equal(
            o, t.data if isinstance(t, Tensor) else t, err_msg=f"{d.name} output {k}"
        )
    if expected is not None:
        assert len(expected) == len(ours), f"{d.name}: {len(ours)} outputs, numpy/scipy {len(expected)}"
        for k, (o, e) in enumerate(zip(ours, expected)):
            if o is None:
                assert e is None
                continue
            assert _kind(o) == _kind(e), f"{d.name} output {k}: {type(o)}, numpy/scipy {type(e)}"
            assert np.asarray(o).dtype == np.asarray(e).dtype, f"{d.name} output {k}: {np.asarray(o).dtype}"
            np.testing.assert_allclose(
                o, e, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=f"{d.name} output {k}"
            )


@pytest.mark.parametrize("case", SELECTED, ids=ids)
@settings(max_examples=6)
@given(data=st.data())
def test_public_calls_on_arrays_give_numpys_results(case, data):
    xs = data.draw(case.inputs)
    kinds = [np.float64] + ([np.int64] if case.ints else [])
    for dtype in kinds:
        arrays = [np.round(x).astype(dtype) if dtype is np.int64 else np.array(x) for x in xs]
        for call in public_calls(case, arrays):
            check_call(*call)


def _reach(case, reached):
    @settings(max_examples=1, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case.inputs)
    def one(xs):
        reached.update(d.name for d, *_ in public_calls(case, [np.array(x) for x in xs]))

    one()


def test_every_declared_op_is_reached_through_its_public_function():
    """Each declared op of the plain namespaces is exported as a plain wrapper, and the op table's
    cases call it (so the test above checks it on arrays)."""
    assert set(PLAIN) - set(PUBLIC) == set(), "declared ops not exported as plain wrappers"
    reached = set()
    for case in SELECTED:
        _reach(case, reached)
    assert set(PLAIN) - reached - set(BY_NAME) == set(), "declared ops no op-table case calls"


# ops the op table reaches through operators only (a + b, a @ b, -a): called by name here
BY_NAME = {"add": np.add, "matmul": np.matmul, "negative": np.negative}


@pytest.mark.parametrize("name", sorted(BY_NAME))
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float32])
def test_operator_ops_by_name(name, dtype):
    a, b = np.arange(4).reshape(2, 2).astype(dtype), np.array([[1, -2], [3, 5]], dtype=dtype)
    args = (a,) if name == "negative" else (a, b)
    ours, want = getattr(autobp, name)(*args), BY_NAME[name](*args)
    assert type(ours) is np.ndarray and ours.dtype == want.dtype
    np.testing.assert_array_equal(ours, want)
    assert isinstance(getattr(autobp, name)(*[autobp.tensor(x, dtype=x.dtype) for x in args]), Tensor)
    small = (a[0], b[:, 0]) if name == "matmul" else [x[0, 0] for x in args]  # a numpy scalar out
    assert type(getattr(autobp, name)(*small)) is type(BY_NAME[name](*small)) is dtype


def test_tensors_inside_lists_tuples_dicts_and_keywords_count():
    t = autobp.tensor([1.0, 2.0], requires_grad=True)
    a = np.array([3.0, 4.0])
    assert type(autobp.concatenate([a, a])) is np.ndarray
    assert isinstance(autobp.concatenate([a, t]), Tensor) and autobp.concatenate((a, t)).requires_grad
    assert isinstance(autobp.exp(x=t), Tensor) and type(autobp.exp(x=a)) is np.ndarray
    assert isinstance(autobp.maximum(a, t), Tensor)  # a Tensor second: the slow path finds it
    assert (
        isinstance(autobp.einsum("i,i->", a, t), Tensor) and type(autobp.einsum("i,i->", a, a)) is np.float64
    )
    assert _plain.has_tensor({"k": [(1.0, t)]}) and not _plain.has_tensor({"k": [(1.0, a)]})
    w = autobp.nn.Parameter(np.ones(2))  # a Tensor subclass takes the Tensor path
    assert isinstance(autobp.sum(w), Tensor) and autobp.sum(w).requires_grad


def test_numpy_scalars_in_give_numpy_scalars_out():
    assert autobp.exp(np.float64(1.0)) == np.exp(1.0) and type(autobp.exp(np.float64(1.0))) is np.float64
    assert type(autobp.sum(np.ones(3, dtype=np.float32))) is np.float32
    assert type(autobp.sum(np.arange(3))) is np.int64 and autobp.sum(np.arange(3)) == 3
    assert type(autobp.exp(1)) is np.float64  # a Python int: numpy's float64
    assert type(autobp.linalg.det(np.eye(2))) is np.float64
    sign, logdet = autobp.linalg.slogdet(2 * np.eye(2))
    assert type(sign) is np.float64 and logdet == np.linalg.slogdet(2 * np.eye(2))[1]
    assert type(autobp.where(True, 1.0, 2.0)) is np.ndarray  # numpy's np.where gives a 0-d array
    assert type(autobp.trace(np.eye(3))) is np.float64 and autobp.trace(np.eye(3)) == 3.0


def test_constructors_still_make_tensors():
    for make in (lambda: autobp.zeros(2), lambda: autobp.ones_like(np.ones(2)), lambda: autobp.arange(3)):
        assert isinstance(make(), Tensor)
    assert isinstance(autobp.array([1.0]), Tensor) and isinstance(autobp.linspace(0, 1, 3), Tensor)
    assert isinstance(autobp.fft.fftfreq(4), Tensor)


def test_nn_functional_and_tensor_paths_unchanged():
    x = autobp.tensor(np.array([[0.5, -1.0]]), requires_grad=True)
    out = autobp.exp(x).sum()
    out.backward()
    np.testing.assert_allclose(x.grad, np.exp(x.data))
    assert isinstance(autobp.nn.functional.relu(np.array([1.0, -1.0])), Tensor)  # PyTorch's namespace


def test_odeint_of_arrays_is_scipys():
    """odeint of arrays gives scipy's array; a Tensor among its ``args`` gives a Tensor."""
    import scipy.integrate

    y0, ts = np.array([1.0]), np.array([0.0, 0.5, 1.0])
    ours = autobp.integrate.odeint(lambda y, t: -y, y0, ts)
    assert type(ours) is np.ndarray
    np.testing.assert_allclose(ours, scipy.integrate.odeint(lambda y, t: -y, y0, ts), rtol=1e-5)
    k = autobp.tensor(1.0, requires_grad=True)
    kept = autobp.integrate.odeint(lambda y, t, k: -k * y, y0, ts, args=(k,))
    assert isinstance(kept, Tensor) and kept.requires_grad


def test_gmm_alpha_is_a_number_matplotlib_takes():
    """HIPS autograd's gmm example draws with ``alpha=np.minimum(1.0, np.exp(log_proportion) * 10)``:
    matplotlib refuses a Tensor there ("alpha must be numeric or None")."""
    alpha = autobp.minimum(1.0, autobp.exp(np.float64(0.3)) * 10)
    assert alpha == np.minimum(1.0, np.exp(np.float64(0.3)) * 10) and type(alpha) is np.float64
    artist = pytest.importorskip("matplotlib.artist").Artist()
    artist.set_alpha(alpha)
    assert artist.get_alpha() == 1.0
    with pytest.raises(TypeError, match="alpha must be numeric"):
        artist.set_alpha(autobp.tensor(0.5))
