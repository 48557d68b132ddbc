"""Inputs PyTorch's OpInfo samples use that autobp refused or crashed on: empty batches and empty
matrices, masks larger than the input, negative p / lambd. Values and gradients against torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")
F, TF = autobp.nn.functional, torch.nn.functional


def _pair(x, requires_grad=False):
    return autobp.tensor(x.copy(), requires_grad=requires_grad), torch.tensor(
        x.copy(), requires_grad=requires_grad
    )


def _same(a, t):
    t = t.detach().numpy()
    assert tuple(a.shape) == t.shape
    np.testing.assert_allclose(np.asarray(a.data), t, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dim", [0, 2, -1])
def test_aminmax_empty_input_along_a_nonempty_dim(dim):
    a, t = _pair(np.zeros((5, 0, 5)))
    for x, y in zip(autobp.aminmax(a, dim=dim), torch.aminmax(t, dim=dim)):
        _same(x, y)


def test_aminmax_still_refuses_an_empty_reduction():
    a, t = _pair(np.zeros((5, 0, 5)))
    with pytest.raises(IndexError):
        torch.aminmax(t, dim=1)
    with pytest.raises(IndexError, match="size 0"):
        autobp.aminmax(a, dim=1)
    with pytest.raises(ValueError, match="empty"):
        autobp.aminmax(a)


def test_unique_consecutive_of_a_0d_tensor():
    a, t = _pair(np.array(3.0))
    for x, y in zip(
        autobp.unique_consecutive(a, return_inverse=True, return_counts=True),
        torch.unique_consecutive(t, return_inverse=True, return_counts=True),
    ):
        _same(x, y)


@pytest.mark.parametrize(
    "shape, fa, ft",
    [
        (
            (0, 3, 9),
            lambda x: F.avg_pool1d(x, [6], stride=[3], padding=[2]),
            lambda x: TF.avg_pool1d(x, [6], [3], [2]),
        ),
        (
            (0, 1, 4, 5, 4),
            lambda x: F.avg_pool3d(x, [2, 3, 1], stride=[2, 1, 2]),
            lambda x: TF.avg_pool3d(x, [2, 3, 1], [2, 1, 2]),
        ),
    ],
)
def test_pooling_an_empty_batch(shape, fa, ft):
    a, t = _pair(np.zeros(shape))
    _same(fa(a), ft(t))


def test_conv1d_of_an_empty_batch_and_its_gradients():
    rng = np.random.default_rng(0)
    xa, xt = _pair(np.zeros((0, 2, 5)), True)
    wa, wt = _pair(rng.standard_normal((4, 2, 3)), True)
    ya, yt = F.conv1d(xa, wa), TF.conv1d(xt, wt)
    _same(ya, yt)
    ga = autobp.autograd.grad(ya.sum(), [xa, wa])
    gt = torch.autograd.grad(yt.sum(), [xt, wt])
    for x, y in zip(ga, gt):
        _same(x, y)


@pytest.mark.parametrize("shape", [(5, 0), (0, 5), (2, 0, 3), (0, 3, 3)])
def test_geqrf_of_empty_matrices(shape):
    a, t = _pair(np.zeros(shape))
    for x, y in zip(autobp.geqrf(a), torch.geqrf(t)):
        _same(x, y)


def test_masked_fill_and_masked_scatter_with_a_mask_larger_than_the_input():
    rng = np.random.default_rng(1)
    m = rng.standard_normal((5, 5)) > 0
    w = rng.standard_normal((5, 5))
    xa, xt = _pair(rng.standard_normal(5), True)
    ya, yt = autobp.masked_fill(xa, autobp.tensor(m), 2.0), torch.masked_fill(xt, torch.tensor(m), 2.0)
    _same(ya, yt)
    _same(
        autobp.autograd.grad((ya * w).sum(), xa)[0], torch.autograd.grad((yt * torch.tensor(w)).sum(), xt)[0]
    )
    sa, st = _pair(rng.standard_normal((5, 5)), True)
    ya, yt = autobp.masked_scatter(xa, autobp.tensor(m), sa), torch.masked_scatter(xt, torch.tensor(m), st)
    _same(ya, yt)
    for x, y in zip(
        autobp.autograd.grad((ya * w).sum(), [xa, sa]),
        torch.autograd.grad((yt * torch.tensor(w)).sum(), [xt, st]),
    ):
        _same(x, y)


def test_hardshrink_with_a_negative_lambd_passes_everything():
    xa, xt = _pair(np.array([1.0, -2.0, 0.1, 0.5, -0.5, 0.0]), True)
    ya, yt = F.hardshrink(xa, -0.5), TF.hardshrink(xt, -0.5)
    _same(ya, yt)
    _same(autobp.autograd.grad(ya.sum(), xa)[0], torch.autograd.grad(yt.sum(), xt)[0])
    with pytest.raises(ValueError, match="lambd"):
        F.softshrink(xa, -0.5)  # torch refuses a negative lambd for softshrink


@pytest.mark.parametrize("p", [-1.0, -2.5, -np.inf, 0.0, 3.0])
def test_pairwise_distance_negative_and_zero_p(p):
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    xa, xt = _pair(x, True)
    da, dt = F.pairwise_distance(xa, autobp.tensor(y), p=p), TF.pairwise_distance(xt, torch.tensor(y), p=p)
    _same(da, dt)
    gt = torch.autograd.grad(dt.sum(), xt, allow_unused=True)[0]
    gt = torch.zeros_like(xt) if gt is None else gt
    _same(autobp.autograd.grad(da.sum(), xa)[0], gt)
    if np.isfinite(p) and p != 0:
        assert autobp.gradcheck(
            lambda v: F.pairwise_distance(v, autobp.tensor(y), p=p), (autobp.tensor(x, requires_grad=True),)
        )


@pytest.mark.parametrize("p", [-1.0, -2.5])
def test_normalize_with_a_negative_p(p):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 4))
    xa, xt = _pair(x, True)
    ya, yt = F.normalize(xa, p=p, dim=1), TF.normalize(xt, p=p, dim=1)
    _same(ya, yt)
    _same(
        autobp.autograd.grad((ya * x).sum(), xa)[0], torch.autograd.grad((yt * torch.tensor(x)).sum(), xt)[0]
    )
    assert autobp.gradcheck(lambda v: F.normalize(v, p=p, dim=1), (autobp.tensor(x, requires_grad=True),))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("score", [1.15, -3.7])
def test_margin_losses_of_one_0d_score(reduction, score):
    xa, xt = _pair(np.array(score), True)
    pairs = [
        (
            F.multi_margin_loss(xa, autobp.tensor(0), reduction=reduction),
            TF.multi_margin_loss(xt, torch.tensor(0), reduction=reduction),
        ),
        (
            F.multilabel_margin_loss(xa, autobp.tensor(0), reduction=reduction),
            TF.multilabel_margin_loss(xt, torch.tensor(0), reduction=reduction),
        ),
    ]
    for a, t in pairs:
        _same(a, t)
        _same(autobp.autograd.grad(a, xa)[0], torch.autograd.grad(t, xt)[0])


def test_feature_alpha_dropout_passes_any_shape_through_in_eval():
    x = np.arange(5.0)
    for p in (0.0, 0.5):
        _same(
            F.feature_alpha_dropout(autobp.tensor(x), p=p, training=False),
            TF.feature_alpha_dropout(torch.tensor(x), p=p, training=False),
        )
    with pytest.raises(RuntimeError):
        TF.feature_alpha_dropout(torch.tensor(x), p=0.5, training=True)
    with pytest.raises(ValueError, match="in training"):
        F.feature_alpha_dropout(autobp.tensor(x), p=0.5, training=True)


def test_vander_of_a_0d_tensor_and_transpose_copy_of_a_0d_tensor():
    a, t = _pair(np.array(2.0))
    _same(autobp.linalg.vander(a, N=3), torch.linalg.vander(t, N=3))
    for d in [(0, 0), (0, -1), (-1, -1)]:
        _same(autobp.transpose_copy(a, *d), torch.transpose_copy(t, *d))
    with pytest.raises(IndexError):
        autobp.transpose_copy(a, 0, 1)


def test_normalize_with_p_0_divides_by_the_nonzero_count():
    x = np.array([[0.0, 2.0, -1.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]])
    w = np.arange(9.0).reshape(3, 3)
    xa, xt = _pair(x, True)
    ya, yt = F.normalize(xa, p=0.0, dim=-1), TF.normalize(xt, p=0.0, dim=-1)
    _same(ya, yt)
    _same(
        autobp.autograd.grad((ya * w).sum(), xa)[0], torch.autograd.grad((yt * torch.tensor(w)).sum(), xt)[0]
    )


@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_multi_margin_loss_of_a_vector_with_a_one_element_target(reduction):
    rng = np.random.default_rng(4)
    xa, xt = _pair(rng.standard_normal(5), True)
    a = F.multi_margin_loss(xa, autobp.tensor([1]), p=2, reduction=reduction)
    t = TF.multi_margin_loss(xt, torch.tensor([1]), p=2, reduction=reduction)
    _same(a, t)
    _same(autobp.autograd.grad(a.sum(), xa)[0], torch.autograd.grad(t.sum(), xt)[0])


@pytest.mark.parametrize("kw", [dict(dim=-1), dict(dim=0, keepdim=True), dict()])
def test_masked_logsumexp_of_integers(kw):
    """The masked-out fill must not be the integer dtype's lowest value, which wrapped in x - max."""
    rng = np.random.default_rng(5)
    x = rng.integers(-9, 10, (3, 5))
    m = rng.random((3, 5)) > 0.4
    m[:, 0] = m[0, :] = True  # every row and column keeps an element (all-masked gives -inf)
    a = autobp.masked.logsumexp(autobp.tensor(x), mask=autobp.tensor(m), **kw)
    t = torch.masked.logsumexp(torch.tensor(x), mask=torch.tensor(m), **kw)
    assert a.dtype == np.int64
    _same(a, t)


