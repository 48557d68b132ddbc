"""optim: SGD (paper momentum, weight decay, paper decay), Adam, AdamW vs formulas written out here."""

import numpy as np
import pytest

from autobp import Tensor, nn, optim


def _grads(steps, shape=(3, 2), seed=0):
    return list(np.random.default_rng(seed).standard_normal((steps,) + shape))


def _run(opt_cls, grads, w0, **kw):
    """Feed a fixed gradient sequence to an optimiser; return the weights after each step."""
    p = nn.Parameter(w0.copy())
    opt = opt_cls([p], **kw)
    out = []
    for g in grads:
        p.grad = g.copy()
        opt.step()
        out.append(p.data.copy())
    return out, opt, p


W0 = np.random.default_rng(42).standard_normal((3, 2))


# --- SGD --------------------------------------------------------------------------------------------
def test_sgd_momentum_is_the_papers_equation_9_with_changing_lr_and_momentum():
    grads = _grads(6)
    schedule = [(0.005, 0.5)] * 3 + [(0.01, 0.9)] * 3  # the family-trees schedule, compressed
    p = nn.Parameter(W0.copy())
    opt = optim.SGD([p], lr=0.005, momentum=0.5, momentum_form="paper")
    w, dw = W0.copy(), np.zeros_like(W0)
    for (eps, alpha), g in zip(schedule, grads):
        opt.param_groups[0].update(lr=eps, momentum=alpha)
        p.grad = g.copy()
        opt.step()
        dw = -eps * g + alpha * dw  # dw(t) = -eps dE/dw + alpha dw(t-1)
        w = w + dw
        np.testing.assert_allclose(p.data, w, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(opt.state[p]["delta"], dw, rtol=1e-13, atol=1e-15)


def test_sgd_weight_decay_nesterov_and_paper_decay_formulas():
    grads = _grads(5)
    lr, mu, wd, decay = 0.1, 0.8, 0.01, 0.002
    ws, _, _ = _run(
        optim.SGD,
        grads,
        W0,
        lr=lr,
        momentum=mu,
        weight_decay=wd,
        nesterov=True,
        decay=decay,
        momentum_form="paper",
    )
    w, dw = W0.copy(), np.zeros_like(W0)
    for g, got in zip(grads, ws):
        g = g + wd * w  # L2 penalty gradient
        dw = -lr * g + mu * dw
        w = (w + (-lr * g + mu * dw)) * (1 - decay)  # Nesterov look-ahead, then w <- 0.998 w
        np.testing.assert_allclose(got, w, rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_on_parameters_larger_than_its_scratch_block_is_the_formula_bit_for_bit(dtype, order, nesterov):
    # 1100 x 1000 elements: over the 4 MiB above which SGD updates a parameter in 512 KiB blocks, in
    # either dtype, so the update runs block by block (C order) or whole with fresh scratch (F order,
    # where flattening would copy)
    rng = np.random.default_rng(5)
    w = np.asarray(rng.standard_normal((1100, 1000)), dtype=dtype, order=order)
    lr, mu, decay = 0.1, 0.9, 0.002
    p = nn.Parameter(w.copy(order="K"))
    assert p._data.flags.f_contiguous == (order == "F")
    opt = optim.SGD([p], lr=lr, momentum=mu, nesterov=nesterov, decay=decay, momentum_form="paper")
    d = np.zeros_like(w)  # dw(0) = 0
    for _ in range(3):
        g = rng.standard_normal(w.shape).astype(dtype)
        p.grad = g.copy()
        opt.step()
        s = g * lr
        d = d * mu - s
        w = (w + (mu * d - s) if nesterov else w + d) * (1 - decay)
        assert p.data.dtype == dtype
        np.testing.assert_array_equal(p.data, w)
        np.testing.assert_array_equal(opt.state[p]["delta"], d)


@pytest.mark.parametrize("shape", [(10, 10), (1100, 1000)])  # whole, and block by block
def test_sgd_rounds_lr_times_a_wider_grad_to_the_parameters_dtype_at_any_size(shape):
    rng = np.random.default_rng(6)
    w = rng.standard_normal(shape).astype(np.float32)
    g = rng.standard_normal(shape)  # float64, set by hand
    p = nn.Parameter(w.copy())
    opt = optim.SGD([p], lr=0.1)
    p.grad = g.copy()
    opt.step()
    assert p.data.dtype == np.float32
    np.testing.assert_array_equal(p.data, w - (g * 0.1).astype(np.float32))


@pytest.mark.parametrize("form", ["pytorch", "paper"])
def test_sgd_scratch_does_not_grow_with_the_parameters(form):
    import tracemalloc

    p = nn.Parameter(np.zeros(2_000_000))  # 16 MB
    p.grad = np.ones(2_000_000)
    opt = optim.SGD([p], lr=0.1, momentum=0.9, momentum_form=form)
    tracemalloc.start()
    try:
        opt.step()  # allocates the 16 MB momentum buffer, and scratch for lr * grad
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 16e6 <= peak < 16e6 + 2**20, peak  # scratch is one cache-sized block, not a parameter's worth
    np.testing.assert_array_equal(p.data, -0.1)


def test_paper_decay_alone_shrinks_every_weight_by_exactly_point_two_percent():
    ws, _, _ = _run(optim.SGD, [np.zeros_like(W0)] * 3, W0, lr=0.1, decay=0.002)
    np.testing.assert_allclose(ws[-1], W0 * 0.998**3, rtol=1e-14)


def test_sgd_paper_form_matches_torch_at_constant_lr_and_differs_as_documented_after_an_lr_change():
    torch = pytest.importorskip("torch")
    grads = _grads(6)
    tp = torch.nn.Parameter(torch.tensor(W0.copy()))
    topt = torch.optim.SGD([tp], lr=0.1, momentum=0.9, weight_decay=0.01)
    p = nn.Parameter(W0.copy())
    opt = optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01, momentum_form="paper")
    for i, g in enumerate(grads):
        if i == 3:  # change lr: torch rescales the carried momentum by lr_new / lr_old, the paper does not
            for o in (opt, topt):
                o.param_groups[0]["lr"] = 0.05
            ours_delta, torch_delta_prev = (
                opt.state[p]["delta"].copy(),  # the buffer is updated in place, like torch's
                -0.05 * topt.state[tp]["momentum_buffer"].numpy(),
            )
            np.testing.assert_allclose(torch_delta_prev, 0.5 * ours_delta, rtol=1e-12)
        before = p.data.copy()
        p.grad, tp.grad = g.copy(), torch.tensor(g.copy())
        opt.step()
        topt.step()
        if i < 3:
            np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-12, atol=1e-14)
        if i == 3:
            gg = g + 0.01 * before
            np.testing.assert_allclose(p.data - before, -0.05 * gg + 0.9 * ours_delta, rtol=1e-12)
            assert not np.allclose(p.data, tp.detach().numpy())


