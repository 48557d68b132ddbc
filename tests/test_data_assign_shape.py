"""``x.data = y`` of another shape on a leaf swaps in the new values, as PyTorch does (autobp refused any
shape change); the leaf keeps requires_grad and later gradients have the new shape. On the output of an
op, whose backward expects the old shape, it is still refused. Compared with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def run(lib, requires_grad):
    x = lib.tensor(np.array([[1.0, -2.0]]), requires_grad=requires_grad)
    x.data = lib.tensor(np.arange(6.0).reshape(2, 3))
    out = [tuple(x.shape), x.requires_grad]
    if requires_grad:
        (x * x).sum().backward()
        out.append(np.asarray(x.grad.numpy() if lib is torch else x.grad))
    return out


@pytest.mark.parametrize("requires_grad", [False, True])
def test_leaf_takes_data_of_another_shape(requires_grad):
    mine, theirs = run(autobp, requires_grad), run(torch, requires_grad)
    assert mine[:2] == theirs[:2]
    if requires_grad:
        np.testing.assert_allclose(mine[2], theirs[2])


def test_an_op_output_keeps_its_shape():
    y = autobp.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(ValueError, match="backward expects that shape"):
        y.data = np.zeros((2, 3))
