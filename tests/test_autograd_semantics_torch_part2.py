"""PyTorch's autograd semantics that its test_autograd.py (the part after the checkpoint tests,
TestAutogradDeviceType's CPU tests, TestAutogradInferenceMode) showed autobp got wrong; torch is the
oracle where installed."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

NAN = float("nan")


@pytest.mark.parametrize("name", ["max", "min", "median"])
@pytest.mark.parametrize(
    "values", [[NAN, NAN, NAN], [1.0, NAN, NAN, 3.0], [1.0, 0.0, 1.0, 0.0, 1.0], [2.0, NAN, 1.0]]
)
def test_extreme_and_median_gradient_with_nan_goes_to_the_nans(name, values):
    x = autobp.tensor(values, requires_grad=True)
    getattr(autobp, name)(x).backward()
    xt = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    getattr(torch, name)(xt).backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_max_over_an_axis_with_a_nan_row():
    values = [[1.0, NAN, NAN], [2.0, 3.0, 1.0]]
    x = autobp.tensor(values, requires_grad=True)
    autobp.amax(x, axis=1).sum().backward()
    # the NaN row's gradient is shared by its NaNs (the non-NaN row: its maximum, as before)
    np.testing.assert_allclose(x.grad, [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0]])


def _nograd_view_then_write(lib, mode, write):
    x = lib.rand(3, requires_grad=True)
    with getattr(lib, mode)():
        v = x[:2]
    write(v)


WRITES = {
    "zero_": lambda v: v.zero_(),
    "add_": lambda v: v.add_(1),
    "setitem": lambda v: v.__setitem__(0, 1.0),
    "view of view": lambda v: v[0:1].mul_(2),
}


@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_view_made_without_grad_of_a_tensor_requiring_grad_refuses_inplace_with_grad(mode, write):
    words = "created in (no_grad|inference) mode and is being modified inplace"
    with pytest.raises(RuntimeError, match=words):
        _nograd_view_then_write(torch, mode, WRITES[write])
    with pytest.raises(RuntimeError, match=words):
        _nograd_view_then_write(autobp, mode, WRITES[write])


def test_view_made_without_grad_still_writable_where_torch_allows():
    for lib in (torch, autobp):
        x = lib.rand(3, requires_grad=True)
        with lib.no_grad():
            v = x[:2]
            v.zero_()  # inside no_grad: allowed, not recorded
        d = x.detach()
        d.add_(1)  # detach() is not a view made under no_grad
        y = lib.zeros(3)
        with lib.no_grad():
            w = y[:2]
        w.add_(1)  # the base does not require grad
        assert float(y.sum()) == 2.0
        np.testing.assert_allclose(np.asarray(x.detach().numpy())[:2], [1.0, 1.0])


@pytest.mark.parametrize(
    "value, error",
    [(0, TypeError), (1.5, TypeError), ("g", TypeError), ("self", RuntimeError), ("int", RuntimeError)],
)
def test_grad_assignment_refuses_what_torch_refuses(value, error):
    for lib in (torch, autobp):
        x = lib.ones(2, 2, dtype=lib.float64)
        v = {"self": x, "int": lib.zeros(2, 2, dtype=lib.int64)}.get(value, value)
        with pytest.raises(error):
            x.grad = v
    x = autobp.ones(2, 2)
    x.grad = autobp.zeros(2, 2)  # a tensor, an array, None: taken
    x.grad = np.zeros((2, 2))
    x.grad = None
    assert x.grad is None


def _pow_function(lib):
    class PowFunction(lib.autograd.Function):
        @staticmethod
        def forward(x, y=3):
            return x**y

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, y = inputs  # all of forward's arguments, defaults included
            ctx.save_for_backward(x)
            ctx.y = y

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * ctx.y * x ** (ctx.y - 1), None

    return PowFunction


def test_setup_context_inputs_include_forward_defaults():
    for lib in (torch, autobp):
        x = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        y = _pow_function(lib).apply(x)
        (g,) = lib.autograd.grad(y, x)
        assert float(y) == 8.0 and float(g) == 12.0


def test_messages_carry_torchs_words():
    class NoForward(autobp.autograd.Function):
        @staticmethod
        def backward(ctx, g):
            return g

    class NoBackward(autobp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

    x = autobp.rand(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="must implement the forward"):
        NoForward.apply(x)
    with pytest.raises(RuntimeError, match="must implement either the backward"):
        NoBackward.apply(x).sum().backward()
    a, b = autobp.rand(3, requires_grad=True), autobp.rand(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 0 appears"):
        autobp.autograd.grad(b.sum(), (a, b))
    c = autobp.tensor(1.0, requires_grad=True).clone()
    d = c.sin()
    c.detach_()
    with pytest.raises(RuntimeError, match="Trying to use a saved tensor that has been detached"):
        d.backward()


@pytest.mark.parametrize("how", ["factory", "method"])
def test_integer_tensor_requiring_grad_raises_runtime_error_as_torch(how):
    for lib in (torch, autobp):
        with pytest.raises(RuntimeError, match="floating point"):
            if how == "factory":
                lib.ones(1, dtype=lib.int64, requires_grad=True)
            else:
                lib.ones(1, dtype=lib.int64).requires_grad_()
    with pytest.raises(TypeError):  # autobp's earlier error class still catches it
        autobp.ones(1, dtype=autobp.int64, requires_grad=True)


@pytest.mark.parametrize("lib", [torch, autobp], ids=["torch", "autobp"])
def test_gradcheck_of_a_function_without_differentiable_outputs(lib):
    x = lib.ones((1,), dtype=lib.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Numerical gradient for function expected to be zero"):
        lib.autograd.gradcheck(lambda x: lib.tensor([float(x)], dtype=lib.float64), (x,))
    assert lib.autograd.gradcheck(lambda x: (), (x,))


def test_resize_to_the_same_shape_is_not_a_write():
    versions = []
    for lib in (torch, autobp):
        x, y = lib.rand(1), lib.rand(3)
        x.resize_((1, 2))
        x.resize_as_(y)
        after_two = x._version
        x.resize_((3,))
        x.resize_as_(y)
        versions.append((after_two, x._version))
    assert versions[0] == versions[1] == (2, 2)


@pytest.mark.parametrize("dim", [None, 0])
def test_unique_consecutive_values_carry_a_gradient_like_unique(dim):
    data = [[1.0, 2.0], [1.0, 2.0], [3.0, 4.0], [1.0, 2.0]]
    x = autobp.tensor(data, requires_grad=True)
    got = autobp.unique_consecutive(x, return_inverse=True, return_counts=True, dim=dim)
    want = torch.unique_consecutive(torch.tensor(data), return_inverse=True, return_counts=True, dim=dim)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a.detach().numpy(), b.numpy())
    assert got[0].requires_grad and not got[1].requires_grad and not got[2].requires_grad
    # PyTorch's values require grad too (its backward is not implemented); autobp's, as its unique's,
    # come from each run's first element, which gets the gradient
    w = autobp.tensor(np.arange(1.0, got[0].numel() + 1).reshape(got[0].shape))
    (got[0] * w).sum().backward()
    flat = np.asarray(data).reshape(-1) if dim is None else np.asarray(data)
    starts = [0] + [i for i in range(1, len(flat)) if np.any(flat[i] != flat[i - 1])]
    expected = np.zeros(flat.shape)
    expected[starts] = w.numpy() if dim is not None else w.numpy().reshape(-1)
    np.testing.assert_array_equal(x.grad, expected.reshape(x.shape))


def test_nanmedian_of_an_all_nan_tensor_shares_the_gradient():
    x = autobp.tensor([NAN, NAN, NAN], requires_grad=True)
    autobp.nanmedian(x).backward()
    xt = torch.tensor([NAN, NAN, NAN], dtype=torch.float64, requires_grad=True)
    torch.nanmedian(xt).backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())
    y = autobp.tensor([[NAN, NAN], [1.0, 3.0]], requires_grad=True)
    out = autobp.nanmedian(y, axis=1)
    np.testing.assert_array_equal(np.isnan(out.detach().numpy()), [True, False])
    out.sum().backward()  # the NaN row: shared; the other: numpy's mean of the two middle values
    np.testing.assert_allclose(y.grad, [[0.5, 0.5], [0.5, 0.5]])
