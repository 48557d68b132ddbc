"""optim vs torch.optim: trajectories of every optimiser and option combination (float64, 20 steps,
two parameter groups, gradients that depend on the weights), and bit-identical resume."""

import copy

import numpy as np
import pytest

from autobp import nn, optim

torch = pytest.importorskip("torch")

SHAPES = [(3, 2), (4,)]
STEPS = 20


def _grad(w, t, i):
    """A gradient depending on the weights (so a wrong step changes later gradients) plus noise."""
    noise = np.random.default_rng(100 * t + i).standard_normal(w.shape)
    return np.sin(3 * w) + 0.5 * noise


def _start():
    rng = np.random.default_rng(7)
    return [rng.standard_normal(s) for s in SHAPES]


def _groups(params, lrs):
    return [{"params": [p], **({"lr": lr} if lr is not None else {})} for p, lr in zip(params, lrs)]


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.02, "weight_decay": 0.3, "amsgrad": True, "eps": 1e-3}),
    ("Adamax", {"lr": 0.01}),
    ("Adamax", {"lr": 0.02, "betas": (0.7, 0.9), "weight_decay": 0.1, "eps": 1e-2, "maximize": True}),
    ("NAdam", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01, "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.8, 0.9)}),
    ("RAdam", {"lr": 0.01}),  # rho_t <= 5 for the first steps: the un-rectified branch, then the other
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.9), "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.8, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "eps": 1e-3, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.3}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-3, "maximize": True}),
    (
        "RMSprop",
        {"lr": 0.01, "alpha": 0.95, "eps": 1e-4, "weight_decay": 0.05, "momentum": 0.9, "centered": True},
    ),
    ("Adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.2, "decoupled_weight_decay": True, "eps": 1e-4}),
    ("SGD", {"lr": 0.05, "momentum": 0.6, "dampening": 0.5, "weight_decay": 0.2, "maximize": True}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1, "maximize": True}),
    ("Rprop", {"lr": 0.01}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.2), "maximize": True}),
    ("ASGD", {"lr": 0.05}),
    ("ASGD", {"lr": 0.05, "lambd": 0.1, "alpha": 0.5, "t0": 5, "weight_decay": 0.1, "maximize": True}),
    ("Adafactor", {}),  # a matrix (row/column averages) and a vector (full variance)
    ("Adafactor", {"lr": 0.05, "beta2_decay": -0.5, "eps": (1e-20, 1e-2), "d": 1.5, "weight_decay": 0.1}),
]


def _ids(case):
    name, kw = case
    return name + "(" + ",".join(f"{k}={v}" for k, v in kw.items()) + ")"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_trajectory_matches_torch_with_two_param_groups(case):
    name, kw = case
    w0 = _start()
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    lrs = [None, 0.5 * kw.get("lr", 1.0)]  # the second group has its own lr
    opt = getattr(optim, name)(_groups(ours, lrs), **kw)
    topt = getattr(torch.optim, name)(_groups(theirs, lrs), **kw)
    assert opt.param_groups[1]["lr"] == topt.param_groups[1]["lr"]
    for t in range(STEPS):
        for i, (p, tp) in enumerate(zip(ours, theirs)):
            p.grad = _grad(p.data, t, i)
            tp.grad = torch.tensor(_grad(tp.detach().numpy(), t, i))
        opt.step()
        topt.step()
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(
                p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=f"step {t}"
            )
    moved = sum(float(np.abs(p.data - w).max()) for p, w in zip(ours, w0))
    assert moved > 1e-3  # the trajectory went somewhere


RESUME = CASES + [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.2, "momentum_form": "pytorch"}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "decay": 0.01}),
]


