"""Tensor API and graph semantics (PyTorch's): dtypes, operators, backward, grad, grad modes."""

import threading

import numpy as np
import pytest

import autobp
from autobp import GraphReleasedError, Tensor, no_grad


def test_construction_dtypes():
    """numpy's and PyTorch's dtypes: integers and bools stay so (labels, indices), floats are float64
    (PyTorch's default would be float32); data made to require grad becomes float64 (PyTorch refuses)."""
    cases = (
        (3, "int64"),
        ([1, 2], "int64"),
        ([True, False], "bool"),
        ([[1.5, 2]], "float64"),
        (2.5, "float64"),
    )
    for data, expected in cases:
        assert str(Tensor(data).dtype) == str(np.array(data).dtype) == expected
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.int32
    assert Tensor([1, 2], requires_grad=True).dtype == np.float64
    assert Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert autobp.tensor([[1.0]], requires_grad=True).requires_grad


def test_requires_grad_on_integer_dtype_is_an_error():
    with pytest.raises(TypeError, match="int64"):
        Tensor(np.arange(3), dtype=np.int64, requires_grad=True)


def test_construction_copies_its_input():
    a = np.ones(3)
    t = Tensor(a)
    a[0] = 5
    assert t.data[0] == 1


def test_attributes():
    t = Tensor(np.zeros((2, 3)), requires_grad=True)
    assert (t.shape, t.ndim, t.size, t.is_leaf, t.grad) == ((2, 3), 2, 6, True, None)
    u = t * 2
    assert not u.is_leaf and u.requires_grad and u.grad_fn == "mul_scalar"  # t * c: c is in ctx
    d = u.detach()
    assert d.is_leaf and not d.requires_grad and np.shares_memory(d.data, u.data)
    assert Tensor(2.5).item() == 2.5 and isinstance(Tensor(2.5).item(), float)
    assert isinstance(t.numpy(), np.ndarray)
    assert "requires_grad=True" in repr(t) and "grad_fn=mul" in repr(u)
    assert "float32" in repr(Tensor(np.ones(2, np.float32)))


def test_repr_leaves_out_the_default_dtypes_as_numpy_and_torch_do():
    """float64, int64 and bool are the defaults (numpy's array repr and torch's tensor repr name
    neither int64 nor bool); any other dtype is named."""
    assert repr(Tensor([1, 2])) == "tensor([1, 2])"
    assert repr(Tensor([True, False])) == "tensor([ True, False])"
    assert repr(Tensor([1.5, 2.0])) == "tensor([1.5, 2. ])"
    assert repr(Tensor(np.array([1, 2], np.int32))) == "tensor([1, 2], dtype=int32)"
    assert repr(Tensor(np.array([1, 2], np.float32))) == "tensor([1., 2.], dtype=float32)"


def test_format_follows_pytorch():
    """f"{t}" of a 0-d tensor is its full-precision number, as PyTorch formats it (print loops that
    log a loss keep every digit); one-element tensors take a spec; anything else formats its repr."""
    x = 9.805252240729875
    assert f"{Tensor(x)}" == repr(x) and f"{Tensor(x):.3f}" == "9.805"
    assert f"{Tensor([x]):.2f}" == "9.81" and f"{Tensor([x])}".startswith("tensor(")
    assert f"{Tensor(1 + 2j)}" == "(1+2j)" and f"{Tensor(np.float32(0.1))}" == repr(float(np.float32(0.1)))


@pytest.mark.parametrize("other", [2.0, 2, np.float64(2.0), np.full((3,), 2.0), Tensor(np.full((3,), 2.0))])
def test_operands_on_either_side(other):
    x = Tensor([1.0, 2.0, 4.0], requires_grad=True)
    results = [
        x + other,
        other + x,
        x - other,
        other - x,
        x * other,
        other * x,
        x / other,
        other / x,
        x**other,
        other**x,
    ]
    expected = [
        [3, 4, 6],
        [3, 4, 6],
        [-1, 0, 2],
        [1, 0, -2],
        [2, 4, 8],
        [2, 4, 8],
        [0.5, 1, 2],
        [2, 1, 0.5],
        [1, 4, 16],
        [2, 4, 16],
    ]
    for r, e in zip(results, expected):
        assert isinstance(r, Tensor)
        np.testing.assert_allclose(r.data, e)
    sum(r.sum() for r in results).backward()
    assert x.grad.shape == (3,)


