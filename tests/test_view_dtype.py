"""Tensor.view(dtype): the same bytes read as another dtype, as torch.Tensor.view(dtype) (and numpy's
ndarray.view): values, shapes when the element size changes, no gradient, refusals; view(*shape) still
reshapes."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

PAIRS = [
    (np.float32, torch.float32, np.int32, torch.int32),
    (np.float32, torch.float32, np.float16, torch.float16),
    (np.float32, torch.float32, np.float64, torch.float64),
    (np.float64, torch.float64, np.int64, torch.int64),
    (np.int32, torch.int32, np.uint8, torch.uint8),
    (np.int16, torch.int16, np.float16, torch.float16),
]


@pytest.mark.parametrize("src,tsrc,dst,tdst", PAIRS)
def test_view_dtype_matches_torch(src, tsrc, dst, tdst):
    rng = np.random.default_rng(0)
    data = (rng.standard_normal((3, 4)) * 100).astype(src)
    want = torch.tensor(data, dtype=tsrc).view(tdst)
    got = autobp.Tensor(data).view(dst)
    assert got.shape == tuple(want.shape)
    assert got.dtype == np.dtype(dst)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_view_dtype_has_no_gradient():
    x = autobp.Tensor(np.ones((2, 4), dtype=np.float32), requires_grad=True)
    t = torch.ones((2, 4), dtype=torch.float32, requires_grad=True)
    assert x.view(np.float32).requires_grad == t.view(torch.float32).requires_grad
    assert x.view(np.int32).requires_grad == t.view(torch.int32).requires_grad


def test_view_dtype_0d_same_size_keeps_shape():
    want = torch.tensor(1.0).view(torch.int32)
    got = autobp.Tensor(np.float32(1.0)).view(np.int32)
    assert got.shape == () and int(got.numpy()) == int(want)


@pytest.mark.parametrize(
    "shape,src,dst,tsrc,tdst",
    [
        ((), np.float32, np.float16, torch.float32, torch.float16),
        ((3, 3), np.float32, np.float64, torch.float32, torch.float64),
    ],
)
def test_view_dtype_refusals_as_torch(shape, src, dst, tsrc, tdst):
    with pytest.raises(RuntimeError):
        torch.zeros(shape, dtype=tsrc).view(tdst)
    with pytest.raises(RuntimeError, match="view"):
        autobp.Tensor(np.zeros(shape, dtype=src)).view(dst)
    with pytest.raises(ValueError):  # numpy's refusal type too
        autobp.Tensor(np.zeros(shape, dtype=src)).view(dst)


def test_view_shape_still_reshapes():
    x = autobp.Tensor(np.arange(12.0))
    assert x.view(3, 4).shape == (3, 4)
    assert x.view((2, 6)).shape == (2, 6)
    assert x.view(-1).shape == (12,)
    assert x.view([4, 3]).shape == (4, 3)


def test_errors_of_a_view_to_another_element_size_say_what_torch_says():
    cases = [
        lambda lib, c128: lib.ones((4, 4, 3), dtype=lib.float64).view(c128),
        lambda lib, c128: lib.ones((4, 4, 4), dtype=lib.float64)[:, :, 1:3].view(c128),
        lambda lib, c128: lib.ones((4, 64, 4), dtype=lib.float64).swapaxes(1, 2).view(lib.uint8),
        lambda lib, c128: lib.tensor(1.0).view(lib.int8),
    ]
    for case in cases:
        with pytest.raises(RuntimeError) as want:
            case(torch, torch.complex128)
        with pytest.raises(RuntimeError) as got:
            case(autobp, autobp.complex128)
        assert str(want.value).split(" to view ")[0] in str(got.value)
