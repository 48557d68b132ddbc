"""float32 stays float32, as in PyTorch: what torch's module_db found when run in float32 (losses with
integer targets were promoted to float64, lazy modules cast before their first call materialised in
float64). Compared with torch's dtypes and values."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(2)
X = RNG.standard_normal((4, 3)).astype(np.float32)
BITS = (RNG.standard_normal((4, 3)) > 0).astype(np.int64)
SIGNS = np.where(BITS > 0, 1, -1)

CASES = {
    "l1_loss": (X, BITS),
    "mse_loss": (X, BITS),
    "smooth_l1_loss": (X, BITS),
    "huber_loss": (X, BITS),
    "soft_margin_loss": (X, SIGNS),
    "multilabel_soft_margin_loss": (X, BITS),
    "margin_ranking_loss": (X[:, 0].copy(), X[:, 1].copy(), SIGNS[:, 0].copy()),
    "poisson_nll_loss": (X, BITS),
    "gaussian_nll_loss": (X, BITS, np.abs(X) + 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_integer_targets_keep_a_float32_loss_float32(name):
    arrays = CASES[name]
    want = getattr(torch.nn.functional, name)(*[torch.tensor(a) for a in arrays])
    xs = [autobp.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    got = getattr(nn.functional, name)(*xs)
    assert want.dtype == torch.float32 and got.dtype == np.float32
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-5)
    got.backward()
    assert xs[0].grad.dtype == np.float32


@pytest.mark.parametrize("name", ["MarginRankingLoss", "MultiLabelSoftMarginLoss"])
def test_loss_modules_with_integer_targets(name):
    arrays = CASES["margin_ranking_loss" if name == "MarginRankingLoss" else "multilabel_soft_margin_loss"]
    want = getattr(torch.nn, name)(reduction="none")(*[torch.tensor(a) for a in arrays])
    got = getattr(nn, name)(reduction="none")(*[autobp.tensor(a) for a in arrays])
    assert got.dtype == np.float32 and want.dtype == torch.float32
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-5)


def test_float64_input_with_integer_targets_is_unchanged():
    x = X.astype(np.float64)
    got = nn.functional.l1_loss(autobp.tensor(x), autobp.tensor(BITS), reduction="none")
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got.data, np.abs(x - BITS))


LAZY = [
    ("LazyLinear", (4,), (2, 3)),
    ("LazyConv1d", (4, 3), (2, 3, 8)),
    ("LazyConvTranspose2d", (4, 3), (2, 3, 5, 5)),
    ("LazyBatchNorm1d", (), (5, 3)),
]


@pytest.mark.parametrize("name,args,shape", LAZY, ids=[c[0] for c in LAZY])
@pytest.mark.parametrize("cast", ["float", "double"])
def test_lazy_module_cast_before_first_call_keeps_its_dtype(name, args, shape, cast):
    tm = getattr(getattr(torch.nn, name)(*args), cast)()
    am = getattr(getattr(nn, name)(*args), cast)()
    dtype = np.float32 if cast == "float" else np.float64
    x = RNG.standard_normal(shape).astype(dtype)
    want, got = tm(torch.tensor(x)), am(autobp.tensor(x))
    assert got.dtype == want.detach().numpy().dtype == dtype
    for (tn, tp), (an, ap) in zip(tm.state_dict().items(), am.state_dict().items()):
        assert tn == an and ap.dtype == tp.numpy().dtype


@pytest.mark.parametrize(
    "name", ["CrossEntropyLoss", "NLLLoss", "MultiMarginLoss", "BCELoss", "BCEWithLogitsLoss"]
)
def test_array_class_weight_buffer_keeps_float32(name):
    """A weight given as an array or list is a buffer now (PyTorch's state_dict keys) and still takes
    a float32 input's dtype; torch (which needs a float32 weight tensor here) gives the same values."""
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    w = [1, 2, 3]  # integers: the buffer is float, so a state dict's fractional weights load as they are
    if name.startswith("BCE"):
        args = ((1 / (1 + np.exp(-x))) if name == "BCELoss" else x, BITS.astype(np.float32))
    else:
        args = (
            x if name != "NLLLoss" else x - np.log(np.exp(x).sum(1, keepdims=True)),
            np.array([0, 2, 1, 1]),
        )
    ours = getattr(nn, name)(weight=w)
    theirs = getattr(torch.nn, name)(weight=torch.tensor(w, dtype=torch.float32))
    got, want = ours(*[autobp.tensor(a) for a in args]), theirs(*[torch.tensor(a) for a in args])
    assert got.dtype == np.float32 and want.dtype == torch.float32
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-5)
    ours.load_state_dict({"weight": np.array([0.5, 1.5, 2.5])})
    np.testing.assert_array_equal(ours.state_dict()["weight"], [0.5, 1.5, 2.5])
    assert ours(*[autobp.tensor(a) for a in args]).dtype == np.float32
