"""Pooling fixes found by running PyTorch's test/nn/test_pooling.py against autobp (torch is the
oracle): empty batches, output size 0, max_unpool's output_size/index checks, and PyTorch's refusals."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)


def _raises_like_torch(ours, theirs, kind, match):
    with pytest.raises(kind, match=match):
        theirs()
    with pytest.raises(kind, match=match):
        ours()


@pytest.mark.parametrize(
    "make,shape",
    [
        (lambda m: m.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5)), (0, 4, 10, 8)),
        (lambda m: m.FractionalMaxPool3d(3, output_ratio=(0.5, 0.5, 0.5)), (0, 4, 10, 8, 8)),
        (lambda m: m.AdaptiveMaxPool1d(3), (0, 4, 10)),
        (lambda m: m.AdaptiveMaxPool2d(3), (0, 4, 10, 8)),
        (lambda m: m.AdaptiveAvgPool3d(2), (0, 4, 5, 5, 5)),
        (lambda m: m.MaxPool2d(3, stride=2), (0, 4, 10, 8)),
    ],
)
def test_empty_batch_runs_forward_and_backward_as_torch(make, shape):
    x = autobp.zeros(*shape, requires_grad=True)
    tx = torch.zeros(*shape, dtype=torch.float64, requires_grad=True)
    y, ty = make(nn)(x), make(torch.nn)(tx)
    assert y.shape == tuple(ty.shape)
    y.sum().backward()
    ty.sum().backward()
    assert x.grad.shape == shape and not np.asarray(x.grad).any()


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_of_an_empty_batch_as_torch(nd):
    shape = (0, 3) + (4,) * nd
    out, idx = getattr(F, f"max_pool{nd}d")(autobp.zeros(*shape), 2, return_indices=True)
    tout, tidx = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.zeros(*shape), 2, return_indices=True)
    y = getattr(F, f"max_unpool{nd}d")(out, idx, 2)
    ty = getattr(torch.nn.functional, f"max_unpool{nd}d")(tout, tidx, 2)
    assert y.shape == tuple(ty.shape)


@pytest.mark.parametrize("name", ["adaptive_avg_pool2d", "adaptive_max_pool2d", "adaptive_avg_pool3d"])
def test_adaptive_output_size_zero_forward_as_torch_backward_refused(name):
    a = rng.standard_normal((1, 6, 5, 4, 3) if name.endswith("3d") else (1, 6, 5, 4))
    x, tx = autobp.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = getattr(F, name)(x, 0), getattr(torch.nn.functional, name)(tx, 0)
    assert y.shape == tuple(ty.shape)
    _raises_like_torch(
        lambda: y.sum().backward(),
        lambda: ty.sum().backward(),
        RuntimeError,
        "Expected grad_output to have non-zero size for non-batch dimensions",
    )


@pytest.mark.parametrize("size", [(0, 1), (1, 0)])
def test_fractional_output_size_zero_as_torch(size):
    a = rng.random((2, 3, 8, 8))
    y = nn.FractionalMaxPool2d(2, output_size=size)(autobp.tensor(a))
    ty = torch.nn.FractionalMaxPool2d(2, output_size=size)(torch.tensor(a))
    assert y.shape == tuple(ty.shape)


def test_max_unpool_output_size_accepted_or_refused_as_torch():
    a = rng.random((1, 1, 5, 5))
    out, idx = F.max_pool2d(autobp.tensor(a), 3, 2, return_indices=True)
    tout, tidx = torch.nn.functional.max_pool2d(torch.tensor(a), 3, 2, return_indices=True)
    for h in range(2, 9):
        for w in range(2, 9):
            for size in [(h, w), (1, 1, h, w)]:
                try:
                    ty = torch.nn.functional.max_unpool2d(tout, tidx, 3, 2, output_size=size)
                except (ValueError, RuntimeError) as e:
                    with pytest.raises(type(e)):
                        F.max_unpool2d(out, idx, 3, 2, output_size=size)
                    continue
                y = F.max_unpool2d(out, idx, 3, 2, output_size=size)
                np.testing.assert_array_equal(y.numpy(), ty.numpy())


def test_max_unpool_invalid_index_is_a_runtime_error_as_torch():
    a = rng.random((1, 1, 6, 6))
    a[0, 0, 4, 4] = 100
    out, idx = F.max_pool2d(autobp.tensor(a), 3, 2, return_indices=True)
    tout, tidx = torch.nn.functional.max_pool2d(torch.tensor(a), 3, 2, return_indices=True)
    _raises_like_torch(
        lambda: F.max_unpool2d(out, idx, 3, 2),
        lambda: torch.nn.functional.max_unpool2d(tout, tidx, 3, 2),
        RuntimeError,
        r"Found an invalid max index: 28 \(output volumes are of size 5x5\)",
    )


@pytest.mark.parametrize("op", ["max", "avg"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_pool_argument_refusals_are_runtime_errors_as_torch(op, nd):
    name = f"{op}_pool{nd}d"
    fn, tfn = getattr(F, name), getattr(torch.nn.functional, name)
    shape = [1, 2] + [4] * nd
    x, tx = autobp.ones(*shape), torch.ones(*shape)
    _raises_like_torch(lambda: fn(x, 2, stride=0), lambda: tfn(tx, 2, stride=0), RuntimeError, "stride")
    _raises_like_torch(lambda: fn(x, 6, stride=2), lambda: tfn(tx, 6, stride=2), RuntimeError, "small|size")
    _raises_like_torch(lambda: fn(x, 3, padding=2), lambda: tfn(tx, 3, padding=2), RuntimeError, "half")
    empty = [1, 0] + [4] * nd  # only the batch axis may be empty
    _raises_like_torch(
        lambda: fn(autobp.ones(*empty), 2), lambda: tfn(torch.ones(*empty), 2), RuntimeError, "Expected"
    )


@pytest.mark.parametrize("name", ["AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"])
def test_adaptive_pools_refuse_integers_as_torch(name):
    shape = (4,) * (4 if name.endswith("3d") else 3)
    _raises_like_torch(
        lambda: getattr(nn, name)(2)(autobp.zeros(*shape, dtype=autobp.int32)),
        lambda: getattr(torch.nn, name)(2)(torch.zeros(*shape, dtype=torch.int32)),
        NotImplementedError,
        "not implemented",
    )


def test_fractional_refusals_as_torch():
    a = rng.random((2, 7, 7))
    s = rng.random((1, 2, 2))
    x, tx, ts = autobp.tensor(a), torch.tensor(a), torch.tensor(s)
    for ks in [(), (1,), (1, 1, 1)]:
        _raises_like_torch(
            lambda ks=ks: F.fractional_max_pool2d(x, ks, output_size=(3, 3), _random_samples=s),
            lambda ks=ks: torch.nn.functional.fractional_max_pool2d(
                tx, ks, output_size=(3, 3), _random_samples=ts
            ),
            RuntimeError,
            "kernel_size must either",
        )
    for size, match in [
        ((9, 3), "pool height 2 too large relative to input height"),
        ((3, 9), "pool width 2 too large relative to input width"),
        ((3,), "output_size must either"),
    ]:
        _raises_like_torch(
            lambda o=size: F.fractional_max_pool2d(x, (2, 2), output_size=o, _random_samples=s),
            lambda o=size: torch.nn.functional.fractional_max_pool2d(
                tx, (2, 2), output_size=o, _random_samples=ts
            ),
            RuntimeError,
            match,
        )
    _raises_like_torch(
        lambda: nn.FractionalMaxPool2d(2, output_size=1, _random_samples=np.zeros((0, 16, 2)))(
            autobp.zeros(1, 16, 8, 8)
        ),
        lambda: torch.nn.FractionalMaxPool2d(2, output_size=1, _random_samples=torch.zeros(0, 16, 2))(
            torch.zeros(1, 16, 8, 8)
        ),
        RuntimeError,
        "Expect _random_samples",
    )


@pytest.mark.parametrize("layout", ["contiguous", "channels_last", "channels_last_strided"])
@pytest.mark.parametrize(
    "call",
    [
        lambda F, x: F.conv2d(x, x.new_ones((4, x.shape[1], 3, 3)), stride=2),
        lambda F, x: F.max_pool2d(x, 3, 2),
        lambda F, x: F.max_pool2d(x, 2, return_indices=True)[1],
        lambda F, x: F.avg_pool2d(x, 3),
        lambda F, x: F.adaptive_avg_pool2d(x, (3, 2)),
        lambda F, x: F.adaptive_max_pool2d(x, 3),
    ],
)
def test_output_layout_follows_torch(layout, call):
    """conv/pool outputs are C-contiguous for contiguous input, channels-last for channels-last input."""
    a = rng.standard_normal((2, 6, 8, 8))
    x, tx = autobp.tensor(a), torch.tensor(a)
    if layout != "contiguous":
        x, tx = (
            x.contiguous(memory_format=autobp.channels_last),
            tx.contiguous(memory_format=torch.channels_last),
        )
    if layout == "channels_last_strided":
        x, tx = x[:, ::2], tx[:, ::2]
    y, ty = call(F, x), call(torch.nn.functional, tx)
    assert y.is_contiguous() == ty.is_contiguous()
    assert y.is_contiguous(memory_format=autobp.channels_last) == ty.is_contiguous(
        memory_format=torch.channels_last
    )
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
