"""autobp.func.vmap: JAX's ``axis_size=`` (map a function of unmapped arguments), a mapped size of 0 (torch
and JAX return empty results of the right shape; it raised IndexError), and the out-of-range in_axes
error in JAX's and torch's words. Oracles: torch.func.vmap and numpy."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.func import grad, vmap

torch = pytest.importorskip("torch")


def test_axis_size_maps_unmapped_arguments():
    out = vmap(lambda a: a * 2, in_axes=None, axis_size=3)(autobp.ones(2))
    np.testing.assert_array_equal(np.asarray(out), np.full((3, 2), 2.0))
    out = vmap(lambda: autobp.asarray(1.5), axis_size=4)()
    np.testing.assert_array_equal(np.asarray(out), np.full(4, 1.5))


def test_axis_size_agreeing_and_disagreeing_with_the_inputs():
    x = np.arange(12.0).reshape(3, 4)
    out = vmap(lambda a: a.sum(), axis_size=3)(autobp.asarray(x))
    np.testing.assert_array_equal(np.asarray(out), x.sum(axis=1))
    with pytest.raises(ValueError, match="inconsistent sizes.*axis_size"):
        vmap(lambda a: a, axis_size=5)(autobp.asarray(x))
    with pytest.raises(TypeError, match="axis_size"):
        vmap(lambda a: a, axis_size=2.0)


def test_axis_size_keeps_gradients():
    w = autobp.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    out = vmap(lambda v: (v**2).sum(), in_axes=None, axis_size=3)(w)
    out.sum().backward()
    np.testing.assert_allclose(np.asarray(w.grad), 3 * 2 * np.array([0.5, -1.0]))


@pytest.mark.parametrize("out_axes", [0, 1, -1])
def test_size_zero_mapped_axis_as_torch(out_axes):
    x = np.zeros((0, 3, 2))

    def f(lib):
        return lambda a: (a * 2, a.sum(-1))

    t0, t1 = torch.func.vmap(f(torch), out_dims=out_axes)(torch.tensor(x))
    a0, a1 = vmap(f(autobp), out_axes=out_axes)(autobp.asarray(x))
    assert tuple(a0.shape) == tuple(t0.shape) and tuple(a1.shape) == tuple(t1.shape)
    assert a0.dtype == np.float64


def test_size_zero_of_grad_and_in_axes_one():
    x = np.zeros((4, 0))
    g = vmap(grad(lambda v: (v**3).sum()), in_axes=1)(autobp.asarray(x))
    t = torch.func.vmap(torch.func.grad(lambda v: (v**3).sum()), in_dims=1)(torch.tensor(x))
    assert tuple(g.shape) == tuple(t.shape) == (0, 4)


def test_out_of_range_in_axes_message():
    x = autobp.asarray(np.zeros((3, 4, 5)))
    with pytest.raises(
        ValueError, match=r"rank should be at least 4, but is only 3 \(its shape is \(3, 4, 5\)\)"
    ):
        vmap(autobp.sum, in_axes=-4)(x)
    with pytest.raises(ValueError, match="expected in_dim to satisfy -3 <= in_dim < 3"):
        vmap(autobp.sum, in_axes=3)(x)


def test_unstackable_output_and_out_axes_range_errors():
    x = autobp.asarray(np.arange(5.0))
    # torch.func raises ValueError here, JAX TypeError: the error is both
    with pytest.raises(ValueError, match="must return Tensors"):
        vmap(lambda a: "hello")(x)
    with pytest.raises(TypeError, match="is not a valid JAX type"):
        vmap(lambda a: "hello")(x)
    with pytest.raises(ValueError):  # the oracle raises too
        torch.func.vmap(lambda a: "hello")(torch.arange(5.0))
    y = autobp.asarray(np.zeros((3, 4, 5)))
    with pytest.raises(ValueError, match="axis -4 is out of bounds"):
        vmap(lambda a: a, out_axes=-4)(y)
    with pytest.raises(IndexError, match="Dimension out of range"):
        vmap(lambda a: a, out_axes=3)(y)
