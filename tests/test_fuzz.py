"""Fuzzing the public API. Random programs: every op either gives numpy's value (and, at the end, the
gradient central differences give) or, exactly when numpy refuses too, raises a clear error. Random
malformed arguments: every call returns, or raises a ValueError/TypeError/IndexError/RuntimeError that
autobp itself raised with a message -- never an exception escaping from deep inside numpy."""

import os
import traceback
from functools import partial

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp
from autobp import Tensor, Value, nn, no_grad, optim
from autobp._numeric import numerical_gradients
from autobp.nn import functional as F
from autobp.testing import arrays, broadcastable_pair, shapes

PACKAGE = os.path.dirname(os.path.abspath(autobp.__file__)) + os.sep
ALLOWED = (ValueError, TypeError, IndexError, RuntimeError)  # autobp's own errors subclass these


def check_error(e: BaseException, what: str) -> None:
    """``e`` must be an allowed type, carry a message, and have been raised by autobp's own code."""
    if what.startswith("Value") and isinstance(e, ArithmeticError):
        return  # Value computes with Python floats: overflow and division by zero raise as in Python
    assert isinstance(e, ALLOWED), f"{what}: {type(e).__name__} escaped: {e}"
    assert str(e).strip(), f"{what}: {type(e).__name__} without a message"
    frame = traceback.extract_tb(e.__traceback__)[-1]
    assert frame.filename.startswith(PACKAGE), (
        f"{what}: {type(e).__name__}({e}) was raised at {frame.filename}:{frame.lineno}, not by autobp"
    )


def outcome(fn):
    """(value, None) or (None, exception)."""
    try:
        return fn(), None
    except Exception as e:  # noqa: BLE001 - the property is about which exceptions appear
        return None, e


# --- random programs with a numpy oracle -------------------------------------------------------------
def checker(shape):
    """A fixed boolean pattern for ``where`` (a data-dependent mask would move under finite differences)."""
    return np.indices(shape).sum(axis=0) % 2 == 0


def sigmoid_np(a):
    return 1 / (1 + np.exp(-a))


def logsumexp_np(a, axis, keepdims):
    return np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))


def softmax_np(a, axis):
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax_np(a, axis):
    """x - max - log(sum(exp(x - max))): log(softmax) underflows to -inf where the exact value is finite."""
    z = a - np.max(a, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def torch_axis(a, axis):
    """The reference's axis: axis 0 / -1 of a 0-d array (alone or in a 1-tuple) read as PyTorch reads
    it, its one element (reduce over nothing), which autobp follows where numpy refuses (mean, (0,))."""
    one = axis if not isinstance(axis, tuple) else axis[0] if len(axis) == 1 else None
    return () if np.ndim(a) == 0 and isinstance(one, int) and one in (0, -1) else axis


def axis_arg(ndim):
    """Axes numpy accepts and axes it refuses: out of range, repeated, tuples, None."""
    one = st.integers(-ndim - 2, ndim + 1)
    return st.one_of(st.none(), one, st.lists(one, max_size=3).map(tuple))


def index_arg(shape):
    """Valid basic and advanced indices, plus out-of-range integers and mismatched masks."""
    options = [
        hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True),
        st.integers(-5, 5),
        st.lists(st.integers(-4, 4), min_size=1, max_size=4).map(np.array),
    ]
    if shape and all(shape):  # hypothesis draws integer-array indices only into non-empty axes
        options.append(
            hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(max_dims=2, max_side=3))
        )
    if shape:
        options.append(hnp.arrays(bool, st.sampled_from([shape, shape[:1], (shape[0] + 1,)])))
    return st.one_of(*options)


def shape_arg(shape):
    size = int(np.prod(shape))
    return st.one_of(
        st.just((-1,)),
        st.just(tuple(reversed(shape))),
        st.lists(st.integers(-1, 4), max_size=3).map(tuple),
        st.just((size, 1)),
    )


