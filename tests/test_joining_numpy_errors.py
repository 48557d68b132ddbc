"""numpy's refusals in the joining functions (numpy is the oracle for the exception type and its
words): generators, unknown casting, mismatched shapes, out-of-bounds axes."""

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
