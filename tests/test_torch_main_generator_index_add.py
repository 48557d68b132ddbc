"""PyTorch's test_torch.py checks: ``autobp.default_generator`` (torch.default_generator) is the global
generator as one object, and index_add's bad indices raise PyTorch's RuntimeError (count first)."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def test_default_generator_state_replays_the_global_draws_as_torch():
    for lib in (torch, ab):
        state = lib.default_generator.get_state()
        q = lib.empty(100)
        first = q.normal_().clone()
        g = lib.Generator()
        g.set_state(state)
        again = q.normal_(generator=g)
        np.testing.assert_array_equal(np.asarray(first.numpy()), np.asarray(again.numpy()))
    assert ab.default_generator is ab.default_generator


def test_default_generator_seeds_the_global_one():
    g = ab.default_generator
    assert g.manual_seed(7) is g and ab.initial_seed() == 7 == g.initial_seed()
    a = ab.randn(5)
    ab.manual_seed(7)
    b = ab.randn(5)
    np.testing.assert_array_equal(a.data, b.data)
    g.manual_seed(7)  # the same object after manual_seed, usable as generator=
    c = ab.randn(5, generator=ab.default_generator)
    np.testing.assert_array_equal(a.data, c.data)
    assert g.device == torch.default_generator.device.type == "cpu"
    assert g.random(3).shape == (3,)  # numpy's draws go to the global generator


@pytest.mark.parametrize("dim", [-1, -2, -3])
def test_index_add_bad_indices_raise_as_torch(dim):
    for n_idx, value in ((257, 1), (256, 257)):
        msgs = []
        for lib in (torch, ab):
            result, source = lib.zeros((1, 512, 256)), lib.ones((1, 512, 256))
            index = (lib.ones(n_idx) * value).long()
            with pytest.raises(RuntimeError) as err:
                result.index_add_(dim, index, source)
            msgs.append(str(err.value))
        assert msgs[0] in msgs[1]  # PyTorch's words (autobp names the function before the range error)


def test_index_add_count_is_checked_before_values():
    x, s = ab.zeros((3, 4)), ab.ones((1, 4))
    with pytest.raises(
        RuntimeError, match=r"Number of indices \(2\) should be equal to source.size\(dim\): \(1\)"
    ):
        x.index_add(0, ab.tensor([0, 9]), s)
    with pytest.raises(IndexError, match="out of bounds"):
        x.index_add(0, ab.tensor([9]), s)
    with pytest.raises(IndexError):
        x.index_select(0, ab.tensor([5]))
