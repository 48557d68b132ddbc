"""The numpy names added for numpy-autodiff programs, at the points the op table avoids: partition's
ties and kth positions, where's keywords, fabs at 0, linspace's ends, gradient's errors, select and
rollaxis errors, histogram's constants, the complex predicates in a branch, and float32 gradients of
func.grad and ravel_pytree on complex leaves."""

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.pytree import ravel_pytree

torch = pytest.importorskip("torch")


def leaf(a, dtype=np.float64):
    return Tensor(np.array(a, dtype=dtype), requires_grad=True, dtype=dtype)


# --- partition -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kth", [0, 2, 4, (1, 3), -1])
def test_partition_puts_numpys_values_at_kth(kth):
    x = np.array([[3.0, -1.0, 2.5, 0.0, 7.0], [1.0, 1.0, -2.0, 5.0, 0.5]])
    ours = autobp.partition(x, kth)  # an ndarray, as numpy's
    theirs = np.partition(x, kth)
    ks = np.atleast_1d(kth)
    np.testing.assert_array_equal(ours[:, ks], theirs[:, ks])
    for k in ks % x.shape[1]:  # numpy's contract: nothing larger before k, nothing smaller after
        assert np.all(ours[:, :k] <= ours[:, k : k + 1]) and np.all(ours[:, k + 1 :] >= ours[:, k : k + 1])


def test_partition_ties_send_the_gradient_where_torchs_stable_sort_does():
    x = leaf([2.0, 1.0, 2.0, 1.0, 3.0])
    w = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    (autobp.partition(x, 1) * w).sum().backward()
    tx = torch.tensor([2.0, 1.0, 2.0, 1.0, 3.0], dtype=torch.float64, requires_grad=True)
    (torch.sort(tx, stable=True).values * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_argpartition_partitions_and_kth_out_of_range_is_refused():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    idx = autobp.argpartition(x, 2)
    assert idx.dtype == np.int64 and x[idx][2] == np.partition(x, 2)[2]
    with pytest.raises(ValueError, match="kth=4 is out of bounds"):
        autobp.partition(x, 4)


# --- where, select, rollaxis, fabs, real_if_close -------------------------------------------------
def test_where_takes_numpys_names_as_keywords():
    x, y = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    cond = [True, False, True]
    for out in (autobp.where(condition=cond, x=x, y=y), autobp.where(cond, x, y=y)):
        np.testing.assert_array_equal(out.data, [1.0, 5.0, 3.0])
    autobp.where(cond, x, y=y).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 1.0])
    (idx,) = autobp.where(condition=cond)
    np.testing.assert_array_equal(idx.data, [0, 2])


def test_select_first_true_condition_wins_and_gradients_go_there():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([10.0, 20.0, 30.0])
    conds = [np.array([True, True, False]), np.array([True, False, True])]
    out = autobp.select(conds, [a, b], default=-1.0)
    np.testing.assert_array_equal(out.data, np.select(conds, [a.data, b.data], -1.0))
    out.sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.0, 0.0, 1.0])


def test_select_refuses_mismatched_lists_and_non_boolean_conditions():
    with pytest.raises(ValueError, match="same length"):
        autobp.select([np.array([True])], [1.0, 2.0])
    with pytest.raises(TypeError, match="must be boolean, got dtype float64"):
        autobp.select([np.array([1.0])], [np.array([1.0])])


def test_rollaxis_start_out_of_range_is_an_axis_error():
    with pytest.raises(ValueError, match="start=4 is out of bounds"):
        autobp.rollaxis(np.zeros((2, 3, 4)), 0, 4)
    x = leaf(np.arange(24.0).reshape(2, 3, 4))
    out = np.rollaxis(x, 2, 1)  # numpy's own function dispatches here
    assert out.shape == (2, 4, 3) and out.requires_grad


