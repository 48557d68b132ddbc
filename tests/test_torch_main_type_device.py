"""t.type(torch.Tensor) gives the default dtype (it gave an object array), a non-CPU device is a
RuntimeError too (torch.Generator('opengl')), grid_sample's batch-size error in PyTorch's words;
found by PyTorch's test_torch.py. torch is the oracle."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def test_type_of_the_tensor_class_is_the_default_dtype():
    x = ab.tensor(np.arange(6).reshape(2, 3))
    got = x.type(ab.Tensor)
    assert got.dtype == ab.get_default_dtype()
    np.testing.assert_array_equal(got.numpy(), np.arange(6).reshape(2, 3))
    want = torch.tensor(np.arange(6).reshape(2, 3)).type(torch.Tensor)
    assert want.dtype == torch.get_default_dtype() and want.dtype.is_floating_point
    y = ab.ones(2)
    assert y.type(ab.Tensor) is y


def test_generator_on_another_device_is_a_runtime_error():
    with pytest.raises(RuntimeError):
        ab.Generator("opengl")
    with pytest.raises(RuntimeError):
        torch.Generator("opengl")
    with pytest.raises(ValueError):  # autobp's earlier error class still catches it
        ab.Generator("opengl")


@pytest.mark.parametrize("shapes", [((5, 5, 5, 5), (1, 4, 4, 2)), ((5, 5, 5, 5, 5), (1, 1, 4, 4, 3))])
def test_grid_sample_batch_mismatch_words(shapes):
    xs, gs = shapes
    words = "expected grid and input to have same batch size"
    with pytest.raises(RuntimeError, match=words):
        ab.nn.functional.grid_sample(ab.zeros(xs), ab.zeros(gs), align_corners=True)
    with pytest.raises(RuntimeError, match=words):
        torch.nn.functional.grid_sample(torch.zeros(xs), torch.zeros(gs), align_corners=True)
