"""addcmul/addcdiv, adjoint, the unsafe splits, constant_pad_nd, convolution, native_layer_norm and
native_dropout, norm_except_dim, lu/lu_solve, orgqr and the recorded settings, against PyTorch."""

import numpy as np
import pytest

import autobp

from .torch_compare import compare

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:.*(deprecated|lu_solve|torch.lu):UserWarning")

R = np.random.default_rng(0)


def rn(*shape):
    return R.standard_normal(shape)


CASES = [
    ("addcmul", (rn(3, 1), rn(3, 4), rn(4)), dict(value=0.5)),
    ("addcdiv", (rn(3, 4), rn(3, 4), R.uniform(0.5, 2, (3, 4))), dict(value=-2.0)),
    ("adjoint", (rn(2, 3, 4),), {}),
    ("as_strided_copy", (rn(4, 3), (2, 2), (3, 2), 1), {}),
    ("narrow_copy", (rn(4, 5), 1, 1, 3), {}),
    ("unsafe_chunk", (rn(7, 2), 3), {}),
    ("unsafe_split", (rn(2, 7), 3, 1), {}),
    ("unsafe_split_with_sizes", (rn(6, 2), [1, 5]), {}),
    ("constant_pad_nd", (rn(2, 3, 4), [1, 2, 0, 1], 1.5), {}),
    ("constant_pad_nd", (rn(3, 4), [-1, 2]), {}),
    ("convolution", (rn(1, 2, 6), rn(3, 2, 3), rn(3), [2], [1], [1], False, [0], 1), {}),
    ("convolution", (rn(1, 2, 3, 3), rn(2, 2, 2, 2), None, [2, 2], [0, 0], [1, 1], True, [1, 1], 1), {}),
    ("native_layer_norm", (rn(2, 3, 4), [4], rn(4), rn(4), 1e-5), {}),
    ("norm_except_dim", (rn(3, 4, 2),), {}),
    ("norm_except_dim", (rn(3, 4, 2), 2, 1), {}),
    ("norm_except_dim", (rn(3, 4), 2, -1), {}),
    ("orgqr", *(lambda qr: ((qr[0], qr[1]), {}))(torch.geqrf(torch.tensor(rn(5, 3))))),
]
CASES[-1] = ("orgqr", (CASES[-1][1][0].numpy(), CASES[-1][1][1].numpy()), {})


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_torch(name, args, kwargs):
    compare(
        lambda *a: getattr(autobp, name)(*a, **kwargs),
        lambda *a: getattr(torch, name)(*a, **kwargs),
        *args,
        rtol=1e-8,
    )


def test_lu_and_lu_solve_match_torch():
    a, b = rn(2, 4, 4), rn(2, 4, 3)
    LU, piv = autobp.lu(autobp.tensor(a))
    tLU, tpiv = torch.lu(torch.tensor(a))
    np.testing.assert_allclose(LU.data, tLU.numpy(), atol=1e-12)
    np.testing.assert_array_equal(np.asarray(piv.data), tpiv.numpy())
    piv = np.asarray(piv.data)
    assert len(autobp.lu(a, get_infos=True)) == 3
    compare(
        lambda b, lu: autobp.lu_solve(b, lu, piv),
        lambda b, lu: torch.lu_solve(b, lu, tpiv),
        b, np.array(LU.data),
    )  # fmt: skip


def test_native_dropout_returns_the_mask():
    autobp.manual_seed(0)
    out, mask = autobp.native_dropout(autobp.ones((50, 40)), 0.25, True)
    assert mask.dtype == np.bool_ and abs(mask.data.mean() - 0.75) < 0.03
    np.testing.assert_allclose(out.data, mask.data / 0.75)
    out, mask = autobp.native_dropout(autobp.ones(5), 0.25, False)
    assert mask.data.all() and np.all(out.data == 1)


