"""PyTorch's test_subclass_tensors: ``Tensor()`` with no data is an empty tensor (so a Tensor subclass
can be made with no arguments), and the legacy types (``FloatTensor``) cannot be subclassed."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def test_tensor_without_data_is_empty_as_torch():
    t, ref = ab.Tensor(), torch.Tensor()
    assert tuple(t.shape) == tuple(ref.shape) == (0,)
    assert t.dtype == np.float64  # autobp's default float dtype (PyTorch's is float32)
    assert not t.requires_grad


def test_subclass_of_tensor_without_arguments():
    for base in (torch.Tensor, ab.Tensor):

        class Foo(base):
            def foo(self):
                return 5

        f = Foo()
        assert f.foo() == 5 and isinstance(f, base) and f.shape[0] == 0


def test_legacy_types_cannot_be_subclassed_as_torch():
    for lib in (torch, ab):
        with pytest.raises(TypeError, match="is not an acceptable base type"):

            class Foo1(lib.FloatTensor):
                pass

    assert isinstance(ab.ones(2).float(), ab.FloatTensor) and ab.LongTensor([1, 2]).dtype == np.int64
