"""numpy's refusals in the joining functions, and their out= (numpy is the oracle for the exception
type and its words): generators, unknown casting, mismatched shapes, out-of-bounds axes."""

import numpy as np
import pytest

import autobp as ab


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack", "stack"])
def test_generators_refused(name):
    with pytest.raises(TypeError, match='arrays to stack must be passed as a "sequence"'):
        getattr(np, name)(np.arange(3) for _ in range(2))
    with pytest.raises(TypeError, match='arrays to stack must be passed as a "sequence"'):
        getattr(ab, name)(ab.arange(3) for _ in range(2))


def test_concatenate_generator_refused():
    with pytest.raises(TypeError, match="The first input argument needs to be a sequence"):
        np.concatenate(np.arange(3) for _ in range(2))
    with pytest.raises(TypeError, match="The first input argument needs to be a sequence"):
        ab.concatenate(ab.arange(3) for _ in range(2))


@pytest.mark.parametrize("name", ["concatenate", "stack"])
def test_unknown_casting(name):
    parts = [np.arange(3.0), np.arange(3.0)]
    with pytest.raises(ValueError, match="^casting must be one of"):
        getattr(np, name)(parts, casting="same_value")
    with pytest.raises(ValueError, match="^casting must be one of"):
        getattr(ab, name)([ab.tensor(p) for p in parts], casting="same_value")


def test_concatenate_mismatch_in_numpy_words():
    a, b = np.ones((1, 2, 3)), np.ones((2, 2, 3))
    with pytest.raises(ValueError) as want:
        np.concatenate((a, b), axis=1)
    with pytest.raises(ValueError) as got:
        ab.concatenate((ab.tensor(a), ab.tensor(b)), axis=1)
    assert str(want.value) in str(got.value)


@pytest.mark.parametrize("axis", [2, -3])
def test_stack_axis_out_of_bounds(axis):
    arrays = [np.arange(3.0)] * 2
    with pytest.raises(np.exceptions.AxisError) as want:
        np.stack(arrays, axis=axis)
    with pytest.raises(np.exceptions.AxisError) as got:
        ab.stack([ab.tensor(a) for a in arrays], axis=axis)
    assert "out of bounds for array of dimension 2" in str(want.value)
    assert "out of bounds for array of dimension 2" in str(got.value)


@pytest.mark.parametrize("axis", [None, 0])
def test_concatenate_out_matches_numpy(axis):
    a, b = np.arange(4.0).reshape(2, 2), np.ones((1, 2))
    shape = np.concatenate((a, b), axis=axis).shape
    want, got = np.empty(shape), np.empty(shape)
    assert np.concatenate((a, b), axis=axis, out=want) is want
    assert ab.concatenate((ab.tensor(a), ab.tensor(b)), axis=axis, out=got) is got
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", [(5,), (4, 1), (1, 4)])
def test_concatenate_out_bad_shape(shape):
    parts = (np.array([1, 2]), np.array([3, 4]))
    with pytest.raises(ValueError):
        np.concatenate(parts, out=np.empty(shape))
    with pytest.raises(ValueError):
        ab.concatenate(tuple(ab.tensor(p) for p in parts), out=np.empty(shape))


@pytest.mark.parametrize("name", ["concatenate", "stack"])
def test_out_and_dtype_together_refused(name):
    parts = [np.ones(2), np.ones(2)]
    out = np.empty(getattr(np, name)(parts).shape)
    with pytest.raises(TypeError, match="only takes `out` or `dtype`"):
        getattr(np, name)(parts, out=out, dtype=float)
    with pytest.raises(TypeError, match="only takes `out` or `dtype`"):
        getattr(ab, name)([ab.tensor(p) for p in parts], out=out, dtype=float)


def test_out_casting_and_tensor_out_gradient():
    torch = pytest.importorskip("torch")
    parts = [np.array([1.5, 2.5]), np.array([3.5])]
    with pytest.raises(TypeError):
        np.concatenate(parts, out=np.empty(3, np.int64))
    with pytest.raises(TypeError):
        ab.concatenate([ab.tensor(p) for p in parts], out=np.empty(3, np.int64))
    x = ab.tensor(parts[0], requires_grad=True)
    out = ab.zeros((2, 2))
    r = ab.stack([x, x * x], out=out)
    assert r is out
    (r * ab.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    xt = torch.tensor(parts[0], requires_grad=True)
    (
        torch.stack([xt, xt * xt]) * torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    ).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


@pytest.mark.parametrize(
    "arrays",
    [[1, [2]], [1, []], [[1], 2], [[], 2], [], [[]], [[1], []], [[[1], [2]], [[3, 4]], [5]]],
    ids=repr,
)
def test_block_refusals_in_numpy_order(arrays):
    with pytest.raises(ValueError) as want:
        np.block(arrays)
    with pytest.raises(ValueError) as got:
        ab.block(arrays)
    key = "depths are mismatched" if "depths" in str(want.value) else "cannot be empty"
    assert key in str(want.value) and key in str(got.value)


@pytest.mark.parametrize("name", ["stack", "concatenate", "hstack", "vstack"])
def test_empty_sequence_in_numpy_words(name):
    with pytest.raises(ValueError) as want:
        getattr(np, name)([])
    with pytest.raises(ValueError) as got:
        getattr(ab, name)([])
    assert str(want.value) in str(got.value)


def test_stack_shape_mismatch_in_numpy_words():
    with pytest.raises(ValueError, match="all input arrays must have the same shape"):
        np.stack([np.ones(()), np.ones(3)])
    with pytest.raises(ValueError, match="all input arrays must have the same shape"):
        ab.stack([ab.ones(()), ab.ones(3)])
