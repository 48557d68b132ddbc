"""numpy's own functions on Tensors record on the graph like autobp's, or raise: never a plain array."""

import numpy as np
import pytest

import autobp
from autobp import Tensor


def _x(shape=(3, 3)):
    return Tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape) / 10, requires_grad=True)


# numpy calls a user porting numpy code writes; each must give a recorded Tensor or a TypeError
CALLS = {
    "sin": lambda t: np.sin(t),
    "exp": lambda t: np.exp(t),
    "add_ndarray_left": lambda t: np.ones((3, 3)) + t,
    "sum": lambda t: np.sum(t, axis=0),
    "mean": lambda t: np.mean(t),
    "max": lambda t: np.max(t, axis=1),
    "concatenate": lambda t: np.concatenate([t, t]),
    "stack": lambda t: np.stack([t, t], axis=-1),
    "cumsum": lambda t: np.cumsum(t, axis=0),
    "roll": lambda t: np.roll(t, 1),
    "pad": lambda t: np.pad(t, 1),
    "tril": lambda t: np.tril(t),
    "sort": lambda t: np.sort(t),
    "transpose": lambda t: np.transpose(t),
    "reshape": lambda t: np.reshape(t, (9,)),
    "where": lambda t: np.where(np.eye(3, dtype=bool), t, 0.0),
    "clip": lambda t: np.clip(t, 0.2, 0.5),
    "matmul": lambda t: np.matmul(t, t),
    "dot": lambda t: np.dot(t, t),
    "einsum": lambda t: np.einsum("ij,jk->ik", t, t),
    "linalg.inv": lambda t: np.linalg.inv(t + 3 * np.eye(3)),
    "fft": lambda t: np.fft.fft(t),
    "add.reduce": lambda t: np.add.reduce(t),
    "maximum.accumulate": lambda t: np.maximum.accumulate(t),
    "convolve": lambda t: np.convolve(t[0], t[1]),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_numpy_function_records_or_raises(name):
    t = _x()
    try:
        out = CALLS[name](t)
    except TypeError as e:
        assert "Tensor" in str(e), e  # says what happened, not a crash deep inside numpy
        return
    outs = out if isinstance(out, tuple) else (out,)
    for o in outs:
        assert isinstance(o, Tensor), f"np.{name} returned {type(o).__name__}: the gradient was dropped"
    assert any(o.requires_grad for o in outs if o.dtype.kind in "fc")


def test_dispatched_call_equals_the_method_and_its_gradient():
    t1, t2 = _x(), _x()
    np.sum(np.exp(t1) * np.ones((3, 3)), axis=0).sum().backward()
    t2.exp().sum(axis=0).sum().backward()
    np.testing.assert_array_equal(t1.grad, t2.grad)


def test_unknown_function_names_itself_and_the_way_out():
    with pytest.raises(TypeError, match=r"numpy\.datetime_as_string.*np\.asarray"):
        np.datetime_as_string(_x())  # (np.savetxt saves a Tensor's values: tests/test_numpy_namespace.py)


def test_out_argument_is_refused_where_it_would_drop_a_gradient():
    with pytest.raises(TypeError, match=r"out=<ndarray>\) with a Tensor that requires grad \(shape \(3, 3\)"):
        np.exp(_x(), out=np.empty((3, 3)))
    w = np.ones(3)
    with pytest.raises(TypeError, match="requires grad"):
        w -= _x((3,))
    z = Tensor(np.zeros(3))  # a Tensor as out= takes the values in place (tests/test_ufunc_out.py)
    assert np.exp(np.ones(3), out=z) is z
    np.testing.assert_array_equal(z.data, np.exp(np.ones(3)))


def test_out_into_plain_arrays_with_constant_tensors_writes_numpy_values():
    """``w -= lr * step`` with ``step`` a constant Tensor (autobp.zeros made it): numpy writes into w, as
    it does with PyTorch tensors that need no gradient; nothing is recorded, nothing is dropped."""
    w = np.arange(3.0)
    before = w
    w -= 0.5 * Tensor([1.0, 2.0, 4.0])
    assert w is before and type(w) is np.ndarray
    np.testing.assert_array_equal(w, [-0.5, 0.0, 0.0])
    out = np.empty(3)
    np.multiply(Tensor([1.0, 2.0, 3.0]), 2.0, out=out)
    np.testing.assert_array_equal(out, [2.0, 4.0, 6.0])


def test_asarray_is_the_explicit_way_out():
    t = _x()
    a = np.asarray(t)
    assert type(a) is np.ndarray and a.shape == (3, 3)
    assert np.array(t, dtype=np.float32).dtype == np.float32


def test_shape_queries_answer_from_the_values():
    t = _x((2, 5))
    assert np.shape(t) == (2, 5) and np.ndim(t) == 2 and np.size(t) == 10


def test_a_numpy_scalar_on_the_left_keeps_the_graph():
    t = _x()
    y = (np.float64(2.0) * t).sum()
    y.backward()
    np.testing.assert_array_equal(t.grad, np.full((3, 3), 2.0))
    assert isinstance(np.ones(3) < autobp.tensor([0.0, 2.0, 1.0]), Tensor)


def test_trace_is_the_matrix_trace_on_arrays_and_replay_on_functions():
    x = Tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    autobp.trace(x).backward()
    np.testing.assert_array_equal(x.grad, np.eye(3))
    assert np.trace(x).item() == 12.0
    assert isinstance(autobp.trace(lambda: (x * x).sum()), autobp.replay.Trace)


def test_ufunc_reduce_and_accumulate_give_numpy_s_values_with_gradients():
    a = np.array([[1.0, 3.0, 2.0], [0.0, 5.0, 4.0]])
    t = Tensor(a, requires_grad=True)
    np.testing.assert_array_equal(np.maximum.accumulate(t, axis=1).data, np.maximum.accumulate(a, axis=1))
    np.testing.assert_array_equal(np.minimum.accumulate(t).data, np.minimum.accumulate(a))
    np.testing.assert_array_equal(np.add.accumulate(t).data, np.add.accumulate(a))
    np.testing.assert_array_equal(np.multiply.reduce(t, axis=1).data, np.multiply.reduce(a, axis=1))
    np.maximum.accumulate(t, axis=1).sum().backward()
    np.testing.assert_array_equal(t.grad, [[1.0, 2.0, 0.0], [1.0, 2.0, 0.0]])  # each running max's source
