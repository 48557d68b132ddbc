"""PyTorch's top-level in-place functions (torch.exp_(t), torch.clamp_(t, lo, hi), torch.gcd_(a, b), ...):
same values as PyTorch, the tensor itself returned, and the write recorded for backward."""

import numpy as np
import pytest

import autobp
import autobp.pytorch_inplace_toplevel as inplace

torch = pytest.importorskip("torch")

UNIT = {"acos_", "arccos_", "asin_", "arcsin_", "atanh_", "arctanh_", "logit_", "erfinv_"}
POSITIVE = {"log_", "log10_", "log2_", "log1p_", "sqrt_", "rsqrt_", "reciprocal_", "acosh_", "arccosh_"}
ARGS = {
    "clamp_": (-0.3, 0.4), "clip_": (-0.2, None), "clamp_max_": (0.1,), "clamp_min_": (0.1,),
    "fill_": (2.5,), "xlogy_": (None,), "index_put_": None,
}  # fmt: skip
NOT_UNARY = ("gcd_", "lcm_", "ldexp_", "addmv_", "index_put_", "detach_", "resize_as_")
UNARY = [n for n in inplace.__all__ if n not in NOT_UNARY]


def _input(name):
    rng = np.random.default_rng(abs(hash(name)) % 1000)
    if name in UNIT:
        return rng.uniform(0.1, 0.9, (3, 4))
    if name in ("acosh_", "arccosh_"):
        return rng.uniform(1.1, 3.0, (3, 4))
    if name in POSITIVE:
        return rng.uniform(0.2, 2.0, (3, 4))
    if name == "conj_physical_":
        return rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    return rng.uniform(-2, 2, (3, 4))


@pytest.mark.parametrize("name", UNARY)
def test_values_match_torch_and_the_tensor_is_returned(name):
    x = _input(name)
    args = ARGS.get(name, ())
    if name == "xlogy_":
        args = (np.abs(x) + 0.5,)
    a, t = autobp.tensor(x.copy()), torch.tensor(x.copy())
    out = getattr(autobp, name)(a, *args)
    getattr(torch, name)(t, *[torch.tensor(v) if isinstance(v, np.ndarray) else v for v in args])
    assert out is a
    np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["exp_", "sigmoid_", "clamp_", "tanh_", "square_"])
def test_the_write_is_differentiated_as_torch_does(name):
    x = np.random.default_rng(1).uniform(-1, 1, (2, 3))
    args = ARGS.get(name, ())
    a = autobp.tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    ya, yt = a * 2.0, t * 2.0
    getattr(autobp, name)(ya, *args)
    getattr(torch, name)(yt, *args)
    (ya * ya).sum().backward()
    (yt * yt).sum().backward()
    np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-12)


def test_integer_and_product_forms_match_torch():
    a, t = autobp.tensor(np.array([12, 18, 7])), torch.tensor([12, 18, 7])
    autobp.gcd_(a, np.array([8, 12, 21]))
    torch.gcd_(t, torch.tensor([8, 12, 21]))
    np.testing.assert_array_equal(a.data, t.numpy())
    autobp.lcm_(a, np.array([3, 5, 2]))
    torch.lcm_(t, torch.tensor([3, 5, 2]))
    np.testing.assert_array_equal(a.data, t.numpy())
    x, e = np.array([1.5, -2.0, 3.0]), np.array([1.0, 0.5, -2.0])
    a, t = autobp.tensor(x.copy()), torch.tensor(x.copy())
    autobp.ldexp_(a, e)
    torch.ldexp_(t, torch.tensor(e))
    np.testing.assert_allclose(a.data, t.numpy())
    m, v, y = np.ones((3, 2)) * 0.5, np.array([1.0, 2.0]), np.array([1.0, 1.0, 2.0])
    a, t = autobp.tensor(y.copy()), torch.tensor(y.copy())
    autobp.addmv_(a, m, v, beta=2.0, alpha=3.0)
    torch.addmv_(t, torch.tensor(m), torch.tensor(v), beta=2.0, alpha=3.0)
    np.testing.assert_allclose(a.data, t.numpy())


def test_index_put_and_zero_top_level():
    a, t = autobp.zeros((3, 3)), torch.zeros((3, 3), dtype=torch.float64)
    idx = (np.array([0, 2, 0]), np.array([1, 1, 1]))
    autobp.index_put_(a, tuple(autobp.tensor(i) for i in idx), autobp.tensor([1.0, 2.0, 3.0]), True)
    torch.index_put_(
        t, tuple(torch.tensor(i) for i in idx), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), True
    )
    np.testing.assert_array_equal(a.data, t.numpy())
    assert autobp.zero_(a) is a and not a.data.any()


def test_a_non_tensor_is_refused():
    with pytest.raises(TypeError, match="exp_"):
        autobp.exp_(np.ones(3))
