"""set_default_dtype / get_default_dtype / set_default_tensor_type against PyTorch: with the same default
set in both, every constructor family gives torch's dtype and values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

DEFAULTS = ["float32", "float16", "float64"]


@pytest.fixture(autouse=True)
def restore_default():
    """Every test here may change the default in both libraries; no other test sees it."""
    before = torch.get_default_dtype()
    yield
    torch.set_default_dtype(before)
    autobp.set_default_dtype(np.float64)


def both(name: str) -> None:
    autobp.set_default_dtype(name)
    torch.set_default_dtype(getattr(torch, name))


def name_of(dtype) -> str:
    return str(dtype).removeprefix("torch.") if isinstance(dtype, torch.dtype) else np.dtype(dtype).name


def same(ours, theirs, exact: bool = True) -> None:
    """Same dtype (by name) and shape, and the same values (bit for bit, or to the dtype's rounding)."""
    assert name_of(ours.dtype) == name_of(theirs.dtype), (ours.dtype, theirs.dtype)
    a, b = np.asarray(ours), theirs.detach().numpy()
    assert a.shape == b.shape
    if exact:
        np.testing.assert_array_equal(a, b)
    else:
        scale = float(np.max(np.abs(b))) if b.size else 0.0  # grids differ by ulps of their ends
        np.testing.assert_allclose(
            a, b, rtol=4 * np.finfo(a.dtype).eps, atol=4 * np.finfo(a.dtype).eps * scale
        )


# each case: (label, call on a module: autobp or torch, exact values?)
VALUES = [
    ("tensor(float)", lambda m: m.tensor(0.1), True),
    ("tensor(list of floats)", lambda m: m.tensor([0.1, 2.0, -3.5]), True),
    ("tensor(nested)", lambda m: m.tensor([[1.0, 2.5], [0.3, 4.0]]), True),
    ("tensor(ints and a float)", lambda m: m.tensor([1, 2.5]), True),
    ("tensor(ints)", lambda m: m.tensor([1, 2]), True),
    ("tensor(bools)", lambda m: m.tensor([True, False]), True),
    ("tensor(float64 array)", lambda m: m.tensor(np.array([0.1, 0.2])), True),
    ("tensor(float32 array)", lambda m: m.tensor(np.array([0.1], np.float32)), True),
    ("tensor(numpy float64)", lambda m: m.tensor(np.float64(0.1)), True),
    ("tensor(list of numpy float64)", lambda m: m.tensor([np.float64(0.1), np.float64(2)]), True),
    ("as_tensor(list)", lambda m: m.as_tensor([0.1, 0.7]), True),
    ("as_tensor(float)", lambda m: m.as_tensor(2.5), True),
    ("as_tensor(float64 array)", lambda m: m.as_tensor(np.array([0.1])), True),
    ("Tensor(floats)", lambda m: m.Tensor([0.1, 0.2]), True),
    ("zeros", lambda m: m.zeros(2, 3), True),
    ("zeros(size=)", lambda m: m.zeros(size=(2,)), True),
    ("ones", lambda m: m.ones(4), True),
    ("zeros(dtype=float64)", lambda m: m.zeros(2, dtype=m.float64), True),
    ("ones(dtype=int64)", lambda m: m.ones(2, dtype=m.int64), True),
    ("full(float fill)", lambda m: m.full((2, 2), 0.1), True),
    ("full(numpy float64 fill)", lambda m: m.full((2,), np.float64(0.1)), True),
    ("full(int fill)", lambda m: m.full((2,), 7), True),
    ("full(bool fill)", lambda m: m.full((2,), True), True),
    ("arange(ints)", lambda m: m.arange(5), True),
    ("arange(float end)", lambda m: m.arange(4.0), True),
    ("arange(float start)", lambda m: m.arange(0.5, 3), True),
    ("arange(float step)", lambda m: m.arange(0, 1, 0.1), True),
    ("arange(numpy float64)", lambda m: m.arange(np.float64(3)), True),
    ("linspace", lambda m: m.linspace(0, 1, 7), False),
    ("linspace(float ends)", lambda m: m.linspace(-2.5, 0.3, 5), False),
    ("logspace", lambda m: m.logspace(0, 2, 5), False),
    ("logspace(base 2)", lambda m: m.logspace(0, 3, 4, base=2.0), False),
    ("asarray(list)", lambda m: m.asarray([0.1, 2.0]), True),
    ("asarray(float64 array)", lambda m: m.asarray(np.array([0.1])), True),
    ("range", lambda m: m.range(0, 2, 0.5), True),
    ("hann_window", lambda m: m.hann_window(6), False),
    ("kaiser_window", lambda m: m.kaiser_window(5), False),
    ("scalar_tensor", lambda m: m.scalar_tensor(0.1), True),
    ("scalar_tensor(int)", lambda m: m.scalar_tensor(3), True),
    ("eye", lambda m: m.eye(3), True),
    ("eye(n, m)", lambda m: m.eye(2, 4), True),
    ("int tensor * float", lambda m: m.tensor([1, 2, 3]) * 0.1, True),
    ("float * int tensor", lambda m: 0.1 * m.tensor([1, 2, 3]), True),
    ("int tensor + float", lambda m: m.tensor([1, 2]) + 0.3, True),
    ("float - int tensor", lambda m: 0.3 - m.tensor([1, 2]), True),
    ("int tensor / int", lambda m: m.tensor([1, 2, 3]) / 3, True),
    ("int / int tensor", lambda m: 1 / m.tensor([1, 2, 3]), True),
    ("int32 tensor + float", lambda m: m.tensor(np.array([1, 2], np.int32)) + 1.5, True),
    ("bool tensor * float", lambda m: m.tensor([True, False]) * 1.5, True),
    ("int tensor ** float", lambda m: m.tensor([1, 2, 3]) ** 0.5, False),
    ("float ** int tensor", lambda m: 1.5 ** m.tensor([1, 2, 3]), False),
    ("int tensor * int", lambda m: m.tensor([1, 2]) * 3, True),
    ("int tensor ** int", lambda m: m.tensor([1, 2]) ** 2, True),
    ("float tensor * float", lambda m: m.tensor([1.0, 2.0]) * 0.1, True),
    ("float64 tensor * float", lambda m: m.tensor(np.array([1.0, 2.0])) * 0.1, True),
]
COMPLEX = [  # under float16 torch makes complex32, which numpy has not: autobp makes complex64
    ("tensor(complex)", lambda m: m.tensor(1 + 2j), True),
    ("tensor(list with a complex)", lambda m: m.tensor([1.0, 2j]), True),
    ("full(complex fill)", lambda m: m.full((2,), 0.1 + 1j), True),
    ("int tensor * complex", lambda m: m.tensor([1, 2]) * 1j, True),
    ("tensor(complex128 array)", lambda m: m.tensor(np.array([1j])), True),
]


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("label, make, exact", VALUES, ids=[c[0] for c in VALUES])
def test_constructors_give_torchs_dtype_and_values(default, label, make, exact):
    both(default)
    same(make(autobp), make(torch), exact)


@pytest.mark.parametrize("default", ["float32", "float64"])
@pytest.mark.parametrize("label, make, exact", COMPLEX, ids=[c[0] for c in COMPLEX])
def test_complex_data_takes_the_defaults_complex_dtype(default, label, make, exact):
    both(default)
    same(make(autobp), make(torch), exact)


@pytest.mark.parametrize("label, make, exact", COMPLEX[:4], ids=[c[0] for c in COMPLEX[:4]])
def test_complex_under_float16_is_complex64_as_numpy_has_no_complex32(label, make, exact):
    autobp.set_default_dtype(np.float16)
    assert make(autobp).dtype == np.complex64


RANDOM = [
    ("rand", lambda m: m.rand(3, 2)),
    ("randn", lambda m: m.randn(4)),
    ("normal(numbers, size)", lambda m: m.normal(0.0, 1.0, (3,))),
    ("normal(float64 mean)", lambda m: m.normal(m.zeros(2, dtype=m.float64), 1.0)),
    ("rand(dtype=float64)", lambda m: m.rand(2, dtype=m.float64)),
    ("randint", lambda m: m.randint(0, 5, (3,))),
    ("empty", lambda m: m.empty(2, 3)),
    ("empty_strided", lambda m: m.empty_strided((2, 3), (1, 2))),
    ("empty_permuted", lambda m: m.empty_permuted((2, 3), (1, 0))),
]


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("label, make", RANDOM, ids=[c[0] for c in RANDOM])
def test_random_and_uninitialised_constructors_give_torchs_dtype(default, label, make):
    both(default)
    ours, theirs = make(autobp), make(torch)
    assert name_of(ours.dtype) == name_of(theirs.dtype) and ours.shape == tuple(theirs.shape)
    if label == "rand":
        assert np.all((np.asarray(ours) >= 0) & (np.asarray(ours) < 1))


LAYERS = [
    ("Linear", lambda nn: nn.Linear(3, 2), ["weight", "bias"]),
    ("Conv2d", lambda nn: nn.Conv2d(1, 2, 3), ["weight", "bias"]),
    ("LayerNorm", lambda nn: nn.LayerNorm(4), ["weight", "bias"]),
    ("BatchNorm1d", lambda nn: nn.BatchNorm1d(3), ["weight", "running_mean"]),
    ("Embedding", lambda nn: nn.Embedding(5, 2), ["weight"]),
    ("LSTM", lambda nn: nn.LSTM(2, 3), ["weight_ih_l0", "bias_hh_l0"]),
    ("PReLU", lambda nn: nn.PReLU(), ["weight"]),
    ("MultiheadAttention", lambda nn: nn.MultiheadAttention(4, 2), ["in_proj_weight", "in_proj_bias"]),
]


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("label, make, names", LAYERS, ids=[c[0] for c in LAYERS])
def test_layers_parameters_take_the_default_of_when_made(default, label, make, names):
    both(default)
    ours, theirs = make(autobp.nn), make(torch.nn)
    for n in names:
        assert name_of(getattr(ours, n).dtype) == name_of(getattr(theirs, n).dtype) == default, n


NONE_DTYPE = [
    ("Linear", lambda nn: nn.Linear(3, 2, dtype=None).weight),
    ("Conv1d", lambda nn: nn.Conv1d(1, 2, 3, dtype=None).weight),
    ("ConvTranspose2d", lambda nn: nn.ConvTranspose2d(1, 2, 3, dtype=None).weight),
    ("BatchNorm2d", lambda nn: nn.BatchNorm2d(3, dtype=None).running_var),
    ("GroupNorm", lambda nn: nn.GroupNorm(1, 2, dtype=None).weight),
    ("GRU", lambda nn: nn.GRU(2, 3, dtype=None).weight_hh_l0),
    ("LSTMCell", lambda nn: nn.LSTMCell(2, 3, dtype=None).weight_ih),
    ("Bilinear", lambda nn: nn.Bilinear(2, 2, 3, dtype=None).weight),
    ("EmbeddingBag", lambda nn: nn.EmbeddingBag(3, 2, dtype=None).weight),
    ("TransformerEncoderLayer", lambda nn: nn.TransformerEncoderLayer(4, 2, 8, dtype=None).linear1.weight),
    ("causal mask", lambda nn: nn.Transformer.generate_square_subsequent_mask(3, dtype=None)),
]


@pytest.mark.parametrize("label, make", NONE_DTYPE, ids=[c[0] for c in NONE_DTYPE])
def test_layers_given_dtype_none_take_the_default_as_torchs(label, make):
    """Ported code passes its own factory_kwargs (dtype=None) on: None means the default, as in PyTorch."""
    both("float32")
    assert name_of(make(autobp.nn).dtype) == name_of(make(torch.nn).dtype) == "float32"


def test_a_layer_keeps_the_dtype_it_was_made_with_and_an_explicit_dtype_wins():
    autobp.set_default_dtype(np.float32)
    layer = autobp.nn.Linear(2, 2)
    wide = autobp.nn.Linear(2, 2, dtype=np.float64)
    autobp.set_default_dtype(np.float64)
    assert layer.weight.dtype == np.float32 and wide.weight.dtype == np.float64
    assert autobp.nn.Linear(2, 2).weight.dtype == np.float64


@pytest.mark.parametrize("default", DEFAULTS)
def test_parameter_of_nothing_and_transformer_mask(default):
    both(default)
    same(autobp.nn.Parameter(), torch.nn.Parameter())
    ours = autobp.nn.Transformer.generate_square_subsequent_mask(3)
    same(ours, torch.nn.Transformer.generate_square_subsequent_mask(3))


@pytest.mark.parametrize("default", ["float32", "float16"])
def test_gradients_of_default_dtype_leaves_have_their_dtype_and_torchs_values(default):
    both(default)
    xs = [m.tensor([0.5, -1.25, 2.0], requires_grad=True) for m in (autobp, torch)]
    for x in xs:
        ((x * x * 0.5).sum() + (x * 3).sum()).backward()
    assert name_of(xs[0].grad.dtype) == name_of(xs[1].grad.dtype) == default
    np.testing.assert_array_equal(np.asarray(xs[0].grad), xs[1].grad.numpy())


def test_get_default_dtype_answers_the_state():
    assert autobp.get_default_dtype() is np.float64
    for name in DEFAULTS:
        both(name)
        assert autobp.get_default_dtype() is getattr(np, name)
        assert name_of(autobp.get_default_dtype()) == name_of(torch.get_default_dtype())


@pytest.mark.parametrize("bad", [np.int32, np.int64, np.bool_, np.complex64, np.complex128, "uint8"])
def test_non_floating_defaults_are_refused_as_torchs_typeerror(bad):
    autobp.set_default_dtype(np.float32)
    with pytest.raises(TypeError, match="only floating-point types are supported") as ours:
        autobp.set_default_dtype(bad)
    assert np.dtype(bad).name in str(ours.value)  # the message names the dtype
    with pytest.raises(TypeError, match="only floating-point types are supported"):
        torch.set_default_dtype(getattr(torch, np.dtype(bad).name.replace("bool", "bool")))
    assert autobp.get_default_dtype() is np.float32  # a refusal leaves the default as it was


def test_a_non_dtype_is_a_typeerror_naming_it():
    with pytest.raises(TypeError, match="'float33'"):
        autobp.set_default_dtype("float33")
    with pytest.raises(TypeError, match="longdouble|float128|only floating-point"):
        autobp.set_default_dtype(np.longdouble)
    with pytest.raises(TypeError, match="numpy has no bfloat16"):
        autobp.set_default_dtype("bfloat16")
    assert autobp.get_default_dtype() is np.float64


@pytest.mark.parametrize("name", ["FloatTensor", "HalfTensor", "DoubleTensor"])
def test_set_default_tensor_type_sets_the_default_dtype(name):
    autobp.set_default_tensor_type(getattr(autobp, name))
    with warnings.catch_warnings():  # torch's deprecation warning (once per process)
        warnings.simplefilter("ignore")
        torch.set_default_tensor_type(getattr(torch, name))
    same(autobp.tensor([0.1, 0.2]), torch.tensor([0.1, 0.2]))
    same(autobp.zeros(2), torch.zeros(2))
    autobp.set_default_tensor_type(f"torch.{name}")
    assert name_of(autobp.get_default_dtype()) == name_of(torch.get_default_dtype())


def test_repr_names_float64_and_hides_the_default_as_torchs():
    both("float32")
    assert repr(autobp.tensor([1.5])) == "tensor([1.5])"
    assert repr(autobp.tensor(np.array([1.5]))) == "tensor([1.5], dtype=float64)"
    assert "dtype=torch.float64" in repr(torch.tensor(np.array([1.5])))


def test_numpy_named_creation_follows_the_default_when_no_dtype_is_given():
    """numpy's spellings (zeros(shape), identity, tri, geomspace) make the default dtype, as torch's."""
    autobp.set_default_dtype(np.float32)
    for t in (
        autobp.zeros((2, 3)),
        autobp.ones((2,)),
        autobp.empty((1,)),
        autobp.identity(2),
        autobp.tri(3),
        autobp.geomspace(1, 8, 4),
        autobp.linspace(np.float64(0), np.float64(1), 3),
    ):
        assert t.dtype == np.float32
    assert autobp.zeros((2,), np.float64).dtype == np.float64  # numpy's positional dtype still wins
    np.testing.assert_allclose(autobp.geomspace(1, 8, 4), [1, 2, 4, 8], rtol=1e-6)
    autobp.set_default_dtype(np.float64)
    assert autobp.zeros((2,)).dtype == np.float64 and autobp.tri(2).dtype == np.float64


def test_ops_of_existing_tensors_keep_their_dtype():
    """Only creation reads the default: a float64 tensor stays float64 through ops, and float32 ones
    stay float32 after the default goes back to float64."""
    autobp.set_default_dtype(np.float32)
    wide = autobp.tensor(np.array([1.0, 2.0]))
    assert (wide * 1.5 + wide.exp()).dtype == np.float64
    narrow = autobp.tensor([1.0, 2.0])
    autobp.set_default_dtype(np.float64)
    assert (narrow * 1.5).dtype == np.float32 and (autobp.tensor([1, 2]) * 1.5).dtype == np.float64


DISTRIBUTIONS = [
    ("Normal.sample", lambda D, m: D.Normal(0.0, 1.0).sample((2,))),
    ("Normal.log_prob", lambda D, m: D.Normal(0.0, 2.0).log_prob(m.tensor(0.5))),
    ("Uniform.rsample", lambda D, m: D.Uniform(0.0, 2.0).rsample((3,))),
    ("Bernoulli.sample", lambda D, m: D.Bernoulli(probs=0.3).sample()),
    ("Gamma.sample", lambda D, m: D.Gamma(2.0, 1.0).sample()),
    ("Laplace.entropy", lambda D, m: D.Laplace(0.0, 1.0).entropy()),
    ("Normal(float64 tensor)", lambda D, m: D.Normal(m.zeros(2, dtype=m.float64), 1.0).sample()),
]


@pytest.mark.parametrize("default", DEFAULTS[::2])
@pytest.mark.parametrize("label, make", DISTRIBUTIONS, ids=[c[0] for c in DISTRIBUTIONS])
def test_distributions_of_numbers_take_the_default(default, label, make):
    both(default)
    ours, theirs = make(autobp.distributions, autobp), make(torch.distributions, torch)
    assert name_of(ours.dtype) == name_of(theirs.dtype)
