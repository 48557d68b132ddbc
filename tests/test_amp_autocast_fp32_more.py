"""More of PyTorch's CPU autocast float32 list (prod, trace, quantiles, triangular/Cholesky/LU solves, 3-D and
fractional pools, padding, grid_sample, stft, polar, ...) against torch.autocast("cpu", dtype=torch.float16),
and the neighbours torch leaves in float16. The helpers and the first lists: test_amp_autocast_ops.py."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.nn import functional as F

from .test_amp_autocast_ops import _agrees, _wellposed

torch = pytest.importorskip("torch")
TF = torch.nn.functional

# the flat position, in each 4 x 4 x 4 volume, of the first element of each 2 x 2 x 2 window
_UNPOOL3 = np.array([[[32 * d + 8 * h + 2 * w for w in range(2)] for h in range(2)] for d in range(2)])
_UNPOOL3 = np.broadcast_to(_UNPOOL3, (1, 2, 2, 2, 2)).copy()
_UNPOOL2 = np.broadcast_to(np.array([[0, 2], [8, 10]]), (1, 2, 2, 2)).copy()


def _lib(x):
    """The library a leaf belongs to (a case is written once, for both)."""
    return torch if isinstance(x, torch.Tensor) else autobp


def _nn(x):
    return TF if isinstance(x, torch.Tensor) else F


def _index(x, idx):
    return torch.from_numpy(idx) if isinstance(x, torch.Tensor) else idx


def _case(shapes, call):
    """(shapes, torch fn, autobp fn) from one ``call(*leaves)`` that picks the library from its leaves."""
    return shapes, call, call


def _lu_factors(a):
    """The LU factors of a well-posed matrix from ``a``, at least float32: torch.linalg.lu_factor is not on
    the autocast list and refuses float16, and torch.lu and torch.lu_solve warn once per process (which
    another test awaits: verified by hand that under autocast they give these float32 results)."""
    m = _wellposed(_lib(a), a)
    if isinstance(m, torch.Tensor):
        return torch.linalg.lu_factor(m.float() if m.dtype == torch.float16 else m)
    return autobp.linalg.lu_factor(m.astype(np.float32) if m.dtype == np.float16 else m)


_V3 = (1, 2, 4, 4, 4)
FP32 = {
    "prod": _case([(3, 4)], lambda x: _lib(x).prod(x)),
    "prod_dim": _case([(3, 4)], lambda x: x.prod(1)),
    "trace": _case([(4, 4)], lambda x: _lib(x).trace(x)),
    "trace_method": _case([(3, 5)], lambda x: x.trace()),
    "quantile": (
        [(3, 5)],
        lambda x: torch.quantile(x, 0.3, dim=1),
        lambda x: autobp.quantile(x, 0.3, axis=1),
    ),
    "quantile_tensor_q": (
        [(3, 5)],
        lambda x: torch.quantile(x, torch.tensor([0.25, 0.5], dtype=x.dtype)),
        lambda x: autobp.quantile(x, autobp.tensor(np.array([0.25, 0.5], dtype=x.dtype))),
    ),
    "nanquantile": (
        [(3, 5)],
        lambda x: torch.nanquantile(x, 0.7, dim=0),
        lambda x: autobp.nanquantile(x, 0.7, axis=0),
    ),
    "triangular_solve": _case(
        [(4, 2), (4, 4)], lambda b, a: _lib(a).triangular_solve(b, _wellposed(_lib(a), a))[0]
    ),
    "triangular_solve_lower": _case(
        [(4, 3), (4, 4)],
        lambda b, a: _lib(a).triangular_solve(b, _wellposed(_lib(a), a), upper=False, transpose=True)[0],
    ),
    "max_pool3d": _case([_V3], lambda x: _nn(x).max_pool3d(x, 2)),
    "avg_pool3d": _case([_V3], lambda x: _nn(x).avg_pool3d(x, 2, stride=1)),
    "adaptive_avg_pool3d": _case([_V3], lambda x: _nn(x).adaptive_avg_pool3d(x, 3)),
    "adaptive_max_pool3d": _case([_V3], lambda x: _nn(x).adaptive_max_pool3d(x, 2, return_indices=True)[0]),
    "lp_pool3d": _case([_V3], lambda x: _nn(x).lp_pool3d(x, 2, 2)),
    "fractional_max_pool2d": _case(
        [(1, 2, 5, 5)],
        lambda x: _nn(x).fractional_max_pool2d(
            x, 2, output_size=3, _random_samples=_lib(x).full((1, 2, 2), 0.5, dtype=x.dtype)
        ),
    ),
    "fractional_max_pool3d": _case(
        [(1, 2, 5, 5, 5)],
        lambda x: _nn(x).fractional_max_pool3d(
            x, 2, output_size=3, _random_samples=_lib(x).full((1, 2, 3), 0.5, dtype=x.dtype)
        ),
    ),
    "max_unpool2d": _case([(1, 2, 2, 2)], lambda x: _nn(x).max_unpool2d(x, _index(x, _UNPOOL2), 2)),
    "max_unpool3d": _case([(1, 2, 2, 2, 2)], lambda x: _nn(x).max_unpool3d(x, _index(x, _UNPOOL3), 2)),
    "pad_reflect_1d": _case([(1, 2, 6)], lambda x: _nn(x).pad(x, (2, 1), mode="reflect")),
    "pad_reflect_2d": _case([(1, 2, 4, 4)], lambda x: _nn(x).pad(x, (1, 1, 2, 0), mode="reflect")),
    "pad_reflect_2d_unbatched": _case([(2, 6)], lambda x: _nn(x).pad(x, (1, 3), mode="reflect")),
    "pad_replicate_1d": _case([(1, 2, 6)], lambda x: _nn(x).pad(x, (0, 3), mode="replicate")),
    "pad_replicate_2d": _case([(1, 2, 4, 4)], lambda x: _nn(x).pad(x, (1, 2, 1, 0), mode="replicate")),
    "pad_replicate_3d": _case([(1, 2, 3, 3, 3)], lambda x: _nn(x).pad(x, (1,) * 6, mode="replicate")),
    "ReflectionPad2d": (
        [(1, 2, 4, 4)],
        lambda x: torch.nn.ReflectionPad2d(1)(x),
        lambda x: autobp.nn.ReflectionPad2d(1)(x),
    ),
    "ReplicationPad3d": (
        [(1, 2, 3, 3, 3)],
        lambda x: torch.nn.ReplicationPad3d((1, 0, 0, 1, 1, 0))(x),
        lambda x: autobp.nn.ReplicationPad3d((1, 0, 0, 1, 1, 0))(x),
    ),
    "grid_sample": _case(
        [(1, 2, 4, 4), (1, 3, 3, 2)], lambda x, g: _nn(x).grid_sample(x, g.tanh(), align_corners=False)
    ),
    "grid_sample_3d_border": _case(
        [(1, 2, 3, 3, 3), (1, 2, 2, 2, 3)],
        lambda x, g: _nn(x).grid_sample(x, g.tanh() * 1.2, padding_mode="border", align_corners=True),
    ),
    "stft": _case([(64,)], lambda v: abs(_lib(v).stft(v, 16, return_complex=True))),
    "stft_window": _case(
        [(2, 48)],
        lambda v: abs(
            _lib(v).stft(v, 16, 4, window=_lib(v).hann_window(16, dtype=v.dtype), return_complex=True)
        ),
    ),
    "stft_real_layout": _case([(40,)], lambda v: _lib(v).stft(v, 8, center=False, return_complex=False)),
    "pinverse": _case([(4, 3)], lambda a: _lib(a).pinverse(a)),
    "cholesky_solve": _case(
        [(4, 2), (4, 4)], lambda b, a: _lib(a).cholesky_solve(b, _lib(a).tril(_wellposed(_lib(a), a)))
    ),
    "cholesky_inverse": _case(
        [(4, 4)], lambda a: _lib(a).cholesky_inverse(_lib(a).tril(_wellposed(_lib(a), a)))
    ),
    "linalg.cholesky_ex": _case([(4, 4)], lambda a: _lib(a).linalg.cholesky_ex(_wellposed(_lib(a), a))[0]),
    "polar": _case([(3,), (3,)], lambda r, t: _lib(r).view_as_real(_lib(r).polar(r.abs() + 0.5, t))),
    "lu_solve": (  # torch's side spelled as what torch.lu_solve runs (b in float32), which warns once
        [(4, 2), (4, 4)],
        lambda b, a: torch.linalg.lu_solve(*_lu_factors(a), b.float() if b.dtype == torch.float16 else b),
        lambda b, a: autobp.lu_solve(b, *_lu_factors(a)),
    ),
    "ormqr": _case(
        [(4, 3), (4, 2)], lambda a, c: _lib(a).ormqr(*_lib(a).geqrf(a.detach()), c, transpose=True)
    ),
    "view_as_complex": _case([(3, 2)], lambda x: abs(_lib(x).view_as_complex(x * 2))),
}

# PyTorch's neighbours that its CPU autocast leaves in float16
NOT_CAST = {
    "max_pool3d_with_indices": _case([_V3], lambda x: _nn(x).max_pool3d(x, 2, return_indices=True)[0]),
    "max_pool2d": _case([(1, 2, 4, 4)], lambda x: _nn(x).max_pool2d(x, 2)),
    "adaptive_avg_pool2d": _case([(1, 2, 4, 4)], lambda x: _nn(x).adaptive_avg_pool2d(x, 3)),
    "pad_reflect_3d": _case([(1, 2, 3, 3, 3)], lambda x: _nn(x).pad(x, (1,) * 6, mode="reflect")),
    "pad_constant": _case([(1, 2, 4, 4)], lambda x: _nn(x).pad(x, (1, 2, 0, 1), value=0.5)),
    "pad_circular": _case([(1, 2, 4, 4)], lambda x: _nn(x).pad(x, (1, 1, 1, 1), mode="circular")),
}


@pytest.mark.parametrize("name", sorted(FP32))
def test_fp32_op_runs_float16_inputs_in_float32(name):
    _agrees(FP32[name], np.float16, np.float32)


@pytest.mark.parametrize("name", sorted(FP32))
def test_fp32_op_keeps_float32_and_float64(name):
    for dtype in (np.float32, np.float64):
        _agrees(FP32[name], dtype, dtype)


@pytest.mark.parametrize("name", sorted(NOT_CAST))
def test_neighbours_torch_leaves_alone_stay_float16(name):
    _agrees(NOT_CAST[name], np.float16, np.float16)


def test_prod_keeps_an_explicit_dtype_as_torchs():
    x = np.array([1.5, -2.0, 3.0], np.float16)
    with torch.autocast("cpu", dtype=torch.float16):
        theirs = torch.prod(torch.tensor(x), dtype=torch.float16)
    with autobp.autocast("cpu", dtype=autobp.float16):
        ours = autobp.prod(autobp.tensor(x), dtype=autobp.float16)
    assert ours.dtype == np.float16 and theirs.dtype == torch.float16 and float(ours) == float(theirs)


def test_outside_a_region_the_ops_keep_float16():
    x = autobp.tensor(np.ones((1, 2, 4, 4, 4), np.float16))
    assert autobp.prod(x).dtype == np.float16 and F.avg_pool3d(x, 2).dtype == np.float16
    assert F.pad(x[0], (1, 1, 1, 1), mode="replicate").dtype == np.float16


def test_lu_runs_in_float32_as_torchs():
    """torch.lu of float16 under autocast gives float32 (its _lu_with_info is on the list): the float32
    factors of the same numbers, which torch.linalg.lu_factor gives (torch.lu warns once per process)."""
    a = np.random.default_rng(4).standard_normal((4, 4)).astype(np.float16)
    theirs = torch.linalg.lu_factor(torch.tensor(a, dtype=torch.float32))
    with autobp.autocast("cpu", dtype=autobp.float16):
        ours = autobp.lu(autobp.tensor(a), get_infos=True)
    assert ours[0].dtype == np.float32 and len(ours) == 3
    np.testing.assert_allclose(ours[0].numpy(), theirs[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())


def test_geqrf_runs_in_float32_without_a_gradient_as_torchs():
    a = np.random.default_rng(3).standard_normal((4, 3)).astype(np.float16)
    with torch.autocast("cpu", dtype=torch.float16):
        theirs = torch.geqrf(torch.tensor(a))
    with autobp.autocast("cpu", dtype=autobp.float16):
        ours = autobp.geqrf(autobp.tensor(a))
    for o, t in zip(ours, theirs):
        assert o.dtype == np.float32 and t.dtype == torch.float32
        np.testing.assert_allclose(np.abs(o.numpy()), np.abs(t.numpy()), rtol=1e-4, atol=1e-5)
