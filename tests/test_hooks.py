"""Tensor.register_hook (autobp/_tensor_hooks.py): every case runs the same code on autobp and on
torch and compares what the hooks saw, the gradients they produced, and the errors."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.4]])
W = np.array([[1.5, 2.0, -0.5], [0.25, -1.0, 3.0]])


def both(fn):
    """Run ``fn(lib, make)`` on autobp and on torch; ``make(a)`` builds a leaf that requires grad."""

    def make_autobp(a):
        return Tensor(np.array(a, dtype=np.float64), requires_grad=True)

    def make_torch(a):
        return torch.tensor(np.array(a, dtype=np.float64), requires_grad=True)

    return fn(autobp, make_autobp), fn(torch, make_torch)


def arr(v):
    """A gradient, tensor or array as an ndarray (torch's are Tensors, autobp's ndarrays or Tensors)."""
    if isinstance(v, torch.Tensor):
        return v.detach().numpy()
    return np.asarray(v.data if isinstance(v, Tensor) else v)


def close(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        np.testing.assert_allclose(arr(u), arr(v), rtol=1e-12)


def test_a_non_leaf_hook_sees_its_gradient_and_its_return_flows_on():
    def run(lib, make):
        x, w = make(X), make(W)
        y = x * w
        seen = []
        y.register_hook(lambda g: seen.append(g.copy() if isinstance(g, np.ndarray) else g.clone()))
        y.register_hook(lambda g: g * 3.0)
        (y.exp() * w).sum().backward()
        return seen + [x.grad, w.grad]

    mine, theirs = both(run)
    close(mine, theirs)


def test_a_leaf_hook_replaces_what_is_accumulated_each_pass():
    def run(lib, make):
        x = make(X)
        seen = []
        x.register_hook(lambda g: seen.append(arr(g).copy()))
        x.register_hook(lambda g: -2.0 * g)
        (x * x).sum().backward()
        first = arr(x.grad).copy()
        (x * x * x).sum().backward()  # the hook sees this pass's gradient, not the sum in .grad
        return seen + [first, x.grad]

    mine, theirs = both(run)
    close(mine, theirs)


def test_hooks_run_in_registration_order_each_on_the_last_ones_return():
    def run(lib, make):
        x = make(X)
        y = x * 1.0
        order = []
        y.register_hook(lambda g: order.append("a") or g + 1.0)
        y.register_hook(lambda g: order.append("b") or g * 10.0)
        y.register_hook(lambda g: order.append("c"))
        y.sum().backward()
        return order, x.grad

    (order, grad), (t_order, t_grad) = both(run)
    assert order == t_order == ["a", "b", "c"]
    close([grad], [t_grad])
    np.testing.assert_array_equal(grad, np.full(X.shape, 20.0))


def test_remove_unregisters_and_twice_does_nothing():
    def run(lib, make):
        x = make(X)
        y = x * 2.0
        keep = y.register_hook(lambda g: g * 5.0)
        gone = y.register_hook(lambda g: g * 7.0)
        gone.remove()
        gone.remove()
        y.sum().backward(retain_graph=True)
        first = arr(x.grad).copy()
        keep.remove()
        y.sum().backward()
        return first, x.grad

    mine, theirs = both(run)
    close(mine, theirs)
    np.testing.assert_array_equal(mine[0], np.full(X.shape, 10.0))
    np.testing.assert_array_equal(mine[1], np.full(X.shape, 12.0))


def test_removing_the_last_hook_restores_the_plain_flag():
    x = Tensor(X, requires_grad=True)
    y = x * 2.0
    y.retain_grad()
    h = y.register_hook(lambda g: g)
    h.remove()
    assert y._retains_grad is True and y.retains_grad  # the pass's fast test sees a plain bool again
    z = x * 3.0
    z.register_hook(lambda g: g).remove()
    assert z._retains_grad is False and not z.retains_grad


def test_retain_grad_keeps_the_hooked_gradient_whatever_the_order():
    def run(lib, make):
        x = make(X)
        a, b = x * 2.0, x * 3.0
        a.retain_grad()
        a.register_hook(lambda g: g * 10.0)
        b.register_hook(lambda g: g * 10.0)
        b.retain_grad()
        (a * b).sum().backward()
        return a.grad, b.grad, x.grad

    mine, theirs = both(run)
    close(mine, theirs)


def test_the_root_and_a_leaf_root_have_hooks_too():
    def run(lib, make):
        x = make(X)
        s = (x * x).sum()
        s.register_hook(lambda g: g * 3.0)
        s.backward()
        v = make(X)
        v.register_hook(lambda g: g + 1.0)
        v.backward(lib.ones_like(v) if lib is torch else np.ones(X.shape))
        return x.grad, v.grad

    mine, theirs = both(run)
    close(mine, theirs)


def test_grad_returns_hooked_gradients_of_leaves_and_non_leaves():
    # one input per call: asked for a non-leaf and something upstream of it at once, torch hands
    # back the non-leaf's gradient from before its hooks (its engine captures it before running
    # them when the node must run anyway); autobp returns the hooked one in every case
    def run(lib, make):
        grad = lib.autograd.grad if lib is torch else autobp.grad
        x = make(X)
        x.register_hook(lambda g: g * 3.0)
        y = x * 2.0
        y.register_hook(lambda g: g + 1.0)
        loss = (y * y).sum()
        (gy,) = grad(loss, [y], retain_graph=True)
        (gx,) = grad(loss, [x])
        return gx, gy, x.grad

    mine, theirs = both(run)
    assert mine[2] is None and theirs[2] is None  # grad() leaves .grad alone
    close(mine[:2], theirs[:2])


def test_backward_inputs_runs_hooks_once_and_fills_retained_grads():
    def run(lib, make):
        x = make(X)
        y = x * 2.0
        calls = []
        y.register_hook(lambda g: calls.append(1) or g * 5.0)
        y.retain_grad()
        z = y * 3.0
        (z * z).sum().backward(inputs=[y])
        got_y = arr(y.grad).copy()
        x.register_hook(lambda g: g - 1.0)
        w = x * 4.0
        w.retain_grad()
        (w * w).sum().backward(inputs=[x])
        return len(calls), got_y, x.grad, w.grad

    mine, theirs = both(run)
    assert mine[0] == theirs[0] == 1
    close(mine[1:], theirs[1:])


def test_hooks_under_create_graph_get_tensors_and_stay_differentiable():
    def run(lib, make):
        x = make(X)
        kinds = []
        y = x**3
        y.register_hook(lambda g: kinds.append(type(g).__name__) or g * x)  # the product is recorded
        x.register_hook(lambda g: g * 2.0)
        (gx,) = (
            lib.autograd.grad(y.sum(), x, create_graph=True)
            if lib is torch
            else autobp.grad(y.sum(), x, create_graph=True)
        )
        gx.sum().backward()
        return kinds, gx, x.grad

    (kinds, gx, xg), (t_kinds, t_gx, t_xg) = both(run)
    assert kinds == t_kinds == ["Tensor"]
    close([gx, xg], [t_gx, t_xg])


def test_leaf_hooks_under_backward_create_graph():
    def run(lib, make):
        x = make(X)
        x.register_hook(lambda g: g * x)
        (x**2).sum().backward(create_graph=True)
        first = x.grad
        x.grad = None
        first.sum().backward()
        return first, x.grad

    mine, theirs = both(run)
    assert isinstance(mine[0], Tensor) and mine[0].requires_grad
    close(mine, theirs)


def test_hooks_follow_a_tensor_through_an_in_place_op():
    def run(lib, make):
        x = make(X)
        y = x * 2.0
        seen = []
        y.register_hook(lambda g: seen.append(arr(g).copy()))
        y.add_(1.0)  # hooks registered before the write see the new value's gradient
        (y * y).sum().backward()
        return seen + [x.grad]

    mine, theirs = both(run)
    close(mine, theirs)


@pytest.mark.parametrize("lib", ["autobp", "torch"])
def test_a_hook_that_changes_the_shape_or_dtype_is_refused(lib):
    if lib == "autobp":
        ones, make = np.ones(3), lambda: Tensor(X, requires_grad=True)
        to_complex = lambda g: g.astype(np.complex128)  # noqa: E731
    else:
        ones, make = torch.ones(3, dtype=torch.float64), lambda: torch.tensor(X, requires_grad=True)
        to_complex = lambda g: g.to(torch.complex128)  # noqa: E731
    x = make()
    x.register_hook(lambda g: ones)
    with pytest.raises(RuntimeError, match=r"hook '<lambda>' has changed the size of value"):
        (x * 1.0).sum().backward()
    y = make() * 1.0
    y.register_hook(lambda g: ones)
    with pytest.raises(RuntimeError, match=r"has changed the size of value"):
        y.sum().backward()
    z = make() * 1.0
    z.register_hook(to_complex)
    with pytest.raises(RuntimeError, match=r"has changed the type of value"):
        z.sum().backward()


def test_the_refusal_names_the_shapes():
    y = Tensor(X, requires_grad=True) * 1.0
    y.register_hook(lambda g: np.ones(3))
    with pytest.raises(
        RuntimeError, match=r"shape \(2, 3\) had shape \(2, 3\), the hook returned shape \(3,\)"
    ):
        y.sum().backward()


def test_a_tensor_that_does_not_require_grad_takes_no_hook():
    with pytest.raises(
        RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"
    ):
        torch.ones(2, 3).register_hook(lambda g: g)
    with pytest.raises(
        RuntimeError,
        match=r"cannot register a hook on a tensor that doesn't require gradient .*shape \(2, 3\)",
    ):
        Tensor(np.ones((2, 3))).register_hook(lambda g: g)
    with autobp.no_grad():
        y = Tensor(X, requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        y.register_hook(lambda g: g)
    with pytest.raises(TypeError, match="callable"):
        Tensor(X, requires_grad=True).register_hook(3)


def test_retain_grad_on_a_leaf_is_a_no_op_as_in_torch():
    x, tx = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    x.retain_grad()
    tx.retain_grad()
    assert x.retains_grad is tx.retains_grad is False
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * X)


def test_a_hook_array_kept_by_the_user_is_not_written_by_later_passes():
    x = Tensor(X, requires_grad=True)
    mine = np.full(X.shape, 4.0)
    x.register_hook(lambda g: mine)
    (x * 1.0).sum().backward()
    (x * 1.0).sum().backward()  # adds into .grad: must not add into the user's array
    np.testing.assert_array_equal(mine, np.full(X.shape, 4.0))
    np.testing.assert_array_equal(x.grad, np.full(X.shape, 8.0))


def test_a_handle_does_not_keep_its_tensor_alive():
    import gc
    import weakref

    x = Tensor(X, requires_grad=True)
    y = x * 2.0
    h = y.register_hook(lambda g: g)
    ref = weakref.ref(y)
    del y
    gc.collect()
    assert ref() is None
    h.remove()  # the tensor is gone: nothing to do


def test_compile_runs_a_step_with_hooks_eagerly_so_they_still_run():
    w = Tensor(np.ones(3), requires_grad=True)
    w.register_hook(lambda g: g * 10.0)
    x = Tensor(np.arange(3.0))
    step = autobp.compile(lambda: (w * x).sum())
    with pytest.warns(RuntimeWarning, match="register_hook/retain_grad"):
        step()
    step()
    np.testing.assert_array_equal(w.grad, 10.0 * np.arange(3.0))
