"""Reductions, scans and creation ops against PyTorch (found by running PyTorch's test_reductions.py,
test_tensor_creation_ops.py, test_type_promotion.py and test_binary_ufuncs.py against autobp)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

_DT = {
    "uint8": (np.uint8, torch.uint8),
    "int8": (np.int8, torch.int8),
    "int16": (np.int16, torch.int16),
    "int32": (np.int32, torch.int32),
    "int64": (np.int64, torch.int64),
    "float32": (np.float32, torch.float32),
    "float64": (np.float64, torch.float64),
    "bool": (np.bool_, torch.bool),
}
_EXAMPLE = [[255, 2, 1], [5, 3, 6]]


@pytest.fixture
def torch_float64():
    """PyTorch with autobp's default dtype (float64), restored afterwards."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def _same(ours, theirs) -> None:
    ours = np.asarray(ours.detach().numpy())
    theirs = theirs.detach().numpy()
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64), rtol=1e-6)


@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "cumsum", "cumprod"])
@pytest.mark.parametrize("src", ["uint8", "int16", "int32", "int64", "float32"])
@pytest.mark.parametrize("dst", ["uint8", "int8", "int32", "float32", "float64"])
def test_reduction_dtype_is_the_result_dtype(name, src, dst):
    # dtype= accumulates in that dtype (wrapping as it does): numpy's sum widened small integers anyway
    x = autobp.tensor(_EXAMPLE).astype(_DT[src][0])
    tx = torch.tensor(_EXAMPLE).to(_DT[src][1])
    axes = [0, 1] if name.startswith("cum") else [None, 0, 1]
    for axis in axes:
        args = () if axis is None else (axis,)
        ours = getattr(autobp, name)(x, *args, dtype=_DT[dst][0])
        theirs = getattr(torch, name)(tx, *args, dtype=_DT[dst][1])
        _same(ours, theirs)


@pytest.mark.parametrize("name", ["sum", "prod", "nansum"])
def test_reduction_to_bool(name):
    x = autobp.tensor([[0, 2, 1], [5, 3, 6]]).astype(np.uint8)
    tx = torch.tensor([[0, 2, 1], [5, 3, 6]], dtype=torch.uint8)
    for args in [(), (0,), (1,)]:
        ours = getattr(autobp, name)(x, *args, dtype=np.bool_)
        _same(ours, getattr(torch, name)(tx, *args, dtype=torch.bool))


def test_prod_bool_input_with_bool_dtype():
    for vals in ([True, True], [True, False], [], [False] * 256):
        ours = autobp.prod(autobp.tensor(vals, dtype=np.bool_), dtype=np.bool_)
        _same(ours, torch.prod(torch.tensor(vals, dtype=torch.bool), dtype=torch.bool))


def test_sum_dtype_gradient_comes_back_in_the_input_dtype():
    for name in ("sum", "prod", "cumsum", "cumprod"):
        x = autobp.tensor(np.arange(1.0, 10.0).reshape(3, 3), dtype=np.float32, requires_grad=True)
        tx = torch.tensor(np.arange(1.0, 10.0).reshape(3, 3), dtype=torch.float32, requires_grad=True)
        getattr(autobp, name)(x, 0, dtype=np.float64).sum().backward()
        getattr(torch, name)(tx, 0, dtype=torch.float64).sum().backward()
        assert np.asarray(x.grad).dtype == np.float32
        np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("src", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_logsumexp_of_integers_is_float64(src, torch_float64):
    data = [[1, 0, 1], [0, 1, 1]]
    x = autobp.tensor(data).astype(_DT[src][0])
    tx = torch.tensor(data).to(_DT[src][1])
    for dim in (0, 1, (0, 1)):
        _same(autobp.logsumexp(x, dim=dim), torch.logsumexp(tx, dim=dim))


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_quantile_gradient_with_nan(name, method):
    # a slice holding a NaN has quantile NaN; PyTorch sends its gradient to the NaN (sorted last)
    nan = float("nan")
    for data in ([1.0, nan, 2.0], [[nan, 3.0, 1.0, nan], [1.0, 2.0, 3.0, 4.0]]):
        for q in (0.5, [0.1, 0.9]):
            x = autobp.tensor(data, requires_grad=True)
            tx = torch.tensor(data, dtype=torch.float64, requires_grad=True)
            ours = getattr(autobp, name)(x, autobp.tensor(q), -1, interpolation=method)
            theirs = getattr(torch, name)(tx, torch.tensor(q, dtype=torch.float64), -1, interpolation=method)
            np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy())
            ours.sum().backward()
            theirs.sum().backward()
            np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_range_from_data_when_min_equals_max(dtype):
    cases = [([1.0, 2, 1], 4, 5, 5), ([3.0, 3], 4, 2, 2), ([2.0, 5], 100, 0, 0), ([1.0, 2, 1], 4, 0, 3)]
    for data, bins, lo, hi in cases:
        ours = autobp.histc(autobp.tensor(data, dtype=_DT[dtype][0]), bins=bins, min=lo, max=hi)
        _same(ours, torch.histc(torch.tensor(data, dtype=_DT[dtype][1]), bins=bins, min=lo, max=hi))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_at_the_dtype_extremes_counts_every_value(dtype):
    for v in (np.finfo(_DT[dtype][0]).min, np.finfo(_DT[dtype][0]).max):
        ours = autobp.histc(autobp.tensor([v, v, v], dtype=_DT[dtype][0]), bins=4)
        theirs = torch.histc(torch.tensor([v, v, v], dtype=_DT[dtype][1]), bins=4)
        assert float(ours.sum().item()) == float(theirs.sum().item()) == 3.0


