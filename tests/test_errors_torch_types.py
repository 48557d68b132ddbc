"""Refusals PyTorch reports as RuntimeError are RuntimeErrors here too, and still numpy's ValueError
(shapes, axes, arguments) or TypeError (dtypes), so code written for either library catches them."""

import numpy as np
import pytest

import autobp
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _ones(*shape):
    return autobp.Tensor(np.ones(shape))


def _grad_of_ones(n):
    x = autobp.Tensor(np.ones(n), requires_grad=True)
    x.sum().backward()
    return x.grad  # a GradArray, PyTorch-style in-place methods included


CASES = {
    "permute": (lambda: _ones(3, 4, 5).permute((0, 2)), lambda: torch.ones(3, 4, 5).permute((0, 2))),
    "flip-repeated": (lambda: _ones(3, 4).flip((1, -1)), lambda: torch.ones(3, 4).flip((1, -1))),
    "unfold-too-big": (lambda: _ones(8).unfold(0, 9, 3), lambda: torch.ones(8).unfold(0, 9, 3)),
    "reshape-two-unknowns": (
        lambda: _ones(3, 4).reshape((-1, -1, 2)),
        lambda: torch.ones(3, 4).reshape((-1, -1, 2)),
    ),
    "matmul-misaligned": (lambda: _ones(4) @ _ones(1, 2), lambda: torch.ones(4) @ torch.ones(1, 2)),
    "matmul-0d": (lambda: _ones() @ _ones(3, 3), lambda: torch.ones(()) @ torch.ones(3, 3)),
    "einsum-sizes": (
        lambda: autobp.einsum("ij,jk->ik", _ones(2, 3), _ones(4, 2)),
        lambda: torch.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(4, 2)),
    ),
    "meshgrid-indexing": (
        lambda: autobp.meshgrid(_ones(3), indexing="bad"),
        lambda: torch.meshgrid(torch.ones(3), indexing="bad"),
    ),
    "gather-axes": (
        lambda: _ones(4, 5, 6).gather(0, np.array([1])),
        lambda: torch.ones(4, 5, 6).gather(0, torch.tensor([1])),
    ),
    "scatter-index-too-big": (
        lambda: _ones(2, 3).scatter(1, np.zeros((3, 3), dtype=np.int64), _ones(3, 3)),
        lambda: torch.ones(2, 3).scatter(1, torch.zeros((3, 3), dtype=torch.int64), torch.ones(3, 3)),
    ),
    "scatter_reduce-mode": (
        lambda: _ones(3).scatter_reduce(0, np.array([0]), _ones(1), "INVALID"),
        lambda: torch.ones(3).scatter_reduce(0, torch.tensor([0]), torch.ones(1), "INVALID"),
    ),
    "conv-kernel-too-big": (
        lambda: F.conv2d(_ones(1, 1, 6, 7), _ones(6, 1, 3, 3), dilation=3),
        lambda: TF.conv2d(torch.ones(1, 1, 6, 7), torch.ones(6, 1, 3, 3), dilation=3),
    ),
    "cross_entropy-target-shape": (
        lambda: F.cross_entropy(_ones(4, 10), _ones(4, 1)),
        lambda: TF.cross_entropy(torch.ones(4, 10), torch.ones(4, 1)),
    ),
    "scatter-src-too-small": (
        lambda: _ones(3, 4).scatter(1, np.zeros((3, 4), dtype=np.int64), _ones(3, 3)),
        lambda: torch.ones(3, 4).scatter(1, torch.zeros((3, 4), dtype=torch.int64), torch.ones(3, 3)),
    ),
    "int-to-negative-int-power": (
        lambda: autobp.Tensor(np.array([-2, 0, 2]), dtype=np.int64) ** -2,
        lambda: torch.tensor([-2, 0, 2]) ** -2,
    ),
    "div-rounding-mode": (
        lambda: _ones(3).div(_ones(3), rounding_mode="typo"),
        lambda: torch.ones(3).div(torch.ones(3), rounding_mode="typo"),
    ),
    "div_-rounding-mode": (
        lambda: _ones(3).div_(_ones(3), rounding_mode="typo"),
        lambda: torch.ones(3).div_(torch.ones(3), rounding_mode="typo"),
    ),
    "grad-div_-rounding-mode": (
        lambda: _grad_of_ones(3).div_(2.0, rounding_mode="typo"),
        lambda: torch.ones(3).div_(2.0, rounding_mode="typo"),
    ),
    "cat-0d": (
        lambda: autobp.cat([_ones(), _ones()]),
        lambda: torch.cat([torch.ones(()), torch.ones(())]),
    ),
    "cat-sizes": (
        lambda: autobp.cat([_ones(2, 3), _ones(2, 4)]),
        lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
    ),
    "cat-ndim": (
        lambda: autobp.cat([_ones(2, 3), _ones(3)]),
        lambda: torch.cat([torch.ones(2, 3), torch.ones(3)]),
    ),
    "stack-sizes": (
        lambda: autobp.stack([_ones(2, 3), _ones(2, 4)]),
        lambda: torch.stack([torch.ones(2, 3), torch.ones(2, 4)]),
    ),
    "stack-empty": (lambda: autobp.stack([]), lambda: torch.stack([])),
    "sdpa-mask-and-causal": (
        lambda: F.scaled_dot_product_attention(
            _ones(2, 3), _ones(2, 3), _ones(2, 3), _ones(2, 2), is_causal=True
        ),
        lambda: TF.scaled_dot_product_attention(
            torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 2), is_causal=True
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_refusals_are_runtime_and_value_errors_as_torch(name):
    ours, theirs = CASES[name]
    with pytest.raises(RuntimeError):
        theirs()
    with pytest.raises(RuntimeError) as err:
        ours()
    assert isinstance(err.value, ValueError)
    assert str(err.value)  # a message naming the op and the shapes


@pytest.mark.parametrize("op", ["__and__", "__or__", "__xor__"])
def test_bitwise_on_floats_is_a_runtime_and_type_error_as_torch(op):
    with pytest.raises(RuntimeError):
        getattr(torch.ones(4), op)(torch.ones(4))
    with pytest.raises(RuntimeError) as err:
        getattr(_ones(4), op)(_ones(4))
    assert isinstance(err.value, TypeError) and "integer and boolean" in str(err.value)
    with pytest.raises(RuntimeError):
        torch.ones(4).bitwise_not()
    with pytest.raises(RuntimeError):
        _ones(4).bitwise_not()
    with pytest.raises(TypeError):  # PyTorch's ~ raises TypeError
        ~_ones(4)
