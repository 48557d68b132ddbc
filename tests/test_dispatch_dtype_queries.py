"""numpy's dtype queries on Tensors (np.result_type, np.can_cast, np.min_scalar_type) read the
Tensor's dtype as they read an array's (they used to be refused as if they computed values)."""

import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.bool_])
def test_dtype_queries_answer_as_for_the_array(dtype):
    a = np.array([1, 0, 1], dtype=dtype)
    t = autobp.Tensor(a, dtype=dtype)
    assert np.result_type(t, 1.0) == np.result_type(a, 1.0)
    assert np.result_type(t, np.int16) == np.result_type(a, np.int16)
    for target in (np.float16, np.float64, np.int8, np.complex64):
        assert np.can_cast(t, target) == np.can_cast(a, target)
        assert np.can_cast(t, target, casting="same_kind") == np.can_cast(a, target, casting="same_kind")
    assert np.min_scalar_type(t) == np.min_scalar_type(a)


def test_dtype_queries_leave_a_tensor_that_requires_grad_untouched():
    t = autobp.Tensor([1.0, 2.0], requires_grad=True)
    assert np.result_type(t, np.float32) == np.float64
    (t * 2.0).sum().backward()
    np.testing.assert_array_equal(t.grad, [2.0, 2.0])
