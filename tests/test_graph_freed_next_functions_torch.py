"""``grad_fn.next_functions`` after backward() freed the graph: PyTorch keeps the structure (only the
saved tensors go), so walking it gives the same node names and leaves as before backward. torch is
the oracle; a second backward still refuses."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def _walk(node):
    if node is None:
        return None
    if node.name() == "torch::autograd::AccumulateGrad":
        return ("leaf", tuple(node.variable.shape))
    return (node.name(), tuple(_walk(f) for f, _ in node.next_functions))


GRAPHS = {
    "exp mul add": lambda lib, w, b, c: ((w * 2 + b).exp() * w).sum(),
    "number operands": lambda lib, w, b, c: ((w * 3.0 - 1.0) / 2.0).tanh().sum(),
    "kept nodes between freed ones": lambda lib, w, b, c: ((w.exp() + b.sin()).reshape(3, 1) * c).sum(),
    "a constant input": lambda lib, w, b, c: (w * c).exp().sum(),
    "matmul and indexing": lambda lib, w, b, c: (w.reshape(3, 1) @ b.reshape(1, 3))[1:].sigmoid().mean(),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_next_functions_after_backward_as_torch(name):
    walks = []
    for lib in (torch, ab):
        w = lib.tensor([0.1, 0.2, 0.3], requires_grad=True)
        b = lib.tensor([0.5, -0.5, 1.0], requires_grad=True)
        c = lib.tensor([[1.0], [2.0], [3.0]])
        y = GRAPHS[name](lib, w, b, c)
        before = _walk(y.grad_fn)
        y.backward()
        walks.append((before, _walk(y.grad_fn)))
    assert walks[1][1] == walks[1][0]  # after backward: the same nodes as before it
    assert _unnamed(walks[1][1]) == _unnamed(walks[0][1])  # the structure of torch's (a few names differ)


def _unnamed(walk):
    if walk is None or walk[0] == "leaf":
        return walk
    return ("node", tuple(_unnamed(w) for w in walk[1]))


def test_a_grad_fn_taken_before_backward_and_a_second_backward():
    w = ab.tensor(np.array([0.1, 0.2]), requires_grad=True)
    y = (w.exp() * w).sum()
    fn = y.grad_fn
    y.backward()
    ((mul, _),) = fn.next_functions
    assert mul.name() == "MulBackward0"
    assert [f.name() for f, _ in mul.next_functions] == ["ExpBackward0", "torch::autograd::AccumulateGrad"]
    assert mul.next_functions[1][0].variable is w
    with pytest.raises(RuntimeError):
        y.backward()
