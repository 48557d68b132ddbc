"""Embedding/EmbeddingBag(_weight=...) check the given weight's shape as PyTorch does (AssertionError)."""

import numpy as np
import pytest

import autobp.nn as nn

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["Embedding", "EmbeddingBag"])
@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (3,), (2, 3, 4)])
def test_wrong_weight_shape_raises_as_torch(name, shape):
    w = np.zeros(shape)
    with pytest.raises(AssertionError, match="Shape of weight does not match") as torch_err:
        getattr(torch.nn, name)(3, 4, _weight=torch.from_numpy(w))
    words = "Shape of weight does not match num_embeddings and embedding_dim"
    with pytest.raises(type(torch_err.value), match=words):
        getattr(nn, name)(3, 4, _weight=w)


@pytest.mark.parametrize("name", ["Embedding", "EmbeddingBag"])
def test_right_weight_shape_is_taken_as_torch(name):
    w = np.arange(12.0).reshape(3, 4)
    ours = getattr(nn, name)(3, 4, _weight=w)
    theirs = getattr(torch.nn, name)(3, 4, _weight=torch.from_numpy(w.copy()))
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
