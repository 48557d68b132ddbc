"""Losses of nn.functional vs torch.nn.functional (float64): values and the gradients of every input
torch differentiates (targets included), every reduction; cross_entropy / nll_loss with weights,
ignore_index, label smoothing, probability targets and K-dimensional inputs; finite differences."""

import numpy as np
import pytest

from autobp import Tensor, nn
from autobp.nn import functional as F
from tests.helpers import check_gradients

torch = pytest.importorskip("torch")
TF = torch.nn.functional
REDUCTIONS = ["mean", "sum", "none"]


def _compare(ours, theirs, arrays, diff, rtol=1e-10, atol=1e-12):
    """Run both on the same arrays; compare values and the gradients of inputs listed in ``diff``
    (backpropagating a fixed random weighting of the output, so 'none' is checked elementwise)."""
    a = [Tensor(x, requires_grad=i in diff) if x.dtype.kind == "f" else x for i, x in enumerate(arrays)]
    b = [torch.tensor(x, requires_grad=i in diff) for i, x in enumerate(arrays)]
    la, lb = ours(*a), theirs(*b)
    assert la.shape == tuple(lb.shape)
    np.testing.assert_allclose(la.data, lb.detach().numpy(), rtol=rtol, atol=atol)
    w = np.random.default_rng(1).standard_normal(la.shape)
    (la * w).sum().backward()
    (lb * torch.tensor(w)).sum().backward()
    for i in diff:
        assert a[i].grad is not None, f"input {i} got no gradient"
        np.testing.assert_allclose(a[i].grad, b[i].grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")


RNG = np.random.default_rng(0)
X, T = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
# exact ties and the kinks of smooth_l1 (|d| = beta = 0.5) and huber (|d| = delta = 0.7)
X[0, 0], T[0, 0] = 0.3, 0.3
X[1, 1], T[1, 1] = 0.5, 0.0
X[2, 2], T[2, 2] = -0.2, 0.5
POS = RNG.uniform(0.1, 2.0, (4, 3))
PROBS = RNG.dirichlet(np.ones(3), 4)
SIGNS = np.array([1.0, -1.0, 1.0, -1.0])
BIN = (RNG.uniform(size=(4, 3)) > 0.5).astype(float)

ELEMENTWISE = {  # name: (ours, theirs, arrays, differentiable inputs)
    "l1": (F.l1_loss, TF.l1_loss, (X, T), (0, 1)),
    "l1_weight": (
        lambda x, t, reduction: F.l1_loss(x, t, reduction=reduction, weight=POS),
        lambda x, t, reduction: TF.l1_loss(x, t, reduction=reduction, weight=torch.tensor(POS)),
        (X, T),
        (0, 1),
    ),
    "smooth_l1": (F.smooth_l1_loss, TF.smooth_l1_loss, (X, T), (0, 1)),
    "smooth_l1_beta": (
        lambda x, t, reduction: F.smooth_l1_loss(x, t, reduction=reduction, beta=0.5),
        lambda x, t, reduction: TF.smooth_l1_loss(x, t, reduction=reduction, beta=0.5),
        (X, T),
        (0, 1),
    ),
    "smooth_l1_beta0": (
        lambda x, t, reduction: F.smooth_l1_loss(x, t, reduction=reduction, beta=0.0),
        lambda x, t, reduction: TF.smooth_l1_loss(x, t, reduction=reduction, beta=0.0),
        (X, T),
        (0, 1),
    ),
    "huber": (
        lambda x, t, reduction: F.huber_loss(x, t, reduction=reduction, delta=0.7),
        lambda x, t, reduction: TF.huber_loss(x, t, reduction=reduction, delta=0.7),
        (X, T),
        (0, 1),
    ),
    "huber_weight": (
        lambda x, t, reduction: F.huber_loss(x, t, reduction=reduction, weight=POS),
        lambda x, t, reduction: TF.huber_loss(x, t, reduction=reduction, weight=torch.tensor(POS)),
        (X, T),
        (0, 1),
    ),
    "kl_div": (F.kl_div, TF.kl_div, (np.log(PROBS[::-1].copy()), PROBS), (0, 1)),
    "kl_div_log_target": (
        lambda x, t, reduction: F.kl_div(x, t, reduction=reduction, log_target=True),
        lambda x, t, reduction: TF.kl_div(x, t, reduction=reduction, log_target=True),
        (X, T),
        (0, 1),
    ),
    "poisson": (F.poisson_nll_loss, TF.poisson_nll_loss, (X, POS * 2), (0, 1)),
    "poisson_full_rate": (
        lambda x, t, reduction: F.poisson_nll_loss(
            x, t, log_input=False, full=True, eps=1e-3, reduction=reduction
        ),
        lambda x, t, reduction: TF.poisson_nll_loss(
            x, t, log_input=False, full=True, eps=1e-3, reduction=reduction
        ),
        (POS, POS[::-1] * 2),  # targets on both sides of 1, where the Stirling term switches on
        (0, 1),
    ),
    "soft_margin": (F.soft_margin_loss, TF.soft_margin_loss, (X, np.sign(T)), (0,)),  # torch: no target grad
    "multilabel_soft_margin": (
        F.multilabel_soft_margin_loss,
        TF.multilabel_soft_margin_loss,
        (X, BIN),
        (0, 1),
    ),
    "multilabel_soft_margin_weight": (
        lambda x, t, reduction: F.multilabel_soft_margin_loss(x, t, weight=POS[0], reduction=reduction),
        lambda x, t, reduction: TF.multilabel_soft_margin_loss(
            x, t, weight=torch.tensor(POS[0]), reduction=reduction
        ),
        (X, PROBS),
        (0, 1),
    ),
    "hinge_embedding": (
        lambda x, t, reduction: F.hinge_embedding_loss(x, t, margin=0.8, reduction=reduction),
        lambda x, t, reduction: TF.hinge_embedding_loss(x, t, margin=0.8, reduction=reduction),
        (X, np.sign(T)),
        (0,),
    ),
    "mse": (F.mse_loss, TF.mse_loss, (X, T), (0, 1)),
}


@pytest.mark.filterwarnings("ignore:reduction. .mean. divides:UserWarning")  # torch on kl_div's mean
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_losses_match_torch_in_value_and_both_gradients(name, reduction):
    ours, theirs, arrays, diff = ELEMENTWISE[name]
    _compare(
        lambda *a: ours(*a, reduction=reduction), lambda *b: theirs(*b, reduction=reduction), arrays, diff
    )


@pytest.mark.filterwarnings("ignore:reduction. .mean. divides:UserWarning")  # torch on kl_div's mean
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
def test_kl_div_batchmean_divides_by_the_batch_size(reduction):
    _compare(
        lambda x, t: F.kl_div(x, t, reduction=reduction),
        lambda x, t: TF.kl_div(x, t, reduction=reduction),
        (np.log(PROBS), PROBS[::-1].copy()),
        (0, 1),
    )


GAUSS = [  # (var shape, full)
    ((4, 3), False),
    ((4,), True),  # one variance per sample
    ((4, 1), False),  # heteroscedastic: broadcast over the last axis
    ((1, 3), True),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("var_shape,full", GAUSS)
def test_gaussian_nll_matches_torch_including_var_broadcasting_and_the_clamp(var_shape, full, reduction):
    var = RNG.uniform(0.2, 2.0, var_shape)
    var.flat[0] = 1e-9  # below eps: clamped in value, the gradient passes through as in PyTorch
    _compare(
        lambda x, t, v: F.gaussian_nll_loss(x, t, v, full=full, eps=1e-4, reduction=reduction),
        lambda x, t, v: TF.gaussian_nll_loss(x, t, v, full=full, eps=1e-4, reduction=reduction),
        (X, T, var),
        (0, 1, 2),
    )


def test_gaussian_nll_float_var_and_bad_vars():
    _compare(
        lambda x, t: F.gaussian_nll_loss(x, t, 0.5),
        lambda x, t: TF.gaussian_nll_loss(x, t, 0.5),
        (X, T),
        (0, 1),
    )
    with pytest.raises(ValueError, match=r"var of shape \(3, 4\) does not fit input \(4, 3\)"):
        F.gaussian_nll_loss(X, T, np.ones((3, 4)))
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(X, T, -np.ones((4, 3)))


PAIRS = {  # (ours, theirs, arrays, differentiable)
    "cosine_embedding": (
        lambda a, b, y, reduction: F.cosine_embedding_loss(a, b, y, margin=0.2, reduction=reduction),
        lambda a, b, y, reduction: TF.cosine_embedding_loss(a, b, y, margin=0.2, reduction=reduction),
        (X, T, SIGNS),
        (0, 1),
    ),
    "cosine_embedding_1d": (
        lambda a, b, y, reduction: F.cosine_embedding_loss(a, b, y, reduction=reduction),
        lambda a, b, y, reduction: TF.cosine_embedding_loss(a, b, y, reduction=reduction),
        (X[0], T[0], np.array(-1.0)),
        (0, 1),
    ),
    "margin_ranking": (
        lambda a, b, y, reduction: F.margin_ranking_loss(a, b, y, margin=0.1, reduction=reduction),
        lambda a, b, y, reduction: TF.margin_ranking_loss(a, b, y, margin=0.1, reduction=reduction),
        (X[:, 0].copy(), T[:, 0].copy(), SIGNS),
        (0, 1, 2),
    ),
}
for p in (1, 2, 3):
    for swap in (False, True):
        PAIRS[f"triplet_p{p}_swap{swap}"] = (
            lambda a, b, c, reduction, p=p, swap=swap: F.triplet_margin_loss(
                a, b, c, margin=1.5, p=p, swap=swap, reduction=reduction
            ),
            lambda a, b, c, reduction, p=p, swap=swap: TF.triplet_margin_loss(
                a, b, c, margin=1.5, p=p, swap=swap, reduction=reduction
            ),
            (X, T, RNG.standard_normal((4, 3))),
            (0, 1, 2),
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(PAIRS))
def test_embedding_and_ranking_losses_match_torch(name, reduction):
    ours, theirs, arrays, diff = PAIRS[name]
    _compare(lambda *a: ours(*a, reduction), lambda *b: theirs(*b, reduction), arrays, diff)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p,weighted", [(1, False), (2, True)])
def test_multi_margin_matches_torch(p, weighted, reduction):
    w = POS[0] if weighted else None
    y = np.array([0, 2, 1, 2])
    _compare(
        lambda x: F.multi_margin_loss(x, y, p=p, margin=0.9, weight=w, reduction=reduction),
        lambda x: TF.multi_margin_loss(
            x,
            torch.tensor(y),
            p=p,
            margin=0.9,
            weight=None if w is None else torch.tensor(w),
            reduction=reduction,
        ),
        (X,),
        (0,),
    )


# --- nll_loss and cross_entropy -------------------------------------------------------------------
CLASS_CASES = {  # (input shape, targets) with ignore_index 1 among them where marked
    "1d": ((5,), np.array(3)),
    "2d": ((4, 5), np.array([0, 4, 2, 2])),
    "2d_ignored": ((4, 5), np.array([0, -100, 2, -100])),
    "3d": ((3, 5, 2), np.array([[0, 4], [1, 1], [3, -100]])),
    "4d": ((2, 5, 2, 3), RNG.integers(0, 5, (2, 2, 3))),
}
OPTIONS = [
    {},
    {"weight": RNG.uniform(0.2, 2.0, 5)},
    {"ignore_index": 1},
    {"label_smoothing": 0.15},
    {"weight": RNG.uniform(0.2, 2.0, 5), "ignore_index": 2, "label_smoothing": 0.3},
]


def _kw(opts, torch_side):
    out = dict(opts)
    if "weight" in out and torch_side:
        out["weight"] = torch.tensor(out["weight"])
    return out


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: "-".join(o) or "plain")
@pytest.mark.parametrize("case", list(CLASS_CASES))
def test_cross_entropy_with_class_targets_matches_torch(case, opts, reduction):
    shape, t = CLASS_CASES[case]
    t = np.where(t == -100, opts.get("ignore_index", -100), t)  # the case's ignored targets
    x = RNG.standard_normal(shape)
    _compare(
        lambda a: F.cross_entropy(a, t, reduction=reduction, **_kw(opts, False)),
        lambda b: TF.cross_entropy(b, torch.tensor(t), reduction=reduction, **_kw(opts, True)),
        (x,),
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "opts", [o for o in OPTIONS if "label_smoothing" not in o], ids=lambda o: "-".join(o) or "plain"
)
@pytest.mark.parametrize("case", list(CLASS_CASES))
def test_nll_loss_matches_torch(case, opts, reduction):
    shape, t = CLASS_CASES[case]
    t = np.where(t == -100, opts.get("ignore_index", -100), t)  # the case's ignored targets
    x = RNG.standard_normal(shape)
    _compare(
        lambda a: F.nll_loss(a, t, reduction=reduction, **_kw(opts, False)),
        lambda b: TF.nll_loss(b, torch.tensor(t), reduction=reduction, **_kw(opts, True)),
        (x,),
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 4, 3)])
@pytest.mark.parametrize("opts", [{}, {"weight": POS[:, 0].copy()}, {"label_smoothing": 0.2}])
def test_cross_entropy_with_probability_targets_is_differentiable_in_the_target(shape, opts, reduction):
    x = RNG.standard_normal(shape)
    probs = RNG.dirichlet(np.ones(4), int(np.prod(shape)) // 4).reshape(
        np.moveaxis(x, min(1, x.ndim - 1), -1).shape
    )
    probs = np.moveaxis(probs, -1, min(1, x.ndim - 1)).copy()
    _compare(
        lambda a, p: F.cross_entropy(a, p, reduction=reduction, **_kw(opts, False)),
        lambda b, p: TF.cross_entropy(b, p, reduction=reduction, **_kw(opts, True)),
        (x, probs),
        (0, 1),
    )


