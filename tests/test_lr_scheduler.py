"""optim.lr_scheduler vs torch.optim.lr_scheduler: the same learning rates (and OneCycle's momenta)
step by step over 50 steps with two parameter groups; state_dict resume; closed-form jumps."""

import math

import numpy as np
import pytest

from autobp import nn, optim
from autobp.optim import lr_scheduler as S

torch = pytest.importorskip("torch")
TS = torch.optim.lr_scheduler
STEPS = 50


def _pair(opt_name="SGD", **kw):
    """Our optimiser and torch's, each with two groups (lr 0.1 and 0.02)."""
    kw = {"momentum": 0.9, **kw} if opt_name == "SGD" else kw
    ours = getattr(optim, opt_name)(
        [{"params": [nn.Parameter(np.zeros(2))]}, {"params": [nn.Parameter(np.zeros(3))], "lr": 0.02}],
        lr=0.1,
        **kw,
    )
    theirs = getattr(torch.optim, opt_name)(
        [
            {"params": [torch.zeros(2, requires_grad=True)]},
            {"params": [torch.zeros(3, requires_grad=True)], "lr": 0.02},
        ],
        lr=0.1,
        **kw,
    )
    return ours, theirs


def _twice(make):
    """make(module, optimizer) -> scheduler, for autobp's and torch's module."""
    o, t = _pair()
    return o, t, make(S, o), make(TS, t)


SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.93),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=13, eta_min=0.001),  # past T_max too
    "CosineAnnealingWarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(
        o, T_0=5, T_mult=2, eta_min=1e-3
    ),
    "CosineAnnealingWarmRestarts_mult1": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=7),
    "LinearLR": lambda m, o: m.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=20),
    "ConstantLR": lambda m, o: m.ConstantLR(o, factor=0.4, total_iters=9),
    "PolynomialLR": lambda m, o: m.PolynomialLR(o, total_iters=30, power=1.7),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lr_lambda=lambda e: 1 / (1 + 0.1 * e)),
    "LambdaLR_per_group": lambda m, o: m.LambdaLR(o, lr_lambda=[lambda e: 0.9**e, lambda e: 1 + math.sin(e)]),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lr_lambda=lambda e: 0.95 if e % 3 else 1.05),
    "OneCycleLR_cos": lambda m, o: m.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=STEPS + 1),
    "OneCycleLR_linear_three_phase": lambda m, o: m.OneCycleLR(
        o, max_lr=0.8, epochs=6, steps_per_epoch=9, pct_start=0.25, anneal_strategy="linear", three_phase=True
    ),
    "CyclicLR": lambda m, o: m.CyclicLR(
        o, base_lr=[0.01, 0.002], max_lr=0.1, step_size_up=4, step_size_down=7
    ),
    "CyclicLR_triangular2": lambda m, o: m.CyclicLR(
        o, 0.01, [0.1, 0.3], step_size_up=5, mode="triangular2", base_momentum=0.7, max_momentum=0.95
    ),
    "CyclicLR_exp_range": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=3, mode="exp_range", gamma=0.97),
    "CyclicLR_scale_fn_iterations": lambda m, o: m.CyclicLR(
        o, 0.02, 0.2, step_size_up=6, scale_fn=lambda x: 1 / (1 + 0.05 * x), scale_mode="iterations"
    ),
    "SequentialLR": lambda m, o: m.SequentialLR(
        o,
        [m.LinearLR(o, start_factor=0.1, total_iters=5), m.ExponentialLR(o, 0.9), m.CosineAnnealingLR(o, 10)],
        milestones=[5, 20],
    ),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, factor=0.5, total_iters=4), m.ExponentialLR(o, gamma=0.9), m.StepLR(o, 10, 0.3)]
    ),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedule_matches_torch_step_by_step(name):
    o, t, ours, theirs = _twice(SCHEDULES[name])
    assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13)
    seen = set()
    for i in range(STEPS):
        o.step()
        t.step()
        ours.step()
        theirs.step()
        ours_lr, torch_lr = ours.get_last_lr(), theirs.get_last_lr()
        np.testing.assert_allclose(ours_lr, torch_lr, rtol=1e-13, atol=1e-16, err_msg=f"step {i}")
        assert [g["lr"] for g in o.param_groups] == ours_lr
        for g, tg in zip(o.param_groups, t.param_groups):
            assert g["momentum"] == pytest.approx(tg["momentum"], rel=1e-13)
        seen.add(round(ours_lr[0], 12))
    assert len(seen) > 1  # the schedule changed the lr


