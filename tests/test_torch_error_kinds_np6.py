"""Errors PyTorch code catches by PyTorch's class: a Linear shape mismatch (RuntimeError, with PyTorch's
words) and torch.save to something that is neither a path nor a file (AttributeError)."""

import re

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("x_shape, w_shape", [((4, 5), (1, 1)), ((2, 3, 5), (2, 4)), ((5,), (3, 2))])
def test_linear_shape_mismatch_is_a_runtime_error_with_torchs_words(x_shape, w_shape):
    with pytest.raises(RuntimeError) as ref:
        torch.nn.functional.linear(torch.ones(x_shape), torch.ones(w_shape))
    words = re.search(r"mat1 and mat2 shapes cannot be multiplied \(\d+x\d+ and \d+x\d+\)", str(ref.value))
    with pytest.raises(RuntimeError, match=re.escape(words.group(0))):
        ab.nn.functional.linear(ab.ones(x_shape), ab.ones(w_shape))
    with pytest.raises(ValueError):  # numpy's kind still catches it
        ab.nn.functional.linear(ab.ones(x_shape), ab.ones(w_shape))


def test_linear_module_mismatch_as_torch():
    with pytest.raises(RuntimeError) as ref:
        torch.nn.Linear(1, 1)(torch.rand(4, 5))
    with pytest.raises(RuntimeError, match=re.escape(str(ref.value))):
        ab.nn.Linear(1, 1)(ab.rand(4, 5))


def test_save_to_a_non_file_raises_attribute_error_as_torch():
    for lib in (ab, torch):
        with pytest.raises(AttributeError):
            lib.save("foo", lib.rand(10))
        with pytest.raises(AttributeError):
            lib.save(np.ones(3), np.ones(3))
    with pytest.raises(TypeError):
        ab.save("foo", ab.rand(10))
