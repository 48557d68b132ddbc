"""A leaf's gradient is the sum of its contributions in the order backward visits them (newest node
first); the engine adds into an array it made itself in place, which must give those same bits and
must never write into an array a rule returned (another leaf, or a pending gradient, may hold it)."""

import numpy as np

import autobp


def _fold(parts):
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total


def test_many_contributions_sum_newest_first_bit_for_bit():
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        cs = [rng.standard_normal(5).astype(dtype) for _ in range(7)]
        w = autobp.tensor(np.ones(5, dtype), requires_grad=True)
        y = w * cs[0]
        for c in cs[1:]:
            y = y + w * c
        y.sum().backward()
        assert w.grad.dtype == dtype
        newest_first = _fold(cs[::-1])
        assert np.array_equal(w.grad, newest_first)
        assert not np.array_equal(newest_first, _fold(cs))  # the order is visible in these bits


def test_a_gradient_shared_by_two_leaves_is_not_written_through():
    a = autobp.tensor([1.0, 2.0], requires_grad=True)
    b = autobp.tensor([3.0, 4.0], requires_grad=True)
    # backward visits (a + b) first: add's rule hands one array to both a and b; a then receives two
    # more contributions, which must not land in b's gradient
    y = (a * 3.0).sum() + (a * 2.0).sum() + (a + b).sum()
    y.backward()
    assert np.array_equal(a.grad, [6.0, 6.0])
    assert np.array_equal(b.grad, [1.0, 1.0])
    assert a.grad is not b.grad


def test_contributions_of_a_wider_dtype_promote_as_out_of_place_sums_do():
    rng = np.random.default_rng(1)
    x = autobp.tensor(np.ones(50, np.float32), requires_grad=True)
    c32 = rng.standard_normal(50).astype(np.float32)
    c64, d64 = rng.standard_normal(50), rng.standard_normal(50)  # x * c64 is float64
    f32 = np.float32
    y = (x * d64).astype(f32).sum() + (x * c64).astype(f32).sum() + (x * c32).sum() + (x * c32).sum()
    y.backward()
    assert y.dtype == f32  # so the last two contributions are float32, the first two float64
    # newest first: c32, c32 (a float32 sum), then c64 and d64, from where the sum is float64; the
    # leaf receives the float64 total rounded to float32. Adding them into the float32 sum in place
    # would round after each of them.
    expected = (((c32 + c32) + c64) + d64).astype(np.float32)
    rounded_each_time = ((c32 + c32) + c64).astype(np.float32)
    rounded_each_time = (rounded_each_time + d64).astype(np.float32)
    assert x.grad.dtype == np.float32
    assert np.array_equal(x.grad, expected)
    assert not np.array_equal(expected, rounded_each_time)


def test_zero_dimensional_leaves_sum_every_contribution():
    s = autobp.tensor(1.5, requires_grad=True)
    y = s * 2.0
    for k in range(3, 7):
        y = y + s * float(k)
    y.backward()
    assert float(s.grad) == 2.0 + 3.0 + 4.0 + 5.0 + 6.0


def test_grad_accumulates_across_backward_calls_into_the_delivered_array():
    w = autobp.tensor([1.0, -1.0], requires_grad=True)
    for _ in range(2):
        y = (w * 2.0 + w * 3.0 + w * 4.0).sum()
        y.backward()
    assert np.array_equal(w.grad, [18.0, 18.0])
