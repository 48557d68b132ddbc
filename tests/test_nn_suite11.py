"""Fixes found by running PyTorch's nn tests (test/nn/*.py) against autobp, each compared with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def test_data_norm_chains_like_a_tensor():
    # PyTorch's test_embedding_max_norm: `output.data.norm(p=2, dim=1).le(1).all()`
    rng = np.random.default_rng(0)
    w = rng.normal(size=(6, 5)) * 3
    ours = autobp.nn.Embedding.from_pretrained(autobp.tensor(w), max_norm=1.0)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), max_norm=1.0)
    idx = [2, 4, 4, 1]
    out, ref = ours(autobp.tensor(idx)), theirs(torch.tensor(idx))
    norms, ref_norms = out.data.norm(p=2, dim=1), ref.data.norm(p=2, dim=1)
    np.testing.assert_allclose(np.asarray(norms), ref_norms.numpy(), rtol=1e-12)
    assert bool(norms.le(1).all()) == bool(ref_norms.le(1).all()) is True
    whole = out.data.norm()
    assert float(whole) == pytest.approx(float(ref.data.norm()), rel=1e-12)
    assert whole.ge(0).item() is True