# name -> (number of tensor operands, parameter strategy given the operands' shapes, autobp, numpy)
UNARY = {
    "neg": (lambda s: st.none(), lambda a, p: -a, lambda a, p: -a),
    "square": (lambda s: st.none(), lambda a, p: a**2, lambda a, p: a**2),
    "cube": (lambda s: st.none(), lambda a, p: a**3, lambda a, p: a**3),
    "tanh": (lambda s: st.none(), lambda a, p: a.tanh(), lambda a, p: np.tanh(a)),
    "sigmoid": (lambda s: st.none(), lambda a, p: a.sigmoid(), lambda a, p: sigmoid_np(a)),
    "exp_tanh": (lambda s: st.none(), lambda a, p: a.tanh().exp(), lambda a, p: np.exp(np.tanh(a))),
    "log1p_sq": (lambda s: st.none(), lambda a, p: (a * a + 1).log(), lambda a, p: np.log(a * a + 1)),
    "sqrt1p_sq": (lambda s: st.none(), lambda a, p: (1 + a * a).sqrt(), lambda a, p: np.sqrt(1 + a * a)),
    "sum": (
        lambda s: st.tuples(axis_arg(len(s)), st.booleans()),
        lambda a, p: a.sum(axis=p[0], keepdims=p[1]),
        lambda a, p: np.sum(a, axis=torch_axis(a, p[0]), keepdims=p[1]),
    ),
    "mean": (
        lambda s: st.tuples(axis_arg(len(s)), st.booleans()),
        lambda a, p: autobp.mean(a, p[0], p[1]),
        lambda a, p: np.mean(a, axis=torch_axis(a, p[0]), keepdims=p[1]),
    ),
    "logsumexp": (
        lambda s: st.tuples(axis_arg(len(s)), st.booleans()),
        lambda a, p: a.logsumexp(axis=p[0], keepdims=p[1]),
        lambda a, p: logsumexp_np(a, torch_axis(a, p[0]), p[1]),
    ),
    "softmax": (
        lambda s: st.integers(-len(s) - 1, len(s)),
        lambda a, p: a.softmax(axis=p),
        lambda a, p: softmax_np(a, p),
    ),
    "log_softmax": (
        lambda s: st.integers(-len(s) - 1, len(s)),
        lambda a, p: autobp.log_softmax(a, p),
        lambda a, p: log_softmax_np(a, p),
    ),
    "reshape": (shape_arg, lambda a, p: a.reshape(p), lambda a, p: np.reshape(a, p)),
    "transpose": (
        lambda s: st.one_of(
            st.permutations(range(len(s))).map(tuple), st.lists(st.integers(-3, 3)).map(tuple)
        ),
        lambda a, p: a.transpose(p),
        lambda a, p: np.transpose(a, p or None),  # autobp reads transpose(()) as transpose()
    ),
    "expand_dims": (lambda s: st.integers(-5, 5), lambda a, p: a.expand_dims(p), np.expand_dims),
    "squeeze": (
        lambda s: st.one_of(st.none(), st.integers(-4, 4)),
        lambda a, p: a.squeeze(p),
        lambda a, p: np.squeeze(a, p),
    ),
    "swapaxes": (
        lambda s: st.tuples(st.integers(-4, 3), st.integers(-4, 3)),
        lambda a, p: a.swapaxes(*p),
        lambda a, p: np.swapaxes(a, *p),
    ),
    "broadcast_to": (
        lambda s: st.one_of(st.just((2, *s)), st.lists(st.integers(1, 3), max_size=3).map(tuple)),
        lambda a, p: a.broadcast_to(p),
        lambda a, p: np.broadcast_to(a, p),
    ),
    "getitem": (index_arg, lambda a, p: a[p], lambda a, p: a[p]),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "safe_div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "pos_pow": (lambda a, b: (a * a + 1) ** b, lambda a, b: (a * a + 1) ** b),
    "matmul": (lambda a, b: a @ b, lambda a, b: np.matmul(a, b)),
    "where": (
        lambda a, b: autobp.where(checker(a.shape), a, b),
        lambda a, b: np.where(checker(a.shape), a, b),
    ),
    "concatenate": (
        lambda a, b: autobp.concatenate([a, b], axis=-1),
        lambda a, b: np.concatenate([a, b], -1),
    ),
    "stack": (lambda a, b: autobp.stack([a, b], axis=0), lambda a, b: np.stack([a, b], 0)),
}


def stricter(name, ops, err):
    """Where autobp may refuse what numpy allows: an axis of a 0-d tensor outside the reductions
    (reductions take axis 0 / -1 of a 0-d tensor, numpy's sum and max do, and so does PyTorch's every
    reduction; see ``torch_axis``)."""
    return ops[0].ndim == 0 and "out of range for a tensor of shape ()" in str(err)