def test_histc_refuses_a_range_that_is_not_finite():
    for data in ([float("inf")], [1.0, float("-inf")], [float("nan")]):
        with pytest.raises(RuntimeError):
            torch.histc(torch.tensor(data))
        with pytest.raises(ValueError, match="not finite"):
            autobp.histc(autobp.tensor(data))


def test_mode_of_booleans():
    for shape in [(10, 10), (4, 2048), (1, 7)]:
        for start in ((shape[1] - 1) // 2, shape[1] // 2 + 1, 0, shape[1]):
            a = np.zeros(shape, dtype=bool)
            a[:, start:] = True
            ours = autobp.mode(autobp.tensor(a), -1)
            theirs = torch.mode(torch.tensor(a), -1)
            _same(ours.values, theirs.values)
            # which occurrence is not specified (torch's differs with the size): the index must hold it
            held = np.take_along_axis(a, np.asarray(ours.indices.numpy())[:, None], axis=1)[:, 0]
            np.testing.assert_array_equal(held, theirs.values.numpy())
            assert ours.indices.dtype == np.int64


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_extreme_over_a_nonempty_axis_of_an_empty_tensor(name):
    x, tx = autobp.zeros((2, 0, 4)), torch.zeros((2, 0, 4))
    for dim in (0, 2, -1):
        for keepdim in (False, True):
            _same(
                getattr(autobp, name)(x, dim=dim, keepdim=keepdim),
                getattr(torch, name)(tx, dim=dim, keepdim=keepdim),
            )
    for call in (lambda f, t: f(t, dim=1), lambda f, t: f(t)):
        with pytest.raises(IndexError):
            call(getattr(torch, name), tx)
        with pytest.raises(IndexError):  # numpy's ValueError too
            call(getattr(autobp, name), x)
        with pytest.raises(ValueError):
            call(getattr(autobp, name), x)


@pytest.mark.parametrize("name", ["amax", "amin", "max", "min"])
def test_extreme_over_an_empty_axis_raises_pytorchs_index_error(name):
    with pytest.raises(IndexError):
        getattr(torch, "a" + name.lstrip("a"))(torch.zeros((2, 0, 4)), dim=1)
    with pytest.raises(IndexError, match="empty axis 1"):
        getattr(autobp, name)(autobp.zeros((2, 0, 4)), dim=1)


def test_out_that_cannot_take_the_result_raises_runtime_error():
    # PyTorch raises RuntimeError for an out= whose dtype cannot hold the result (numpy: a TypeError)
    cases = [
        (lambda m, o, d: m.add(m.ones(4, dtype=d["float32"]), 1.0, out=o)),
        (lambda m, o, d: m.abs(m.ones(4, dtype=d["complex128"]), out=o)),
        (lambda m, o, d: m.true_divide(m.ones(4, dtype=d["int64"]), 2, out=o)),
    ]
    ours = {"float32": np.float32, "complex128": np.complex128, "int64": np.int64}
    theirs = {"float32": torch.float32, "complex128": torch.complex128, "int64": torch.int64}
    for call in cases:
        with pytest.raises(RuntimeError):
            call(torch, torch.empty(4, dtype=torch.int64), theirs)
        with pytest.raises(RuntimeError, match="out="):
            call(autobp, autobp.zeros(4, dtype=np.int64), ours)
        with pytest.raises(TypeError):
            call(autobp, autobp.zeros(4, dtype=np.int64), ours)


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_a_tensor_second_argument_is_elementwise(name):
    a, b = [1.0, 5.0, 3.0, float("nan")], [3.0, 2.0, 3.0, 0.0]
    x, y = autobp.tensor(a, requires_grad=True), autobp.tensor(b, requires_grad=True)
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    for ours, theirs in (
        (getattr(autobp, name)(x, y), getattr(torch, name)(tx, ty)),
        (getattr(x, name)(y), getattr(tx, name)(ty)),
    ):
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    getattr(autobp, name)(x, y).sum().backward()
    getattr(torch, name)(tx, ty).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad)[:3], tx.grad.numpy()[:3])  # ties split equally, as torch
    np.testing.assert_allclose(np.asarray(y.grad)[:3], ty.grad.numpy()[:3])
    i = autobp.tensor([[1, 7], [4, 2]])
    _same(
        getattr(autobp, name)(i, autobp.tensor(3)),
        getattr(torch, name)(torch.tensor([[1, 7], [4, 2]]), torch.tensor(3)),
    )
    assert getattr(autobp, name)(autobp.tensor([[1.0, 2.0], [3.0, 4.0]]), 1).shape == (2,)  # an int: the axis


