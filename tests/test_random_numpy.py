"""numpy.random's functions in autobp.random: the same draws as numpy's Generator seeded alike
(autobp's global generator is default_rng(seed)), repeatable with seed/manual_seed, numpy's shapes
and dtypes, shuffle in place (a Tensor as a recorded write), state save/restore, numpy's classes."""

import numpy as np
import pytest

import autobp
import autobp.random as R
from autobp import Tensor

# (name, args, kwargs): one call per function
CALLS = [
    ("beta", (2.0, 3.0), {"size": 3}),
    ("binomial", (10, 0.3), {"size": (2, 2)}),
    ("chisquare", (3.0,), {"size": 2}),
    ("dirichlet", ([1.0, 2.0, 3.0],), {"size": 2}),
    ("exponential", (2.0,), {"size": 3}),
    ("f", (3.0, 5.0), {"size": 2}),
    ("gamma", (2.0, 1.5), {"size": 2}),
    ("geometric", (0.4,), {"size": 3}),
    ("gumbel", (0.0, 1.0), {"size": 2}),
    ("hypergeometric", (5, 7, 4), {"size": 3}),
    ("laplace", (1.0, 2.0), {"size": 2}),
    ("logistic", (), {"size": 2}),
    ("lognormal", (0.0, 0.5), {"size": 2}),
    ("logseries", (0.6,), {"size": 3}),
    ("multivariate_normal", ([0.0, 1.0], [[1.0, 0.2], [0.2, 2.0]]), {"size": 4}),
    ("negative_binomial", (3, 0.5), {"size": 3}),
    ("noncentral_chisquare", (3.0, 1.0), {"size": 2}),
    ("noncentral_f", (3.0, 5.0, 1.0), {"size": 2}),
    ("pareto", (3.0,), {"size": 2}),
    ("poisson", (4.0,), {"size": (2, 3)}),
    ("power", (2.0,), {"size": 2}),
    ("rayleigh", (), {"size": 2}),
    ("standard_cauchy", (), {"size": 2}),
    ("standard_exponential", (), {"size": 2}),
    ("standard_gamma", (2.0,), {"size": 2}),
    ("standard_normal", ((2, 3),), {}),
    ("standard_t", (4.0,), {"size": 2}),
    ("triangular", (0.0, 1.0, 3.0), {"size": 2}),
    ("vonmises", (0.0, 2.0), {"size": 2}),
    ("wald", (1.0, 2.0), {"size": 2}),
    ("weibull", (1.5,), {"size": 2}),
    ("zipf", (2.0,), {"size": 3}),
    ("choice", (5, 3), {"replace": False}),
    ("bytes", (6,), {}),
]
ALIASES = {"random_sample": "random", "ranf": "random", "sample": "random", "random": "random"}


@pytest.mark.parametrize("name, args, kwargs", CALLS, ids=[c[0] for c in CALLS])
def test_draws_are_numpys_generators_draws_and_repeat_with_the_seed(name, args, kwargs):
    R.manual_seed(7)
    first = getattr(R, name)(*args, **kwargs)
    expected = getattr(np.random.default_rng(7), name)(*args, **kwargs)
    R.seed(7)
    again = getattr(R, name)(*args, **kwargs)
    if name == "bytes":
        assert first == again == expected and isinstance(first, bytes)
        return
    assert isinstance(first, np.ndarray) and not isinstance(first, Tensor)
    assert first.dtype == expected.dtype and first.shape == expected.shape
    np.testing.assert_array_equal(first, expected)
    np.testing.assert_array_equal(again, first)


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_uniform_draws_and_their_aliases(name):
    R.manual_seed(1)
    a = getattr(R, name)((2, 2))
    np.testing.assert_array_equal(a, np.random.default_rng(1).random((2, 2)))
    assert isinstance(getattr(R, name)(), float)


def test_a_different_seed_gives_different_draws_and_draws_advance_the_generator():
    R.manual_seed(0)
    a, b = R.standard_normal(5), R.standard_normal(5)
    R.manual_seed(1)
    c = R.standard_normal(5)
    assert not np.array_equal(a, b) and not np.array_equal(a, c)


def test_get_state_and_set_state_replay_draws():
    R.manual_seed(3)
    state = R.get_state()
    a = R.poisson(3.0, 4)
    R.standard_normal(10)
    R.set_state(state)
    np.testing.assert_array_equal(R.poisson(3.0, 4), a)
    with pytest.raises(TypeError, match="state dict"):
        R.set_state(("MT19937", np.zeros(624, np.uint32), 0, 0, 0.0))


def test_tensor_parameters_are_read_as_values():
    R.manual_seed(2)
    a = R.gamma(Tensor([1.0, 2.0], requires_grad=True), 1.0)
    np.testing.assert_array_equal(a, np.random.default_rng(2).gamma(np.array([1.0, 2.0]), 1.0))


def test_shuffle_permutes_arrays_and_lists_in_place_along_the_first_axis():
    x = np.arange(12).reshape(4, 3)
    R.manual_seed(5)
    assert R.shuffle(x) is None
    expected = np.arange(12).reshape(4, 3)
    np.random.default_rng(5).shuffle(expected)
    np.testing.assert_array_equal(x, expected)
    items = [1, 2, 3, 4, 5]
    R.shuffle(items)
    assert sorted(items) == [1, 2, 3, 4, 5]


def test_shuffle_of_a_tensor_is_a_recorded_in_place_permutation():
    t = autobp.arange(6.0).reshape(3, 2)
    version = t._version
    R.shuffle(t)
    assert sorted(t.data[:, 0]) == [0.0, 2.0, 4.0] and t._version > version
    leaf = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        R.shuffle(leaf)
    y = leaf * Tensor([1.0, 10.0, 100.0])
    R.shuffle(y)
    y.sum().backward()  # a permutation of the products: each weight reaches its own element
    np.testing.assert_array_equal(leaf.grad, [1.0, 10.0, 100.0])
    with autobp.no_grad():
        R.shuffle(leaf)
    assert sorted(leaf.data) == [1.0, 2.0, 3.0]


def test_choice_of_a_tensor_indexes_it_so_gradients_flow():
    t = Tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    R.manual_seed(0)
    picked = R.choice(t, 3, replace=False)
    picked.sum().backward()
    assert t.grad.sum() == 3.0 and set(np.unique(t.grad)) <= {0.0, 1.0}


def test_the_classes_are_numpys_own():
    assert R.Generator is np.random.Generator and R.SeedSequence is np.random.SeedSequence
    assert R.PCG64 is np.random.PCG64 and R.RandomState is np.random.RandomState
    assert R.default_rng is np.random.default_rng
    np.testing.assert_array_equal(R.default_rng(4).random(3), np.random.default_rng(4).random(3))


def test_set_bit_generator_redirects_every_draw():
    saved = R.get_bit_generator()
    try:
        R.set_bit_generator(np.random.PCG64(11))
        np.testing.assert_array_equal(R.random(3), np.random.Generator(np.random.PCG64(11)).random(3))
        assert R.get_bit_generator() is not saved
    finally:
        R.set_bit_generator(saved)


def test_random_integers_is_inclusive_and_deprecated_as_in_numpy():
    with pytest.warns(DeprecationWarning):
        draws = R.random_integers(1, 3, size=200)
    assert set(np.unique(draws)) == {1, 2, 3}
