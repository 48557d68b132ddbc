"""lr schedulers against torch.optim.lr_scheduler: state_dicts with torch's keys, torch-saved states
resuming here step for step, and the value sequences of the schedulers whose internals changed."""

import numpy as np
import pytest

import autobp
from autobp.optim import lr_scheduler as ours

torch = pytest.importorskip("torch")
theirs = torch.optim.lr_scheduler


def _opt(lib, kind="sgd", tensor_lr=False):
    ps = [lib.tensor(np.ones(2), requires_grad=True), lib.tensor(np.ones(3), requires_grad=True)]
    lrs = [lib.tensor(np.array(v)) if tensor_lr else v for v in (0.1, 0.05)]
    groups = [{"params": [ps[0]], "lr": lrs[0]}, {"params": [ps[1]], "lr": lrs[1]}]
    if kind == "adam":
        return lib.optim.Adam(groups)
    return lib.optim.SGD(groups, momentum=0.9)


def _mod(lib):
    return theirs if lib is torch else ours


SCHEDULERS = {
    "StepLR": (lambda m, o: m.StepLR(o, 3, 0.5), "sgd"),
    "MultiStepLR": (lambda m, o: m.MultiStepLR(o, [4, 9], 0.3), "sgd"),
    "ConstantLR": (lambda m, o: m.ConstantLR(o, 0.5, 6), "sgd"),
    "LinearLR": (lambda m, o: m.LinearLR(o, 0.2, 0.9, 7), "sgd"),
    "ExponentialLR": (lambda m, o: m.ExponentialLR(o, 0.9), "sgd"),
    "PolynomialLR": (lambda m, o: m.PolynomialLR(o, 12, 2.0), "sgd"),
    "CosineAnnealingLR": (lambda m, o: m.CosineAnnealingLR(o, 7, 0.01), "sgd"),
    "CosineAnnealingWarmRestarts": (lambda m, o: m.CosineAnnealingWarmRestarts(o, 5, 2, 0.01), "sgd"),
    "LambdaLR": (lambda m, o: m.LambdaLR(o, lambda e: 0.9**e), "sgd"),
    "MultiplicativeLR": (lambda m, o: m.MultiplicativeLR(o, lambda e: 0.95), "sgd"),
    "CyclicLR": (lambda m, o: m.CyclicLR(o, 0.001, 0.01, 4, base_momentum=0.8, max_momentum=0.95), "adam"),
    "OneCycleLR": (lambda m, o: m.OneCycleLR(o, 0.5, total_steps=40, three_phase=True), "sgd"),
    "OneCycleLR-linear": (
        lambda m, o: m.OneCycleLR(o, [0.5, 0.2], total_steps=41, anneal_strategy="linear"),
        "adam",
    ),
    "ReduceLROnPlateau": (lambda m, o: m.ReduceLROnPlateau(o, patience=1, cooldown=1, min_lr=1e-3), "sgd"),
}
METRIC = [1.0, 0.5, 0.5, 0.5, 0.49, 0.3, 0.3, 0.3, 0.3, 0.31, 0.2] * 4


def _advance(opt, sched, t):
    opt.step()
    if isinstance(sched, (theirs.ReduceLROnPlateau, ours.ReduceLROnPlateau)):
        sched.step(METRIC[t])
    else:
        sched.step()