def test_shapes_that_do_not_broadcast_raise_runtime_error_too():
    calls = [
        lambda m: m.ones((5, 0)) + m.ones((0, 5)),
        lambda m: m.ones(2) * m.ones(3),
        lambda m: m.maximum(m.ones(2), m.ones(3)),
        lambda m: m.ones(2) < m.ones(3),
        lambda m: m.where(m.ones(2) > 0, m.ones(3), m.zeros(3)),
        lambda m: m.atan2(m.ones(2), m.ones(3)),
        lambda m: m.isclose(m.ones(2), m.ones(3)),
        lambda m: m.ones((7, 0)) + m.ones((2, 1)),
    ]
    for call in calls:
        with pytest.raises(RuntimeError):
            call(torch)
        with pytest.raises(RuntimeError, match="broadcast"):  # PyTorch's class
            call(autobp)
        with pytest.raises(ValueError, match="broadcast"):  # numpy's class
            call(autobp)


@pytest.mark.parametrize("name", ["add", "sub"])
@pytest.mark.parametrize("dtype", ["int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("other", [1, 2.5, "tensor"])
def test_add_sub_alpha_keeps_pytorchs_dtype(name, dtype, other, torch_float64):
    x, tx = autobp.ones(3, dtype=_DT[dtype][0]), torch.ones(3, dtype=_DT[dtype][1])
    o, to = (
        (autobp.full((3,), 2, dtype=_DT[dtype][0]), torch.full((3,), 2, dtype=_DT[dtype][1]))
        if other == "tensor"
        else (other, other)
    )
    alpha = 3
    ours = (autobp.add if name == "add" else autobp.subtract)(x, o, alpha=alpha)
    _same(ours, getattr(torch, name)(tx, to, alpha=alpha))


def test_alpha_checks_as_pytorch():
    x, tx = autobp.ones(4, dtype=np.int32), torch.ones(4, dtype=torch.int32)
    for call in (
        lambda m, t: m.add(t, t, alpha=1.1),
        lambda m, t: m.add(
            t.to(m.bool) if m is torch else t.astype(bool),
            t.to(m.bool) if m is torch else t.astype(bool),
            alpha=1.1,
        ),
        lambda m, t: m.add(1, 1, alpha=True),
        lambda m, t: m.add(t, t, alpha=True),
    ):
        with pytest.raises(RuntimeError):
            call(torch, tx)
        with pytest.raises(RuntimeError, match="alpha"):
            call(autobp, x)
    b = autobp.ones(2, dtype=bool)
    _same(
        autobp.add(b, b, alpha=True),
        torch.add(torch.ones(2, dtype=torch.bool), torch.ones(2, dtype=torch.bool), alpha=True),
    )


def test_sum_and_prod_write_into_an_empty_out_tensor():
    data = np.arange(1.0, 13.0).reshape(3, 4) / 7
    for name, dim in (("sum", 1), ("sum", (0, 1)), ("prod", 1)):
        ours, theirs = autobp.tensor([]), torch.tensor([], dtype=torch.float64)
        returned = getattr(autobp, name)(autobp.tensor(data), dim, out=ours)
        getattr(torch, name)(torch.tensor(data), dim, out=theirs)
        assert returned is ours
        _same(ours, theirs)
    o = autobp.zeros(4)
    autobp.sum(autobp.tensor(data), 0, out=o)  # an out of the result's shape: written in place
    np.testing.assert_allclose(o.numpy(), data.sum(0))
    with pytest.raises(ValueError, match="out= has shape"):  # a wrong non-empty shape: numpy's refusal
        autobp.sum(autobp.tensor(data), 0, out=autobp.zeros(3))


def test_logsumexp_writes_into_out_view():
    a = np.random.default_rng(0).standard_normal((5, 4))
    b, tb = autobp.zeros((5, 2)), torch.zeros(5, 2, dtype=torch.float64)
    autobp.logsumexp(autobp.tensor(a), 1, out=b[:, 0])
    torch.logsumexp(torch.tensor(a), 1, out=tb[:, 0])
    _same(b, tb)
