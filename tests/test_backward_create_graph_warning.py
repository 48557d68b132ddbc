"""``backward(create_graph=True)`` warns, as PyTorch does, that ``.grad`` now holds a graph reaching back
to its tensor (a reference cycle); ``autograd.grad(create_graph=True)`` touches no ``.grad`` and does not."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

PHRASE = "Using backward() with create_graph=True"


def cycle_warnings(lib, call):
    b = lib.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    c = b * b
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(lib, b, c)
    return [w.category for w in caught if PHRASE in str(w.message)]


CALLS = {
    "Tensor.backward": lambda lib, b, c: c.backward(lib.ones_like(c), create_graph=True),
    "autograd.backward": lambda lib, b, c: lib.autograd.backward(
        [c, c * 2], [lib.ones_like(c)] * 2, create_graph=True
    ),
    "autograd.grad": lambda lib, b, c: lib.autograd.grad(c, b, lib.ones_like(c), create_graph=True),
    "backward without create_graph": lambda lib, b, c: c.backward(lib.ones_like(c)),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_warns_where_torch_does(name):
    previous = torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # torch warns once per process otherwise
    try:
        theirs = cycle_warnings(torch, CALLS[name])
    finally:
        torch.set_warn_always(previous)
    mine = cycle_warnings(autobp, CALLS[name])
    assert bool(mine) == bool(theirs)
    assert set(mine) <= {UserWarning}