def test_settings_are_recorded_and_checked():
    assert autobp.get_float32_matmul_precision() == torch.get_float32_matmul_precision() == "highest"
    try:
        autobp.set_float32_matmul_precision("medium")
        assert autobp.get_float32_matmul_precision() == "medium"
        with pytest.raises(ValueError, match="highest"):
            autobp.set_float32_matmul_precision("low")
        autobp.set_warn_always(True)
        assert autobp.is_warn_always_enabled()
        autobp.set_deterministic_debug_mode("warn")
        assert autobp.get_deterministic_debug_mode() == 1
        with pytest.raises(ValueError, match="debug"):
            autobp.set_deterministic_debug_mode(5)
    finally:
        autobp.set_float32_matmul_precision("highest")
        autobp.set_warn_always(False)
        autobp.set_deterministic_debug_mode(0)
    assert autobp.set_flush_denormal(True) is False


def test_errors():
    with pytest.raises(ValueError, match="adjoint"):
        autobp.adjoint(autobp.zeros(3))
    with pytest.raises(ValueError, match="convolution"):
        autobp.convolution(autobp.zeros((1, 1)), autobp.zeros((1, 1)), None, [1], [0], [1], False, [0], 1)
    with pytest.raises(TypeError, match="integer division"):
        autobp.addcdiv(autobp.zeros(2), autobp.tensor([1, 2]), autobp.tensor([1, 2]))


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod"])
@pytest.mark.parametrize("initial", [None, 2.0])
def test_segment_reduce_matches_torch_with_empty_segments_and_ties(reduce, initial):
    data = np.array([1.0, 3, 3, 2, 5, 0.5])
    lengths = np.array([3, 0, 2, 1])
    w = np.arange(1.0, 5)
    d = autobp.tensor(data, requires_grad=True)
    out = autobp.segment_reduce(d, reduce, lengths=lengths, initial=initial)
    td = torch.tensor(data, requires_grad=True)
    tout = torch.segment_reduce(td, reduce, lengths=torch.tensor(lengths), initial=initial)
    np.testing.assert_allclose(out.data, tout.detach().numpy())
    keep = np.isfinite(out.data)
    (out[keep] * w[keep]).sum().backward()
    (tout[torch.tensor(keep)] * torch.tensor(w[keep])).sum().backward()
    np.testing.assert_allclose(d.grad, td.grad.numpy())


def test_segment_reduce_2d_and_offsets():
    data = rn(6, 3)
    compare(
        lambda x: autobp.segment_reduce(x, "mean", offsets=np.array([0, 2, 6])),
        lambda x: torch.segment_reduce(x, "mean", offsets=torch.tensor([0, 2, 6])),
        data,
    )
    with pytest.raises(ValueError, match="sum to"):
        autobp.segment_reduce(autobp.zeros(3), "sum", lengths=[1, 1])
    with pytest.raises(ValueError, match="exactly one"):
        autobp.segment_reduce(autobp.zeros(3), "sum")


@pytest.mark.parametrize(("size", "fill"), [(5, -1), (2, 7), (0, -1)])
def test_nonzero_static_matches_torch(size, fill):
    x = np.array([[0, 1, 0], [2, 0, 3]])
    got = autobp.nonzero_static(x, size=size, fill_value=fill)
    want = torch.nonzero_static(torch.tensor(x), size=size, fill_value=fill)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.data, want.numpy())


def test_frombuffer_from_dlpack_and_get_device():
    buf = bytearray(np.array([1, 2, 3], np.int32).tobytes())
    got = autobp.frombuffer(buf, dtype=autobp.int32, count=2, offset=4)
    np.testing.assert_array_equal(
        got.data, torch.frombuffer(buf, dtype=torch.int32, count=2, offset=4).numpy()
    )
    buf[4] = 9  # shares the buffer's memory, as PyTorch's does
    assert got.data[0] == 9
    t = torch.arange(4.0)
    d = autobp.from_dlpack(t)
    assert d.dtype == np.float32
    np.testing.assert_array_equal(d.data, t.numpy())
    assert autobp.get_device(autobp.zeros(2)) == torch.get_device(torch.zeros(2)) == -1
