"""nn.utils.weight_norm / remove_weight_norm against torch.nn.utils's: parameter names and shapes,
outputs and the gradients of g and v, for dim 0, another axis and None; and clip_grad_norm."""

import warnings

import numpy as np
import pytest

from autobp import nn
from autobp.nn.utils import clip_grad_norm, remove_weight_norm, weight_norm

from .torch_twin import compare_with_torch

torch = pytest.importorskip("torch")
TU = torch.nn.utils

rng = np.random.default_rng(15)


@pytest.mark.parametrize(
    "make, shape, dim",
    [
        (lambda lib: lib.Linear(3, 2), (4, 3), 0),
        (lambda lib: lib.Conv1d(2, 4, 3), (2, 2, 5), 1),
        (lambda lib: lib.Conv1d(2, 4, 3), (2, 2, 5), None),
        (lambda lib: lib.ConvTranspose1d(2, 3, 2), (1, 2, 4), 0),
    ],
)
def test_weight_norm_matches_torch(make, shape, dim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # torch's legacy weight_norm is deprecated
        theirs = TU.weight_norm(make(torch.nn), dim=dim)
    ours = weight_norm(make(nn), dim=dim)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    x = rng.standard_normal(shape)
    compare_with_torch(ours, theirs, x)
    compare_with_torch(ours, theirs, x, load=False)  # recomputed from the loaded g and v each call
    remove_weight_norm(ours)
    TU.remove_weight_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    compare_with_torch(ours, theirs, x, load=False)
    with pytest.raises(ValueError, match="not found"):
        remove_weight_norm(ours)


def test_weight_norm_starts_at_the_same_weight_and_clip_grad_norm_alias():
    layer = nn.Linear(3, 2, rng=0)
    w = layer.weight.data.copy()
    weight_norm(layer)
    np.testing.assert_allclose(layer.weight.data, w, rtol=1e-12)
    np.testing.assert_allclose(layer.weight_g.data[:, 0], np.linalg.norm(w, axis=1))
    with pytest.raises(RuntimeError, match="already has weight norm"):
        weight_norm(layer)
    p = nn.Parameter(np.ones(4))
    p.grad = np.full(4, 3.0)
    assert float(clip_grad_norm([p], 1.0).data) == pytest.approx(6.0)
    np.testing.assert_allclose(np.linalg.norm(p.grad), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    "make, shape, kw",
    [
        (lambda lib: lib.Linear(4, 3), (2, 4), dict()),
        (lambda lib: lib.Conv2d(2, 3, 2), (1, 2, 4, 4), dict(n_power_iterations=3)),
        (lambda lib: lib.ConvTranspose1d(2, 3, 2), (2, 2, 4), dict()),  # dim 1 by default
        (lambda lib: lib.Linear(3, 5), (2, 3), dict(dim=1, eps=1e-6)),
    ],
)
def test_spectral_norm_matches_torch_in_training_and_eval(make, shape, kw):
    from autobp.nn.utils import remove_spectral_norm, spectral_norm

    theirs = TU.spectral_norm(make(torch.nn), **kw)
    ours = spectral_norm(make(nn), **kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    compare_with_torch(ours, theirs, rng.standard_normal(shape))  # loads u, v; iterates; buffers compared
    for _ in range(2):
        compare_with_torch(ours, theirs, rng.standard_normal(shape), load=False)
    ours.eval(), theirs.eval()
    compare_with_torch(ours, theirs, rng.standard_normal(shape), load=False)  # no iteration in eval
    remove_spectral_norm(ours)
    TU.remove_spectral_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_spectral_norm_makes_the_largest_singular_value_one():
    from autobp.nn.utils import spectral_norm

    layer = spectral_norm(nn.Linear(5, 4, rng=0), n_power_iterations=100)
    layer(rng.standard_normal((2, 5)))  # a training call runs the power iteration
    assert np.linalg.svd(layer.weight.data, compute_uv=False)[0] == pytest.approx(1.0, rel=1e-8)
    np.testing.assert_allclose(layer.weight.data * np.linalg.svd(layer.weight_orig.data, compute_uv=False)[0],
                               layer.weight_orig.data, rtol=1e-8)  # fmt: skip
