"""A real numpy scalar next to a float or complex Tensor keeps the Tensor's dtype, as PyTorch keeps it
next to a 0-d tensor of its kind (docs/concepts/names.md); numpy 2 would widen arrays here."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

TENSOR_DTYPES = ["float16", "float32", "float64", "complex64"]
SCALARS = [np.float16(1.5), np.float32(1.5), np.float64(1.5), np.int64(3), np.int8(3)]


@pytest.mark.parametrize("dtype", TENSOR_DTYPES)
@pytest.mark.parametrize("scalar", SCALARS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("op", ["mul", "add", "rsub", "truediv"])
def test_numpy_scalar_keeps_tensor_dtype_as_torch_zero_d(dtype, scalar, op):
    data = np.array([0.5, 2.0], dtype=dtype)
    t, tt = autobp.tensor(data), torch.tensor(data)
    zero_d = torch.tensor(scalar)
    fn = {
        "mul": lambda a, s: a * s,
        "add": lambda a, s: a + s,
        "rsub": lambda a, s: s - a,
        "truediv": lambda a, s: a / s,
    }[op]
    got, want = fn(t, scalar), fn(tt, zero_d)
    assert str(want.dtype).removeprefix("torch.") == str(got.dtype)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-3)
