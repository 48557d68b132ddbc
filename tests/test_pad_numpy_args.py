"""np.pad's arguments as numpy reads them (numpy is the oracle): dict pad_width, integral-type and
negative checks, a callable mode, stat_length 0 refused for maximum/minimum, empty axes; and the
gradient of every mode against central differences (autobp.gradcheck)."""

import numpy as np
import pytest

import autobp as ab

MODES = [
    ("constant", {"constant_values": ((1.5, 2), (3, 4))}),
    ("edge", {}),
    ("reflect", {}),
    ("reflect", {"reflect_type": "odd"}),
    ("symmetric", {}),
    ("symmetric", {"reflect_type": "odd"}),
    ("wrap", {}),
    ("linear_ramp", {"end_values": ((1, 2), (3, -4))}),
    ("maximum", {"stat_length": 2}),
    ("minimum", {}),
    ("mean", {"stat_length": ((1, 2), (3, 1))}),
    ("median", {}),
]


@pytest.mark.parametrize("mode,kw", MODES)
@pytest.mark.parametrize("width", [((2, 3), (1, 0)), ((7, 5), (4, 9)), {1: (2, 6)}])
def test_pad_values_and_gradients_every_mode(mode, kw, width):
    x0 = np.random.default_rng(0).standard_normal((3, 4))
    np_width = width
    if isinstance(width, dict):
        np_width = ((0, 0), width[1])
    expected = np.pad(x0, np_width, mode=mode, **kw)
    x = ab.tensor(x0, requires_grad=True)
    y = ab.pad(x, width, mode=mode, **kw)
    np.testing.assert_allclose(y.detach().numpy(), expected, rtol=1e-12, atol=1e-12)
    assert ab.gradcheck(lambda t: ab.pad(t, width, mode=mode, **kw), (x,))


@pytest.mark.parametrize(
    "shape,width",
    [((3, 4, 5), {-2: (1, 3)}), ((3, 4, 5), {0: (5, 2), -1: (3, 4)}), ((3, 4, 5), {1: 5})],
)
def test_pad_dict_width_matches_numpy(shape, width):
    x = np.arange(np.prod(shape), dtype=float).reshape(shape)
    np.testing.assert_array_equal(ab.pad(ab.tensor(x), width, mode="edge").numpy(), np.pad(x, width, "edge"))


@pytest.mark.parametrize("width", [3.0, "3", None, 1 - 1j, ((-2.1, 3), (3, 2)), np.array([1, 2], np.uint8)])
def test_pad_width_must_be_integral(width):
    x = np.arange(30).reshape(6, 5)
    with pytest.raises(TypeError) as want:
        np.pad(x, width)
    with pytest.raises(TypeError, match="`pad_width` must be of integral type"):
        ab.pad(ab.tensor(x), width)
    assert "integral type" in str(want.value)


@pytest.mark.parametrize("width", [-2, (1, -1), ((1, 2), (-3, 1))])
def test_pad_negative_width(width):
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="index can't contain negative values"):
        np.pad(x, width)
    with pytest.raises(ValueError, match="index can't contain negative values"):
        ab.pad(ab.tensor(x), width)


@pytest.mark.parametrize("width", [(4, 5, 6, 7), (((3,), (4,), (5,)), ((0,), (1,), (2,)))])
def test_pad_width_not_fitting(width):
    x = np.ones((3, 3))
    with pytest.raises(ValueError) as want:
        np.pad(x, width)
    with pytest.raises(ValueError) as got:
        ab.pad(ab.tensor(x), width)
    assert str(want.value) in str(got.value)


def _tens(vector, pad_width, iaxis, kwargs):
    vector[: pad_width[0]] = kwargs.get("v", 10)
    vector[vector.size - pad_width[1] :] = kwargs.get("v", 10)


def test_pad_callable_mode_matches_numpy():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ab.pad(ab.tensor(x), 2, _tens).numpy(), np.pad(x, 2, _tens))
    expected = np.pad(x, (1, 0), _tens, v=-1)
    np.testing.assert_array_equal(ab.pad(ab.tensor(x), (1, 0), _tens, v=-1).numpy(), expected)


def test_pad_callable_mode_refuses_input_needing_gradient():
    x = ab.tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(TypeError, match="no gradient"):
        ab.pad(x, 1, _tens)


@pytest.mark.parametrize("mode", ["maximum", "minimum"])
@pytest.mark.parametrize("width,stat", [(0, 0), (0, (1, 0)), (1, 0), (1, (1, 0))])
def test_pad_zero_stat_length_refused(mode, width, stat):
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="stat_length of 0 yields no value"):
        np.pad(x, width, mode, stat_length=stat)
    with pytest.raises(ValueError, match="stat_length of 0 yields no value"):
        ab.pad(ab.tensor(x), width, mode, stat_length=stat)


@pytest.mark.parametrize("mode", ["edge", "reflect", "wrap", "maximum", "linear_ramp"])
def test_pad_empty_axis_message_and_other_axes(mode):
    x = np.zeros((0, 3))
    msg = "can't extend empty axis 0 using modes other than 'constant' or 'empty'"
    with pytest.raises(ValueError, match=msg):
        np.pad(x, ((1, 0), (0, 0)), mode)
    with pytest.raises(ValueError, match=msg):
        ab.pad(ab.tensor(x), ((1, 0), (0, 0)), mode)
    assert ab.pad(ab.tensor(x), ((0, 0), (2, 1)), mode).shape == np.pad(x, ((0, 0), (2, 1)), mode).shape


def test_pad_unknown_mode_message():
    with pytest.raises(ValueError, match="mode '1' is not supported"):
        np.pad(np.ones(2), 1, 1)
    with pytest.raises(ValueError, match="mode '1' is not supported"):
        ab.pad(ab.ones(2), 1, 1)
