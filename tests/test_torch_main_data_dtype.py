"""``t.data = other`` takes other's values and dtype, as PyTorch's: a complex weight put into a real
Parameter stayed real (its imaginary part silently dropped, so a convolution computed wrong numbers)."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    "start, new",
    [(np.float64, np.complex64), (np.float32, np.float64), (np.float64, np.float32), (np.float64, np.int64)],
)
def test_data_assignment_takes_the_new_dtype_as_torch(start, new):
    vals = np.array([1.5, -2.0, 3.0]).astype(new) + (1j if np.dtype(new).kind == "c" else 0)
    vals = vals.astype(new)
    t = ab.zeros(3, dtype=start)
    ref = torch.zeros(3, dtype=getattr(torch, np.dtype(start).name))
    t.data = ab.tensor(vals)
    ref.data = torch.tensor(vals)
    assert t.dtype == np.dtype(new) and str(ref.dtype) == f"torch.{np.dtype(new).name}"
    np.testing.assert_array_equal(t.data, ref.numpy())


def test_complex_weight_in_a_real_conv_module_keeps_its_imaginary_part():
    x0 = np.random.default_rng(0).standard_normal((1, 1, 1, 6))
    w0 = np.array([[[[1 + 2j, 0, 1j]]]], dtype=np.complex64)
    m = ab.nn.Conv2d(1, 1, (1, 3), bias=False)
    m.weight.data = ab.tensor(w0)
    assert m.weight.dtype == np.complex64
    got = m(ab.tensor(x0))
    ref = torch.nn.functional.conv2d(
        torch.tensor(x0, dtype=torch.complex128), torch.tensor(w0).to(torch.complex128)
    )
    np.testing.assert_allclose(got.data, ref.numpy(), rtol=1e-6)  # autobp promotes (PyTorch refuses the mix)


def test_lists_and_integer_data_of_a_grad_tensor_keep_the_dtype():
    t = ab.zeros(3, dtype=np.float32)
    t.data = [1, 2, 3]
    assert t.dtype == np.float32
    p = ab.nn.Parameter(ab.zeros(3))
    p.data = ab.tensor([1, 2, 3])  # integers cannot require grad: cast to the parameter's dtype
    assert p.dtype == np.float64 and p.requires_grad
    p.data = ab.zeros(4)  # another shape: a leaf takes it, as in PyTorch
    assert p.shape == (4,) and p.requires_grad