def test_sgd_nesterov_matches_torch_at_constant_lr():
    torch = pytest.importorskip("torch")
    tp = torch.nn.Parameter(torch.tensor(W0.copy()))
    topt = torch.optim.SGD([tp], lr=0.05, momentum=0.7, nesterov=True, weight_decay=0.1)
    ws, _, _ = _run(optim.SGD, _grads(6), W0, lr=0.05, momentum=0.7, nesterov=True, weight_decay=0.1)
    for g, got in zip(_grads(6), ws):
        tp.grad = torch.tensor(g.copy())
        topt.step()
        np.testing.assert_allclose(got, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_sgd_skips_params_without_grad_and_zero_grad_clears():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.SGD([a, b], lr=0.5, momentum=0.9, decay=0.1)
    a.grad = np.array([1.0, 2.0])
    opt.step()
    np.testing.assert_allclose(a.data, (1 - 0.5 * np.array([1.0, 2.0])) * 0.9)
    np.testing.assert_array_equal(b.data, [1.0, 1.0])  # no grad: no step and no decay
    assert b not in opt.state
    opt.zero_grad(set_to_none=False)
    assert np.array_equal(a.grad, [0.0, 0.0]) and b.grad is None
    opt.zero_grad()
    assert a.grad is None


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optim.SGD(ps, lr=0.1),
        lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, decay=0.01),
        lambda ps: optim.Adam(ps, lr=0.1),
    ],
)
@pytest.mark.parametrize("shape", [(3,), (1100, 1000)])  # SGD updates the large one block by block
def test_a_step_is_an_in_place_write_that_a_graph_built_before_it_refuses(make, shape):
    w, other = nn.Parameter(np.ones(shape)), nn.Parameter(np.ones(2))
    loss = (w * w).sum() + (other * other).sum()  # mul's rule reads w and other
    opt = make([w, other])
    w.grad = np.ones(shape)  # other has no gradient: the step leaves it alone
    before = (w._version, other._version)
    opt.step()
    assert (w._version, other._version) == (before[0] + 1, before[1])
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_float32_parameters_stay_float32():
    p = nn.Parameter(np.ones(3, dtype=np.float32))
    for cls, kw in ((optim.SGD, {"lr": 0.1, "momentum": 0.9, "decay": 0.01}), (optim.AdamW, {})):
        opt = cls([p], **kw)
        p.grad = np.ones(3, dtype=np.float32)
        opt.step()
        assert p.data.dtype == np.float32


