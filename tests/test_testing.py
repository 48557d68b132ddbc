"""autobp.testing: the strategies keep their promises, assert_gradients_close fails with the report."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given

import autobp.testing
from autobp import Tensor, Value
from autobp.testing import (
    assert_gradients_close,
    broadcastable_tensors,
    kink_free_tensors,
    positive_tensors,
    shapes,
    tensors,
    tie_free_tensors,
)

from .functions import Cube, DetachedCube, DoubleCube


@given(positive_tensors())
def test_positive_tensors_are_positive(x):
    assert x.requires_grad and np.all(x.data >= 0.1)


def test_positive_tensors_refuse_a_non_positive_bound():
    with pytest.raises(ValueError, match="lo must be > 0, got 0"):
        positive_tensors(lo=0)


@given(kink_free_tensors(kinks=(-1.0, 0.0, 1.0), margin=0.05))
def test_kink_free_tensors_stay_away_from_every_kink(x):
    for k in (-1.0, 0.0, 1.0):
        assert np.all(np.abs(x.data - k) > 0.05)


@given(tie_free_tensors(shape=shapes(min_dims=1), gap=0.01))
def test_tie_free_tensors_have_no_ties(x):
    flat = np.sort(x.data.reshape(-1))
    assert np.all(np.diff(flat) >= 0.01 - 1e-12)


@given(broadcastable_tensors())
def test_broadcastable_tensors_broadcast(pair):
    a, b = pair
    assert np.broadcast_shapes(a.shape, b.shape) == np.broadcast(a.data, b.data).shape
    assert a.requires_grad and b.requires_grad


@given(tensors(dtype=np.float32))
def test_tensors_keep_their_dtype(x):
    assert x.dtype == np.float32


def test_the_lead_strategy_names_still_exist():
    for name in ("shapes", "arrays", "tensors", "broadcastable_pair", "axes", "single_axis", "kink_free"):
        assert callable(getattr(autobp.testing, name))


# --- assert_gradients_close -------------------------------------------------------------------------
@given(kink_free_tensors(shape=shapes(max_side=3)), tensors(shape=(3,)))
def test_assert_gradients_close_passes_right_functions_inside_given(x, w):
    assert_gradients_close(lambda a: Cube.apply(a).relu().sum() * a.abs(), x)
    assert_gradients_close(lambda a, b: (a.reshape(-1)[:1] * b).tanh(), x, w)


def test_assert_gradients_close_fails_with_the_report():
    with pytest.raises(AssertionError, match=r"(?s)output 0 .* w.r.t. input 0 .*analytical = 2 x numerical"):
        assert_gradients_close(DoubleCube.apply, np.array([1.0, 2.0]))


def test_second_order_catches_what_first_order_misses():
    x = np.array([0.5, -1.0])
    assert_gradients_close(DetachedCube.apply, x)
    with pytest.raises(AssertionError, match="gradgradcheck failed"):
        assert_gradients_close(DetachedCube.apply, x, second_order=True)


def test_arrays_become_checked_tensors_and_other_arguments_pass_through():
    assert_gradients_close(lambda a, k, b: a * k + b, np.array([1.0]), 3.0, Tensor([2.0]))
    assert_gradients_close(lambda v: v.tanh() * v, Value(0.4))


def test_assertions_work_without_hypothesis_and_strategies_say_how_to_get_it():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        import numpy as np
        from autobp.testing import assert_gradients_close
        assert_gradients_close(lambda a: a * a, np.array([1.0, 2.0]))
        try:
            from autobp.testing import tensors
        except ImportError as e:
            print(e)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert 'pip install "autobp[testing]"' in out.stdout
