"""fractional_max_pool2d/3d (and their modules and *_with_indices forms) against PyTorch with the same
random samples: values, indices and input gradients; output_ratio; the global generator; errors."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F
from autobp import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional if torch is not None else None


@pytest.mark.parametrize(
    "nd,shape,kernel,size",
    [
        (2, (2, 3, 9, 7), (2, 3), (4, 3)),
        (2, (1, 2, 10, 10), 2, (5, 6)),
        (2, (2, 8, 5), 3, (3, 3)),  # unbatched (C, H, W)
        (3, (1, 2, 7, 8, 9), (2, 2, 3), (3, 4, 5)),
    ],
)
def test_values_indices_and_gradients_match_torch(nd, shape, kernel, size):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    batch = shape[0] if len(shape) == nd + 2 else 1
    u = rng.random((batch, shape[-nd - 1], nd))
    fn, tfn = (
        (F.fractional_max_pool2d, TF.fractional_max_pool2d)
        if nd == 2
        else (F.fractional_max_pool3d, TF.fractional_max_pool3d)
    )
    t = torch.tensor(x, requires_grad=True)
    tv, ti = tfn(t, kernel, output_size=size, return_indices=True, _random_samples=torch.tensor(u))
    a = autobp.tensor(x, requires_grad=True)
    v, i = fn(a, kernel, output_size=size, return_indices=True, _random_samples=u)
    np.testing.assert_array_equal(v.data, tv.detach().numpy())
    np.testing.assert_array_equal(i.data, ti.numpy())
    w = rng.standard_normal(v.shape)
    (v * w).sum().backward()
    (tv * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, t.grad.numpy())


def test_output_ratio_with_indices_form_and_module():
    x = np.random.default_rng(1).standard_normal((1, 2, 8, 6))
    u = np.random.default_rng(2).random((1, 2, 2))
    tv, ti = TF.fractional_max_pool2d_with_indices(
        torch.tensor(x), 2, output_ratio=(0.5, 0.5), _random_samples=torch.tensor(u)
    )
    v, i = F.fractional_max_pool2d_with_indices(x, 2, output_ratio=0.5, _random_samples=u)
    assert v.shape == (1, 2, 4, 3)
    np.testing.assert_array_equal(v.data, tv.numpy())
    np.testing.assert_array_equal(i.data, ti.numpy())
    m = nn.FractionalMaxPool2d(2, output_size=(4, 3), _random_samples=u)
    np.testing.assert_array_equal(m(x).data, tv.numpy())


def test_samples_come_from_the_global_generator():
    x = np.random.default_rng(3).standard_normal((1, 1, 11, 11))
    autobp.manual_seed(5)
    a = F.fractional_max_pool2d(x, 2, output_size=5).data
    autobp.manual_seed(5)
    np.testing.assert_array_equal(F.fractional_max_pool2d(x, 2, output_size=5).data, a)


def test_errors_are_clear():
    x = np.ones((1, 1, 4, 4))
    with pytest.raises(ValueError, match="give exactly one of output_size and output_ratio"):
        F.fractional_max_pool2d(x, 2)
    with pytest.raises(ValueError, match=r"pool height 2 too large relative to input height 4"):
        F.fractional_max_pool2d(x, 2, output_size=4)
    with pytest.raises(ValueError, match=r"_random_samples must have shape \(1, 1, 2\)"):
        F.fractional_max_pool2d(x, 2, output_size=2, _random_samples=np.zeros((1, 1, 3)))
    with pytest.raises(ValueError, match="fractional_max_pool3d: Expected 4D or 5D"):
        F.fractional_max_pool3d(x[0, 0], 2, output_size=2)