@pytest.mark.parametrize("case", RESUME, ids=[_ids(c) for c in RESUME])
def test_resume_from_state_dict_is_bit_identical(case):
    name, kw = case
    w0 = _start()

    def run(params, opt, steps):
        for t in steps:
            for i, p in enumerate(params):
                p.grad = _grad(p.data, t, i)
            opt.step()

    lrs = [None, 0.3]
    full = [nn.Parameter(w.copy()) for w in w0]
    opt_full = getattr(optim, name)(_groups(full, lrs), **kw)
    run(full, opt_full, range(STEPS))

    first = [nn.Parameter(w.copy()) for w in w0]
    opt_first = getattr(optim, name)(_groups(first, lrs), **kw)
    run(first, opt_first, range(STEPS // 2))
    # as torch's, state_dict() holds the live state tensors: deep-copy for a snapshot (torch's idiom)
    saved_state = copy.deepcopy(opt_first.state_dict())
    saved_weights = [p.data.copy() for p in first]
    run(first, opt_first, range(STEPS // 2, STEPS // 2 + 3))  # the saved copy must not follow these

    fresh = [nn.Parameter(w.copy()) for w in saved_weights]
    opt_fresh = getattr(optim, name)(_groups(fresh, [None, None]), **kw)  # lr restored from the state
    opt_fresh.load_state_dict(saved_state)
    assert opt_fresh.param_groups[1]["lr"] == 0.3
    run(fresh, opt_fresh, range(STEPS // 2, STEPS))
    for p, q in zip(fresh, full):
        np.testing.assert_array_equal(p.data, q.data)


def test_sgd_dampening_and_nesterov_refuse_each_other_like_torch():
    p = nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="dampening"):
        optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    with pytest.raises(ValueError):
        torch.optim.SGD(
            [torch.nn.Parameter(torch.zeros(2))], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True
        )


def test_add_param_group_takes_defaults_and_its_own_options():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(3))
    opt = optim.RMSprop([a], lr=0.1, momentum=0.5)
    opt.add_param_group({"params": [b], "lr": 0.01, "centered": True})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert [g["centered"] for g in opt.param_groups] == [False, True]
    assert opt.param_groups[1]["momentum"] == 0.5
    with pytest.raises(ValueError, match="more than one"):
        opt.add_param_group({"params": [a]})


def test_adagrad_group_added_later_starts_at_its_own_accumulator_value():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(3))
    opt = optim.Adagrad([a], lr=0.1, initial_accumulator_value=0.5)
    opt.add_param_group({"params": [b], "initial_accumulator_value": 2.0})
    np.testing.assert_array_equal(opt.state[a]["sum"], 0.5)
    np.testing.assert_array_equal(opt.state[b]["sum"], 2.0)


def test_zero_grad_sets_to_none_by_default_and_to_zeros_on_request():
    p = nn.Parameter(np.ones(2))
    opt = optim.NAdam([p])
    p.grad = np.ones(2)
    opt.zero_grad()
    assert p.grad is None
    p.grad = np.ones(2)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, 0.0)


@pytest.mark.parametrize("case", CASES[::3], ids=[_ids(c) for c in CASES[::3]])
def test_float32_parameters_stay_float32_and_follow_torch_in_float32(case):
    name, kw = case
    w0 = [w.astype(np.float32) for w in _start()]
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt = getattr(optim, name)(ours, **kw)
    topt = getattr(torch.optim, name)(theirs, **kw)
    for t in range(STEPS):
        for i, (p, tp) in enumerate(zip(ours, theirs)):
            g = _grad(p.data.astype(np.float64), t, i).astype(np.float32)
            p.grad, tp.grad = g, torch.tensor(g.copy())
        opt.step()
        topt.step()
    for p, tp in zip(ours, theirs):
        assert p.dtype == np.float32
        assert all(v.dtype == np.float32 for v in opt.state[p].values() if isinstance(v, np.ndarray))
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=2e-4, atol=2e-5)


SGD_FORMS = [
    {"momentum": 0.9},
    {"momentum": 0.8, "dampening": 0.4, "weight_decay": 0.05},
    {"momentum": 0.7, "nesterov": True, "maximize": True},
]


@pytest.mark.parametrize("kw", SGD_FORMS)
def test_sgd_default_momentum_form_follows_torch_through_lr_and_momentum_changes(kw):
    w0 = _start()
    ours = [nn.Parameter(w.copy()) for w in w0]
    paper = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt = optim.SGD(ours, lr=0.1, **kw)  # the default form is PyTorch's
    opt_paper = optim.SGD(paper, lr=0.1, momentum_form="paper", **kw)
    topt = torch.optim.SGD(theirs, lr=0.1, **kw)
    for t in range(STEPS):
        if t % 5 == 4:  # a schedule: lr and momentum change every 5 steps
            for o in (opt, opt_paper, topt):
                o.param_groups[0]["lr"] *= 0.5
                o.param_groups[0]["momentum"] = 0.6 if t % 10 == 4 else kw["momentum"]
        for i, (p, q, tp) in enumerate(zip(ours, paper, theirs)):
            p.grad, q.grad = _grad(p.data, t, i), _grad(q.data, t, i)
            tp.grad = torch.tensor(_grad(tp.detach().numpy(), t, i))
        for o in (opt, opt_paper, topt):
            o.step()
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(
                p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=f"step {t}"
            )
    assert not np.allclose(paper[0].data, ours[0].data, rtol=1e-6)  # the paper's form differs, as documented
    with pytest.raises(ValueError, match="momentum_form must be 'paper' or 'pytorch'"):
        optim.SGD(ours, lr=0.1, momentum_form="torch")


SGD_SCHEDULED = [
    {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
    {"momentum": 0.8, "nesterov": True, "weight_decay": 0.1},
]
SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=4, gamma=0.5),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, max_lr=[0.3, 0.1], total_steps=STEPS),  # cycles momentum too
}


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("kw", SGD_SCHEDULED)
def test_sgd_with_defaults_under_a_schedule_follows_torch(kw, schedule):
    # no momentum_form: the default must be torch's update, whose momentum is rescaled by lr changes
    w0 = _start()
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt = optim.SGD(_groups(ours, [None, 0.02]), lr=0.1, **kw)
    topt = torch.optim.SGD(_groups(theirs, [None, 0.02]), lr=0.1, **kw)
    sched = SCHEDULES[schedule](optim.lr_scheduler, opt)
    tsched = SCHEDULES[schedule](torch.optim.lr_scheduler, topt)
    for t in range(STEPS - 1):
        for i, (p, tp) in enumerate(zip(ours, theirs)):
            p.grad = _grad(p.data, t, i)
            tp.grad = torch.tensor(_grad(tp.detach().numpy(), t, i))
        opt.step()
        topt.step()
        sched.step()
        tsched.step()
        assert [g["lr"] for g in opt.param_groups] == pytest.approx([g["lr"] for g in topt.param_groups])
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(
                p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-10, err_msg=f"step {t}"
            )
    lrs = {g["lr"] for g in topt.param_groups}
    assert len(lrs) == 2 and 0.1 not in lrs  # the schedule did change the learning rates


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_default_form_on_a_parameter_updated_in_blocks_follows_torch(nesterov):
    # 1100 x 1000 float64: over the 4 MiB above which lr * v goes through scratch block by block
    rng = np.random.default_rng(3)
    w0 = rng.standard_normal((1100, 1000))
    p, tp = nn.Parameter(w0.copy()), torch.nn.Parameter(torch.tensor(w0.copy()))
    opt = optim.SGD([p], lr=0.1, momentum=0.9, nesterov=nesterov, weight_decay=0.01)
    topt = torch.optim.SGD([tp], lr=0.1, momentum=0.9, nesterov=nesterov, weight_decay=0.01)
    for lr in (0.1, 0.05, 0.02):
        for o in (opt, topt):
            o.param_groups[0]["lr"] = lr
        g = rng.standard_normal(w0.shape)
        p.grad, tp.grad = g.copy(), torch.tensor(g)
        opt.step()
        topt.step()
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_asgd_average_and_rprop_step_sizes_follow_torch():
    """The states users read: ASGD's averaged weight ax (averaging starts after t0 steps) and
    Rprop's per-weight step sizes, clamped to step_sizes."""
    w0 = _start()
    for name, kw, key in [
        ("ASGD", {"lr": 0.05, "t0": 4, "lambd": 0.01}, "ax"),
        ("Rprop", {"lr": 0.1, "step_sizes": (0.02, 0.15)}, "step_size"),
    ]:
        ours = [nn.Parameter(w.copy()) for w in w0]
        theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
        opt, topt = getattr(optim, name)(ours, **kw), getattr(torch.optim, name)(theirs, **kw)
        for t in range(12):
            for i, (p, tp) in enumerate(zip(ours, theirs)):
                p.grad, tp.grad = _grad(p.data, t, i), torch.tensor(_grad(tp.detach().numpy(), t, i))
            opt.step()
            topt.step()
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(opt.state[p][key], topt.state[tp][key].numpy(), rtol=1e-10, atol=1e-12)
            assert not np.allclose(opt.state[p][key], p.data if key == "ax" else kw["lr"])  # it moved