def test_one_cycle_cycles_adams_beta1():
    o, t = _pair("Adam")
    ours = S.OneCycleLR(o, max_lr=0.3, total_steps=20, base_momentum=0.8, max_momentum=0.97)
    theirs = TS.OneCycleLR(t, max_lr=0.3, total_steps=20, base_momentum=0.8, max_momentum=0.97)
    for _ in range(19):
        o.step()
        t.step()
        ours.step()
        theirs.step()
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-13)
        assert o.param_groups[0]["betas"][0] == pytest.approx(t.param_groups[0]["betas"][0], rel=1e-13)
    with pytest.raises(ValueError, match="total_steps is 20"):
        ours.step()
        ours.step()


def test_cyclic_lr_cycles_adams_beta1_and_refuses_bad_arguments():
    o, t = _pair("Adam")
    ours = S.CyclicLR(o, 0.001, 0.01, step_size_up=3, base_momentum=0.85, max_momentum=0.99)
    theirs = TS.CyclicLR(t, 0.001, 0.01, step_size_up=3, base_momentum=0.85, max_momentum=0.99)
    betas = set()
    for _ in range(14):
        o.step()
        t.step()
        ours.step()
        theirs.step()
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-13)
        assert o.param_groups[1]["betas"] == pytest.approx(t.param_groups[1]["betas"], rel=1e-13)
        betas.add(round(o.param_groups[1]["betas"][0], 10))
    assert min(betas) == pytest.approx(0.85) and max(betas) == pytest.approx(0.99)
    with pytest.raises(ValueError, match="mode"):
        S.CyclicLR(o, 0.01, 0.1, mode="sawtooth")
    with pytest.raises(ValueError, match="momentum"):
        S.CyclicLR(optim.Adagrad([nn.Parameter(np.zeros(2))]), 0.01, 0.1)
    with pytest.raises(ValueError, match="must have the same length as optimizer.param_groups"):
        S.CyclicLR(o, [0.01, 0.02, 0.03], 0.1)


PLATEAU = [
    {},
    {"mode": "max", "factor": 0.5, "patience": 2, "threshold": 0.05, "cooldown": 2},
    {"patience": 1, "threshold_mode": "abs", "threshold": 0.01, "min_lr": [0.001, 0.005]},
    {"mode": "max", "threshold_mode": "abs", "patience": 0, "factor": 0.7, "min_lr": 0.004, "eps": 1e-3},
]


@pytest.mark.parametrize("kw", PLATEAU)
def test_reduce_lr_on_plateau_matches_torch(kw):
    o, t = _pair()
    ours, theirs = S.ReduceLROnPlateau(o, **kw), TS.ReduceLROnPlateau(t, **kw)
    rng = np.random.default_rng(0)
    metrics = np.concatenate([np.linspace(1, 0.5, 10), 0.5 + 0.02 * rng.standard_normal(40)])
    changes = 0
    for m in metrics:
        before = ours.get_last_lr()
        ours.step(m)
        theirs.step(float(m))
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert ours.num_bad_epochs == theirs.num_bad_epochs and ours.best == theirs.best
        changes += ours.get_last_lr() != before
    assert changes >= 2


@pytest.mark.parametrize("name", [n for n in SCHEDULES if "Lambda" not in n])
def test_state_dict_resume_gives_the_same_lrs(name):
    o, _, ours, _ = _twice(SCHEDULES[name])
    for _ in range(20):
        o.step()
        ours.step()
    opt_state, sched_state = o.state_dict(), ours.state_dict()
    rest = []
    for _ in range(STEPS - 20):
        o.step()
        ours.step()
        rest.append(ours.get_last_lr())
    o2, _ = _pair()
    resumed = SCHEDULES[name](S, o2)  # PyTorch's order: build both, then load both
    o2.load_state_dict(opt_state)
    resumed.load_state_dict(sched_state)
    for want in rest:
        o2.step()
        resumed.step()
        assert resumed.get_last_lr() == want


