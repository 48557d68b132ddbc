"""PyTorch's ``device=`` on the factories: the CPU is accepted (as a string, a torch.device or a
tensor's ``.device``) and gives what PyTorch gives; any other device is refused with a clear error."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

# (autobp call, torch call): each given the device, deterministic results
FACTORIES = [
    (lambda d: autobp.zeros(2, 3, device=d), lambda d: torch.zeros(2, 3, device=d, dtype=torch.float64)),
    (lambda d: autobp.ones((2,), device=d), lambda d: torch.ones((2,), device=d, dtype=torch.float64)),
    (
        lambda d: autobp.full((2, 2), 1.5, device=d),
        lambda d: torch.full((2, 2), 1.5, device=d, dtype=torch.float64),
    ),
    (lambda d: autobp.eye(3, device=d), lambda d: torch.eye(3, device=d, dtype=torch.float64)),
    (lambda d: autobp.arange(5, device=d), lambda d: torch.arange(5, device=d)),
    (
        lambda d: autobp.arange(0.0, 1.0, 0.25, device=d),
        lambda d: torch.arange(0.0, 1.0, 0.25, device=d, dtype=torch.float64),
    ),
    (
        lambda d: autobp.linspace(0, 1, 5, device=d),
        lambda d: torch.linspace(0, 1, 5, device=d, dtype=torch.float64),
    ),
    (
        lambda d: autobp.logspace(0, 2, 3, device=d),
        lambda d: torch.logspace(0, 2, 3, device=d, dtype=torch.float64),
    ),
    (
        lambda d: autobp.tensor([1.0, 2.0], device=d),
        lambda d: torch.tensor([1.0, 2.0], device=d, dtype=torch.float64),
    ),
    (lambda d: autobp.as_tensor([1, 2], device=d), lambda d: torch.as_tensor([1, 2], device=d)),
    (
        lambda d: autobp.scalar_tensor(2.0, device=d),
        lambda d: torch.scalar_tensor(2.0, device=d, dtype=torch.float64),
    ),
    (
        lambda d: autobp.zeros_like(autobp.ones(2), device=d),
        lambda d: torch.zeros_like(torch.ones(2, dtype=torch.float64), device=d),
    ),
    (
        lambda d: autobp.ones_like(autobp.ones(2), device=d),
        lambda d: torch.ones_like(torch.ones(2, dtype=torch.float64), device=d),
    ),
    (
        lambda d: autobp.full_like(autobp.ones(2), 3.0, device=d),
        lambda d: torch.full_like(torch.ones(2, dtype=torch.float64), 3.0, device=d),
    ),
    (
        lambda d: autobp.ones(2).new_zeros(3, device=d),
        lambda d: torch.ones(2, dtype=torch.float64).new_zeros(3, device=d),
    ),
    (
        lambda d: autobp.ones(2).new_ones((1, 2), device=d),
        lambda d: torch.ones(2, dtype=torch.float64).new_ones((1, 2), device=d),
    ),
    (
        lambda d: autobp.ones(2).new_full((2,), 4.0, device=d),
        lambda d: torch.ones(2, dtype=torch.float64).new_full((2,), 4.0, device=d),
    ),
    (
        lambda d: autobp.ones(2).new_tensor([5.0], device=d),
        lambda d: torch.ones(2, dtype=torch.float64).new_tensor([5.0], device=d),
    ),
    (lambda d: autobp.ones(2).to(d), lambda d: torch.ones(2, dtype=torch.float64).to(d)),
    (lambda d: autobp.ones(2).to(device=d), lambda d: torch.ones(2, dtype=torch.float64).to(device=d)),
]
# random and uninitialised: shape and dtype only
SHAPED = [
    (lambda d: autobp.empty(2, 3, device=d), (2, 3), np.float64),
    (lambda d: autobp.randn(4, device=d), (4,), np.float64),
    (lambda d: autobp.rand(2, 2, device=d), (2, 2), np.float64),
    (lambda d: autobp.randint(0, 5, (3,), device=d), (3,), np.int64),
    (lambda d: autobp.randperm(4, device=d), (4,), np.int64),
    (lambda d: autobp.randn_like(autobp.ones(3), device=d), (3,), np.float64),
    (lambda d: autobp.rand_like(autobp.ones(3), device=d), (3,), np.float64),
    (lambda d: autobp.randint_like(autobp.ones(3), 5, device=d), (3,), np.float64),  # torch: t's dtype
    (lambda d: autobp.normal(0.0, 1.0, (2,), device=d), (2,), np.float64),
    (lambda d: autobp.empty_like(autobp.ones(3), device=d), (3,), np.float64),
    (lambda d: autobp.ones(2).new_empty(3, device=d), (3,), np.float64),
]
CPUS = ["cpu", "cpu:0", torch.device("cpu"), autobp.ones(1).device, None]


@pytest.mark.parametrize("device", CPUS, ids=str)
@pytest.mark.parametrize("k", range(len(FACTORIES)))
def test_cpu_device_gives_torchs_result(k, device):
    ours, theirs = FACTORIES[k]
    got = ours(device)
    want = theirs(device if device is not None else "cpu").numpy()
    assert isinstance(got, autobp.Tensor)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("device", CPUS, ids=str)
@pytest.mark.parametrize("k", range(len(SHAPED)))
def test_cpu_device_random_factories(k, device):
    fn, shape, dtype = SHAPED[k]
    got = fn(device)
    assert got.shape == shape and got.dtype == dtype


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps", "meta"])
@pytest.mark.parametrize("k", range(len(FACTORIES) + len(SHAPED)))
def test_other_devices_are_refused(k, device):
    fn = FACTORIES[k][0] if k < len(FACTORIES) else SHAPED[k - len(FACTORIES)][0]
    with pytest.raises(ValueError, match="CPU"):
        fn(device)


def test_to_and_casts_take_pytorchs_flags_and_memory_format():
    """t.to(device, dtype, non_blocking, copy) positionally and memory_format= (arrays stay
    row-major), and the cast methods' memory_format=, as PyTorch's calls spell them."""
    x = autobp.tensor(np.arange(6.0).reshape(2, 3))
    tx = torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
    fmt = torch.preserve_format
    same = x.to("cpu", np.float64, False, False, memory_format=fmt)
    assert same is x  # nothing changes: self, as tx.to(...) returns tx
    assert tx.to("cpu", torch.float64, False, False, memory_format=fmt) is tx
    copied = x.to("cpu", np.float64, False, True)
    assert copied is not x and np.array_equal(copied.data, x.data)
    assert x.to(np.float32, non_blocking=True).dtype == np.float32
    for name in (
        "float",
        "double",
        "half",
        "int",
        "long",
        "short",
        "bool",
        "byte",
        "char",
        "cfloat",
        "cdouble",
    ):
        got = getattr(x, name)(memory_format=torch.contiguous_format)
        want = getattr(tx, name)(memory_format=torch.contiguous_format).numpy()
        assert got.dtype == want.dtype and np.array_equal(got.data, want), name
    with pytest.raises(TypeError):
        x.to(np.float32, True, True, True)