def test_comparisons_are_boolean_and_outside_the_graph():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for r, e in [
        (x < 2, [1, 0, 0]),
        (x <= 2, [1, 1, 0]),
        (x > 2, [0, 0, 1]),
        (x >= 2, [0, 1, 1]),
        (x == 2, [0, 1, 0]),
        (x != 2, [1, 0, 1]),
        (2 < x, [0, 0, 1]),
    ]:
        assert r.dtype == bool and not r.requires_grad
        np.testing.assert_array_equal(r.data, np.array(e, dtype=bool))


def test_float32_is_preserved_by_every_op_and_gradient():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((4, 2)).astype(np.float32), requires_grad=True)
    h = (x @ w).tanh().sigmoid().relu() + 1.5
    h = h.exp().log().sqrt() ** 2 / 2 - h.abs().clip(0, 3)
    h = autobp.maximum(h, 0.1) * autobp.where(h.data > 0, h, 0.0)
    y = h.softmax(axis=1).sum() + h.log_softmax(0).mean() + h.logsumexp() + h.max() + h.min()
    y = y + autobp.concatenate([h, h], 1).sum() + autobp.stack([h, h]).sum() + h[0, ::-1].sum()
    y = y + h.T.reshape(-1).sum() + (2.0 * np.ones(2, np.float32) * h).sum()
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_non_scalar_backward_needs_a_gradient():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        y.backward(np.ones(3))
    y.backward(np.full((2, 3), 0.5))
    np.testing.assert_array_equal(x.grad, np.ones((2, 3)))


def test_leaves_accumulate_and_freed_graph_raises():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad, [4, 8])
    with pytest.raises(GraphReleasedError, match="retain_graph=True"):
        y.backward()


def test_a_leaf_as_the_root_receives_the_seed_itself():
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.backward(np.array([3.0, 4.0]))
    x.backward(np.array([1.0, 1.0]))
    np.testing.assert_array_equal(x.grad, [4, 5])


def test_a_node_on_a_short_and_a_long_path_is_visited_once_with_its_whole_gradient():
    """The pass may visit a chain's next node without the heap, but only when no newer node is
    pending; here h's direct consumer is older than the long path through exp."""
    x = Tensor([0.5, -1.0], requires_grad=True)
    h = x * 3
    short = h * 2
    long = h.exp() * 5
    (short + long).sum().backward()  # visiting h twice would meet its released graph
    np.testing.assert_allclose(x.grad, 3 * (2 + 5 * np.exp(3 * x.data)))


