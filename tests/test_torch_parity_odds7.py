"""PyTorch parity of small corners found by held-out runs: max/min gradients at NaN and ties,
relu-family zero signs, tensor normal, conv dtype checks, integer index_add wrap-around, ..."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

NAN = float("nan")
A = [NAN, 1.0, 2.0, NAN, 3.0, 0.5, -1.0, 4.0]
B = [1.0, NAN, 2.0, NAN, 1.0, 0.5, 2.0, 4.0]
W = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]


def _both(vals):
    return ab.tensor(vals, requires_grad=True), torch.tensor(vals, dtype=torch.float64, requires_grad=True)


def _same(ours, theirs):
    np.testing.assert_array_equal(np.asarray(ours), theirs.detach().numpy())


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_extremum_gradients_at_nan_and_ties_first_and_second_order(name):
    (a, ta), (b, tb) = _both(A), _both(B)
    w, tw = ab.tensor(W), torch.tensor(W, dtype=torch.float64)
    # inputs through a square so that the second derivative is not identically zero
    y = getattr(ab, name)(a * a, b * 3.0)
    ty = getattr(torch, name)(ta * ta, tb * 3.0)
    _same(y.detach(), ty)
    ga, gb = ab.grad((y * w).sum(), (a, b), create_graph=True)
    tga, tgb = torch.autograd.grad((ty * tw).sum(), (ta, tb), create_graph=True)
    _same(ga.detach(), tga)
    _same(gb.detach(), tgb)
    h = ab.grad((ga * w).sum() + (gb * w).sum(), (a, b), allow_unused=True, materialize_grads=True)
    th = torch.autograd.grad((tga * tw).sum() + (tgb * tw).sum(), (ta, tb), allow_unused=True, materialize_grads=True)
    for ours, theirs in zip(h, th):
        _same(ours, theirs)


@pytest.mark.parametrize("bounds", ["both", "min", "max", "crossed"])
def test_clamp_tensor_bounds_gradients_at_nan_and_ties(bounds):
    x, tx = _both(A)
    lo, tlo = _both(B)
    hi_vals = [5.0, 5.0, 2.0, 5.0, NAN, 0.5, 2.0, 0.0] if bounds != "crossed" else [0.0] * 8
    hi, thi = _both(hi_vals)
    kw = {"both": ("min", "max"), "min": ("min",), "max": ("max",), "crossed": ("min", "max")}[bounds]
    ours = {"min": lo, "max": hi}
    theirs = {"min": tlo, "max": thi}
    y = ab.clamp(x, **{k: ours[k] for k in kw})
    ty = torch.clamp(tx, **{k: theirs[k] for k in kw})
    _same(y.detach(), ty)
    wrt = [x] + [ours[k] for k in kw]
    twrt = [tx] + [theirs[k] for k in kw]
    for g, tg in zip(ab.grad((y * ab.tensor(W)).sum(), wrt), torch.autograd.grad((ty * torch.tensor(W, dtype=torch.float64)).sum(), twrt)):
        _same(g, tg)
