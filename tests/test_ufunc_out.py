"""A ufunc's out= (with where=) into a Tensor: ``np.add(x, y, out=z)`` writes into z in place and
returns z, recorded like ``z[...] = result`` (``z[mask] = result[mask]`` with where=) so gradients
reach x, y and the part of z's old value left in place; checked against the same program without
out= and against torch's out= where torch allows it."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

W = np.array([0.5, -1.0, 2.0])  # a fixed weighting for losses


def leaf(values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


# --- ufunc out= into a Tensor ------------------------------------------------------------------------
def test_ufunc_out_returns_the_tensor_and_records_the_write():
    x, y, z0 = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0]), leaf([10.0, 20.0, 30.0])
    z = z0 * 1.0
    assert np.add(x, y, out=z) is z
    (z * Tensor(W)).sum().backward()
    x1, y1 = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    ref = x1 + y1
    (ref * Tensor(W)).sum().backward()
    np.testing.assert_array_equal(z.data, ref.data)
    np.testing.assert_allclose(x.grad, x1.grad)
    np.testing.assert_allclose(y.grad, y1.grad)
    np.testing.assert_allclose(z0.grad, 0.0)  # overwritten everywhere


def test_ufunc_out_with_where_keeps_the_old_values_and_their_gradient():
    mask = np.array([True, False, True])
    x, z0 = leaf([1.0, 2.0, 3.0]), leaf([10.0, 20.0, 30.0])
    z = z0 * 1.0
    assert np.multiply(x, 2.0, out=z, where=mask) is z
    (z * Tensor(W)).sum().backward()
    x1, z1 = leaf([1.0, 2.0, 3.0]), leaf([10.0, 20.0, 30.0])
    ref = autobp.where(mask, x1 * 2.0, z1 * 1.0)
    (ref * Tensor(W)).sum().backward()
    np.testing.assert_array_equal(z.data, ref.data)
    np.testing.assert_allclose(x.grad, x1.grad)
    np.testing.assert_allclose(z0.grad, z1.grad)


def test_ufunc_out_matches_torch_out_values_where_torch_allows_it():
    a, b = np.array([1.5, -2.0, 0.25]), np.array([2.0, 4.0, -1.0])
    z, tz = Tensor(np.zeros(3)), torch.zeros(3, dtype=torch.float64)
    np.multiply(Tensor(a), Tensor(b), out=z)
    torch.mul(torch.tensor(a), torch.tensor(b), out=tz)
    np.testing.assert_array_equal(z.data, tz.numpy())
    # torch refuses out= when an input requires grad; numpy code expects it to work, and autobp records it
    with pytest.raises(RuntimeError):
        torch.mul(torch.tensor(a, requires_grad=True), torch.tensor(b), out=tz)


def test_ufunc_out_in_place_on_its_own_input():
    x = leaf([1.0, -2.0, 3.0])
    w = x * 1.0
    np.multiply(w, w, out=w)
    w.sum().backward()
    np.testing.assert_array_equal(w.data, x.data**2)
    np.testing.assert_allclose(x.grad, 2 * x.data)
    assert autobp.gradcheck(lambda v: _square_in_place(v), (leaf([0.5, 1.5]),))


def _square_in_place(v):
    w = v * 1.0
    np.multiply(w, w, out=w)
    return w


def test_ufunc_out_broadcasts_inputs_to_the_out_shape_and_two_outputs():
    x = leaf([1.0, 2.0])
    z = Tensor(np.zeros((3, 2)))
    np.add(x, 1.0, out=z)
    np.testing.assert_array_equal(z.data, np.broadcast_to([2.0, 3.0], (3, 2)))
    z.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 3.0])
    q, r = Tensor(np.zeros(2)), Tensor(np.zeros(2))
    got = np.divmod(Tensor(np.array([7.0, -3.0])), 2.0, out=(q, r))
    assert got[0] is q and got[1] is r
    np.testing.assert_array_equal(q.data, [3.0, -2.0])
    np.testing.assert_array_equal(r.data, [1.0, 1.0])


def test_ufunc_reduce_with_out():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    s = Tensor(np.zeros(2))
    assert np.add.reduce(x, axis=0, out=s) is s
    np.testing.assert_array_equal(s.data, [4.0, 6.0])
    (s * Tensor(W[:2])).sum().backward()
    np.testing.assert_allclose(x.grad, np.broadcast_to(W[:2], (2, 2)))


def test_ufunc_out_without_a_graph_is_a_plain_write():
    z = Tensor(np.zeros(3))
    np.add(Tensor(np.ones(3)), 2.0, out=z)
    assert not z.requires_grad and z.grad_fn is None if hasattr(z, "grad_fn") else not z.requires_grad
    np.testing.assert_array_equal(z.data, [3.0, 3.0, 3.0])
    x = leaf([1.0, 2.0, 3.0])
    with autobp.no_grad():
        np.add(x, 1.0, out=x)  # under no_grad even a leaf takes the write (PyTorch's rule)
    np.testing.assert_array_equal(x.data, [2.0, 3.0, 4.0])


def test_ufunc_out_errors_name_shapes_dtypes_and_leaves():
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(3,\), float64 into a Tensor of shape \(2,\)"):
        np.add(x, 1.0, out=Tensor(np.zeros(2)))
    with pytest.raises(TypeError, match=r"into a Tensor of shape \(3,\), int64.*same_kind"):
        np.add(x, 1.0, out=Tensor(np.zeros(3, dtype=np.int64)))
    with pytest.raises(RuntimeError, match="leaf"):
        np.add(x, 1.0, out=x)
    # reduce's where= picks the elements reduced (numpy's), written into the Tensor out=
    out = Tensor(np.zeros(()))
    np.add.reduce(x, out=out, where=np.array([True, False, True]))
    assert out.item() == np.add.reduce(x.detach().numpy(), where=np.array([True, False, True]))


def test_ufunc_out_ndarray_with_grad_refused_without_plain():
    x = leaf([1.0, 2.0])
    out = np.zeros(2)
    with pytest.raises(TypeError, match=r"numpy array would drop its gradient"):
        np.add(x, 1.0, out=out)
    res = np.add(x.detach(), 1.0, out=out, where=Tensor(np.array([True, False])))
    assert res is out
    np.testing.assert_array_equal(out, [2.0, 0.0])


def test_recorded_out_write_makes_earlier_readers_refuse():
    x = leaf([1.0, 2.0])
    z = x * 1.0
    a = (z * z).sum()  # reads z's old value
    np.add(x, 5.0, out=z)
    with pytest.raises(RuntimeError, match="modified in place"):
        a.backward()
