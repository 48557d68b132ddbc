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