def test_class_losses_agree_with_finite_differences_on_the_general_path():
    t = np.array([[0, 2], [1, -100]])
    w = np.array([0.5, 2.0, 1.5])
    check_gradients(
        lambda x: F.cross_entropy(x, t, weight=w, label_smoothing=0.2), RNG.standard_normal((2, 3, 2))
    )
    check_gradients(lambda x: F.nll_loss(x, t, weight=w, reduction="sum"), RNG.standard_normal((2, 3, 2)))
    check_gradients(lambda x, p: F.cross_entropy(x, p.softmax(axis=1)), X, T)
    # the class weights themselves, when they are a Tensor that requires grad
    check_gradients(lambda w: F.cross_entropy(Tensor(X), np.array([0, 1, 2, 1]), weight=w), POS[0])


def test_plain_targets_keep_the_fused_one_node_path_and_options_leave_it():
    x = Tensor(X, requires_grad=True)
    t = np.array([0, 1, 2, 1])
    assert F.cross_entropy(x, t).grad_fn == "cross_entropy"
    assert F.cross_entropy(x, t, reduction="sum").grad_fn == "cross_entropy"
    assert F.nll_loss(x, t).grad_fn == "nll"
    assert F.cross_entropy(x, t, label_smoothing=0.1).grad_fn != "cross_entropy"
    assert F.cross_entropy(x, t, weight=np.ones(3)).grad_fn != "cross_entropy"
    assert F.cross_entropy(x, np.array([0, -100, 2, 1])).grad_fn != "cross_entropy"
    # the earlier positional reduction still works
    assert F.cross_entropy(x, t, "sum").item() == pytest.approx(F.cross_entropy(x, t, reduction="sum").item())


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_all_targets_ignored_gives_nan_and_a_zero_gradient_like_torch(smoothing):
    t = np.array([-100, -100])
    x, tx = Tensor(X[:2], requires_grad=True), torch.tensor(X[:2], requires_grad=True)
    ours = F.cross_entropy(x, t, label_smoothing=smoothing)
    theirs = TF.cross_entropy(tx, torch.tensor(t), label_smoothing=smoothing)
    assert np.isnan(ours.item()) and np.isnan(theirs.item())
    ours.backward()
    theirs.backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    np.testing.assert_array_equal(x.grad, 0.0)


