"""grid_sample and affine_grid against PyTorch (values, input and grid gradients) for every mode,
padding mode and align_corners, 4-D and 5-D, with grid points on pixel centres, between them, and far
outside the image; against finite differences off the kinks; clear errors for bad shapes."""

import itertools

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional if torch is not None else None

_COMBOS = list(
    itertools.product((2, 3), ("bilinear", "nearest"), ("zeros", "border", "reflection"), (False, True))
)


def _centres(sizes, align_corners, rng, n_pts):
    """Normalised coordinates of random pixel centres (and, for align_corners=False, the image edge)."""
    pts = []
    for size in sizes[::-1]:  # the grid lists x (the last axis) first
        i = rng.integers(0, size, n_pts).astype(float)
        pts.append(2 * i / (size - 1) - 1 if align_corners else (2 * i + 1) / size - 1)
    return np.stack(pts, axis=-1)


def _compare(x, g, mode, pad, ac, rng):
    w = rng.standard_normal((x.shape[0], x.shape[1]) + g.shape[1:-1])
    tx, tg = torch.tensor(x, requires_grad=True), torch.tensor(g, requires_grad=True)
    to = TF.grid_sample(tx, tg, mode=mode, padding_mode=pad, align_corners=ac)
    (to * torch.tensor(w)).sum().backward()
    ax, ag = autobp.tensor(x, requires_grad=True), autobp.tensor(g, requires_grad=True)
    out = F.grid_sample(ax, ag, mode=mode, padding_mode=pad, align_corners=ac)
    (out * w).sum().backward()
    np.testing.assert_allclose(out.data, to.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ax.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    ggrid = np.zeros(g.shape) if ag.grad is None else ag.grad
    np.testing.assert_allclose(ggrid, tg.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("nd,mode,pad,ac", _COMBOS)
def test_grid_sample_matches_torch_between_pixels_and_outside(nd, mode, pad, ac):
    rng = np.random.default_rng(hash((nd, mode, pad, ac)) % 2**32)
    sizes = (3, 4, 5)[-nd:]
    x = rng.standard_normal((2, 3) + sizes)
    g = rng.uniform(-3.5, 3.5, (2,) + (2, 3, 4)[-nd:] + (nd,))  # reflection folds several times
    _compare(x, g, mode, pad, ac, rng)


@pytest.mark.parametrize("nd,mode,pad,ac", _COMBOS)
def test_grid_sample_matches_torch_on_pixel_centres(nd, mode, pad, ac):
    rng = np.random.default_rng(1 + hash((nd, mode, pad, ac)) % 2**32)
    sizes = (3, 4, 5)[-nd:]
    x = rng.standard_normal((1, 2) + sizes)
    g = _centres(sizes, ac, rng, 12).reshape((1,) + ((3, 4) if nd == 2 else (2, 3, 2)) + (nd,))
    _compare(x, g, mode, pad, ac, rng)
    if mode == "bilinear":  # at a pixel centre bilinear sampling returns the pixel itself
        out = F.grid_sample(x, g, mode=mode, padding_mode=pad, align_corners=ac)
        near = F.grid_sample(x, g, mode="nearest", padding_mode=pad, align_corners=ac)
        np.testing.assert_allclose(out.data, near.data, atol=1e-12)


@pytest.mark.parametrize("pad", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("ac", [False, True])
def test_grid_sample_gradients_match_finite_differences(pad, ac):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 2, 3, 4))
    # pixel coordinates an integer plus a fraction away from 0 and 1/2: off the pixel centres (where
    # the bilinear weights' slope jumps) and off the reflection and clip lines (integers or halves)
    frac = rng.uniform(0.15, 0.35, (1, 2, 3, 2)) + rng.integers(0, 2, (1, 2, 3, 2)) * 0.5
    pix = rng.integers(-2, 5, (1, 2, 3, 2)) + frac
    sizes = np.array([4, 3])  # x runs along W = 4, y along H = 3
    g = 2 * pix / (sizes - 1) - 1 if ac else (2 * pix + 1) / sizes - 1
    assert autobp.gradcheck(
        lambda a, b: F.grid_sample(a, b, padding_mode=pad, align_corners=ac),
        [autobp.tensor(x, requires_grad=True), autobp.tensor(g, requires_grad=True)],
    )
    assert autobp.gradgradcheck(
        lambda a, b: F.grid_sample(a, b, padding_mode=pad, align_corners=ac),
        [autobp.tensor(x, requires_grad=True), autobp.tensor(g, requires_grad=True)],
    )


def test_grid_sample_keeps_float32():
    x = np.ones((1, 1, 2, 2), dtype=np.float32)
    g = np.zeros((1, 1, 1, 2), dtype=np.float32)
    assert F.grid_sample(x, g, align_corners=False).dtype == np.float32


def test_grid_sample_errors_are_clear():
    with pytest.raises(
        ValueError, match=r"grid_sample: expected input .* got input \(1, 1, 2, 2\) and grid \(1, 2, 2, 3\)"
    ):
        F.grid_sample(np.ones((1, 1, 2, 2)), np.zeros((1, 2, 2, 3)))
    with pytest.raises(ValueError, match="grid_sample: mode must be one of"):
        F.grid_sample(np.ones((1, 1, 2, 2)), np.zeros((1, 2, 2, 2)), mode="bicubic")
    with pytest.raises(ValueError, match="grid_sample: padding_mode must be one of"):
        F.grid_sample(np.ones((1, 1, 2, 2)), np.zeros((1, 2, 2, 2)), padding_mode="wrap")


@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 3), (2, 3, 2, 4, 5), (2, 1, 3, 1, 2)])
@pytest.mark.parametrize("ac", [False, True])
def test_affine_grid_matches_torch(size, ac):
    rng = np.random.default_rng(5)
    nd = len(size) - 2
    theta = rng.standard_normal((2, nd, nd + 1))
    t = torch.tensor(theta, requires_grad=True)
    with pytest.warns(UserWarning) if ac and 1 in size[2:] else _nothing():
        tg = TF.affine_grid(t, size, align_corners=ac)
    w = rng.standard_normal(tuple(tg.shape))
    (tg * torch.tensor(w)).sum().backward()
    a = autobp.tensor(theta, requires_grad=True)
    grid = F.affine_grid(a, size, align_corners=ac)
    (grid * w).sum().backward()
    np.testing.assert_allclose(grid.data, tg.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(a.grad, t.grad.numpy(), atol=1e-12)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_affine_grid_then_grid_sample_identity_returns_the_image():
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    theta = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    np.testing.assert_allclose(F.grid_sample(x, grid, align_corners=False).data, x, atol=1e-12)
    with pytest.raises(
        ValueError, match=r"affine_grid: expected theta .* got theta \(1, 2, 3\) and size \(1, 2, 3, 4, 5\)"
    ):
        F.affine_grid(theta, (1, 2, 3, 4, 5))
