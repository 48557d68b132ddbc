"""What a sweep of torch's optimizer database (common_optimizers.optim_db) found in autobp.optim,
checked against torch.optim: implementation flags, Tensor lr, torch-saved state, named parameters,
step-hook arguments, state layout, complex parameters."""

import inspect
import warnings

import numpy as np
import pytest

from autobp import nn, optim
from autobp import tensor as ab_tensor

torch = pytest.importorskip("torch")

FLAGS = {
    "Adadelta": ("foreach", "capturable", "differentiable"),
    "Adafactor": ("foreach",),
    "Adagrad": ("foreach", "differentiable", "fused"),
    "Adam": ("foreach", "capturable", "differentiable", "fused"),
    "AdamW": ("foreach", "capturable", "differentiable", "fused"),
    "Adamax": ("foreach", "capturable", "differentiable"),
    "ASGD": ("foreach", "capturable", "differentiable"),
    "NAdam": ("foreach", "capturable", "differentiable"),
    "RAdam": ("foreach", "capturable", "differentiable"),
    "RMSprop": ("foreach", "capturable", "differentiable"),
    "Rprop": ("foreach", "capturable", "differentiable"),
    "SGD": ("foreach", "differentiable", "fused"),
}
X = np.random.default_rng(1).standard_normal((5, 3))
W0 = np.random.default_rng(2).standard_normal((3, 4)) * 0.5
B0 = np.random.default_rng(3).standard_normal(4) * 0.5


def _loss(lib, w, b):
    h = lib.tanh(lib.tensor(X) @ w + b)
    return lib.sin(3 * h).sum() + ((h - 0.5) ** 2).sum()


