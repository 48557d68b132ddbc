"""The Tensor methods of the new top-level functions (t.stft, t.select_scatter, t.index_reduce_,
t.igamma_, ...) give what the functions give, and what PyTorch's methods give."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:(index_reduce|torch.triangular_solve):UserWarning")

R = np.random.default_rng(0)


def _pair(a):
    return autobp.tensor(a.copy()), torch.tensor(a.copy())


CALLS = [
    ("prelu", lambda lib, x: (x.reshape(2, 3), lib.tensor(np.array([0.1, 0.2, 0.3]))), ()),
    ("hardshrink", lambda lib, x: (x, 0.3), ()),
    ("select_scatter", lambda lib, x: (x.reshape(2, 3), lib.tensor(np.ones(3)), 0, 1), ()),
    ("slice_scatter", lambda lib, x: (x.reshape(2, 3), lib.tensor(np.ones((2, 1))), 1, 0, 1), ()),
    ("diagonal_scatter", lambda lib, x: (x.reshape(2, 3), lib.tensor(np.ones(2))), ()),
    ("as_strided", lambda lib, x: (x, (2, 2), (1, 2)), ()),
    ("as_strided_scatter", lambda lib, x: (x, lib.tensor(np.ones(2)), (2,), (3,)), ()),
    ("igamma", lambda lib, x: (x.abs() + 0.5, lib.tensor(np.full(6, 1.3))), ()),
    ("igammac", lambda lib, x: (x.abs() + 0.5, lib.tensor(np.full(6, 1.3))), ()),
]


@pytest.mark.parametrize(("name", "make", "_"), CALLS, ids=[c[0] for c in CALLS])
def test_method_matches_function_and_torch(name, make, _):
    x = R.standard_normal(6)
    a, t = _pair(x)
    args_a, args_t = make(autobp, a), make(torch, t)
    got = getattr(args_a[0], name)(*args_a[1:])
    np.testing.assert_allclose(got.data, getattr(autobp, name)(*args_a).data)
    np.testing.assert_allclose(got.data, getattr(args_t[0], name)(*args_t[1:]).numpy(), rtol=1e-12)


def test_stft_istft_and_triangular_solve_methods():
    x = R.standard_normal(32)
    a, t = _pair(x)
    w = np.hanning(8)
    sa = a.stft(8, 2, window=autobp.tensor(w), return_complex=True)
    st = t.stft(8, 2, window=torch.tensor(w), return_complex=True)
    np.testing.assert_allclose(sa.data, st.numpy(), atol=1e-12)
    np.testing.assert_allclose(sa.istft(8, 2, window=autobp.tensor(w), length=32).data, x, atol=1e-12)
    m = np.triu(R.standard_normal((3, 3))) + 3 * np.eye(3)
    b = R.standard_normal((3, 2))
    np.testing.assert_allclose(
        autobp.tensor(b).triangular_solve(autobp.tensor(m)).solution.data,
        torch.tensor(b).triangular_solve(torch.tensor(m)).solution.numpy(),
    )


@pytest.mark.parametrize("reduce", ["prod", "amax"])
def test_index_reduce_methods_in_place_and_not(reduce):
    x, src = R.standard_normal((4, 2)), R.standard_normal((3, 2))
    idx = np.array([0, 3, 0])
    a, t = _pair(x)
    out = a.index_reduce(0, idx, autobp.tensor(src), reduce, include_self=False)
    want = t.index_reduce(0, torch.tensor(idx), torch.tensor(src), reduce, include_self=False)
    np.testing.assert_allclose(out.data, want.numpy())
    assert a.index_reduce_(0, idx, autobp.tensor(src), reduce, include_self=False) is a
    np.testing.assert_allclose(a.data, want.numpy())


def test_igamma_in_place():
    a, t = _pair(np.array([0.5, 1.5, 3.0]))
    assert a.igamma_(autobp.tensor([1.0, 2.0, 0.5])) is a
    t.igamma_(torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64))
    np.testing.assert_allclose(a.data, t.numpy())
    a, t = _pair(np.array([0.5, 1.5, 3.0]))
    a.igammac_(autobp.tensor([1.0, 2.0, 0.5]))
    t.igammac_(torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64))
    np.testing.assert_allclose(a.data, t.numpy())
