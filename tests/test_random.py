"""autobp.random: PyTorch's and numpy's random constructors on one global generator that manual_seed
seeds; layers and dropout draw from it too, so a seeded run repeats."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab


def test_manual_seed_repeats_draws_layers_and_dropout():
    def run():
        ab.manual_seed(123)
        layer = ab.nn.Linear(4, 3)
        x = ab.randn(5, 4)
        mask = ab.nn.functional.dropout(ab.ones(8), 0.5)
        return x.data, layer.weight.data.copy(), mask.data, ab.randint(0, 10, (4,)).data

    first, second = run(), run()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert ab.initial_seed() == 123
    ab.seed()  # fresh entropy: the next draws differ from the seeded ones (with overwhelming odds)
    assert not np.array_equal(ab.randn(5, 4).data, first[0])


def test_a_generator_or_seed_draws_what_numpy_draws():
    np.testing.assert_array_equal(
        ab.randn(3, 2, generator=7).data, np.random.default_rng(7).standard_normal((3, 2))
    )
    g = np.random.default_rng(5)
    np.testing.assert_array_equal(ab.rand(4, generator=g).data, np.random.default_rng(5).random(4))


def test_rng_state_round_trip():
    state = ab.get_rng_state()
    a = ab.rand(6).data
    ab.set_rng_state(state)
    np.testing.assert_array_equal(ab.rand(6).data, a)


def test_shapes_and_dtypes():
    assert ab.randn(2, 3).shape == ab.randn((2, 3)).shape == (2, 3)
    assert ab.randn().shape == ()
    assert ab.randn(2, dtype=np.float32).dtype == np.float32
    assert ab.rand(3).dtype == np.float64
    assert ab.randn(2, requires_grad=True).requires_grad
    like = ab.randn_like(ab.zeros((2, 2), dtype=np.float32))
    assert like.shape == (2, 2) and like.dtype == np.float32
    assert ab.rand_like(np.zeros(3)).shape == (3,)
    assert ab.randperm(5).dtype == np.int64


@pytest.mark.parametrize(
    "args, kwargs, low, high, shape",
    [
        ((10, (3, 2)), {}, 0, 10, (3, 2)),  # torch: randint(high, size)
        ((5, 9, (4,)), {}, 5, 9, (4,)),  # torch: randint(low, high, size)
        ((4,), {"size": (6,)}, 0, 4, (6,)),  # numpy: randint(low) is [0, low)
        ((2, 5), {}, 2, 5, ()),  # numpy: one draw
        ((), {"low": 3, "high": 6, "size": 7}, 3, 6, (7,)),
    ],
)
def test_randint_spellings(args, kwargs, low, high, shape):
    t = ab.randint(*args, **kwargs, generator=0)
    assert t.shape == shape and t.dtype == np.int64 and not t.requires_grad
    assert np.all((t.data >= low) & (t.data < high))


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_randint_like_takes_the_tensors_dtype_as_torch(dtype):
    torch = pytest.importorskip("torch")
    t = ab.randint_like(ab.tensor(np.zeros(500, dtype=dtype)), 2, 5)
    want = torch.randint_like(torch.from_numpy(np.zeros(500, dtype=dtype)), 2, 5)
    assert t.dtype == want.numpy().dtype and t.shape == tuple(want.shape)
    assert np.all((t.data >= 2) & (t.data < 5)) and np.all(t.data == np.round(t.data))
    assert set(np.unique(t.data)) == {2, 3, 4}  # 500 draws: every value appears
    assert ab.randint_like(ab.zeros(2), 3, dtype=np.int16).dtype == np.int16


def test_distributions_have_their_moments():
    n = 40_000
    x = ab.normal(2.0, 3.0, size=(n,), generator=1).data
    assert abs(x.mean() - 2.0) < 4 * 3.0 / np.sqrt(n) and abs(x.std() - 3.0) < 0.05
    means = ab.tensor([0.0, 100.0])
    y = ab.normal(means, ab.tensor([1.0, 0.0]), generator=1).data  # tensors broadcast; std 0 is exact
    assert y.shape == (2,) and y[1] == 100.0
    u = ab.random.uniform(-1.0, 1.0, size=n, generator=2).data
    assert u.min() >= -1.0 and u.max() < 1.0 and abs(u.mean()) < 0.02
    b = ab.bernoulli(ab.full((n,), 0.3), generator=3).data
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.02
    assert ab.bernoulli(ab.tensor([0.0, 1.0])).data.tolist() == [0.0, 1.0]


def test_multinomial():
    w = ab.tensor([[0.0, 1.0, 3.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    idx = ab.multinomial(w, 2, generator=4).data
    assert idx.shape == (2, 2) and idx.dtype == np.int64
    assert set(idx[0]) == {1, 2}  # without replacement: both non-zero categories, never a zero one
    assert len(set(idx[1])) == 2
    many = ab.multinomial(ab.tensor([1.0, 3.0]), 20_000, replacement=True, generator=5).data
    assert abs(many.mean() - 0.75) < 0.02
    with pytest.raises(ValueError, match="cannot draw 3 samples without replacement from 2"):
        ab.multinomial(w[0], 3)
    with pytest.raises(ValueError, match="non-negative"):
        ab.multinomial(ab.tensor([-1.0, 2.0]), 1)


def test_permutation_of_a_tensor_differentiates():
    assert sorted(ab.random.permutation(6).data.tolist()) == list(range(6))
    x = ab.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    p = ab.random.permutation(x, generator=0)
    assert sorted(map(tuple, p.data.tolist())) == sorted(map(tuple, x.data.tolist()))
    assert ab.gradcheck(lambda x: ab.random.permutation(x, generator=0) ** 2, (x,))


def test_bad_arguments_name_the_problem():
    with pytest.raises(ValueError, match="non-negative"):
        ab.randn(2, -1)
    with pytest.raises(TypeError, match="float32, float64, complex64 or complex128, got int64"):
        ab.randn(2, dtype=np.int64)
    with pytest.raises(ValueError, match="low < high"):
        ab.randint(5, 5, (2,))
    with pytest.raises(ValueError, match="non-negative integer"):
        ab.manual_seed(-1)
    with pytest.raises(TypeError, match="Generator, an int seed or None"):
        ab.randn(2, generator="x")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ab.bernoulli(ab.tensor([1.5]))


def test_normal_and_uniform_keep_float32_next_to_python_numbers():
    """A float32 tensor of parameters with a Python number beside it gives float32 samples, as
    torch.normal; Python numbers alone (or a float64 array) give float64."""
    torch = pytest.importorskip("torch")
    f = ab.tensor(np.ones(3, np.float32))
    assert ab.normal(f, 1.1).dtype == np.float32 == torch.normal(torch.ones(3), 1.1).numpy().dtype
    assert ab.normal(0.0, f).dtype == np.float32 == torch.normal(0.0, torch.ones(3)).numpy().dtype
    assert ab.random.uniform(f, 2.0).dtype == np.float32
    assert ab.normal(0.0, 1.0, (2,)).dtype == np.float64
    assert ab.normal(f, np.ones(3)).dtype == np.float64