def test_integer_to_a_negative_integer_power_names_the_cause_not_the_shapes():
    with pytest.raises(ValueError, match="negative integer powers") as np_err:
        np.array(6) ** np.array(-8)
    with pytest.raises(ValueError, match="negative integer powers") as ours:
        autobp.tensor(6) ** autobp.tensor(-8)
    assert "broadcast" not in str(ours.value) and issubclass(ours.type, np_err.type)
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\) cannot be broadcast"):
        autobp.tensor([6, 2]) ** autobp.tensor([-8, 1, 3])


@pytest.mark.parametrize(
    "fn, shape, kw",
    [
        ("avg_pool1d", (2, 3, 9), dict(kernel_size=3)),
        (
            "avg_pool1d",
            (1, 3, 9),
            dict(kernel_size=3, stride=1, padding=1, ceil_mode=True, count_include_pad=False),
        ),
        ("avg_pool2d", (1, 2, 5, 4), dict(kernel_size=2, divisor_override=3)),
        ("avg_pool3d", (1, 1, 4, 5, 4), dict(kernel_size=(2, 3, 1), stride=(2, 1, 2), padding=(1, 1, 0))),
        ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, divisor_override=-2)),  # toward zero, either sign
        ("avg_pool3d", (1, 1, 4, 5, 4), dict(kernel_size=(2, 2, 3), stride=(2, 2, 1), divisor_override=-3)),
    ],
)
def test_average_pooling_of_integers_stays_integer(fn, shape, kw):
    x = np.random.default_rng(6).integers(-9, 10, shape)
    a, t = getattr(F, fn)(autobp.tensor(x), **kw), getattr(TF, fn)(torch.tensor(x), **kw)
    assert a.dtype == np.int64
    _same(a, t)


