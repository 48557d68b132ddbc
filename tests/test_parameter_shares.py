"""nn.Parameter(t) shares t's memory and its version counter, as PyTorch's (t.detach()'s alias)."""

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def _both(fn):
    return fn(autobp), fn(torch)


def test_writes_through_either_reach_the_other_as_torch():
    def run(lib):
        t = lib.ones(3)
        p = lib.nn.Parameter(t)
        t.add_(1)
        with lib.no_grad():
            p.mul_(3)
        return p.detach().numpy().copy(), t.numpy().copy(), p.requires_grad, p.is_leaf

    ours, theirs = _both(run)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_a_write_into_the_source_invalidates_a_graph_that_saved_the_parameter():
    for lib in (autobp, torch):
        t = lib.ones(2)
        p = lib.nn.Parameter(t)
        y = (p * p).sum()
        t.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_another_dtype_or_an_array_is_copied():
    t = autobp.ones(3, dtype=np.float32)
    p = nn.Parameter(t, dtype=np.float64)
    assert p.dtype == np.float64 and not np.shares_memory(p.data, t.data)
    a = np.ones(3)
    assert not np.shares_memory(nn.Parameter(a).data, a)  # autobp.tensor(array) copies; so does this


def test_parameter_list_shares_like_torch():
    def run(lib):
        t = lib.zeros(2)
        pl = lib.nn.ParameterList([t])
        t.add_(5)
        return pl[0].detach().numpy().copy()

    ours, theirs = _both(run)
    np.testing.assert_array_equal(ours, theirs)


def test_gradients_reach_the_parameter_not_the_source():
    t = autobp.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    (p * p).sum().backward()
    np.testing.assert_array_equal(p.grad, [2.0, 4.0])
    assert t.grad is None and not t.requires_grad