def test_fabs_at_zero_has_torchs_abs_gradient_and_refuses_complex():
    x = leaf([-1.5, 0.0, 2.0])
    np.fabs(x).sum().backward()
    tx = torch.tensor([-1.5, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.abs(tx).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    with pytest.raises(TypeError, match="fabs: not defined for complex"):
        autobp.fabs(Tensor(np.array([1 + 1j])))


def test_real_if_close_keeps_real_tensors_and_cuts_negligible_imaginary_parts():
    x = leaf([1.0, 2.0])
    assert autobp.real_if_close(x) is x
    z = Tensor(np.array([1.0 + 1e-16j, 2.0]))
    assert autobp.real_if_close(z).dtype == np.float64
    assert autobp.real_if_close(Tensor(np.array([1.0 + 1e-3j]))).dtype == np.complex128


def test_complex_predicates_steer_a_branch_as_in_numpy():
    def fn(x):
        return autobp.real(x**2 if np.iscomplex(x) else autobp.sum(x))

    assert float(autobp.func.grad(fn)(2.0)) == 1.0
    z = Tensor(np.array(2.0 + 1.0j), requires_grad=True, dtype=np.complex128)
    fn(z).backward()
    assert z.grad == pytest.approx(np.conj(2 * (2.0 + 1.0j)))  # PyTorch's convention: conj(f'(z))
    assert np.iscomplexobj(z) and not np.isrealobj(z) and np.isrealobj(Tensor([1.0]))


# --- linspace and gradient --------------------------------------------------------------------------
def test_linspace_ends_are_exact_and_their_gradients_are_one_and_zero():
    s, e = leaf(0.1), leaf(0.7)
    out = np.linspace(s, e, 7)
    assert out.data[0] == 0.1 and out.data[-1] == 0.7
    out[-1].backward()
    assert (s.grad, e.grad) == (0.0, 1.0)
    s2, e2 = leaf(1.0), leaf(2.0)
    (autobp.linspace(s2, e2, 1),)[0].sum().backward()  # num=1: the start alone
    assert (s2.grad, e2.grad) == (1.0, 0.0)


def test_linspace_float32_ends_give_float32_samples_and_gradients():
    s, e = leaf([0.0, 1.0], np.float32), leaf(2.0, np.float32)
    out, step = autobp.linspace(s, e, 5, retstep=True, axis=-1)
    assert out.dtype == np.float32 and out.shape == (2, 5)
    (out.sum() + step.sum()).backward()
    assert s.grad.dtype == np.float32 and e.grad.dtype == np.float32


def test_gradient_errors_name_the_axis_and_the_count():
    with pytest.raises(ValueError, match="edge_order=2 needs at least 3"):
        autobp.gradient(np.ones((2, 5)), edge_order=2)
    with pytest.raises(TypeError, match="3 spacing arguments for 2 axes"):
        autobp.gradient(np.ones((3, 3)), 1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="coordinates of length 2"):
        autobp.gradient(np.ones((3, 3)), np.array([0.0, 1.0]), 1.0)
    out = np.gradient(leaf(np.ones((3, 4))), axis=(0, 1))
    assert isinstance(out, tuple) and len(out) == 2


# --- histogram ----------------------------------------------------------------------------------------
def test_histogram_counts_are_numpys_constants_and_weights_get_gradients():
    a = leaf([0.1, 0.5, 0.5, 0.9, 2.0])
    hist, edges = np.histogram(a, bins=3)
    ref_hist, ref_edges = np.histogram(a.data, bins=3)
    assert hist.dtype == np.int64 and not hist.requires_grad and not edges.requires_grad
    np.testing.assert_array_equal(hist.data, ref_hist)
    np.testing.assert_array_equal(edges.data, ref_edges)
    w = leaf([1.0, 2.0, 3.0, 4.0, 5.0])
    hist, _ = autobp.histogram(a, bins=[0.0, 0.5, 1.0], weights=w)
    np.testing.assert_array_equal(hist.data, [1.0, 9.0])  # 2.0 lies outside; 0.5 is in the second bin
    (hist * np.array([10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(w.grad, [10.0, 100.0, 100.0, 100.0, 0.0])


# --- gradients' dtypes and pytrees -----------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_func_grad_of_a_float_array_has_its_dtype(dtype):
    y = np.random.default_rng(0).standard_normal((3, 3)).astype(dtype)
    g = autobp.func.grad(lambda x: autobp.sum(x**2))(y)
    assert g.dtype == dtype
    np.testing.assert_allclose(g, 2 * y, rtol=1e-3)


def test_func_grad_through_a_cast_keeps_the_leafs_dtype_as_torch():
    g = autobp.func.grad(lambda x: autobp.sum(autobp.sin(x.astype("float64"))))(np.arange(3, dtype="float32"))
    t = torch.arange(3, dtype=torch.float32, requires_grad=True)
    torch.sin(t.to(torch.float64)).sum().backward()
    assert g.dtype == np.float32 and t.grad.dtype == torch.float32
    np.testing.assert_allclose(g, t.grad.numpy())


def test_ravel_pytree_keeps_complex_leaves_and_float32_leaves():
    flat, unravel = ravel_pytree(1 + 1j)
    assert flat.dtype == np.complex128 and unravel(flat) == 1 + 1j
    tree = {"a": np.ones(2, np.float32), "b": 3}
    flat, unravel = ravel_pytree(tree)
    back = unravel(flat)
    assert back["a"].dtype == np.float32 and float(back["b"]) == 3.0