@pytest.mark.parametrize(
    "make, key",
    [
        (lambda p: optim.SGD([p], lr=0.1, momentum=0.9), "lr"),
        (lambda p: optim.SGD([p], lr=0.1, momentum=0.9), "momentum"),
        (lambda p: optim.SGD([p], lr=0.1), "weight_decay"),
        (lambda p: optim.SGD([p], lr=0.1), "decay"),
        (lambda p: optim.Adam([p]), "lr"),
        (lambda p: optim.Adam([p]), "eps"),
    ],
)
@pytest.mark.parametrize("bad", [-0.5, float("nan")])
def test_a_schedule_setting_a_bad_value_is_refused_at_step(make, key, bad):
    p = nn.Parameter(np.ones(2))
    opt = make(p)
    opt.param_groups[0][key] = bad
    p.grad = np.ones(2)
    with pytest.raises(ValueError, match=f"{key} must be >= 0"):
        opt.step()
    np.testing.assert_array_equal(p.data, np.ones(2))


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam])
def test_a_grad_set_by_hand_is_taken_as_an_array_of_the_parameters_shape(cls):
    p = nn.Parameter(np.ones(2))
    opt = cls([p], lr=0.5)
    p.grad = [1.0, -1.0]  # a list: taken as an array
    opt.step()
    assert p.data[0] < 1 < p.data[1]
    p.grad = np.ones(3)
    with pytest.raises(ValueError, match=r"grad shape \(3,\) != param \(2,\)"):
        opt.step()


def test_bad_optimizer_arguments_fail_clearly():
    p = nn.Parameter(np.ones(2))
    with pytest.raises(ValueError, match="empty"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        optim.SGD([p], lr=-1)
    with pytest.raises(ValueError, match="decay"):
        optim.SGD([p], lr=0.1, decay=1.5)
    with pytest.raises(ValueError, match="nesterov"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(TypeError, match="not a Tensor"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="more than one"):
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match="not a leaf"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.raises(ValueError, match="betas"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.warns(UserWarning, match="did you mean 'momentum'"):
        optim.SGD([{"params": [p], "momentom": 0.9}], lr=0.1)


def test_param_groups_keep_keys_of_their_own_as_torch_does():
    """``{"params": ..., "name": "encoder"}``: PyTorch keeps such entries in the group and its state_dict."""
    torch = pytest.importorskip("torch")
    p = nn.Parameter(np.ones(2))
    opt = optim.SGD([{"params": [p], "name": "encoder"}], lr=0.1)
    tp = torch.nn.Parameter(torch.ones(2))
    topt = torch.optim.SGD([{"params": [tp], "name": "encoder"}], lr=0.1)
    assert opt.param_groups[0]["name"] == topt.param_groups[0]["name"] == "encoder"
    assert opt.state_dict()["param_groups"][0]["name"] == topt.state_dict()["param_groups"][0]["name"]
    p.grad = np.ones(2)
    opt.step()  # the extra entry changes nothing in the update
    np.testing.assert_allclose(p.data, [0.9, 0.9])


def test_param_groups_have_their_own_hyperparameters():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5, "decay": 0.5}], lr=0.1)
    a.grad = b.grad = np.ones(2)
    opt.step()
    np.testing.assert_allclose(a.data, [0.9, 0.9])
    np.testing.assert_allclose(b.data, [0.25, 0.25])