def test_class_losses_reject_bad_arguments_clearly():
    x = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match=r"need targets of shape \(2, 4\)"):
        F.cross_entropy(x, np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match=r"targets must be in \[0, 3\) \(or ignore_index -100\), got min 5"):
        F.cross_entropy(x, np.full((2, 4), 5))
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        F.nll_loss(x, np.zeros((2, 4), dtype=int), weight=np.ones(4))
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        F.cross_entropy(x, np.zeros((2, 4), dtype=int), label_smoothing=1.5)
    with pytest.raises(ValueError, match="probability targets"):
        F.cross_entropy(x, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="batchmean"):
        F.l1_loss(X, T, reduction="batchmean")


@pytest.mark.filterwarnings("ignore:size_average and reduce args:UserWarning")
def test_legacy_size_average_and_reduce_map_like_torch():
    for sa, red in [(False, None), (None, False), (True, True)]:
        ours = F.l1_loss(X, T, size_average=sa, reduce=red)
        theirs = TF.l1_loss(torch.tensor(X), torch.tensor(T), size_average=sa, reduce=red)
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)


# --- loss modules ---------------------------------------------------------------------------------
MODULES = [
    ("L1Loss", {}, (X, T)),
    ("SmoothL1Loss", {"beta": 0.5}, (X, T)),
    ("HuberLoss", {"delta": 0.7}, (X, T)),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, (X, T)),
    ("PoissonNLLLoss", {"log_input": False, "full": True}, (POS, POS * 2)),
    ("GaussianNLLLoss", {"full": True}, (X, T, POS)),
    ("CosineEmbeddingLoss", {"margin": 0.1}, (X, T, SIGNS)),
    ("MarginRankingLoss", {"margin": 0.2}, (X[:, 0].copy(), T[:, 0].copy(), SIGNS)),
    ("TripletMarginLoss", {"margin": 0.5, "p": 1, "swap": True}, (X, T, POS)),
    ("HingeEmbeddingLoss", {"margin": 0.5, "reduction": "sum"}, (X, np.sign(T))),
    ("MultiLabelSoftMarginLoss", {"weight": POS[0]}, (X, BIN)),
    ("SoftMarginLoss", {}, (X, np.sign(T))),
    ("MultiMarginLoss", {"p": 2}, (X, np.array([0, 1, 2, 1]))),
    ("MSELoss", {"reduction": "none"}, (X, T)),
    ("BCELoss", {"weight": POS[0]}, (1 / (1 + np.exp(-X)), BIN)),
    ("BCEWithLogitsLoss", {"pos_weight": POS[0]}, (X, BIN)),
    ("NLLLoss", {"weight": POS[0], "ignore_index": 0}, (X, np.array([0, 1, 2, 1]))),
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "weight": POS[0]}, (X, np.array([0, 1, 2, 1]))),
]


