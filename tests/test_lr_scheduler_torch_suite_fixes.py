"""Scheduler behaviour that PyTorch's own test_lrscheduler.py checks, with torch as the oracle:
step(epoch)'s deprecation warning, the call-order and overridden-step warnings, copies (never aliases)
of base lrs and of Tensor hyper-parameters, CyclicLR's ``_scale_fn_ref``, OneCycleLR's annealing
functions and legacy state_dicts, torch's error texts, and scheduler state_dicts through save/load
with open files."""

import pickle
import re
import tempfile
import types
import warnings

import numpy as np
import pytest

import autobp
from autobp import optim
from autobp.optim import lr_scheduler as S
from autobp.optim import swa_utils

torch = pytest.importorskip("torch")
TS = torch.optim.lr_scheduler


def _opts(lr2=0.5):
    wa = [autobp.tensor(np.ones(2), requires_grad=True), autobp.tensor(np.ones(3), requires_grad=True)]
    wt = [torch.ones(2, dtype=torch.float64, requires_grad=True), torch.ones(3, dtype=torch.float64)]
    oa = optim.SGD([{"params": [wa[0]]}, {"params": [wa[1]], "lr": lr2}], lr=0.05, momentum=0.9)
    ot = torch.optim.SGD([{"params": [wt[0]]}, {"params": [wt[1]], "lr": lr2}], lr=0.05, momentum=0.9)
    return oa, ot


def _messages(fn):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in ws if issubclass(w.category, UserWarning)]


def test_epoch_deprecation_warning_text_and_where_it_is_raised():
    assert S.EPOCH_DEPRECATION_WARNING == TS.EPOCH_DEPRECATION_WARNING
    for make in (
        lambda m, o: m.StepLR(o, 2),
        lambda m, o: m.ExponentialLR(o, 0.9),
        lambda m, o: m.ReduceLROnPlateau(o),
        lambda m, o: m.CosineAnnealingWarmRestarts(o, 4),
    ):
        got = []
        for m, o in zip((S, TS), _opts()):
            sch = make(m, o)
            o.step()
            args = (1.0, 3) if isinstance(sch, (S.ReduceLROnPlateau, TS.ReduceLROnPlateau)) else (3,)
            got.append(_messages(lambda: sch.step(*args)))  # noqa: B023
        assert got[0] == got[1]
    # SequentialLR's switch at a milestone restarts the next schedule without the warning
    for m, o in zip((S, TS), _opts()):
        seq = m.SequentialLR(o, [m.LinearLR(o, 0.5, total_iters=2), m.ExponentialLR(o, 0.9)], [2])
        for _ in range(4):
            o.step()
            assert _messages(seq.step) == []


def test_call_order_and_overridden_step_warnings_match_torch():
    for m, o in zip((S, TS), _opts()):
        sch = m.StepLR(o, 3)
        msgs = _messages(lambda: [sch.step(), sch.step()])  # noqa: B023
        assert (
            len(msgs) == 1 and "Detected call of `lr_scheduler.step()` before `optimizer.step()`" in msgs[0]
        )
    for m, o in zip((S, TS), _opts()):
        sch = m.StepLR(o, 3)
        old = o.step
        o.step = types.MethodType(lambda self, *a, **k: old(*a, **k), o)  # noqa: B023
        msgs = _messages(lambda: [o.step(), sch.step(), o.step(), sch.step()])  # noqa: B023
        assert len(msgs) == 1 and "`optimizer.step()` has been overridden" in msgs[0]
    for m, o in zip((S, TS), _opts()):
        sch = m.StepLR(o, 3)
        assert _messages(lambda: [(o.step(), sch.step()) for _ in range(3)]) == []  # noqa: B023


def test_base_lrs_are_copies_of_a_tensor_initial_lr():
    for m, mod in ((S, autobp), (TS, torch)):
        lr = mod.as_tensor(0.1)
        o = (optim if mod is autobp else torch.optim).SGD([mod.zeros(1, requires_grad=True)], lr=lr)
        sch = m.ExponentialLR(o, 0.5)
        assert sch.base_lrs[0] is not o.param_groups[0]["initial_lr"]
        o.param_groups[0]["initial_lr"].mul_(3)
        assert float(sch.base_lrs[0]) == pytest.approx(0.1)


@pytest.mark.parametrize("which", ["cyclic", "onecycle", "swalr"])
def test_tensor_hyper_parameters_are_copied_not_aliased(which):
    got = []
    for lib in ("autobp", "torch"):
        mod, m = (autobp, S) if lib == "autobp" else (torch, TS)
        opt_mod = optim if lib == "autobp" else torch.optim
        swa = swa_utils if lib == "autobp" else torch.optim.swa_utils
        lr, top, base_m, max_m = (mod.as_tensor(v) for v in (0.1, 0.2, 0.8, 0.9))
        o = opt_mod.SGD([mod.zeros(1, requires_grad=True)], lr=lr, momentum=0.5)
        if which == "cyclic":
            sch = m.CyclicLR(o, base_lr=lr, max_lr=top, base_momentum=base_m, max_momentum=max_m)
        elif which == "onecycle":
            sch = m.OneCycleLR(o, max_lr=top, total_steps=10, base_momentum=base_m, max_momentum=max_m)
        else:
            sch = swa.SWALR(o, swa_lr=top, anneal_epochs=3)
        rows = []
        for _ in range(3):
            for t in (lr, top, base_m, max_m):
                t.mul_(0.5)  # the caller's tensors change: the schedule must not
            o.step()
            sch.step()
            g = o.param_groups[0]
            rows.append(
                [float(g[k]) for k in ("lr", "momentum", "base_momentum", "max_momentum", "swa_lr") if k in g]
            )
        got.append(rows)
    np.testing.assert_allclose(got[0], got[1], rtol=1e-6)


