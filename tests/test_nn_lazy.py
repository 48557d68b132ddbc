"""Lazy layers against PyTorch's: the size read from the first input, the class they become, the
parameter and buffer names and shapes, then outputs and gradients with the same state."""

import numpy as np
import pytest

from autobp import nn, optim

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")

rng = np.random.default_rng(16)


@pytest.mark.parametrize(
    "name, args, kw, shape",
    [
        ("LazyLinear", (3,), dict(), (2, 5)),
        ("LazyLinear", (3,), dict(bias=False), (4, 2, 5)),
        ("LazyConv1d", (4, 3), dict(padding=1, groups=2), (2, 6, 7)),
        ("LazyConv2d", (4, 3), dict(stride=2), (5, 6, 6)),  # unbatched (C, H, W)
        ("LazyConv3d", (2, 2), dict(), (1, 3, 3, 3, 3)),
        ("LazyConvTranspose1d", (4, 3), dict(stride=2, output_padding=1), (2, 3, 4)),
        ("LazyConvTranspose2d", (2, 2), dict(), (1, 3, 3, 2)),
        ("LazyConvTranspose3d", (2, 2), dict(bias=False), (1, 2, 2, 2, 2)),
        ("LazyBatchNorm1d", (), dict(), (6, 3)),
        ("LazyBatchNorm2d", (), dict(momentum=None), (4, 3, 2, 2)),
        ("LazyBatchNorm3d", (), dict(affine=False), (2, 3, 2, 2, 2)),
        ("LazyInstanceNorm1d", (), dict(), (2, 3, 5)),  # affine and tracked by default, as torch's
        ("LazyInstanceNorm2d", (), dict(track_running_stats=True), (2, 3, 4, 3)),
        ("LazyInstanceNorm3d", (1e-3, 0.2, False), dict(), (2, 3, 2, 3, 2)),
    ],
)
def test_lazy_layers_become_their_class_and_match_torch(name, args, kw, shape):
    ours, theirs = getattr(nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw).double()
    params = list(ours.parameters())
    x = rng.standard_normal(shape)
    ours(x)
    theirs(torch.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == name[4:]
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    assert [(n, b.shape) for n, b in ours.named_buffers()] == [
        (n, tuple(b.shape)) for n, b in theirs.named_buffers()
    ]
    assert all(a is b for a, b in zip(params, ours.parameters()))  # the same Parameter objects
    compare_with_torch(ours, theirs, rng.standard_normal(shape))


def test_an_optimiser_made_before_the_first_call_trains_the_materialised_weights():
    layer = nn.LazyLinear(2, rng=0)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    out = layer(np.ones((3, 4)))
    bound = 1 / np.sqrt(4)  # PyTorch's init for in_features=4
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.weight.data).max() > bound / 3
    before = layer.weight.data.copy()
    out.sum().backward()
    opt.step()
    np.testing.assert_allclose(layer.weight.data, before - 0.1 * 3.0)