@pytest.mark.parametrize("name,kw,arrays", MODULES, ids=[m[0] for m in MODULES])
def test_loss_modules_match_torch_modules(name, kw, arrays):
    ours = getattr(nn, name)(**kw)
    theirs = getattr(torch.nn, name)(
        **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    )
    diff = tuple(i for i, a in enumerate(arrays) if a.dtype.kind == "f" and i == 0)
    _compare(ours, theirs, arrays, diff)
    assert isinstance(ours, nn.Module)
    assert "reduction" in repr(ours)


def test_composed_losses_have_second_derivatives():
    import autobp

    t = np.array([[0, 2], [1, -100]])
    w = np.array([0.5, 2.0, 1.5])
    for fn, arrays in [
        (lambda x: F.cross_entropy(x, t, weight=w, label_smoothing=0.2), (RNG.standard_normal((2, 3, 2)),)),
        (lambda x, p: F.cross_entropy(x, p.softmax(axis=-1)), (X, T)),
        (lambda x, y: F.smooth_l1_loss(x, y, beta=2.0), (X, T)),
        (lambda x, y, v: F.gaussian_nll_loss(x, y, v), (X, T, POS)),
        (lambda a, b, c: F.triplet_margin_loss(a, b, c, margin=3.0), (X, T, POS)),
        (lambda x, y: F.kl_div(x, y.softmax(axis=-1), reduction="batchmean"), (X, T)),
    ]:
        xs = tuple(Tensor(a, requires_grad=True) for a in arrays)
        assert autobp.gradgradcheck(fn, xs)


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_float32_inputs_give_float32_losses_and_gradients(name):
    ours, _, arrays, diff = ELEMENTWISE[name]
    xs = [Tensor(a.astype(np.float32), requires_grad=i in diff) for i, a in enumerate(arrays)]
    for reduction in REDUCTIONS:
        loss = ours(*xs, reduction=reduction)
        assert loss.dtype == np.float32, reduction
    loss.sum().backward()
    assert all(xs[i].grad.dtype == np.float32 for i in diff)
    x32 = Tensor(RNG.standard_normal((2, 4, 3)).astype(np.float32), requires_grad=True)
    loss = F.cross_entropy(x32, np.array([[0, 1, -100], [3, 2, 1]]), weight=np.ones(4), label_smoothing=0.1)
    loss.backward()
    assert loss.dtype == x32.grad.dtype == np.float32