def _seen(opt):
    """Every group's lr, momentum (nan when it has none) and betas, as one flat list of floats."""
    values = [v for x in opt.param_groups for v in (x["lr"], x.get("momentum"), *x.get("betas", ()))]
    return [float("nan") if v is None else float(v) for v in values]


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_state_dict_has_torchs_keys(name):
    make, kind = SCHEDULERS[name]
    keys = []
    for lib in (torch, autobp):
        opt = _opt(lib, kind)
        sched = make(_mod(lib), opt)
        for t in range(5):
            _advance(opt, sched, t)
        keys.append(set(sched.state_dict()))
    assert keys[0] == keys[1]


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_torch_saved_state_resumes_step_for_step(name):
    make, kind = SCHEDULERS[name]
    opt_t = _opt(torch, kind)
    sched_t = make(theirs, opt_t)
    for t in range(12):
        _advance(opt_t, sched_t, t)
    opt_sd, sched_sd = opt_t.state_dict(), sched_t.state_dict()
    opt_a = _opt(autobp, kind)
    sched_a = make(ours, opt_a)  # made first, then both loaded: torch's resume order
    opt_a.load_state_dict(opt_sd)
    sched_a.load_state_dict(sched_sd)
    for t in range(12, 38):
        _advance(opt_t, sched_t, t)
        _advance(opt_a, sched_a, t)
        np.testing.assert_allclose(_seen(opt_a), _seen(opt_t), rtol=1e-12, err_msg=f"step {t}")
        assert sched_a.last_epoch == sched_t.last_epoch
        assert sched_a.get_last_lr() == pytest.approx(sched_t.get_last_lr(), rel=1e-12)


def test_one_cycle_phases_and_plateau_worst_value_as_torch():
    for three in (False, True):
        got = []
        for lib in (torch, autobp):
            sched = _mod(lib).OneCycleLR(_opt(lib), 0.5, total_steps=10, three_phase=three)
            got.append((sched._schedule_phases, sched._anneal_func_type))
        assert got[0] == got[1]
    for mode in ("min", "max"):
        worst = [_mod(lib).ReduceLROnPlateau(_opt(lib), mode=mode).mode_worse for lib in (torch, autobp)]
        assert worst[0] == worst[1]


@pytest.mark.parametrize("name", sorted(SCHEDULERS) + ["SequentialLR"])
def test_a_tensor_lr_is_filled_in_place_like_torch(name):
    # torch writes a Tensor lr with fill_ (the group keeps its tensor) and get_last_lr gives copies;
    # CyclicLR, OneCycleLR and ReduceLROnPlateau replaced it by a float, and SequentialLR's restart
    # wrote through the same tensor as initial_lr (wrong lrs after its milestone)
    if name == "SequentialLR":

        def make(m, o):
            return m.SequentialLR(o, [m.ConstantLR(o, 0.5, 2), m.ExponentialLR(o, 0.9)], [2])

        kind = "sgd"
    else:
        make, kind = SCHEDULERS[name]
    seen = []
    for lib in (torch, autobp):
        opt = _opt(lib, kind, tensor_lr=True)
        first = [g["lr"] for g in opt.param_groups]
        sched = make(_mod(lib), opt)
        log = []
        for t in range(10):
            _advance(opt, sched, t)
            lrs = [g["lr"] for g in opt.param_groups]
            last = sched.get_last_lr()
            log.append(
                (
                    [a is b for a, b in zip(lrs, first)],
                    [type(x).__name__ for x in last],
                    [round(float(x.item()), 12) for x in lrs],
                )
            )
        seen.append(log)
    assert seen[1] == seen[0]


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_warns_like_torch_when_the_scheduler_steps_before_the_optimizer(name):
    import warnings

    make, kind = SCHEDULERS[name]
    counts = []
    for lib in (torch, autobp):
        for sched_first in (True, False):
            opt = _opt(lib, kind)
            sched = make(_mod(lib), opt)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for t in range(3):
                    if not sched_first:
                        opt.step()
                    if isinstance(sched, (theirs.ReduceLROnPlateau, ours.ReduceLROnPlateau)):
                        sched.step(METRIC[t])
                    else:
                        sched.step()
                    if sched_first:
                        opt.step()
            counts.append(sum("optimizer" in str(w.message) and "step" in str(w.message) for w in caught))
    assert counts[2:] == counts[:2]
    silent = name in ("ReduceLROnPlateau", "CosineAnnealingWarmRestarts")  # own step() in torch: no check
    assert counts[1] == 0 and counts[0] == (0 if silent else 1)
