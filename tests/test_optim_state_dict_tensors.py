"""Optimizer.state_dict() holds the state tensors themselves, as torch's does (torch is the oracle):
arrays are Tensors on the optimizer's own memory, so a state_dict taken earlier shows later steps;
scalar entries are 0-d float32 Tensors; loading casts to a floating parameter's dtype (not ``step``)
and otherwise uses the saved Tensor's memory."""

import copy
import pickle

import numpy as np
import pytest

import autobp
from autobp import optim

torch = pytest.importorskip("torch")

CASES = [
    ("Adam", {}),
    ("AdamW", {"amsgrad": True}),
    ("SGD", {"momentum": 0.9}),
    ("ASGD", {}),
    ("NAdam", {}),
    ("RAdam", {}),
    ("Adagrad", {}),
    ("Adadelta", {}),
    ("Adamax", {}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Rprop", {}),
]
G = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.5]])


def _pair(name, kw, dtype=np.float64):
    w = np.arange(6.0).reshape(2, 3).astype(dtype) / 7
    pa = autobp.tensor(w.copy(), requires_grad=True)
    pt = torch.tensor(w.copy(), requires_grad=True)
    return pa, pt, getattr(optim, name)([pa], lr=0.01, **kw), getattr(torch.optim, name)([pt], lr=0.01, **kw)


def _step(pa, pt, oa, ot, i):
    pa.grad = autobp.tensor((G * (i + 1)).astype(pa.dtype))
    pt.grad = torch.tensor((G * (i + 1)).astype(pa.dtype))
    oa.step()
    ot.step()


def _same(a, t):
    assert isinstance(a, autobp.Tensor), type(a)
    assert a.dtype == np.dtype(str(t.dtype).removeprefix("torch.")), (a.dtype, t.dtype)
    np.testing.assert_allclose(a.numpy(), t.detach().numpy(), rtol=1e-12, atol=0)


@pytest.mark.parametrize("name,kw", CASES, ids=[c[0] for c in CASES])
def test_state_dict_arrays_are_the_live_state_tensors(name, kw):
    pa, pt, oa, ot = _pair(name, kw)
    _step(pa, pt, oa, ot, 0)
    sa, st = oa.state_dict(), ot.state_dict()
    assert set(sa["state"][0]) == set(st["state"][0])
    for k, v in sa["state"][0].items():
        if isinstance(v, autobp.Tensor) and v.ndim:
            assert np.shares_memory(v.numpy(), oa.state[pa][k]), k
    for i in (1, 2):
        _step(pa, pt, oa, ot, i)
    for k, t in st["state"][0].items():
        if t.ndim:  # torch's arrays followed the two later steps: so must ours
            _same(sa["state"][0][k], t)
    for k, t in ot.state_dict()["state"][0].items():  # a fresh state_dict: every entry, 0-d ones too
        _same(oa.state_dict()["state"][0][k], t)


@pytest.mark.parametrize("name,kw", CASES, ids=[c[0] for c in CASES])
def test_loading_casts_to_the_parameter_dtype_except_step_and_shares_otherwise(name, kw):
    pa, pt, oa, ot = _pair(name, kw)
    for i in range(2):
        _step(pa, pt, oa, ot, i)
    sa, st = oa.state_dict(), ot.state_dict()
    # same dtype: the loaded state is the saved Tensor's memory, as torch's
    qa, qt, oa2, ot2 = _pair(name, kw)
    oa2.load_state_dict(sa)
    ot2.load_state_dict(st)
    for k, t in ot2.state[qt].items():
        if isinstance(t, torch.Tensor) and t.ndim:
            assert t.data_ptr() == st["state"][0][k].data_ptr()
            assert np.shares_memory(oa2.state[qa][k], sa["state"][0][k].numpy()), k
    # float32 parameters: float64 state is cast (a copy); step keeps torch's float32
    ra, rt, oa3, ot3 = _pair(name, kw, np.float32)
    oa3.load_state_dict(copy.deepcopy(sa))
    ot3.load_state_dict(copy.deepcopy(st))
    for i in (2, 3):
        _step(ra, rt, oa3, ot3, i)
    for k, t in ot3.state_dict()["state"][0].items():
        a = oa3.state_dict()["state"][0][k]
        assert a.dtype == np.dtype(str(t.dtype).removeprefix("torch.")), (k, a.dtype, t.dtype)
        np.testing.assert_allclose(a.numpy(), t.numpy(), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(ra.detach().numpy(), rt.detach().numpy(), rtol=2e-6, atol=1e-7)


def test_deepcopy_is_a_snapshot_and_resumes_bit_identically():
    pa, pt, oa, ot = _pair("Adam", {})
    _step(pa, pt, oa, ot, 0)
    snap = copy.deepcopy(oa.state_dict())
    w = pa.detach().numpy().copy()
    _step(pa, pt, oa, ot, 1)
    assert not np.shares_memory(snap["state"][0]["exp_avg"].numpy(), oa.state[pa]["exp_avg"])
    q = autobp.tensor(w, requires_grad=True)
    o2 = optim.Adam([q], lr=0.01)
    o2.load_state_dict(snap)
    q.grad = autobp.tensor(G * 2)
    o2.step()
    np.testing.assert_array_equal(q.detach().numpy(), pa.detach().numpy())
    pickle.loads(pickle.dumps(oa.state_dict()))  # still picklable, as torch's


def test_torch_state_dict_with_python_number_step_loads():
    pa, pt, oa, ot = _pair("Adam", {})
    for i in range(2):
        _step(pa, pt, oa, ot, i)
    st = ot.state_dict()
    plain = {
        "state": {k: {f: (v.item() if f == "step" else autobp.tensor(v.numpy())) for f, v in s.items()}
                  for k, s in st["state"].items()},
        "param_groups": st["param_groups"],
    }  # fmt: skip
    qa, qt, oa2, ot2 = _pair("Adam", {})
    oa2.load_state_dict(plain)
    _same(oa2.state_dict()["state"][0]["step"], ot.state_dict()["state"][0]["step"])


def test_lbfgs_state_dict_round_trip_still_steps():
    w = np.array([1.5, -0.5])

    def run(opt, p):
        def closure():
            opt.zero_grad()
            loss = ((p - 1.0) ** 2).sum() + (p**4).sum()
            loss.backward()
            return loss

        opt.step(closure)

    p = autobp.tensor(w.copy(), requires_grad=True)
    o = optim.LBFGS([p], max_iter=3)
    run(o, p)
    sd = o.state_dict()
    q = autobp.tensor(p.detach().numpy().copy(), requires_grad=True)
    o2 = optim.LBFGS([q], max_iter=3)
    o2.load_state_dict(sd)
    run(o, p)
    run(o2, q)
    np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-12)


