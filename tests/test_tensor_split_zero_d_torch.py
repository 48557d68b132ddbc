"""``tensor_split`` / ``array_split`` with a 0-d integer tensor (or array) split into that many
sections, as PyTorch's and numpy's do (autobp read it as an empty list of indices: one piece).
torch and numpy are the oracles."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shape, dim", [((10,), 0), ((10,), -1), ((4, 10), 1), ((12, 3), 0), ((0, 10), 1)])
@pytest.mark.parametrize("sections", [1, 2, 3, 7])
def test_a_zero_d_tensor_is_a_number_of_sections(shape, dim, sections):
    a0 = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    got = ab.tensor_split(ab.tensor(a0), ab.tensor(sections), dim)
    want = torch.tensor_split(torch.tensor(a0), torch.tensor(sections), dim)
    also = np.array_split(a0, np.array(sections), dim)
    assert len(got) == len(want) == len(also)
    for g, w, n in zip(got, want, also):
        np.testing.assert_array_equal(g.numpy(), w.numpy())
        np.testing.assert_array_equal(g.numpy(), n)
    got_np = ab.array_split(ab.tensor(a0), np.array(sections), dim)
    assert [p.shape for p in got_np] == [p.shape for p in also]