@pytest.mark.parametrize(
    "name",
    ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "ConstantLR", "PolynomialLR"],
)
def test_step_with_an_epoch_jumps_with_the_closed_form_like_torch(name):
    import warnings

    o, t, ours, theirs = _twice(SCHEDULES[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch deprecates step(epoch)
        for epoch in (3, 17, 8, 40):
            ours.step(epoch)
            theirs.step(epoch)
            np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-13)


def test_warm_restarts_accept_fractional_epochs_like_torch():
    o, t, ours, theirs = _twice(SCHEDULES["CosineAnnealingWarmRestarts"])
    for epoch in (0.5, 3.25, 5.0, 11.7, 40.1):
        ours.step(epoch)
        theirs.step(epoch)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-13)


def test_resuming_at_a_last_epoch_needs_initial_lr_and_bad_arguments_fail_clearly():
    o, _ = _pair()
    with pytest.raises(KeyError, match="initial_lr"):
        S.StepLR(o, step_size=3, last_epoch=4)
    with pytest.raises(TypeError, match="Optimizer"):
        S.ExponentialLR(object(), gamma=0.9)
    with pytest.raises(ValueError, match="2 schedulers need 1 milestones"):
        S.SequentialLR(o, [S.ExponentialLR(o, 0.9), S.ExponentialLR(o, 0.8)], milestones=[])
    with pytest.raises(ValueError, match="factor must be < 1"):
        S.ReduceLROnPlateau(o, factor=2.0)
    with pytest.raises(ValueError, match="anneal_strategy"):
        S.OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy="exp")


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "ExponentialLR", "LinearLR", "MultiStepLR"])
def test_constructing_at_a_last_epoch_resumes_like_torch(name):
    o, t = _pair()
    for g, tg in zip(o.param_groups, t.param_groups):
        g["initial_lr"] = tg["initial_lr"] = g["lr"] * 2  # as a loaded optimizer state would have it
    ours = _with_last_epoch(name, S, o)
    theirs = _with_last_epoch(name, TS, t)
    for i in range(12):
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-13, err_msg=f"step {i}")
        o.step()
        t.step()
        ours.step()
        theirs.step()


def _with_last_epoch(name, m, opt):
    return {
        "StepLR": lambda: m.StepLR(opt, step_size=4, gamma=0.5, last_epoch=7),
        "CosineAnnealingLR": lambda: m.CosineAnnealingLR(opt, T_max=10, eta_min=0.001, last_epoch=7),
        "ExponentialLR": lambda: m.ExponentialLR(opt, gamma=0.9, last_epoch=7),
        "LinearLR": lambda: m.LinearLR(opt, start_factor=0.2, total_iters=10, last_epoch=7),
        "MultiStepLR": lambda: m.MultiStepLR(opt, milestones=[3, 9, 12], gamma=0.5, last_epoch=7),
    }[name]()


def test_schedule_state_survives_a_trip_through_autobp_save(tmp_path):
    import autobp

    o, _ = _pair()
    sched = S.MultiStepLR(o, milestones=[3, 3, 8], gamma=0.5)
    autobp.save({"s": sched.state_dict()}, tmp_path / "s.npz")
    o2, _ = _pair()
    back = S.MultiStepLR(o2, milestones=[1], gamma=0.5)
    back.load_state_dict(autobp.load(tmp_path / "s.npz")["s"])
    for _ in range(1, 12):
        sched.step()
        back.step()
        assert back.get_last_lr() == sched.get_last_lr()
    back.step(20)  # the closed form reads the milestones too
    assert back.get_last_lr() == pytest.approx([0.1 * 0.5**3, 0.02 * 0.5**3])
