"""A Python list next to an integer Tensor in an operator keeps numpy's integer result dtype (it used
to become float64); next to a float Tensor its numbers still take the Tensor's dtype."""

import numpy as np
import pytest

import autobp

OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
@pytest.mark.parametrize("other", [[1, 2, 3], [True, True, True], [1.5, 2.0, 3.0]])
def test_list_operand_next_to_integer_tensor_matches_numpy(name, dtype, other):
    f = OPS[name]
    a = np.array([4, 5, 6], dtype=dtype)
    t = autobp.Tensor(a, dtype=dtype)
    for ours, theirs in ((f(t, other), f(a, other)), (f(other, t), f(other, a))):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours.data, theirs)


def test_list_operand_next_to_float32_tensor_takes_its_dtype_and_gradient_flows():
    x = autobp.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = x * [3, 4]
    assert y.dtype == np.float32
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
