"""autobp.autocast's ops against torch.autocast("cpu", dtype=torch.float16): for each op on PyTorch's CPU
lists that autobp has, the same output dtype, float16-close values, and leaves' .grad of torch's dtype and
values; float64 inputs and the ops off the lists left alone. (The region itself: test_amp_autocast.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.nn import functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

F16, F32 = autobp.float16, autobp.float32


def _arrays(seed: int, shapes: list, dtype: type) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


# name: (shapes of the float inputs (leaves), torch fn, autobp fn); the fns take the leaves
_T3, _C3 = (2, 3, 4), (2, 4, 5)
LOWER = {
    "matmul": ([(3, 4), (4, 5)], lambda a, b: a @ b, lambda a, b: a @ b),
    "matmul_1d": ([(4,), (4,)], torch.matmul, autobp.matmul),
    "matmul_batched": ([_T3, (4, 5)], torch.matmul, autobp.matmul),
    "mm": ([(3, 4), (4, 5)], torch.mm, autobp.mm),
    "mm_method": ([(3, 4), (4, 5)], lambda a, b: a.mm(b), lambda a, b: a.mm(b)),
    "bmm": ([_T3, _C3], torch.bmm, autobp.bmm),
    "addmm": ([(3, 5), (3, 4), (4, 5)], torch.addmm, autobp.addmm),
    "addmm_scaled": (
        [(3, 5), (3, 4), (4, 5)],
        lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0),
        lambda c, a, b: autobp.addmm(c, a, b, beta=0.5, alpha=2.0),
    ),
    "baddbmm": ([(2, 3, 5), _T3, _C3], torch.baddbmm, autobp.baddbmm),
    "addbmm": ([(3, 5), _T3, _C3], torch.addbmm, autobp.addbmm),
    "linalg_vecdot": ([(3, 4), (3, 4)], torch.linalg.vecdot, autobp.linalg.vecdot),
    "multi_dot": (
        [(3, 4), (4, 5), (5, 2)],
        lambda *m: torch.linalg.multi_dot(m),
        lambda *m: autobp.linalg.multi_dot(m),
    ),
    "linear": ([(3, 4), (6, 4), (6,)], TF.linear, F.linear),
    "linear_no_bias": ([(2, 3, 4), (6, 4)], TF.linear, F.linear),
    "conv1d": ([(2, 3, 8), (4, 3, 3), (4,)], TF.conv1d, F.conv1d),
    "conv2d": ([(2, 3, 6, 6), (4, 3, 3, 3), (4,)], TF.conv2d, F.conv2d),
    "conv2d_stride": (
        [(1, 2, 7, 7), (3, 2, 3, 3)],
        lambda x, w: TF.conv2d(x, w, stride=2, padding=1),
        lambda x, w: F.conv2d(x, w, stride=2, padding=1),
    ),
    "conv3d": ([(1, 2, 4, 4, 4), (3, 2, 2, 2, 2), (3,)], TF.conv3d, F.conv3d),
    "conv_transpose1d": ([(2, 3, 8), (3, 4, 3), (4,)], TF.conv_transpose1d, F.conv_transpose1d),
    "conv_transpose2d": ([(2, 3, 5, 5), (3, 4, 3, 3), (4,)], TF.conv_transpose2d, F.conv_transpose2d),
    "conv_transpose3d": ([(1, 2, 3, 3, 3), (2, 3, 2, 2, 2)], TF.conv_transpose3d, F.conv_transpose3d),
    "conv_tbc": ([(8, 2, 3), (3, 3, 4), (4,)], torch.conv_tbc, autobp.conv_tbc),
    "prelu": ([(3, 4), (4,)], TF.prelu, F.prelu),
    "scaled_dot_product_attention": (
        [(2, 3, 4), (2, 5, 4), (2, 5, 4)],
        TF.scaled_dot_product_attention,
        F.scaled_dot_product_attention,
    ),
}

# ops PyTorch's CPU autocast leaves alone (autobp builds mv and addmv on @, which it casts)
UNLISTED = {
    "mv": ([(3, 4), (4,)], torch.mv, autobp.mv),
    "addmv": ([(3,), (3, 4), (4,)], torch.addmv, autobp.addmv),
    "addr": ([(3, 4), (3,), (4,)], torch.addr, autobp.addr),
    "outer": ([(3,), (4,)], torch.outer, autobp.outer),
    "softmax": ([(3, 4)], lambda x: TF.softmax(x, 1), lambda x: F.softmax(x, 1)),
    "exp_sum": ([(3, 4)], lambda x: x.exp().sum(), lambda x: x.exp().sum()),
    "gaussian_nll_loss": ([(3, 4), (3, 4)], lambda x, t: TF.gaussian_nll_loss(x, t, t * t + 1), None),
}
UNLISTED["gaussian_nll_loss"] = (
    UNLISTED["gaussian_nll_loss"][0],
    UNLISTED["gaussian_nll_loss"][1],
    lambda x, t: F.gaussian_nll_loss(x, t, t * t + 1),
)

_IDX = np.array([0, 1, 2, 3])  # class targets for (4, 5) logits
_SIGNS = np.array([1.0, -1.0, 1.0], dtype=np.float32)


def _probs(x):  # targets in (0, 1) from a leaf, on either library's graph
    return x.sigmoid() if isinstance(x, torch.Tensor) else F.sigmoid(x)


FP32 = {
    "mse_loss": ([(3, 4), (3, 4)], TF.mse_loss, F.mse_loss),
    "l1_loss": ([(3, 4), (3, 4)], TF.l1_loss, F.l1_loss),
    "smooth_l1_loss": ([(3, 4), (3, 4)], TF.smooth_l1_loss, F.smooth_l1_loss),
    "huber_loss": ([(3, 4), (3, 4)], TF.huber_loss, F.huber_loss),
    "nll_loss": (
        [(4, 5)],
        lambda x: TF.nll_loss(x, torch.from_numpy(_IDX)),
        lambda x: F.nll_loss(x, _IDX),
    ),
    "cross_entropy": (
        [(4, 5)],
        lambda x: TF.cross_entropy(x, torch.from_numpy(_IDX)),
        lambda x: F.cross_entropy(x, _IDX),
    ),
    "cross_entropy_probs": (
        [(4, 5), (4, 5)],
        lambda x, t: TF.cross_entropy(x, t.softmax(1)),
        lambda x, t: F.cross_entropy(x, F.softmax(t, 1)),
    ),
    "binary_cross_entropy": (
        [(3, 4), (3, 4)],
        lambda x, t: TF.binary_cross_entropy(_probs(x), _probs(t)),
        lambda x, t: F.binary_cross_entropy(_probs(x), _probs(t)),
    ),
    "binary_cross_entropy_with_logits": (
        [(3, 4), (3, 4)],
        lambda x, t: TF.binary_cross_entropy_with_logits(x, _probs(t)),
        lambda x, t: F.binary_cross_entropy_with_logits(x, _probs(t)),
    ),
    "kl_div": (
        [(4, 5), (4, 5)],
        lambda x, t: TF.kl_div(x.log_softmax(1), t.softmax(1), reduction="batchmean"),
        lambda x, t: F.kl_div(F.log_softmax(x, 1), F.softmax(t, 1), reduction="batchmean"),
    ),
    "poisson_nll_loss": ([(3, 4), (3, 4)], TF.poisson_nll_loss, F.poisson_nll_loss),
    "cosine_embedding_loss": (
        [(3, 4), (3, 4)],
        lambda a, b: TF.cosine_embedding_loss(a, b, torch.from_numpy(_SIGNS)),
        lambda a, b: F.cosine_embedding_loss(a, b, _SIGNS),
    ),
    "hinge_embedding_loss": (
        [(3,)],
        lambda x: TF.hinge_embedding_loss(x, torch.from_numpy(_SIGNS)),
        lambda x: F.hinge_embedding_loss(x, _SIGNS),
    ),
    "margin_ranking_loss": (
        [(3,), (3,)],
        lambda a, b: TF.margin_ranking_loss(a, b, torch.from_numpy(_SIGNS)),
        lambda a, b: F.margin_ranking_loss(a, b, _SIGNS),
    ),
    "soft_margin_loss": (
        [(3,)],
        lambda x: TF.soft_margin_loss(x, torch.from_numpy(_SIGNS)),
        lambda x: F.soft_margin_loss(x, _SIGNS),
    ),
    "triplet_margin_loss": ([(3, 4), (3, 4), (3, 4)], TF.triplet_margin_loss, F.triplet_margin_loss),
    "multi_margin_loss": (
        [(4, 5)],
        lambda x: TF.multi_margin_loss(x, torch.from_numpy(_IDX)),
        lambda x: F.multi_margin_loss(x, _IDX),
    ),
    "multilabel_margin_loss": (
        [(2, 4)],
        lambda x: TF.multilabel_margin_loss(x, torch.tensor([[0, 2, -1, 0], [1, -1, 0, 0]])),
        lambda x: F.multilabel_margin_loss(x, np.array([[0, 2, -1, 0], [1, -1, 0, 0]])),
    ),
    "multilabel_soft_margin_loss": (
        [(3, 4)],
        lambda x: TF.multilabel_soft_margin_loss(x, torch.ones(3, 4)),
        lambda x: F.multilabel_soft_margin_loss(x, np.ones((3, 4))),
    ),
    "ctc_loss": (
        [(6, 2, 4)],
        lambda x: TF.ctc_loss(
            x.log_softmax(2), torch.tensor([[1, 2], [1, 1]]), torch.tensor([6, 6]), torch.tensor([2, 2])
        ),
        lambda x: F.ctc_loss(
            F.log_softmax(x, 2), np.array([[1, 2], [1, 1]]), np.array([6, 6]), np.array([2, 2])
        ),
    ),
}


def _wellposed(lib, a):
    """a * 0.1 + I, symmetrised: a well-conditioned, positive definite float16 matrix (elementwise ops,
    which autocast leaves alone)."""
    eye = torch.eye(4, dtype=a.dtype) if lib is torch else autobp.eye(4, dtype=a.dtype)
    m = a * 0.1 + eye
    return (m + m.mT) * 0.5


def _both(name: str, shapes: list, call, _: None) -> tuple:
    """A case written once for both libraries (``call(lib, *leaves)``)."""
    return name, (shapes, lambda *xs: call(torch, *xs), lambda *xs: call(autobp, *xs))


FP32.update(
    dict(
        [
            _both("linalg.inv", [(4, 4)], lambda L, a: L.linalg.inv(_wellposed(L, a)), None),
            _both(
                "linalg.solve",
                [(4, 4), (4, 2)],
                lambda L, a, b: L.linalg.solve(_wellposed(L, a), b),
                None,
            ),
            _both("linalg.cholesky", [(4, 4)], lambda L, a: L.linalg.cholesky(_wellposed(L, a)), None),
            _both("linalg.qr", [(4, 3)], lambda L, a: abs(L.linalg.qr(a)[1]), None),
            _both("linalg.svdvals", [(4, 3)], lambda L, a: L.linalg.svdvals(a), None),
            _both("linalg.eigvalsh", [(4, 4)], lambda L, a: L.linalg.eigvalsh(_wellposed(L, a)), None),
            _both("linalg.eigh", [(4, 4)], lambda L, a: L.linalg.eigh(_wellposed(L, a))[0], None),
            _both(
                "linalg.lstsq",
                [(5, 3), (5, 2)],
                lambda L, a, b: L.linalg.lstsq(a, b)[0],
                None,
            ),
            _both("linalg.cond", [(4, 4)], lambda L, a: L.linalg.cond(_wellposed(L, a)), None),
            _both("cdist", [(3, 4), (5, 4)], lambda L, a, b: L.cdist(a, b), None),
            _both("fft.fft", [(3, 8)], lambda L, a: abs(L.fft.fft(a)), None),
            _both("fft.ifft", [(3, 8)], lambda L, a: abs(L.fft.ifft(a)), None),
            _both("fft.rfft", [(3, 8)], lambda L, a: abs(L.fft.rfft(a)), None),
            _both("fft.irfft", [(3, 8)], lambda L, a: L.fft.irfft(a), None),
            _both("fft.fft2", [(4, 8)], lambda L, a: abs(L.fft.fft2(a)), None),
            _both("fft.fftn", [(2, 4, 4)], lambda L, a: abs(L.fft.fftn(a)), None),
            _both("fft.rfftn", [(2, 4, 4)], lambda L, a: abs(L.fft.rfftn(a)), None),
            _both("fft.hfft", [(3, 5)], lambda L, a: L.fft.hfft(a), None),
            _both("fft.ihfft", [(3, 8)], lambda L, a: abs(L.fft.ihfft(a)), None),
        ]
    )
)


def _run_both(case: tuple, dtype: type, seed: int = 0, enabled: bool = True):
    shapes, tfn, afn = case
    arrays = _arrays(seed, shapes, dtype)
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    a_in = [autobp.tensor(a, requires_grad=True) for a in arrays]
    with torch.autocast("cpu", dtype=torch.float16, enabled=enabled):
        t_out = tfn(*t_in)
    with autobp.autocast("cpu", dtype=autobp.float16, enabled=enabled):
        a_out = afn(*a_in)
    t_out.float().sum().backward()
    a_out.astype(np.float32).sum().backward()
    return t_in, a_in, t_out, a_out


def _close(mine, theirs, rtol: float = 2e-2) -> None:
    theirs = np.asarray(theirs, dtype=np.float64)
    scale = max(1.0, float(np.abs(theirs).max(initial=0)))
    np.testing.assert_allclose(np.asarray(mine, dtype=np.float64), theirs, rtol=rtol, atol=rtol * scale)


def _check(t_in, a_in, t_out, a_out) -> None:
    assert str(a_out.dtype) == str(t_out.dtype).removeprefix("torch.")
    _close(a_out.numpy(), t_out.detach().numpy())
    for t, a in zip(t_in, a_in):
        if t.grad is None:
            assert a.grad is None
            continue
        assert a.grad.dtype == a.dtype  # each leaf's gradient in the leaf's own dtype
        assert str(a.grad.dtype) == str(t.grad.dtype).removeprefix("torch.")
        _close(a.grad, t.grad.numpy())


def _agrees(case: tuple, dtype: type, expect: type, enabled: bool = True) -> None:
    """Run ``case`` on ``dtype`` inputs in both libraries: autobp's output is ``expect``, and its dtype,
    values and leaf gradients are torch's."""
    t_in, a_in, t_out, a_out = _run_both(case, dtype, enabled=enabled)
    assert a_out.dtype == expect
    _check(t_in, a_in, t_out, a_out)