@pytest.mark.parametrize(
    "fn, args",
    [
        ("threshold", (-0.5, 1)),
        ("threshold", (-1.5, 1)),
        ("threshold", (2, -1.7)),
        ("hardtanh", (-1.5, 2.5)),
        ("hardtanh", (-0.5, 0.5)),
        ("relu6", ()),
    ],
)
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_clamping_activations_keep_integers(fn, args, dtype):
    """PyTorch keeps an integer tensor's dtype, truncating float limits toward zero."""
    x = np.array([-8, -1, 0, 1, 3, 7, 9], dtype=dtype)
    a, t = getattr(F, fn)(autobp.tensor(x), *args), getattr(TF, fn)(torch.tensor(x), *args)
    assert a.dtype == dtype
    _same(a, t)


def test_hardtanh_of_unsigned_integers():
    x = np.array([248, 255, 0, 1, 3, 7, 9], dtype=np.uint8)
    _same(F.hardtanh(autobp.tensor(x), 0, 5), TF.hardtanh(torch.tensor(x), 0, 5))
    with pytest.raises(RuntimeError):
        TF.hardtanh(torch.tensor(x), -1, 5)
    with pytest.raises(ValueError, match="unsigned"):
        F.hardtanh(autobp.tensor(x), -1, 5)


@pytest.mark.parametrize("beta, alpha", [(0.2, 0.6), (1.7, 2.5), (-1.5, 0.9), (1, -2)])
@pytest.mark.parametrize("fn", ["addmm", "addmv", "addr", "baddbmm", "addbmm"])
def test_fused_products_of_integers_truncate_float_coefficients(fn, beta, alpha):
    rng = np.random.default_rng(7)
    shapes = {
        "addmm": [(2, 3), (2, 4), (4, 3)],
        "addmv": [(2,), (2, 4), (4,)],
        "addr": [(2, 3), (2,), (3,)],
        "baddbmm": [(2, 2, 3), (2, 2, 4), (2, 4, 3)],
        "addbmm": [(2, 3), (2, 2, 4), (2, 4, 3)],
    }[fn]
    xs = [rng.integers(-5, 5, s) for s in shapes]
    if fn == "addr" and isinstance(beta, float):  # torch.addr refuses float coefficients for integers
        with pytest.raises(RuntimeError):
            torch.addr(*[torch.tensor(x) for x in xs], beta=beta, alpha=alpha)
        with pytest.raises(ValueError, match="must not be a float"):
            autobp.addr(*[autobp.tensor(x) for x in xs], beta=beta, alpha=alpha)
        return
    a = getattr(autobp, fn)(*[autobp.tensor(x) for x in xs], beta=beta, alpha=alpha)
    t = getattr(torch, fn)(*[torch.tensor(x) for x in xs], beta=beta, alpha=alpha)
    assert a.dtype == np.int64
    _same(a, t)
