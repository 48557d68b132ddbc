"""The two engines check each other: Tensor ops expanded element by element into Value graphs.

numpy object arrays of Values broadcast, reduce and multiply matrices by calling
Value's own operators, so each Tensor op has an independent scalar twin.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autobp import Tensor, Value
from autobp.testing import arrays, broadcastable_pair, shapes, single_axis

to_values = np.vectorize(Value, otypes=[object])
grads_of = np.vectorize(lambda v: v.grad, otypes=[float])
vexp = np.vectorize(lambda v: v.exp(), otypes=[object])
vlog = np.vectorize(lambda v: v.log(), otypes=[object])


def compare(tensor_fn, value_fn, *arrays_):
    """Gradients of sum(fn(x) * w) from the Tensor engine and from the expanded Value graph."""
    ts = [Tensor(a, requires_grad=True) for a in arrays_]
    out = tensor_fn(*ts)
    w = np.random.default_rng(3).standard_normal(out.shape)
    (out * w).sum().backward()
    vs = [to_values(a) if np.ndim(a) else np.array(Value(float(a)), dtype=object) for a in arrays_]
    vout = np.asarray(value_fn(*vs), dtype=object)
    root = np.sum(vout * w) if vout.size else Value(0.0)
    root = root if isinstance(root, Value) else Value(float(root))
    root.backward()
    np.testing.assert_allclose(np.vectorize(lambda v: v.data, otypes=[float])(vout), out.data, rtol=1e-12)
    for t, v in zip(ts, vs):
        np.testing.assert_allclose(t.grad, grads_of(v), rtol=1e-10, atol=1e-12)


@given(
    broadcastable_pair(max_dims=2, max_side=3).flatmap(
        lambda s: st.tuples(arrays(s[0]), arrays(s[1], lo=0.5, hi=2.0))
    ),
    st.sampled_from(["+", "-", "*", "/"]),
)
def test_broadcast_binary_ops(ab, op):
    fn = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y}[
        op
    ]
    compare(fn, fn, *ab)


@given(
    shapes(min_dims=1, max_dims=3, max_side=3).flatmap(
        lambda s: st.tuples(arrays(s), single_axis(len(s)), st.booleans())
    )
)
def test_reductions(case):
    a, axis, keep = case
    compare(lambda x: x.sum(axis=axis, keepdims=keep), lambda x: np.sum(x, axis=axis, keepdims=keep), a)
    compare(
        lambda x: x.mean(axis=axis, keepdims=keep),
        lambda x: np.sum(x, axis=axis, keepdims=keep) * (1.0 / a.shape[axis]),
        a,
    )


@given(
    st.sampled_from(
        [
            ((3,), (3,)),
            ((2, 3), (3,)),
            ((3,), (3, 2)),
            ((2, 3), (3, 2)),
            ((2, 2, 3), (3, 2)),
            ((2, 1, 3), (2, 3, 1)),
        ]
    ).flatmap(lambda s: st.tuples(arrays(s[0]), arrays(s[1])))
)
def test_matmul(ab):
    compare(lambda x, y: x @ y, lambda x, y: np.matmul(x, y), *ab)


@given(
    shapes(min_dims=1, max_dims=2, max_side=3).flatmap(lambda s: st.tuples(arrays(s), single_axis(len(s))))
)
def test_softmax_family(case):
    a, axis = case

    def vsoftmax(x):
        e = vexp(x)
        return e / np.sum(e, axis=axis, keepdims=True)

    compare(lambda x: x.softmax(axis), vsoftmax, a)
    compare(lambda x: x.log_softmax(axis), lambda x: vlog(vsoftmax(x)), a)


@given(arrays(shapes(max_dims=2, max_side=3)))
def test_elementwise(a):
    for name in ("tanh", "sigmoid", "exp", "relu"):
        method = np.vectorize(lambda v, n=name: getattr(v, n)(), otypes=[object])
        compare(lambda x, n=name: getattr(x, n)(), method, a)