def test_an_input_used_twice_by_one_node_gets_both_gradients():
    x = Tensor([0.5, -1.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad, 2 * h.data)
    np.testing.assert_allclose(x.grad, 18 * x.data)


def test_a_failed_backward_changes_no_grad():
    """Leaves receive their gradients only once the whole pass has succeeded."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    e = x.exp()
    s = e.sum()  # the pass stops here: its input e is written below
    w = Tensor([3.0, 4.0], requires_grad=True)  # newer than s: its gradient is complete first
    loss = s + (w * 2).sum()
    e.data[0] = 0.0
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()
    assert w.grad is None and x.grad is None


def test_interior_grad_only_with_retain_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    z = x * 3
    (h * h + z).sum().backward()
    np.testing.assert_array_equal(h.grad, 2 * h.data)
    assert z.grad is None


def test_shared_gradient_arrays_are_not_aliased_between_leaves():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()  # the add rule hands the same array to both
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0


def test_backward_of_tensor_without_graph_is_a_clear_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_grad_function_leaves_dot_grad_alone():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    unused = Tensor([1.0], requires_grad=True)
    y = (x**2).sum()
    (g,) = autobp.grad(y, x, retain_graph=True)
    np.testing.assert_array_equal(g.data, [2, 4, 6])
    assert x.grad is None and not g.requires_grad
    with pytest.raises(RuntimeError, match=r"inputs\[1\].*allow_unused"):
        autobp.grad(y, [x, unused], retain_graph=True)
    g, u = autobp.grad(y, [x, unused], allow_unused=True)
    assert u is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        autobp.grad(y, Tensor([1.0]))


def test_grad_with_grad_outputs_is_a_vector_jacobian_product():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * Tensor([3.0, 5.0])
    (g,) = autobp.grad(y, x, grad_outputs=Tensor([1.0, 10.0]))
    np.testing.assert_array_equal(g.data, [3, 50])


def test_no_grad_records_nothing_and_enable_grad_overrides():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = x * 2
        with autobp.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.is_leaf and z.requires_grad

    @no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert autobp.is_grad_enabled()


def test_grad_mode_is_thread_local():
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def worker():
        x = Tensor([1.0], requires_grad=True)
        inside.wait()
        seen["worker"] = (x * 2).requires_grad  # main thread is inside no_grad
        release.set()

    t = threading.Thread(target=worker)
    t.start()
    with no_grad():
        inside.set()
        release.wait(10)
    t.join()
    assert seen["worker"] is True


def test_broadcast_gradients_reduce_to_input_shapes():
    a = Tensor(np.ones((3, 1)), requires_grad=True)
    b = Tensor(np.ones((1, 4)), requires_grad=True)
    c = Tensor(np.ones(4), requires_grad=True)
    s = Tensor(2.0, requires_grad=True)
    (a * b + c * s).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (1, 4) and c.grad.shape == (4,)
    np.testing.assert_array_equal(a.grad, np.full((3, 1), 4))
    np.testing.assert_array_equal(c.grad, np.full(4, 6))
    assert s.grad.shape == () and s.grad == 12


@pytest.mark.parametrize(
    "make, exc, words",
    [
        (lambda: Tensor(np.ones((2, 3))) + Tensor(np.ones((4,))), ValueError, ["(2, 3)", "(4,)"]),
        (
            lambda: Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2))),
            ValueError,
            ["(3, 4)", "(5, 2)", "4 != 5"],
        ),
        (lambda: Tensor(np.ones(3)) @ Tensor(2.0), ValueError, ["1-D", "()"]),
        (lambda: Tensor(np.ones((2, 3))).sum(axis=2), ValueError, ["axis 2", "(2, 3)"]),
        (lambda: Tensor(np.ones((2, 3))).sum(axis=(0, 0)), ValueError, ["repeated"]),
        (lambda: Tensor(np.ones((2, 3))).reshape(4), ValueError, ["(2, 3)", "(4,)"]),
        (lambda: Tensor(np.ones((2, 3))).transpose(0, 0), ValueError, ["permutation"]),
        (lambda: Tensor(np.ones((2, 3)))[5], IndexError, ["(2, 3)"]),
        (lambda: Tensor(np.ones((2, 3))).squeeze(1), ValueError, ["axis 1", "(2, 3)"]),
        (lambda: autobp.concatenate([np.ones((2, 3)), np.ones((2, 4))]), ValueError, ["tensor 1", "(2, 4)"]),
        (lambda: autobp.stack([np.ones(2), np.ones(3)]), ValueError, ["(3,)", "(2,)"]),
        (lambda: Tensor([1.0]) + "x", TypeError, ["str"]),
        (lambda: Tensor("abc"), TypeError, ["str"]),
        (lambda: autobp.where(np.ones(2), np.ones(3), 2.0), ValueError, ["(2,)", "(3,)"]),
    ],
)
def test_bad_input_names_shapes(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    for w in words:
        assert w in str(info.value), str(info.value)


def test_ten_thousand_op_tensor_chain():
    x = Tensor(np.array([0.5, 1.5]), requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.00001**100_000] * 2, rtol=1e-9)


def test_requires_grad_assigned_to_an_integer_tensor_never_truncates_its_gradient():
    """``x = tensor([1, 2]); x.requires_grad = True`` (PyTorch refuses the assignment): the float gradient
    of ``x * 2.5`` is refused at delivery, by backward and by grad, instead of being cut to int64."""
    x = Tensor([1, 2, 3])
    x.requires_grad = True
    with pytest.raises(TypeError, match=r"int64 tensor of shape \(3,\).*only floating-point"):
        (x * 2.5).sum().backward()
    assert x.grad is None
    with pytest.raises(TypeError, match="only floating-point"):
        autobp.grad((x * 2.5).sum(), x)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (1, 2, 1, 3)])
def test_T_reverses_the_axes_as_numpy_and_differentiates(shape):
    data = np.arange(float(np.prod(shape))).reshape(shape)
    x = Tensor(data, requires_grad=True)
    y = x.T
    np.testing.assert_array_equal(y.numpy(), data.T)
    assert np.shares_memory(y.numpy(), x.numpy())  # a view, as numpy's
    w = np.random.default_rng(0).standard_normal(data.T.shape)
    (y * Tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad, w.T)