@pytest.mark.parametrize("seed", range(12))
def test_cross_entropy_random_configurations_match_torch(seed):
    rng = np.random.default_rng(100 + seed)
    ndim = int(rng.integers(1, 5))
    shape = tuple(int(k) for k in rng.integers(1, 4, ndim))
    shape = shape[:1] + (int(rng.integers(2, 5)),) + shape[2:] if ndim >= 2 else (int(rng.integers(2, 5)),)
    classes = shape[1] if ndim >= 2 else shape[0]
    target_shape = shape[:1] + shape[2:] if ndim >= 2 else ()
    t = rng.integers(0, classes, target_shape)
    opts = {"reduction": str(rng.choice(REDUCTIONS))}
    if rng.uniform() < 0.5:
        opts["weight"] = rng.uniform(0.1, 2.0, classes)
    if rng.uniform() < 0.5:
        opts["ignore_index"] = int(rng.integers(0, classes))
        t.flat[0] = opts["ignore_index"]  # at least one ignored (and not all, unless there is one)
    if rng.uniform() < 0.5:
        opts["label_smoothing"] = float(rng.uniform(0, 0.5))
    x = rng.standard_normal(shape)
    if t.size > 1 and opts.get("ignore_index") is not None and (t == opts["ignore_index"]).all():
        t.flat[-1] = (opts["ignore_index"] + 1) % classes
    _compare(
        lambda a: F.cross_entropy(a, t, **_kw(opts, False)),
        lambda b: TF.cross_entropy(b, torch.tensor(t), **_kw(opts, True)),
        (x,),
        (0,),
    )