@st.composite
def programs(draw):
    """(dtype, two input arrays, steps): each step is (op name, operand positions, parameter); the
    operands are the inputs or earlier results, and a parameter may be one numpy refuses."""
    dtype = draw(st.sampled_from([np.float64, np.float64, np.float32]))
    sa, sb = draw(st.one_of(broadcastable_pair(max_dims=3, max_side=3), st.tuples(shapes(), shapes())))
    xs = [draw(arrays(sa, dtype, -2.0, 2.0)), draw(arrays(sb, dtype, -2.0, 2.0))]
    steps = []
    shapes_ = [sa, sb]
    for _ in range(draw(st.integers(2, 8))):
        if draw(st.booleans()):
            name = draw(st.sampled_from(sorted(UNARY)))
            i = draw(st.integers(0, len(shapes_) - 1))
            param = draw(UNARY[name][0](shapes_[i]))
            steps.append((name, (i,), param))
        else:
            name = draw(st.sampled_from(sorted(BINARY)))
            ij = (draw(st.integers(0, len(shapes_) - 1)), draw(st.integers(0, len(shapes_) - 1)))
            steps.append((name, ij, None))
        # the result's shape, for drawing later steps' parameters: numpy on zeros of the operands' shapes
        name, idx, param = steps[-1]
        with np.errstate(all="ignore"):
            value, err = outcome(partial(apply, name, [np.zeros(shapes_[k]) for k in idx], param, numpy=True))
        shapes_.append(np.shape(value) if err is None else ())  # a failed step's result is never used
    return dtype, xs, steps


def apply(name, ops, param, numpy=False):
    """One step, by autobp or (``numpy=True``) by the numpy reference."""
    if name in UNARY:
        return UNARY[name][2 if numpy else 1](ops[0], param)
    return BINARY[name][1 if numpy else 0](*ops)


def run(steps, tensors, check=None):
    """Apply ``steps`` to ``tensors``; a failed step yields None (and later steps on it are skipped)."""
    live = list(tensors)
    for name, idx, param in steps:
        ops = [live[k] for k in idx]
        if any(o is None for o in ops):
            live.append(None)
            continue
        result, err = outcome(partial(apply, name, ops, param))
        if check is not None:
            check(name, ops, param, result, err)
        live.append(result if err is None else None)
    return live


@settings(max_examples=200)
@given(programs())
def test_random_programs_match_numpy_and_central_differences(program):
    dtype, xs, steps = program

    def compare(name, ops, param, result, err):
        raw = [o.data.copy() for o in ops]
        with np.errstate(all="ignore"):
            expected, np_err = outcome(partial(apply, name, raw, param, numpy=True))
        shapes_ = [o.shape for o in ops]
        if np_err is not None:
            assert err is not None, f"{name}{shapes_} {param!r}: numpy refused ({np_err}), autobp returned"
            check_error(err, f"{name}{shapes_} {param!r}")
            return
        if err is not None:
            check_error(err, f"{name}{shapes_} {param!r}")
            assert stricter(name, ops, err), (
                f"{name}{shapes_} {param!r}: numpy gives a result, autobp raised {err}"
            )
            return
        assert result.shape == np.shape(expected), (name, shapes_, param)
        assert result.dtype == dtype, f"{name}: {result.dtype} from {dtype.__name__} inputs"
        tol = 1e-5 if dtype == np.float32 else 1e-10
        np.testing.assert_allclose(result.data, expected, rtol=tol, atol=tol, err_msg=f"{name} {param!r}")

    inputs = [Tensor(x, requires_grad=True, dtype=dtype) for x in xs]
    live = run(steps, inputs, compare)
    positions = [k for k, t in enumerate(live) if k >= 2 and t is not None and t.requires_grad and t.size]
    if dtype != np.float64 or not positions:
        return
    outs = [live[k] for k in positions]
    rng = np.random.default_rng(len(steps))
    weights = [rng.standard_normal(t.shape) for t in outs]
    total = sum((t * w).sum() for t, w in zip(outs, weights))
    total.backward()

    def scalar(*arrays_):
        with no_grad():
            again = run(steps, [Tensor(a) for a in arrays_])
        return sum(float(np.sum(again[k].data * w)) for k, w in zip(positions, weights))

    expected = numerical_gradients(scalar, xs)
    # central differences lose about 1e-16 * |f| / eps = 1e-10 |f| to rounding: scale atol with |f|
    size = sum(float(np.abs(t.data * w).sum()) for t, w in zip(outs, weights))
    if not np.isfinite(size):  # an output overflowed (checked against numpy above): central
        return  # differences are inf - inf = nan there, so there is no oracle for the gradient
    for i, (x, n) in enumerate(zip(inputs, expected)):
        got = np.zeros_like(n) if x.grad is None else x.grad
        assert got.shape == x.shape
        atol = 1e-6 + 1e-8 * size
        np.testing.assert_allclose(got, n, rtol=1e-5, atol=atol, err_msg=f"input {i}, program {steps}")


