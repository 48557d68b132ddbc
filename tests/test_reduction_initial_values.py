"""sum/prod with numpy's ``initial=`` and ``where=``: numpy's own value, bit for bit (the sign of a zero
sum, the rounding of a masked float32 sum), with the composed graph's gradients to second order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp as ab


def same_bits(got, want) -> bool:
    got, want = np.asarray(got), np.asarray(want)
    return (
        got.dtype == want.dtype
        and got.shape == want.shape
        and np.array_equal(got, want, equal_nan=True)
        and np.array_equal(np.signbit(got), np.signbit(want))
    )


@pytest.mark.parametrize("fn", ["sum", "prod"])
def test_a_zero_keeps_numpys_sign(fn):
    a = np.array([-0.0, -0.0])
    assert same_bits(getattr(ab, fn)(ab.tensor(a), initial=-0.0)._data, getattr(np, fn)(a, initial=-0.0))


def test_a_masked_float32_sum_is_numpys_not_a_sum_over_zeros():
    rng = np.random.default_rng(0)
    b = rng.standard_normal(1000).astype(np.float32)
    m = np.arange(1000) % 2 == 0
    want = np.sum(b, initial=0.1, where=m)
    got = ab.sum(ab.tensor(b), initial=0.1, where=m)
    assert same_bits(got._data, want)
    # summing the masked-out zeros too rounds differently: the test can tell the two apart
    assert np.sum(np.where(m, b, np.float32(0))) + np.float32(0.1) != want


@settings(max_examples=60, deadline=None)
@given(
    a=hnp.arrays(
        st.sampled_from([np.float64, np.float32]),
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
        elements=st.floats(-3, 3, width=32),
    ),
    fn=st.sampled_from(["sum", "prod"]),
    initial=st.one_of(st.none(), st.floats(-2, 2, width=32)),
    data=st.data(),
)
def test_values_match_numpy_bit_for_bit(a, fn, initial, data):
    axis = data.draw(st.one_of(st.none(), st.integers(0, a.ndim - 1))) if a.ndim else None
    where = data.draw(hnp.arrays(np.bool_, a.shape)) if data.draw(st.booleans()) else True
    keepdims = data.draw(st.booleans())
    kw = dict(axis=axis, keepdims=keepdims, where=where)
    if initial is not None:
        kw["initial"] = initial
    want = getattr(np, fn)(a, **kw)
    got = getattr(ab, fn)(ab.tensor(a), **kw)
    assert same_bits(got._data, want), (got._data, want)


@pytest.mark.parametrize("fn", ["sum", "prod"])
def test_gradients_to_second_order(fn):
    rng = np.random.default_rng(1)
    x = ab.tensor(rng.uniform(0.5, 1.5, (3, 4)), requires_grad=True)
    mask = rng.random((3, 4)) > 0.4
    f = getattr(ab, fn)

    def h(t):
        return f(t * t, axis=1, initial=0.7, where=mask)

    assert ab.gradcheck(h, (x,))
    assert ab.gradgradcheck(h, (x,))
    f(x, axis=0, initial=-0.5, where=mask).sum().backward()
    if fn == "sum":  # d/dx of the selected elements' sum: the mask
        assert np.array_equal(x.grad, mask.astype(float))
