"""autobp.amp.GradScaler side by side with torch.amp.GradScaler("cpu"): the scale after each update with
inf/NaN gradients injected, which steps were skipped, the final weights, unscale_'s gradients, the
state dict (both ways), the errors of a misordered iteration, and enabled=False as a pass-through."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.amp import GradScaler

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (3,)]


def _grads(steps: int, dtype: type, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal(s).astype(dtype) for s in SHAPES] for _ in range(steps)]


def _params(dtype: type, seed: int = 1) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in SHAPES]


def _loss(lib, params, grads):
    """sum(p * g): its gradient in p is g, times the scale exactly (a power of two, or one rounding)."""
    total = None
    for p, g in zip(params, grads):
        term = (p * (torch.from_numpy(g) if lib is torch else autobp.tensor(g))).sum()
        total = term if total is None else total + term
    return total


def _bad(kind: str, p: float) -> float:
    return {"inf": np.inf, "nan": np.nan, "-inf": -np.inf}[kind]


def _train(lib, dtype, opt_name, scaler_kw, bad_steps, steps=12, unscale_first=False):
    """Run ``steps`` iterations; ``bad_steps`` maps a step to the kind of non-finite gradient injected.
    Returns the scales after each update, the skipped steps and the final parameters."""
    arrays = _params(dtype)
    if lib is torch:
        params = [torch.tensor(a, requires_grad=True) for a in arrays]
        opt_cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[opt_name]
        scaler = torch.amp.GradScaler("cpu", **scaler_kw)
    else:
        params = [autobp.tensor(a, requires_grad=True) for a in arrays]
        opt_cls = {"sgd": autobp.optim.SGD, "adam": autobp.optim.Adam}[opt_name]
        scaler = GradScaler("cpu", **scaler_kw)
    opt = opt_cls(params, lr=0.1, **({"momentum": 0.9} if opt_name == "sgd" else {}))
    scales, skipped = [], []
    for i, grads in enumerate(_grads(steps, dtype)):
        opt.zero_grad()
        scaler.scale(_loss(lib, params, grads)).backward()
        if i in bad_steps:
            with torch.no_grad() if lib is torch else autobp.no_grad():
                params[0].grad[1, 2] = _bad(bad_steps[i], 0)
        before = [np.array(p.detach().numpy() if lib is torch else p.numpy()) for p in params]
        if unscale_first:
            scaler.unscale_(opt)
        scaler.step(opt)
        scaler.update()
        after = [p.detach().numpy() if lib is torch else p.numpy() for p in params]
        if all(np.array_equal(b, a) for b, a in zip(before, after)):
            skipped.append(i)
        scales.append(scaler.get_scale())
    final = [np.array(p.detach().numpy() if lib is torch else p.numpy()) for p in params]
    return scales, skipped, final, scaler


CONFIGS = [
    {"init_scale": 2.0**10, "growth_interval": 3},
    {"init_scale": 1000.0, "growth_factor": 1.7, "backoff_factor": 0.3, "growth_interval": 2},
    {"init_scale": 3.0e38, "growth_interval": 1},  # growth past float32's range is not taken
]
BAD = {2: "inf", 5: "nan", 6: "-inf", 10: "inf"}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("opt_name", ["sgd", "adam"])
@pytest.mark.parametrize("cfg", range(len(CONFIGS)))
@pytest.mark.parametrize("unscale_first", [False, True])
def test_scales_skips_and_weights_are_torchs(dtype, opt_name, cfg, unscale_first):
    kw = CONFIGS[cfg]
    t_scales, t_skipped, t_final, _ = _train(torch, dtype, opt_name, kw, BAD, unscale_first=unscale_first)
    a_scales, a_skipped, a_final, _ = _train(autobp, dtype, opt_name, kw, BAD, unscale_first=unscale_first)
    assert a_scales == t_scales  # float32 arithmetic, to the bit
    assert a_skipped == t_skipped
    assert set(BAD) <= set(a_skipped) and len(a_skipped) < 12
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for a, t in zip(a_final, t_final):
        assert a.dtype == t.dtype
        np.testing.assert_allclose(a, t, rtol=tol, atol=tol)


def test_unscale_gives_torchs_gradients_and_found_inf_per_optimizer():
    results = {}
    for lib in (torch, autobp):
        make = (
            (lambda a: torch.tensor(a, requires_grad=True))
            if lib is torch
            else (lambda a: autobp.tensor(a, requires_grad=True))
        )
        ps = [make(a) for a in _params(np.float32)]
        opt_a = (torch.optim.SGD if lib is torch else autobp.optim.SGD)([ps[0]], lr=1.0)
        opt_b = (torch.optim.SGD if lib is torch else autobp.optim.SGD)([ps[1]], lr=1.0)
        scaler = (
            torch.amp.GradScaler("cpu", init_scale=1024.0) if lib is torch else GradScaler(init_scale=1024.0)
        )
        scaler.scale(_loss(lib, ps, _grads(1, np.float32)[0])).backward()
        with torch.no_grad() if lib is torch else autobp.no_grad():
            ps[1].grad[0] = np.inf
        scaler.unscale_(opt_a)
        g0 = np.array(ps[0].grad)
        before = [np.array(p.detach().numpy() if lib is torch else p.numpy()) for p in ps]
        scaler.step(opt_a)
        scaler.step(opt_b)  # inf here: this one is skipped, opt_a's step is taken
        after = [np.array(p.detach().numpy() if lib is torch else p.numpy()) for p in ps]
        scaler.update()
        results[lib.__name__] = (
            g0,
            [not np.array_equal(b, a) for b, a in zip(before, after)],
            scaler.get_scale(),
        )
    (tg, tmoved, tscale), (ag, amoved, ascale) = results["torch"], results["autobp"]
    np.testing.assert_array_equal(ag, tg)
    assert amoved == tmoved == [True, False]
    assert ascale == tscale == 512.0


def test_scale_keeps_structure_and_dtype():
    scaler = GradScaler(init_scale=4.0)
    x = autobp.tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    y = autobp.tensor(np.array(3.0))
    out = scaler.scale([x, (y, [x])])
    assert isinstance(out, list) and isinstance(out[1], tuple) and isinstance(out[1][1], list)
    np.testing.assert_array_equal(out[0].numpy(), [4.0, 8.0])
    assert out[0].dtype == np.float32 and out[1][0].dtype == np.float64 and out[1][0].item() == 12.0
    out[0].sum().backward()
    np.testing.assert_array_equal(x.grad, [4.0, 4.0])  # on the graph
    with pytest.raises(ValueError, match="must be a Tensor or an iterable of Tensors"):
        scaler.scale(3.0)
    tscaler, ascaler = torch.amp.GradScaler("cpu"), GradScaler()
    for shape in ((), (2,)):  # a 0-d float16 loss times the scale is float32 in torch, an n-d one float16
        t = tscaler.scale(torch.full(shape, 2.0, dtype=torch.float16))
        a = ascaler.scale(autobp.full(shape, 2.0, dtype=np.float16))
        assert str(a.dtype) == str(t.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(a.numpy(), t.numpy())  # 131072 or inf


def test_state_dict_round_trips_and_loads_torchs():
    kw = CONFIGS[1]
    *_, t_scaler = _train(torch, np.float64, "sgd", kw, BAD, steps=7)
    *_, a_scaler = _train(autobp, np.float64, "sgd", kw, BAD, steps=7)
    assert a_scaler.state_dict() == t_scaler.state_dict()
    assert set(a_scaler.state_dict()) == {
        "scale",
        "growth_factor",
        "backoff_factor",
        "growth_interval",
        "_growth_tracker",
    }
    fresh = GradScaler()
    fresh.load_state_dict(t_scaler.state_dict())
    assert fresh.state_dict() == t_scaler.state_dict()
    assert fresh.get_scale() == t_scaler.get_scale()
    used = GradScaler(init_scale=2.0)
    used.scale(autobp.tensor(1.0))
    used.load_state_dict(a_scaler.state_dict())  # into a scaler already scaling: its scale replaced
    assert used.get_scale() == a_scaler.get_scale() and used.state_dict() == a_scaler.state_dict()
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        GradScaler().load_state_dict({})


def _iteration(lib):
    p = torch.tensor([1.0], requires_grad=True) if lib is torch else autobp.tensor([1.0], requires_grad=True)
    opt = (torch.optim.SGD if lib is torch else autobp.optim.SGD)([p], lr=0.1)
    scaler = torch.amp.GradScaler("cpu") if lib is torch else GradScaler()
    return p, opt, scaler


@pytest.mark.parametrize(
    "calls, error, match",
    [
        (
            ("unscale_", "unscale_"),
            RuntimeError,
            "unscale_\\(\\) has already been called on this optimizer since the last update\\(\\).",
        ),
        (("step", "unscale_"), RuntimeError, "unscale_\\(\\) is being called after step\\(\\)."),
        (("step", "step"), RuntimeError, "step\\(\\) has already been called since the last update\\(\\)."),
    ],
)
def test_misordered_iteration_raises_torchs_errors(calls, error, match):
    for lib in (torch, autobp):
        p, opt, scaler = _iteration(lib)
        scaler.scale((p * 2).sum()).backward()
        getattr(scaler, calls[0])(opt)
        with pytest.raises(error, match=match):
            getattr(scaler, calls[1])(opt)


def test_calls_before_scale_and_without_grads():
    for lib in (torch, autobp):
        p, opt, scaler = _iteration(lib)
        for name, args in (("unscale_", (opt,)), ("step", (opt,)), ("update", ())):
            with pytest.raises(AssertionError, match=f"Attempted {name} but _scale is None"):
                getattr(scaler, name)(*args)
        scaler.scale((p * 2).sum())  # no backward: no gradients to check
        with pytest.raises(AssertionError, match="No inf checks were recorded for this optimizer"):
            scaler.step(opt)
        with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
            scaler.step(opt, closure=lambda: 0)


def test_float16_gradients_are_refused_as_torch():
    p = autobp.tensor(np.ones(2, np.float16), requires_grad=True)
    scaler = GradScaler()
    scaler.scale((p * 2).sum()).backward()
    with pytest.raises(ValueError, match="Attempting to unscale FP16 gradients."):
        scaler.unscale_(autobp.optim.SGD([p], lr=0.1))


def test_step_returns_the_optimizers_value_or_none_when_skipped():
    class Opt:
        def __init__(self, params):
            self.param_groups = [{"params": params}]

        def step(self, *args, **kwargs):
            return ("stepped", args, kwargs)

    p = autobp.tensor([1.0, 2.0], requires_grad=True)
    scaler = GradScaler()
    scaler.scale(p.sum()).backward()
    assert scaler.step(Opt([p]), 1, lr=2) == ("stepped", (1,), {"lr": 2})
    scaler.update()
    assert scaler.get_scale() == 2.0**16
    p.grad = None
    scaler.scale((p * np.inf).sum()).backward()
    assert scaler.step(Opt([p])) is None
    scaler.update()
    assert scaler.get_scale() == 2.0**15


def test_update_with_new_scale():
    for lib in (torch, autobp):
        p, opt, scaler = _iteration(lib)
        scaler.scale((p * 2).sum()).backward()
        scaler.step(opt)
        scaler.update(new_scale=8.0)
        assert scaler.get_scale() == 8.0
        scaler.update((torch.tensor if lib is torch else autobp.tensor)(np.float32(3.5)))
        assert scaler.get_scale() == 3.5
    p, opt, scaler = _iteration(autobp)
    scaler.scale(p.sum())
    with pytest.raises(ValueError, match="1-element Tensor"):
        scaler.update(autobp.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="requires_grad=False"):
        scaler.update(autobp.tensor([1.0], requires_grad=True))
    with pytest.raises(AssertionError, match="No inf checks were recorded prior to update"):
        scaler.update()


def test_settings_and_errors():
    s = GradScaler(growth_factor=3.0, backoff_factor=0.25, growth_interval=7)
    t = torch.amp.GradScaler("cpu", growth_factor=3.0, backoff_factor=0.25, growth_interval=7)
    for name in ("get_growth_factor", "get_backoff_factor", "get_growth_interval", "get_scale", "is_enabled"):
        assert getattr(s, name)() == getattr(t, name)()
    s.set_growth_factor(4.0)
    s.set_backoff_factor(0.125)
    s.set_growth_interval(9)
    assert (s.get_growth_factor(), s.get_backoff_factor(), s.get_growth_interval()) == (4.0, 0.125, 9)
    with pytest.raises(ValueError, match="growth factor must be > 1.0"):
        GradScaler(growth_factor=1.0)
    with pytest.raises(ValueError, match="backoff factor must be < 1.0"):
        GradScaler(backoff_factor=1.0)


def test_disabled_scaler_is_a_pass_through():
    p, opt, scaler = _iteration(autobp)
    off = GradScaler(enabled=False)
    loss = (p * 3).sum()
    assert off.scale(loss) is loss and not off.is_enabled()
    loss.backward()
    off.unscale_(opt)
    np.testing.assert_array_equal(p.grad, [3.0])  # not divided
    off.step(opt)
    np.testing.assert_allclose(p.numpy(), [0.7])
    off.update()
    off.load_state_dict({})
    assert off.get_scale() == 1.0 and off.state_dict() == {}
    t_off = torch.amp.GradScaler("cpu", enabled=False)
    assert t_off.get_scale() == 1.0 and t_off.state_dict() == {}


def test_end_to_end_with_autocast():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((8, 4)).astype(np.float32)
    y = rng.standard_normal((8, 2)).astype(np.float32)
    model = autobp.nn.Linear(4, 2).float()  # torch's float32 weights
    opt = autobp.optim.SGD(model.parameters(), lr=0.05)
    scaler = GradScaler(init_scale=2.0**8)
    first = None
    for _ in range(20):
        opt.zero_grad()
        with autobp.autocast("cpu", dtype=autobp.float16):
            out = model(x)
            loss = autobp.nn.functional.mse_loss(out, y)
        assert out.dtype == np.float16 and loss.dtype == np.float32
        scaler.scale(loss).backward()
        assert model.weight.grad.dtype == np.float32
        scaler.step(opt)
        scaler.update()
        first = loss.item() if first is None else first
    assert loss.item() < first
