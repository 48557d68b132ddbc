"""numpy names numpy code uses on Tensors: divmod, logspace, geomspace (against numpy and torch, with
gradients) and copyto (a write into a Tensor recorded like ``dst[...] = src`` so gradients flow)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

W = np.array([0.5, -1.0, 2.0])  # a fixed weighting for losses


def leaf(values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


# --- divmod --------------------------------------------------------------------------------------
def test_divmod_is_floor_divide_and_remainder_with_torchs_gradients():
    a, b = [5.3, -7.5, 3.2], [2.0, 2.5, -1.5]
    x, y = leaf(a), leaf(b)
    q, r = autobp.divmod(x, y)
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    np.testing.assert_array_equal(q.data, torch.floor_divide(tx, ty).detach().numpy())
    np.testing.assert_array_equal(r.data, torch.remainder(tx, ty).detach().numpy())
    assert not q.requires_grad  # floor is flat: a constant, as torch.floor_divide has no gradient
    (r * Tensor(W)).sum().backward()
    (torch.remainder(tx, ty) * torch.tensor(W)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())
    np.testing.assert_allclose(y.grad, ty.grad.numpy())


def test_divmod_through_numpy_and_python_agree_with_numpy():
    a, b = np.array([7, -3, 9]), np.array([2, 2, -4])
    for q, r in (np.divmod(Tensor(a), b), divmod(Tensor(a), Tensor(b)), autobp.divmod(a, Tensor(b))):
        wq, wr = np.divmod(a, b)
        assert q.dtype == wq.dtype and r.dtype == wr.dtype
        np.testing.assert_array_equal(q.data, wq)
        np.testing.assert_array_equal(r.data, wr)


def test_divmod_shapes_that_do_not_broadcast_are_named():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        autobp.divmod(leaf([1.0, 2.0]), leaf([1.0, 2.0, 3.0]))


# --- logspace and geomspace ------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", [True, False])
@pytest.mark.parametrize("base", [10.0, 2.0, 0.5])
def test_logspace_matches_torch_and_numpy(base, endpoint):
    got = autobp.logspace(leaf(0.3), leaf(1.7), 6, endpoint=endpoint, base=base)
    np.testing.assert_allclose(got.data, np.logspace(0.3, 1.7, 6, endpoint=endpoint, base=base), rtol=0)
    if endpoint:  # torch.logspace has no endpoint= (it always includes the end)
        want = torch.logspace(0.3, 1.7, 6, base=base, dtype=torch.float64).numpy()
        np.testing.assert_allclose(got.data, want, rtol=1e-13)


def test_logspace_gradients_in_start_stop_and_base():
    s, e, b = leaf([0.2, -0.4]), leaf([1.1, 0.9]), leaf([2.0, 3.5])
    assert autobp.gradcheck(lambda s, e: autobp.logspace(s, e, 4), (s, e))
    assert autobp.gradcheck(lambda s, e, b: autobp.logspace(s, e, 5, base=b, axis=-1), (s, e, b))
    assert autobp.gradgradcheck(lambda s, e: autobp.logspace(s, e, 3, endpoint=False, base=2.0), (s, e))
    # d/dstart of base ** (start + t (stop - start)), by hand: (1 - t) ln(base) sample
    y = autobp.logspace(s[0], e[0], 3, base=2.0)
    y.sum().backward()
    t = np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(s.grad[0], np.sum((1 - t) * np.log(2.0) * y.data))


def test_logspace_and_geomspace_of_numbers_are_numpys_constants():
    for ours, theirs in [
        (autobp.logspace(0, 3, 4), np.logspace(0, 3, 4)),
        (autobp.logspace(0, 3, 4, dtype=np.int64), np.logspace(0, 3, 4, dtype=np.int64)),
        (autobp.geomspace(1, 1000, 4), np.geomspace(1, 1000, 4)),
        (autobp.geomspace(-1, -16, 5, endpoint=False), np.geomspace(-1, -16, 5, endpoint=False)),
    ]:
        assert not ours.requires_grad and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours.data, theirs)
    assert autobp.logspace(0.0, 1.0, 3, requires_grad=True).requires_grad


def test_geomspace_values_are_numpys_exactly_with_exact_ends():
    s, e = leaf([1.0, -2.0]), leaf([8.0, -0.5])
    got = autobp.geomspace(s, e, 4, axis=1)
    np.testing.assert_array_equal(got.data, np.geomspace(s.data, e.data, 4, axis=1))
    np.testing.assert_array_equal(got.data[:, 0], s.data)
    np.testing.assert_array_equal(got.data[:, -1], e.data)


def test_geomspace_gradients_real_and_complex():
    s, e = leaf([1.0, -2.0]), leaf([8.0, -0.5])
    assert autobp.gradcheck(lambda s, e: autobp.geomspace(s, e, 4, axis=1), (s, e))
    assert autobp.gradgradcheck(lambda s, e: autobp.geomspace(s, e, 3, endpoint=False), (s, e))
    zs = Tensor(np.array([1 + 1j, -2 + 0.5j]), requires_grad=True)
    ze = Tensor(np.array([3 - 1j, 1 + 2j]), requires_grad=True)
    np.testing.assert_array_equal(autobp.geomspace(zs, ze, 4).data, np.geomspace(zs.data, ze.data, 4))
    assert autobp.gradcheck(lambda s, e: autobp.geomspace(s, e, 4), (zs, ze))


def test_geomspace_refuses_zero_and_bad_num():
    with pytest.raises(ValueError, match="cannot include zero"):
        autobp.geomspace(leaf([1.0, 0.0]), leaf([2.0, 3.0]), 3)
    with pytest.raises(ValueError, match="num must be a non-negative integer, got -1"):
        autobp.logspace(leaf(0.0), leaf(1.0), -1)
    with pytest.raises(ValueError, match=r"start of shape \(2,\) and stop of shape \(3,\)"):
        autobp.geomspace(leaf([1.0, 2.0]), leaf([2.0, 3.0, 4.0]), 3)


# --- copyto ----------------------------------------------------------------------------------------
def test_copyto_records_the_write_like_the_program_without_it():
    d0, s0 = leaf([1.0, 2.0, 3.0]), leaf([7.0, 8.0, 9.0])
    mask = np.array([True, False, True])
    y = d0 * 2.0
    autobp.copyto(y, s0 * 3.0, where=mask)
    (y * Tensor(W)).sum().backward()
    d1, s1 = leaf([1.0, 2.0, 3.0]), leaf([7.0, 8.0, 9.0])
    ref = autobp.where(mask, s1 * 3.0, d1 * 2.0)
    (ref * Tensor(W)).sum().backward()
    np.testing.assert_array_equal(y.data, ref.data)
    np.testing.assert_allclose(d0.grad, d1.grad)
    np.testing.assert_allclose(s0.grad, s1.grad)


def test_copyto_broadcasts_and_casts_as_numpy():
    src = leaf([1.5, -2.5])
    y = Tensor(np.zeros((3, 2)))
    np.copyto(y, src)  # numpy's function on a Tensor dispatches to autobp.copyto
    np.testing.assert_array_equal(y.data, np.broadcast_to(src.data, (3, 2)))
    y.sum().backward()
    np.testing.assert_allclose(src.grad, [3.0, 3.0])
    i = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"float64 into a Tensor of shape \(2,\), int64.*same_kind"):
        autobp.copyto(i, 3.5)
    autobp.copyto(i, 3.5, casting="unsafe")
    np.testing.assert_array_equal(i.data, [3, 3])
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2,\)"):
        autobp.copyto(Tensor(np.zeros(2)), [1.0, 2.0, 3.0])


def test_copyto_into_a_leaf_refuses_outside_no_grad():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf"):
        autobp.copyto(x, [5.0, 6.0])
    with autobp.no_grad():
        autobp.copyto(x, [5.0, 6.0], where=[True, False])
    np.testing.assert_array_equal(x.data, [5.0, 2.0])


def test_copyto_into_an_ndarray_only_without_a_graph():
    src = leaf([1.0, 2.0])
    out = np.zeros(2)
    with pytest.raises(TypeError, match="numpy array cannot hold its graph"):
        np.copyto(out, src)
    np.copyto(out, src.detach())
    np.testing.assert_array_equal(out, [1.0, 2.0])


def test_plain_copyto_bumps_the_version():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = (y * y).sum()  # mul saves y
    with autobp.no_grad():
        autobp.copyto(y, [3.0, 4.0])
    with pytest.raises(RuntimeError, match="modified in place"):
        z.backward()
