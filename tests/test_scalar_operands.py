"""A Python number as an operator's operand: one-input nodes (``mul_scalar``, ...) that compute what
the constant-Tensor form computed, bit for bit, with PyTorch's dtypes and gradients."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

FORMS = {
    "add_scalar": (lambda x, c: x + c, lambda x, c: c + x),
    "sub_scalar": (lambda x, c: x - c,),
    "rsub_scalar": (lambda x, c: c - x,),
    "mul_scalar": (lambda x, c: x * c, lambda x, c: c * x),
    "div_scalar": (lambda x, c: x / c,),
    "rdiv_scalar": (lambda x, c: c / x,),
}
CASES = [(op, k, fn) for op, fns in FORMS.items() for k, fn in enumerate(fns)]
TWO_INPUT = {"add_scalar": "add", "sub_scalar": "sub", "rsub_scalar": "sub", "mul_scalar": "mul"}
TWO_INPUT.update(div_scalar="div", rdiv_scalar="div")
RNG = np.random.default_rng(19)


def _lifted(c, dtype):
    """The operand as the constant Tensor the two-input form recorded."""
    return Tensor(np.asarray(c, dtype=dtype), dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("c", [0.1, -3, 2.5e-3, 1e30])
@pytest.mark.parametrize(("op", "k", "fn"), CASES)
def test_one_input_node_equals_the_constant_tensor_form(op, k, fn, c, dtype):
    a = RNG.uniform(0.5, 2.0, (3, 4)).astype(dtype)
    x, x2 = Tensor(a, requires_grad=True), Tensor(a, requires_grad=True)
    y, y2 = fn(x, c), fn(x2, _lifted(c, dtype))
    assert y.grad_fn == op and len(y._parents) == 1 and y2.grad_fn == TWO_INPUT[op]
    assert y.dtype == dtype and y2.dtype == dtype
    np.testing.assert_array_equal(y.data, y2.data)
    g = RNG.standard_normal((3, 4)).astype(dtype)
    y.backward(g)
    y2.backward(g)
    assert x.grad.dtype == dtype
    np.testing.assert_array_equal(x.grad, x2.grad)


@pytest.mark.parametrize(("op", "k", "fn"), CASES)
def test_gradients_and_dtypes_match_torch(op, k, fn):
    torch = pytest.importorskip("torch")
    a = RNG.uniform(0.5, 2.0, (2, 3)).astype(np.float32)
    x = autobp.tensor(a, requires_grad=True)
    tx = torch.tensor(a, requires_grad=True)
    y, ty = fn(x, 0.3), fn(tx, 0.3)
    assert str(ty.dtype) == "torch.float32" and y.dtype == np.float32
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    ("x", "c", "dtype"),
    [
        (np.arange(3, dtype=np.int32), 2, np.int32),  # an int next to int32 stays int32
        (np.arange(3, dtype=np.int64), 0.5, np.float64),  # a float next to ints promotes
        (np.ones(3, np.float32), np.float64(2.0), np.float32),  # a numpy scalar keeps the tensor's float
        (np.ones(3, np.float16), 2.0, np.float16),
        (np.ones(3, np.float32), 2**40, np.float32),  # too large to be exact: the lifted form
        (np.array([True, False]), True, np.bool_),
    ],
)
def test_other_operands_keep_their_dtypes(x, c, dtype):
    t = Tensor(x, dtype=x.dtype)
    y = t * c
    assert y.dtype == dtype
    assert not y.grad_fn or y.grad_fn == "mul"  # only Python numbers next to float32/64 are one-input


def test_second_derivative_through_the_scalar_forms():
    x = autobp.tensor([0.7, 1.3], requires_grad=True)
    y = (2.0 / x - 0.5 * x * x + 1 - x / 4 + 3).sum()  # y'' = 4 / x^3 - 1
    (g,) = autobp.grad(y, [x], create_graph=True)
    (gg,) = autobp.grad(g.sum(), [x])
    np.testing.assert_allclose(gg, 4 / x.data**3 - 1, rtol=1e-12)


def test_replay_runs_the_scalar_forms_bit_for_bit():
    x = autobp.tensor(RNG.uniform(0.5, 2.0, (4, 3)), requires_grad=True)

    def loss():
        return (0.5 * ((1 - x) / 3.0 + 2.0 / x - x * 2 + 0.25) ** 2).sum()

    eager = loss()
    eager.backward()
    expected = x.grad.copy()
    x.grad = None
    step = autobp.trace(loss)
    step()
    x.grad = None
    value = step()
    np.testing.assert_array_equal(value.data, eager.data)
    np.testing.assert_array_equal(x.grad, expected)
