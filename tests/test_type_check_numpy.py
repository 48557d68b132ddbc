"""numpy's type-check helpers (numpy is the oracle): real/imag of a number give that number's part,
iscomplexobj duck-types any object with a dtype, nan_to_num(copy=False) writes in place."""

import numpy as np
import pytest

import autobp as ab


@pytest.mark.parametrize("v", [1, 1 + 1j, 2.5, True, np.float64(2), np.complex64(1 + 2j), np.int8(3)])
@pytest.mark.parametrize("part", ["real", "imag"])
def test_real_imag_of_numbers(v, part):
    want = getattr(np, part)(v)
    got = getattr(ab, part)(v)
    assert type(got) is type(want)
    assert got == want


@pytest.mark.parametrize("v", [np.array(1), np.array(1 + 1j), [1.0, 2.0], np.arange(3) * 1j])
@pytest.mark.parametrize("part", ["real", "imag"])
def test_real_imag_of_arrays(v, part):
    want = getattr(np, part)(v)
    got = getattr(ab, part)(v)
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, want)


def test_iscomplexobj_duck_types():
    class Duck:
        dtype = np.dtype(complex)

    class PdComplex(np.complex128):
        pass

    class PdDtype:
        name, names, type, kind, str, base = "category", None, PdComplex, "c", "<c16", np.dtype("c16")

    class DuckPd:
        dtype = PdDtype

    class RealDuck:
        dtype = np.dtype("f4")

    for obj in (Duck(), DuckPd(), RealDuck()):
        assert ab.iscomplexobj(obj) is np.iscomplexobj(obj)
        assert ab.isrealobj(obj) is np.isrealobj(obj)
    assert ab.iscomplexobj(ab.tensor([1j])) and not ab.iscomplexobj([1.0])


def test_nan_to_num_copy_false_array_in_place():
    with np.errstate(all="ignore"):
        base = np.array((-1.0, 0, 1)) / 0.0
    want, got = base.copy(), base.copy()
    assert np.nan_to_num(want, copy=False, nan=10) is want
    assert ab.nan_to_num(got, copy=False, nan=10) is got
    np.testing.assert_array_equal(got, want)


def test_nan_to_num_copy_false_tensor_in_place_and_gradient():
    torch = pytest.importorskip("torch")
    data = [np.nan, 1.0, -np.inf, 3.0]
    x = ab.tensor(data, requires_grad=True)
    u = x * 2
    r = ab.nan_to_num(u, copy=False, neginf=-5.0)
    assert r is u
    xt = torch.tensor(data, requires_grad=True, dtype=torch.float64)
    ut = xt * 2
    ut.nan_to_num_(neginf=-5.0)
    np.testing.assert_array_equal(u.detach().numpy(), ut.detach().numpy())
    w = [1.0, 2.0, 3.0, 4.0]
    (u * ab.tensor(w)).sum().backward()
    (ut * torch.tensor(w, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    t = ab.tensor([np.nan, 2.0])
    assert ab.nan_to_num(t) is not t and np.isnan(t.numpy()[0])  # copy=True keeps x