# --- malformed arguments ---------------------------------------------------------------------------
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(2**63, 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(max_magnitude=2),
    st.text(max_size=3),
    st.lists(st.integers(-2, 2), max_size=3),
    st.lists(st.one_of(st.integers(0, 2), st.lists(st.integers(0, 2), max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.tuples(st.integers(-3, 3), st.floats(-2, 2)),
    st.sampled_from(
        [slice(None, 2), Ellipsis, object(), np.int8(3), np.float16(1.5), (), b"x", 1j, np.complex64(1j)]
    ),
    hnp.arrays(st.sampled_from(["f8", "f4", "i8", "u1", "?", "c16", "U2", "O"]), shapes(max_side=3)),
    arrays(shapes(max_side=3)).map(lambda a: Tensor(a, requires_grad=True)),
)

CALLS = {
    "Tensor(x)": lambda t, j, k: Tensor(j),
    "Tensor(x, dtype=)": lambda t, j, k: Tensor([1.0], dtype=j),
    "Tensor(x, requires_grad=True)": lambda t, j, k: Tensor(j, requires_grad=True),
    "t + x": lambda t, j, k: t + j,
    "x - t": lambda t, j, k: j - t,
    "t * x": lambda t, j, k: t * j,
    "x / t": lambda t, j, k: j / t,
    "t ** x": lambda t, j, k: t**j,
    "x ** t": lambda t, j, k: j**t,
    "t @ x": lambda t, j, k: t @ j,
    "x @ t": lambda t, j, k: j @ t,
    "t < x": lambda t, j, k: t < j,
    "t == x": lambda t, j, k: t == j,
    "t[x]": lambda t, j, k: t[j],
    "t[x, y]": lambda t, j, k: t[j, k],
    "sum(axis=x)": lambda t, j, k: t.sum(axis=j),
    "mean(axis=x)": lambda t, j, k: t.mean(axis=j),
    "max(axis=x)": lambda t, j, k: t.max(axis=j),
    "min(axis=x)": lambda t, j, k: t.min(axis=j),
    "logsumexp(axis=x)": lambda t, j, k: t.logsumexp(axis=j),
    "softmax(axis=x)": lambda t, j, k: t.softmax(axis=j),
    "log_softmax(axis=x)": lambda t, j, k: t.log_softmax(axis=j),
    "reshape(x)": lambda t, j, k: t.reshape(j),
    "reshape(x, y)": lambda t, j, k: t.reshape(j, k),
    "transpose(x)": lambda t, j, k: t.transpose(j),
    "swapaxes(x, y)": lambda t, j, k: t.swapaxes(j, k),
    "expand_dims(x)": lambda t, j, k: t.expand_dims(j),
    "squeeze(x)": lambda t, j, k: t.squeeze(j),
    "broadcast_to(x)": lambda t, j, k: t.broadcast_to(j),
    "clip(x, y)": lambda t, j, k: t.clip(j, k),
    "astype(x)": lambda t, j, k: t.astype(j),
    "maximum(t, x)": lambda t, j, k: autobp.maximum(t, j),
    "minimum(x, t)": lambda t, j, k: autobp.minimum(j, t),
    "where(x, t, y)": lambda t, j, k: autobp.where(j, t, k),
    "where(t > 0, x, t)": lambda t, j, k: autobp.where(t.data > 0, j, t),
    "concatenate([t, x], axis=y)": lambda t, j, k: autobp.concatenate([t, j], axis=k),
    "concatenate(x)": lambda t, j, k: autobp.concatenate(j),
    "stack([t, x])": lambda t, j, k: autobp.stack([t, j]),
    "exp(x)": lambda t, j, k: autobp.exp(j),
    "matmul(x, y)": lambda t, j, k: autobp.matmul(j, k),
    "t.backward(x)": lambda t, j, k: (t * 2).backward(j),
    "t.sum().backward(retain_graph=x)": lambda t, j, k: t.sum().backward(retain_graph=j),
    "grad(t, x)": lambda t, j, k: autobp.grad((t * t).sum(), j),
    "grad(x, t)": lambda t, j, k: autobp.grad(j, t),
    "grad(t, t, grad_outputs=x)": lambda t, j, k: autobp.grad(t * 2, t, grad_outputs=j),
    "mse_loss(t, x)": lambda t, j, k: F.mse_loss(t, j),
    "sse_loss(t, x, tolerance=y)": lambda t, j, k: F.sse_loss(t, j, tolerance=k),
    "cross_entropy(t, x)": lambda t, j, k: F.cross_entropy(t, j),
    "binary_cross_entropy(t, x)": lambda t, j, k: F.binary_cross_entropy(t.sigmoid(), j),
    "bce_with_logits(t, x, pos_weight=y)": lambda t, j, k: F.binary_cross_entropy_with_logits(t, j, k),
    "Linear(x, y)": lambda t, j, k: nn.Linear(j, k),
    "Linear(3, 2)(x)": lambda t, j, k: nn.Linear(3, 2, rng=0)(j),
    "load_state_dict(x)": lambda t, j, k: nn.Linear(3, 2, rng=0).load_state_dict(j),
    "load_state_dict({weight: x, bias: y})": lambda t, j, k: nn.Linear(3, 2).load_state_dict(
        {"weight": j, "bias": k}
    ),
    "SGD([t], lr=x)": lambda t, j, k: optim.SGD([t], lr=j).step(),
    "SGD(x, lr=0.1)": lambda t, j, k: optim.SGD(j, lr=0.1),
    "Adam([t], betas=x)": lambda t, j, k: optim.Adam([t], betas=j),
    "Value(x)": lambda t, j, k: Value(j),
    "Value(2.0) ** x": lambda t, j, k: Value(2.0) ** j,
    "Value(0.5) * x": lambda t, j, k: Value(0.5) * j,
}


@settings(max_examples=300)
@given(
    st.sampled_from(sorted(CALLS)),
    arrays(shapes(max_side=3)).map(lambda a: Tensor(a, requires_grad=True)),
    junk,
    junk,
)
def test_malformed_arguments_raise_clear_errors(call, t, j, k):
    with np.errstate(all="ignore"):
        _, err = outcome(lambda: CALLS[call](t, j, k))
    if err is not None:
        check_error(err, f"{call} with x={j!r:.60}, y={k!r:.60}, t of shape {t.shape}")


@settings(max_examples=60)
@given(st.data())
def test_corrupted_checkpoints_load_identically_or_raise_checkpoint_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("ckpt") / "c.npz"
    obj = {"w": np.arange(6.0).reshape(2, 3), "b": [np.ones(2, np.float32), 3, "x"], "t": Tensor([1.0, 2.0])}
    autobp.save(obj, path)
    raw = bytearray(path.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "truncate", "append", "overwrite"]))
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 3))):
            raw[data.draw(st.integers(0, len(raw) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    elif kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif kind == "append":
        raw += data.draw(st.binary(min_size=1, max_size=64))
    else:
        at = data.draw(st.integers(0, len(raw) - 1))
        chunk = data.draw(st.binary(min_size=1, max_size=16))
        raw[at : at + len(chunk)] = chunk
    assume(bytes(raw) != path.read_bytes())
    path.write_bytes(bytes(raw))
    loaded, err = outcome(lambda: autobp.load(path))
    if err is not None:
        assert isinstance(err, autobp.CheckpointError), f"{kind}: {type(err).__name__}: {err}"
        assert str(path) in str(err)
        return
    np.testing.assert_array_equal(loaded["w"], obj["w"])
    np.testing.assert_array_equal(loaded["b"][0], obj["b"][0])
    assert loaded["b"][1:] == [3, "x"] and loaded["t"].requires_grad is False
    np.testing.assert_array_equal(loaded["t"].data, [1.0, 2.0])


@pytest.mark.parametrize("seed", range(3))
def test_the_fuzz_oracle_catches_a_planted_wrong_gradient(seed, monkeypatch):
    """The program fuzzer's gradient comparison must notice a wrong rule (here tanh's, off by 1%)."""
    from autobp.rules import RULES

    good = RULES["tanh"]
    monkeypatch.setitem(
        RULES, "tanh", lambda F_, g, out, xs, ctx, need: (good(F_, g, out, xs, ctx, need)[0] * 1.01,)
    )
    x = np.random.default_rng(seed).standard_normal((2, 3))
    with pytest.raises(AssertionError):
        test_random_programs_match_numpy_and_central_differences.hypothesis.inner_test(
            (np.float64, [x, x.copy()], [("tanh", (0,), None)])
        )