def test_cyclic_scale_fn_ref_state_dict_and_restore():
    o = optim.Adam([autobp.zeros(2, requires_grad=True)])
    sch = S.CyclicLR(o, base_lr=1, max_lr=5, cycle_momentum=False, mode="triangular2")
    assert isinstance(sch._scale_fn_ref, types.FunctionType)
    state = sch.state_dict()
    assert "_scale_fn_ref" not in state and state["_scale_fn_custom"] is None
    pickle.dumps(state)
    back = S.CyclicLR(o, base_lr=1, max_lr=5, cycle_momentum=False, mode="exp_range", gamma=0.5)
    back.load_state_dict(state)
    assert back.mode == "triangular2" and back.scale_mode == "cycle"
    assert [back.scale_fn(x) for x in (1, 2, 3)] == [1.0, 0.5, 0.25]


def test_onecycle_annealing_functions_and_legacy_state_dict():
    for pct in (0.0, 0.3, 1.0):
        assert S.OneCycleLR._annealing_cos(25, 0.5, pct) == TS.OneCycleLR._annealing_cos(25, 0.5, pct)
        assert S.OneCycleLR._annealing_linear(25, 0.5, pct) == TS.OneCycleLR._annealing_linear(25, 0.5, pct)
    seqs = []
    for m, o in zip((S, TS), _opts()):
        sch = m.OneCycleLR(o, max_lr=25, final_div_factor=2, total_steps=10, base_momentum=1, max_momentum=22)
        delattr(sch, "_anneal_func_type")
        sd = sch.state_dict()
        sd["anneal_func"] = m.OneCycleLR._annealing_cos  # what an older torch saved
        sch.load_state_dict(sd)
        lrs = []
        for _ in range(9):
            o.step()
            sch.step()
            lrs.append([g["lr"] for g in o.param_groups] + [o.param_groups[0]["momentum"]])
        seqs.append(lrs)
    np.testing.assert_allclose(np.array(seqs[0], dtype=float), np.array(seqs[1], dtype=float), rtol=1e-12)


def _torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return e.type, str(e.value).split("\n")[0]


def test_error_types_and_texts_are_torch_s():
    cases = [
        lambda m, o: m.StepLR(o, 3, last_epoch=1),
        lambda m, o: m.MultiplicativeLR(o, 0.95),
        lambda m, o: m.LambdaLR(o, [lambda e: 1.0]),
        lambda m, o: m.CyclicLR(o, [0.1, 0.2, 0.3], 1.0),
    ]
    for case in cases:
        ta, msg_t = _torch_error(lambda: case(TS, _opts()[1]))  # noqa: B023
        aa, msg_a = _torch_error(lambda: case(S, _opts()[0]))  # noqa: B023
        assert aa is ta
        assert msg_a.startswith(msg_t.strip("'\"")[:60]) or msg_t.strip("'\"")[:60] in msg_a, (msg_a, msg_t)
    # ReduceLROnPlateau with per-group min_lrs after a group is added
    for m, o, mod in zip((S, TS), _opts(), (autobp, torch)):
        sch = m.ReduceLROnPlateau(o, patience=0, min_lr=[1e-5, 1e-4])
        o.add_param_group({"params": [mod.zeros(2, requires_grad=True)], "lr": 0.05})
        sch.step(1.0)
        with pytest.raises(
            RuntimeError, match=re.escape("The number of param groups in the `optimizer` (3)")
        ):
            sch.step(2.0)


def _equal(a, b):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (a, b)
        for k in a:
            _equal(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _equal(x, y)
    elif isinstance(a, autobp.Tensor):
        assert isinstance(b, autobp.Tensor) and a.dtype == b.dtype
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    else:
        assert a == b, (a, b)


@pytest.mark.parametrize("weights_only", [True, False])
def test_scheduler_state_dict_through_save_load_with_an_open_file(weights_only):
    # torch's test_lr_scheduler_state_dict_load: save to an open file, load, compare, load into a new one
    o, _ = _opts(lr2=autobp.tensor(0.5))
    for make in (
        lambda: S.MultiStepLR(o, [3, 5]),
        lambda: S.CyclicLR(o, 0.01, 0.1),
        lambda: S.SequentialLR(o, [S.ConstantLR(o), S.ConstantLR(o)], [2]),
        lambda: S.ReduceLROnPlateau(o),
        lambda: swa_utils.SWALR(o, swa_lr=0.01),
    ):
        sd = make().state_dict()
        with tempfile.TemporaryFile() as f:
            autobp.save(sd, f)
            f.seek(0)
            back = autobp.load(f, weights_only=weights_only)
        _equal(sd, back)
        other = make()
        other.load_state_dict(back)
        _equal(other.state_dict(), sd)