def _pair(name, steps, **kw):
    """(torch params, autobp params) after ``steps`` steps of the same optimiser on the same loss."""
    tkw = {k: (torch.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    akw = {k: (ab_tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    out = []
    for lib, k in ((torch, tkw), (None, akw)):
        mk = torch.tensor if lib else ab_tensor
        w, b = mk(W0.copy(), requires_grad=True), mk(B0.copy(), requires_grad=True)
        opt = (getattr(torch.optim, name) if lib else getattr(optim, name))([w, b], **k)
        for _ in range(steps):
            opt.zero_grad()
            _loss(torch if lib else _ab(), w, b).backward()
            opt.step()
        out.append((opt, [np.array(w.detach().numpy()), np.array(b.detach().numpy())]))
    return out


def _ab():
    import autobp

    return autobp


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_flags_are_accepted_kept_in_groups_and_change_nothing(name):
    sig = inspect.signature(getattr(optim, name))
    tsig = inspect.signature(getattr(torch.optim, name))
    for flag in FLAGS[name]:
        assert sig.parameters[flag].default == tsig.parameters[flag].default
    (topt, tw), (aopt, aw) = _pair(name, 6, foreach=False)
    for t, a in zip(tw, aw):
        np.testing.assert_allclose(a, t, rtol=1e-10, atol=1e-13)
    tg, ag = topt.state_dict()["param_groups"][0], aopt.state_dict()["param_groups"][0]
    assert set(tg) <= set(ag)
    assert all(ag[f] == tg[f] for f in FLAGS[name])


@pytest.mark.parametrize("flag, error", [("capturable", AssertionError), ("differentiable", RuntimeError)])
def test_capturable_and_differentiable_refused_at_step_like_torch_on_cpu(flag, error):
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(np.ones(3), requires_grad=True)
        opt = lib.Adam([w], **{flag: True})  # accepted when made
        opt.step()  # nothing to update: no refusal
        w.grad = mk(np.ones(3))
        with pytest.raises(error):
            opt.step()


def test_flag_combinations_torch_refuses():
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(np.ones(3), requires_grad=True)
        with pytest.raises(RuntimeError, match="cannot be `True` together"):
            lib.SGD([w], fused=True, foreach=True)
        with pytest.raises(RuntimeError, match="does not support `differentiable`"):
            lib.Adam([w], fused=True, differentiable=True)
        with pytest.raises(ValueError, match="lr as a Tensor is not supported"):
            lib.Adam([w], lr=mk(np.array(0.01)), foreach=True)
        with pytest.raises(ValueError, match="both floats or both Tensors"):
            lib.AdamW([w], betas=(0.9, mk(np.array(0.99))))
        with pytest.raises(ValueError, match="1-element"):
            lib.SGD([w], lr=mk(np.array([0.1, 0.1])))
        with pytest.raises(TypeError):  # a tensor is not an iterable of parameters
            lib.SGD(mk(np.ones((2, 2)), requires_grad=True))
        with pytest.raises(TypeError):
            lib.Rprop([w], fused=True)  # only Adam, AdamW, SGD and Adagrad have fused


@pytest.mark.parametrize("name", ["Adagrad", "Adam", "RMSprop", "SGD"])
def test_float32_tensor_lr_updates_in_float64_like_torch(name):
    # torch.tensor(0.001) is float32: torch steps with its value as a double; autobp's Adagrad used
    # to multiply by the float32 tensor and round the whole update to float32
    (_, tw), (_, aw) = _pair(name, 8, lr=np.array(0.001, dtype=np.float32))
    for t, a in zip(tw, aw):
        assert a.dtype == np.float64
        np.testing.assert_allclose(a, t, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["Adagrad", "Adam", "Adadelta", "NAdam"])
def test_float32_tensor_lr_on_a_0d_parameter_like_torch(name):
    # the whole update of a 0-d parameter was rounded to float32 (0-d float32 Tensor times a float64
    # numpy scalar stays float32 in autobp): 1e-10 relative off torch after a few steps
    res = []
    for lib, mk in ((torch, torch.tensor), (_ab(), ab_tensor)):
        s = mk(np.array(0.7), requires_grad=True)
        opt = getattr(lib.optim, name)([s], lr=mk(np.array(0.001, dtype=np.float32)))
        for _ in range(6):
            opt.zero_grad()
            (lib.sin(3 * s) * s).backward()
            opt.step()
        res.append(float(s.detach().numpy()))
    assert res[1] == pytest.approx(res[0], rel=1e-15, abs=0)


def _to_numpy(sd):
    if isinstance(sd, torch.Tensor):
        return sd.detach().numpy().copy()
    if isinstance(sd, dict):
        return {k: _to_numpy(v) for k, v in sd.items()}
    if isinstance(sd, list):
        return [_to_numpy(v) for v in sd]
    return sd


@pytest.mark.parametrize("name", ["Adam", "ASGD", "NAdam", "Rprop", "Adafactor", "Adagrad"])
def test_torch_saved_state_loads_and_continues_like_torch(name):
    (topt, tw), _ = _pair(name, 5)
    sd = _to_numpy(topt.state_dict())  # step, eta, mu, mu_product are 0-d tensors in torch
    w, b = ab_tensor(tw[0].copy(), requires_grad=True), ab_tensor(tw[1].copy(), requires_grad=True)
    aopt = getattr(optim, name)([w, b])
    aopt.load_state_dict(sd)
    assert isinstance(aopt.state[w]["step"], int) and aopt.state[w]["step"] == 5
    tws = [torch.tensor(v, requires_grad=True) for v in tw]
    topt2 = getattr(torch.optim, name)(tws)
    topt2.load_state_dict(topt.state_dict())
    for _ in range(4):
        for lib, ps, o in ((torch, tws, topt2), (_ab(), [w, b], aopt)):
            o.zero_grad()
            _loss(lib, *ps).backward()
            o.step()
    np.testing.assert_allclose(w.detach().numpy(), tws[0].detach().numpy(), rtol=1e-10, atol=1e-13)


def test_named_parameters_like_torch():
    groups = []
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w, b, c = (mk(np.ones(2), requires_grad=True) for _ in range(3))
        opt = lib.Adam([("w", w), ("b", b)], lr=0.1)
        opt.add_param_group({"params": [("c", c)], "lr": 0.2})
        groups.append([g["param_names"] for g in opt.state_dict()["param_groups"]])
        with pytest.raises(ValueError, match="Some param names are missing"):
            lib.SGD([("w", w), b])
        with pytest.raises(ValueError, match="cannot add param group without names"):
            opt.add_param_group({"params": [mk(np.ones(2), requires_grad=True)]})
        plain = lib.SGD([w])
        with pytest.raises(ValueError, match="cannot add param group with names"):
            plain.add_param_group({"params": [("b", b)]})
    assert groups[0] == groups[1] == [["w", "b"], ["c"]]


def test_step_hooks_get_the_optimizer_among_args_like_torch():
    logs = []
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(np.array([1.0, -2.0]), requires_grad=True)
        opt = lib.SGD([w], lr=0.5)
        log = []

        def pre(o, args, kwargs, opt=opt, log=log):
            log.append(("pre", args[0] is opt, len(args), sorted(kwargs)))
            return args, {}

        opt.register_step_pre_hook(pre)
        opt.register_step_post_hook(lambda o, a, k, log=log: log.append(("post", len(a), sorted(k))))
        w.grad = mk(np.ones(2))
        opt.step(closure=None)
        logs.append(log)
        assert float(w[0].item()) == 0.5
    assert logs[0] == logs[1]


def test_plain_sgd_saves_no_state_and_lbfgs_keeps_its_alphas_like_torch():
    (topt, _), (aopt, _) = _pair("SGD", 2)
    assert topt.state_dict()["state"] == aopt.state_dict()["state"] == {}
    keys = []
    for lib, mk in ((torch, torch.tensor), (_ab(), ab_tensor)):
        w = mk(np.array([1.5, -0.5]), requires_grad=True)
        opt = lib.optim.LBFGS([w], lr=mk(np.array(0.5)), history_size=7)

        def closure(opt=opt, w=w):
            opt.zero_grad()
            loss = ((w - 0.25) ** 4).sum()
            loss.backward()
            return loss

        opt.step(closure)
        st = opt.state_dict()["state"][0]
        keys.append((sorted(st), len(st["al"])))
    assert keys[0] == keys[1]


@pytest.mark.parametrize("name", ["Adafactor", "Muon"])
def test_complex_parameters_refused_at_step_like_torch(name):
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(np.ones((2, 2)) * (1 + 1j), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = getattr(lib, name)([w])
        w.grad = mk(np.ones((2, 2)) * (1 + 0j))
        with pytest.raises(RuntimeError, match="does not support complex parameters"):
            opt.step()


def test_parameter_objects_still_work():
    p = nn.Parameter(np.ones(2))
    opt = optim.Adam([p], lr=0.1, foreach=True)
    p.grad = np.ones(2)
    opt.step()
    assert opt.param_groups[0]["foreach"] is True
    np.testing.assert_allclose(p.detach().numpy(), [0.9, 0.9])


def _manual(name, dtype, steps=8, **kw):
    """Both libraries' trajectories under the same hand-set gradient field (isolates the update)."""
    rng = np.random.default_rng(7)
    init = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    init = init if np.dtype(dtype).kind == "c" else init.real
    init = init.astype(dtype)
    out = []
    for lib, mk in ((torch, torch.tensor), (None, ab_tensor)):
        w = mk(init.copy(), requires_grad=True)
        k = {a: _as(mk, v) for a, v in kw.items()}
        opt = (getattr(torch.optim, name) if lib else getattr(optim, name))([w], **k)
        for _ in range(steps):
            x = np.array(w.detach().numpy())
            g = (np.sin(3 * x) + 0.3 * x * x - 0.1).astype(dtype)
            w.grad = mk(g)
            opt.step()
        out.append(np.array(w.detach().numpy()))
    return out


def _as(mk, v):
    if isinstance(v, tuple):
        return tuple(_as(mk, x) for x in v)
    return mk(v) if isinstance(v, np.ndarray) else v


COMPLEX_CASES = [
    ("Adam", {}),
    ("Adam", {"amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    ("AdamW", {}),
    ("Adamax", {}),
    ("NAdam", {}),
    ("RAdam", {}),
    ("Adagrad", {"initial_accumulator_value": 0.1}),
    ("Adadelta", {}),
    ("RMSprop", {"centered": True, "momentum": 0.1}),
    ("Rprop", {}),
]


@pytest.mark.parametrize("name, kw", COMPLEX_CASES)
def test_complex_parameters_step_as_real_pairs_like_torch(name, kw):
    # torch views a complex parameter (and its state) as real (re, im) pairs; autobp squared the
    # complex gradient instead (g * g, not per part): wrong steps without any error
    t, a = _manual(name, np.complex128, **kw)
    np.testing.assert_allclose(a, t, rtol=1e-10, atol=1e-12)


def test_complex_state_is_kept_complex_like_torch():
    states = []
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(np.ones(3) * (1 + 2j), requires_grad=True)
        opt = lib.Adam([w])
        w.grad = mk(np.array([1 + 1j, -2j, 0.5]))
        opt.step()
        st = opt.state_dict()["state"][0]
        states.append({k: np.asarray(v) for k, v in st.items() if k != "step"})
    for k, v in states[0].items():
        assert states[1][k].dtype == v.dtype
        np.testing.assert_allclose(states[1][k], v, rtol=1e-12)


@pytest.mark.parametrize("search", [None, "strong_wolfe"])
def test_lbfgs_complex_parameters_as_real_vectors_like_torch(search):
    rng = np.random.default_rng(8)
    init = rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))
    res = []
    for lib, mk in ((torch.optim, torch.tensor), (optim, ab_tensor)):
        w = mk(init.copy(), requires_grad=True)
        opt = lib.LBFGS([w], line_search_fn=search)

        def closure(w=w, mk=mk):
            x = np.array(w.detach().numpy())
            w.grad = mk(np.abs(x) ** 2 * x + 1)  # of sum(|w|^4)/4 + sum(Re w)
            return float(np.sum(np.abs(x) ** 4) / 4 + np.sum(x.real))

        for _ in range(3):
            opt.step(closure)
        res.append(np.array(w.detach().numpy()))
    np.testing.assert_allclose(res[1], res[0], rtol=1e-9, atol=1e-12)


def test_sgd_tensor_lr_and_weight_decay_with_momentum_like_torch():
    # a Tensor lr on SGD's weight-decay/Nesterov path raised TypeError (astype(copy=))
    kw = {"momentum": 0.9, "nesterov": True, "maximize": True}
    t, a = _manual("SGD", np.float64, lr=np.array(0.01), weight_decay=np.array(0.1), **kw)
    np.testing.assert_allclose(a, t, rtol=1e-12)


def test_nadam_tensor_betas_mu_product_like_torch():
    # a float64 Tensor beta1: torch multiplies the float32 mu_product by mu in float64, then rounds
    t, a = _manual("NAdam", np.float64, steps=10, betas=(np.array(0.9), np.array(0.99)))
    np.testing.assert_allclose(a, t, rtol=1e-12)
