"""numpy's shape, indexing, creation and product functions called on Tensors record on the graph
(numpy's signatures, dispatched to the declared ops) and give numpy's values and a gradient."""

import numpy as np
import pytest

from autobp import Tensor, gradcheck

A = np.arange(1.0, 13.0).reshape(3, 4) / 10
B = np.arange(1.0, 13.0).reshape(4, 3) / 7

CALLS = {  # name: numpy call on (a, b), Tensors or arrays alike
    "ravel": lambda a, b: np.ravel(a),
    "moveaxis": lambda a, b: np.moveaxis(a, 0, -1),
    "atleast_3d": lambda a, b: np.atleast_3d(a),
    "expand_dims": lambda a, b: np.expand_dims(a, (0, 2)),
    "squeeze": lambda a, b: np.squeeze(np.expand_dims(a, 0), axis=0),
    "hstack": lambda a, b: np.hstack([a, a]),
    "vstack": lambda a, b: np.vstack([a, b.T]),
    "dstack": lambda a, b: np.dstack([a, a]),
    "column_stack": lambda a, b: np.column_stack([a, a]),
    "append": lambda a, b: np.append(a, b),
    "concatenate-none": lambda a, b: np.concatenate([a, b], axis=None),
    "split": lambda a, b: np.split(a, 2, axis=1)[1],
    "array_split": lambda a, b: np.array_split(a, 3, axis=1)[2],
    "pad-reflect": lambda a, b: np.pad(a, ((1, 2), (2, 1)), mode="reflect"),
    "pad-constant": lambda a, b: np.pad(a, 1, constant_values=2.0),
    "roll": lambda a, b: np.roll(a, (1, 2), axis=(0, 1)),
    "flip": lambda a, b: np.flip(a, 0),
    "fliplr": lambda a, b: np.fliplr(a),
    "rot90": lambda a, b: np.rot90(a, 3),
    "tile": lambda a, b: np.tile(a, (2, 1)),
    "repeat": lambda a, b: np.repeat(a, [1, 0, 2], axis=0),
    "sliding_window_view": lambda a, b: np.lib.stride_tricks.sliding_window_view(a, (2, 2)),
    "take": lambda a, b: np.take(a, [[0, -1], [5, 5]]),
    "take_along_axis": lambda a, b: np.take_along_axis(a, np.array([[0, 2, 2, 1]]), axis=0),
    "diag": lambda a, b: np.diag(a, 1),
    "diagonal": lambda a, b: np.diagonal(a, -1),
    "trace": lambda a, b: np.trace(a),
    "tril": lambda a, b: np.tril(a, -1),
    "triu": lambda a, b: np.triu(a, 1),
    "full_like": lambda a, b: np.full_like(a, 3.0) * a,
    "meshgrid": lambda a, b: np.meshgrid(a[0], b[0])[1],
    "einsum": lambda a, b: np.einsum("ij,jk,kl->il", a, b, a),
    "tensordot": lambda a, b: np.tensordot(a, b, axes=([0, 1], [1, 0])),
    "inner": lambda a, b: np.inner(a, b.T),
    "outer": lambda a, b: np.outer(a, b),
    "kron": lambda a, b: np.kron(a, b),
    "dot": lambda a, b: np.dot(a, b),
    "vdot": lambda a, b: np.vdot(a, b),
    "cross": lambda a, b: np.cross(a[:, :3], b[:3]),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_numpy_call_on_tensors_records_with_numpys_values(name):
    expected = CALLS[name](A, B)
    a, b = Tensor(A, requires_grad=True), Tensor(B, requires_grad=True)
    out = CALLS[name](a, b)
    assert isinstance(out, Tensor) and out.requires_grad, f"np.{name} lost the graph"
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    assert gradcheck(lambda x, y: CALLS[name](x, y), [a, b])


def test_numpy_nonzero_and_argwhere_on_a_tensor():
    t = Tensor(np.array([[0.0, 2.0], [3.0, 0.0]]))
    for o, e in zip(np.nonzero(t), np.nonzero(t.data)):
        assert isinstance(o, Tensor)
        np.testing.assert_array_equal(o.data, e)
    np.testing.assert_array_equal(np.argwhere(t).data, np.argwhere(t.data))


def test_numpy_put_along_axis_writes_a_tensor_as_a_recorded_index_put():
    x = Tensor(A, requires_grad=True)
    y = x * 1.0
    np.put_along_axis(y, np.array([[0, 1, 2, 0]]), 0.0, axis=0)
    assert y.grad_fn == "index_put"
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 1]])