def test_repeated_parameters_keep_their_first_index_as_torch_numbers_them():
    pa = [autobp.tensor(np.ones(2), requires_grad=True), autobp.tensor(np.ones(3), requires_grad=True)]
    pt = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)]
    oa, ot = optim.SGD([pa[0]], lr=0.1), torch.optim.SGD([pt[0]], lr=0.1)
    oa.add_param_group({"params": [pa[1]]})
    ot.add_param_group({"params": [pt[1]]})
    for o in (oa, ot):  # by hand, as torch's own test does: torch itself refuses this in add_param_group
        o.param_groups.extend(o.param_groups)
    assert [g["params"] for g in oa.state_dict()["param_groups"]] == [
        g["params"] for g in ot.state_dict()["param_groups"]
    ]


BAD_HYPER = [
    ("SGD", {"lr": 1e-2, "momentum": -0.5}),
    ("SGD", {"lr": -1}),
    ("Adam", {"lr": 1e-2, "betas": (1.0, 0.0)}),
    ("Adam", {"eps": -1}),
    ("AdamW", {"lr": 1e-2, "weight_decay": -1}),
    ("Adamax", {"lr": 1e-2, "betas": (0.0, 1.0)}),
    ("Adadelta", {"lr": 1e-2, "rho": 1.1}),
    ("Adagrad", {"lr": 1e-2, "lr_decay": -0.5}),
    ("NAdam", {"lr": 1e-2, "momentum_decay": -0.2}),
    ("RMSprop", {"lr": 1e-2, "momentum": -1.0}),
    ("RMSprop", {"lr": 1e-2, "alpha": -1.0}),
    ("Rprop", {"lr": 1e-2, "etas": (1.0, 0.5)}),
    ("ASGD", {"lr": -0.5}),
    ("LBFGS", {"lr": -1}),
]


@pytest.mark.parametrize("name,kw", BAD_HYPER, ids=[f"{n}-{sorted(k)[-1]}" for n, k in BAD_HYPER])
def test_bad_hyper_parameters_are_refused_before_params_with_torch_s_words(name, kw):
    with pytest.raises(ValueError) as t:
        getattr(torch.optim, name)(None, **kw)  # torch checks them before looking at params
    with pytest.raises(ValueError) as a:
        getattr(optim, name)(None, **kw)
    assert str(t.value) in str(a.value)


@pytest.mark.parametrize("tol", [float("inf"), -float("inf")])
def test_lbfgs_with_all_zero_gradients_returns_the_closure_value_as_torch(tol):
    # torch's test_lbfgs_return_type: parameters without gradients, a constant closure; the first step
    # size 1 / sum|g| is inf (not a ZeroDivisionError) and min(1, inf) * lr is taken
    pa, pt = [autobp.randn(4, 3), autobp.randn(4)], [torch.randn(4, 3), torch.randn(4)]
    ra = optim.LBFGS(pa, 0.01, tolerance_grad=tol).step(lambda: autobp.tensor([10]))
    rt = torch.optim.LBFGS(pt, 0.01, tolerance_grad=tol).step(lambda: torch.tensor([10]))
    assert isinstance(ra, autobp.Tensor) and ra.tolist() == rt.tolist()