# --- Adam / AdamW -----------------------------------------------------------------------------------
def _adam_reference(grads, w, lr, b1, b2, eps, wd, decoupled, amsgrad=False):
    m, v, vmax, out = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w), []
    for t, g in enumerate(grads, start=1):
        if decoupled:
            w = w * (1 - lr * wd)
        else:
            g = g + wd * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        vmax = np.maximum(vmax, v)
        m_hat = m / (1 - b1**t)
        v_hat = (vmax if amsgrad else v) / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("cls, decoupled", [(optim.Adam, False), (optim.AdamW, True)])
def test_adam_and_adamw_match_the_update_formulas(cls, decoupled, amsgrad):
    grads = _grads(7)
    kw = {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1, "amsgrad": amsgrad}
    ws, opt, p = _run(cls, grads, W0, **kw)
    ref = _adam_reference(grads, W0.copy(), 0.01, 0.8, 0.95, 1e-6, 0.1, decoupled, amsgrad)
    for got, want in zip(ws, ref):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert opt.state[p]["step"] == 7


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_and_adamw_match_torch(name):
    torch = pytest.importorskip("torch")
    grads = _grads(8)
    tp = torch.nn.Parameter(torch.tensor(W0.copy()))
    topt = getattr(torch.optim, name)([tp], lr=0.05, weight_decay=0.05, amsgrad=True)
    ws, _, _ = _run(getattr(optim, name), grads, W0, lr=0.05, weight_decay=0.05, amsgrad=True)
    for g, got in zip(grads, ws):
        tp.grad = torch.tensor(g.copy())
        topt.step()
        np.testing.assert_allclose(got, tp.detach().numpy(), rtol=1e-10, atol=1e-13)


# --- resuming ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls, kw", [(optim.SGD, {"lr": 0.1, "momentum": 0.9}), (optim.Adam, {"lr": 0.01, "amsgrad": True})]
)
def test_state_dict_resume_continues_exactly(cls, kw):
    grads = _grads(6)
    full, _, _ = _run(cls, grads, W0, **kw)
    first, opt, p = _run(cls, grads[:3], W0, **kw)
    sd = opt.state_dict()
    opt.state[p].clear()  # the saved copy must not depend on the live state
    q = nn.Parameter(first[-1].copy())
    resumed = cls([q], **{**kw, "lr": 123.0})
    resumed.load_state_dict(sd)
    assert resumed.param_groups[0]["lr"] == kw["lr"]
    for g, want in zip(grads[3:], full[3:]):
        q.grad = g.copy()
        resumed.step()
        np.testing.assert_allclose(q.data, want, rtol=1e-13)


def test_load_state_dict_rejects_a_different_layout():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(3))
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    a.grad = np.ones(2)
    opt.step()
    with pytest.raises(ValueError, match="group 0 has 1 params saved, 2 here"):
        optim.SGD([a, b], lr=0.1).load_state_dict(opt.state_dict())
    with pytest.raises(ValueError, match=r"shape \(2,\).*\(3,\)"):
        optim.SGD([b], lr=0.1).load_state_dict(opt.state_dict())


def test_optimizer_trains_a_module_through_the_engine():
    net = nn.Linear(3, 1, rng=0)
    x = np.random.default_rng(1).standard_normal((20, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    opt = optim.Adam(net.parameters(), lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        loss = ((net(x) - Tensor(y)) ** 2).mean()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(net.weight.data, [[1.0, -2.0, 0.5]], atol=1e-3)
    np.testing.assert_allclose(net.bias.data, [0.3], atol=1e-3)
