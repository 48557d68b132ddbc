"""An integer tensor to a negative integer power is refused, as numpy (docs/concepts/names.md, dtypes):
PyTorch computes 0 (1 and -1 for bases 1 and -1) for a tensor exponent and refuses a Python one."""

import numpy as np
import pytest

import autobp

BASE = np.array([1, -1, 2, 0, -2, 3])
EXP = np.array([-2, -3, -1, -1, -2, -1])


def test_tensor_exponent_refused_as_numpy():
    with pytest.raises(ValueError, match="negative integer powers"):
        np.power(BASE, EXP)
    with pytest.raises(ValueError, match="negative integer powers"):
        autobp.tensor(BASE) ** autobp.tensor(EXP)


def test_tensor_exponent_refusal_is_also_pytorchs_class():
    with pytest.raises(RuntimeError, match="negative integer powers"):  # as for a Python exponent
        autobp.tensor(BASE) ** autobp.tensor(EXP)
    with pytest.raises(RuntimeError, match="negative integer powers"):
        autobp.power(autobp.tensor(BASE), autobp.tensor(EXP))


def test_python_exponent_refused_as_both():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.tensor(BASE) ** -2
    with pytest.raises(RuntimeError):  # also a ValueError, numpy's class
        autobp.tensor(BASE) ** -2


def test_nonnegative_exponents_as_torch():
    torch = pytest.importorskip("torch")
    e = np.abs(EXP)
    want = (torch.tensor(BASE) ** torch.tensor(e)).numpy()
    got = autobp.tensor(BASE) ** autobp.tensor(e)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.numpy(), want)


def test_torch_computes_the_refused_case():
    torch = pytest.importorskip("torch")  # the documented difference
    assert (torch.tensor(BASE) ** torch.tensor(EXP)).tolist() == [1, -1, 0, 0, 0, 0]