def test_rprop_refuses_etas_out_of_order_like_torch():
    for etas in [(1.2, 0.5), (0.0, 1.2), (0.5, 1.0)]:
        with pytest.raises(ValueError, match="etas"):
            optim.Rprop([nn.Parameter(np.zeros(2))], etas=etas)
        with pytest.raises(ValueError):
            torch.optim.Rprop([torch.nn.Parameter(torch.zeros(2))], etas=etas)


def test_adafactor_keeps_row_and_column_averages_for_matrices():
    w0 = _start()
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt, topt = optim.Adafactor(ours, maximize=True), torch.optim.Adafactor(theirs, maximize=True)
    for t in range(5):
        for i, (p, tp) in enumerate(zip(ours, theirs)):
            p.grad, tp.grad = _grad(p.data, t, i), torch.tensor(_grad(tp.detach().numpy(), t, i))
        opt.step()
        topt.step()
    (m, v), (tm, tv) = ours, theirs
    assert opt.state[m]["row_var"].shape == (3, 1) and opt.state[m]["col_var"].shape == (1, 2)
    for key in ("row_var", "col_var"):
        np.testing.assert_allclose(opt.state[m][key], topt.state[tm][key].numpy(), rtol=1e-12)
    np.testing.assert_allclose(opt.state[v]["variance"], topt.state[tv]["variance"].numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="beta2_decay must be <= 0"):
        optim.Adafactor(ours, beta2_decay=0.5)


def test_step_hooks_run_around_every_step_like_torch():
    for lib, P in (
        (optim, lambda: nn.Parameter(np.ones(2))),
        (torch.optim, lambda: torch.nn.Parameter(torch.ones(2))),
    ):
        p = P()
        opt = lib.SGD([p], lr=0.1)
        log = []
        pre = opt.register_step_pre_hook(
            lambda o, args, kwargs, log=log, opt=opt: log.append(("pre", o is opt))
        )
        opt.register_step_post_hook(lambda o, args, kwargs, log=log, opt=opt: log.append(("post", o is opt)))
        p.grad = np.ones(2) if lib is optim else torch.ones(2)
        opt.step()
        pre.remove()
        opt.step()
        assert log == [("pre", True), ("post", True), ("post", True)], lib
    w = nn.Parameter(np.array([1.5, -0.5]))
    lbfgs = optim.LBFGS([w], max_iter=2)
    seen = []
    lbfgs.register_step_post_hook(lambda o, args, kwargs: seen.append(len(args)))

    def closure():
        lbfgs.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    lbfgs.step(closure)
    assert seen == [2]  # its own step runs them too, once; args are (optimizer, closure) as in torch
