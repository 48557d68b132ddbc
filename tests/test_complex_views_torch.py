"""``view_as_real`` / ``view_as_complex`` are views of their input's memory, as PyTorch's: the same
numbers, a write through either reaches the other, PyTorch's errors for inputs it cannot view, and
the gradients of before. torch is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_view_as_real_shares_memory_as_torch(dtype, transposed):
    z0 = (RNG.standard_normal((3, 4)) + 1j * RNG.standard_normal((3, 4))).astype(dtype)
    z, tz = ab.tensor(z0.copy()), torch.tensor(z0.copy())
    r, tr = (
        (ab.view_as_real(z.T), torch.view_as_real(tz.T))
        if transposed
        else (ab.view_as_real(z), torch.view_as_real(tz))
    )
    np.testing.assert_array_equal(r.numpy(), tr.numpy())
    assert r._base is z
    r[1, 2, 1] = 7.0
    tr[1, 2, 1] = 7.0
    np.testing.assert_array_equal(z.numpy(), tz.numpy())


@pytest.mark.parametrize("dims", [None, (0, 1)])
def test_view_as_complex_shares_memory_as_torch(dims):
    t0 = RNG.standard_normal((3, 2, 2))
    t, tt = ab.tensor(t0.copy()), torch.tensor(t0.copy())
    x, tx = (t, tt) if dims is None else (t.swapaxes(*dims), tt.transpose(*dims))
    c, tc = ab.view_as_complex(x), torch.view_as_complex(tx)
    np.testing.assert_array_equal(c.numpy(), tc.numpy())
    assert c._base is t
    c[1, 0] = 5 - 6j
    tc[1, 0] = 5 - 6j
    np.testing.assert_array_equal(t.numpy(), tt.numpy())


def test_view_as_complex_refuses_as_torch():
    cases = [
        lambda lib: lib.randn(3, 2, 2).swapaxes(1, 2) if lib is ab else torch.randn(3, 2, 2).transpose(1, 2),
        lambda lib: lib.tensor(2.0),
        lambda lib: lib.tensor([1.0, 2.0, 3.0]),
        lambda lib: lib.as_strided(lib.randn(3, 3), (2, 2), (1, 1)),
    ]
    for make in cases:
        with pytest.raises(RuntimeError) as want:
            torch.view_as_complex(make(torch))
        with pytest.raises(RuntimeError) as got:
            ab.view_as_complex(make(ab))
        key = str(want.value).split("(")[0].strip()
        assert key in str(got.value)


def test_gradients_are_torch_s():
    w0 = RNG.standard_normal((4, 2))
    w, tw = ab.tensor(w0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    (ab.view_as_real(ab.view_as_complex(w) ** 2) * ab.tensor(w0)).sum().backward()
    (torch.view_as_real(torch.view_as_complex(tw) ** 2) * torch.tensor(w0)).sum().backward()
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_view_copy_functions_take_out_as_torch():
    a0 = RNG.standard_normal((2, 2))
    out, tout = ab.empty(2), torch.empty(2, dtype=torch.float64)
    assert ab.diagonal_copy(ab.tensor(a0), out=out) is out
    torch.diagonal_copy(torch.tensor(a0), out=tout)
    np.testing.assert_array_equal(out.numpy(), tout.numpy())
    b0 = RNG.standard_normal(4)
    outs, touts = (
        (ab.empty(2), ab.empty(2)),
        (torch.empty(2, dtype=torch.float64), torch.empty(2, dtype=torch.float64)),
    )
    ab.split_copy(ab.tensor(b0), 2, out=outs)
    torch.split_copy(torch.tensor(b0), 2, out=touts)
    for o, t in zip(outs, touts):
        np.testing.assert_array_equal(o.numpy(), t.numpy())
    empty, tempty = ab.empty(0), torch.empty(0, dtype=torch.float64)
    ab.t_copy(ab.tensor(a0), out=empty)
    torch.t_copy(torch.tensor(a0), out=tempty)
    np.testing.assert_array_equal(empty.numpy(), tempty.numpy())