def test_torch_cpu_autocast_takes_float16():  # the premise of the comparisons below
    with torch.autocast("cpu", dtype=torch.float16):
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.float16


@pytest.mark.parametrize("name", sorted(LOWER))
def test_lower_precision_op_runs_in_float16(name):
    _agrees(LOWER[name], np.float32, np.float16)


@pytest.mark.parametrize("name", sorted(LOWER))
def test_lower_precision_op_leaves_float64_alone(name):
    _agrees(LOWER[name], np.float64, np.float64)


@pytest.mark.parametrize("name", sorted(FP32))
def test_fp32_op_runs_float16_inputs_in_float32(name):
    _agrees(FP32[name], np.float16, np.float32)


@pytest.mark.parametrize("name", sorted(FP32))
def test_fp32_op_keeps_float32_and_float64(name):
    for dtype in (np.float32, np.float64):
        _agrees(FP32[name], dtype, dtype)


@pytest.mark.parametrize("name", sorted(UNLISTED))
def test_unlisted_op_is_not_cast(name):
    _agrees(UNLISTED[name], np.float32, np.float32)
    _agrees(UNLISTED[name], np.float16, np.float16)


@pytest.mark.parametrize("name", ["linear", "conv2d", "mse_loss"])
def test_disabled_region_is_plain(name):
    case = {**LOWER, **FP32}[name]
    _agrees(case, np.float32, np.float32, enabled=False)


def test_modules_autocast_through_their_functions():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    tconv, aconv = torch.nn.Conv2d(3, 4, 3), autobp.nn.Conv2d(3, 4, 3)
    tlin, alin = torch.nn.Linear(16, 5), autobp.nn.Linear(16, 5)
    for tm, am in ((tconv, aconv), (tlin, alin)):
        for name, p in tm.named_parameters():
            getattr(am, name).data = p.detach().numpy().astype(np.float32)
    with torch.autocast("cpu", dtype=torch.float16):
        th = tconv(torch.tensor(x)).flatten(2).sum(1)
        tout = tlin(th)
        tloss = TF.mse_loss(tout, torch.zeros(2, 5))
    with autobp.autocast("cpu", dtype=autobp.float16):
        ah = aconv(autobp.tensor(x)).reshape(2, 4, 16).sum(1)
        aout = alin(ah)
        aloss = F.mse_loss(aout, np.zeros((2, 5), np.float32))
    assert (aout.dtype, aloss.dtype) == (np.float16, np.float32)
    assert (str(tout.dtype), str(tloss.dtype)) == ("torch.float16", "torch.float32")
    _close(aloss.item(), tloss.item())
    tloss.backward()
    aloss.backward()
    for tm, am in ((tconv, aconv), (tlin, alin)):
        for name, p in tm.named_parameters():
            g = getattr(am, name).grad
            assert g.dtype == np.float32 and p.grad.dtype == torch.float32
            _close(g, p.grad.numpy(), rtol=3e-2)


def test_matrix_rank_runs_in_float32():
    a = np.diag([1.0, 2.0, 0.0]).astype(np.float16)
    with torch.autocast("cpu", dtype=torch.float16):
        t = torch.linalg.matrix_rank(torch.tensor(a))
    with autobp.autocast("cpu", dtype=F16):
        r = autobp.linalg.matrix_rank(autobp.tensor(a))
    assert int(r) == int(t) == 2
