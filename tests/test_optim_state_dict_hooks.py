"""Optimizer state-dict hooks, SequentialLR.recursive_undo, torch-style subclasses and
param-group refusals, against torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _run(lib, name="Adam"):
    w = lib.tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = getattr(lib.optim, name)([w], lr=0.1)
    log = []
    opt.register_state_dict_pre_hook(lambda o: log.append(("sd pre", o is opt)))
    opt.register_state_dict_pre_hook(lambda o: log.append(("sd pre first", o is opt)), prepend=True)

    def post(o, sd):
        log.append(("sd post", sorted(sd)))
        return {**sd, "extra": 1}

    opt.register_state_dict_post_hook(post)

    def load_pre(o, sd):
        log.append(("load pre", sorted(sd)))
        sd["param_groups"] = [{**g, "lr": 0.25} for g in sd["param_groups"]]
        return sd

    opt.register_load_state_dict_pre_hook(load_pre)
    handle = opt.register_load_state_dict_post_hook(lambda o: log.append(("load post", o is opt)))
    sd = opt.state_dict()
    log.append(("saved", sorted(sd)))
    opt.load_state_dict(sd)
    log.append(("lr", opt.param_groups[0]["lr"]))
    handle.remove()
    opt.load_state_dict(sd)
    log.append(("saved lr untouched", sd["param_groups"][0]["lr"]))
    return log


@pytest.mark.parametrize("name", ["Adam", "SGD"])
def test_state_dict_hooks_run_in_torchs_order_with_its_results(name):
    assert _run(autobp, name) == _run(torch, name)


def test_lbfgs_own_state_dict_runs_each_hook_once():
    for lib in (torch, autobp):
        w = lib.tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = lib.optim.LBFGS([w])
        seen = []
        opt.register_state_dict_pre_hook(lambda o, seen=seen: seen.append("pre"))
        opt.register_load_state_dict_post_hook(lambda o, seen=seen: seen.append("load post"))
        opt.load_state_dict(opt.state_dict())
        assert seen == ["pre", "load post"], lib


def test_hooks_must_be_callable():
    w = autobp.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(TypeError, match="callable"):
        autobp.optim.SGD([w]).register_state_dict_post_hook(3)


def test_sequential_recursive_undo_like_torch():
    res = []
    for lib in (torch, autobp):
        L = lib.optim.lr_scheduler
        w = lib.tensor(np.ones(2), requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1)
        a, b = L.ConstantLR(opt, 0.5, 3), L.ExponentialLR(opt, 0.9)
        seq = L.SequentialLR(opt, [a, b], milestones=[3])
        before = (a.last_epoch, b.last_epoch)
        seq.recursive_undo()
        res.append((before, a.last_epoch, b.last_epoch, seq.last_epoch))
    assert res[0] == res[1]


def test_a_torch_style_subclass_reads_state_of_a_new_parameter_as_empty():
    # torch's Optimizer.state is a defaultdict(dict): state[p] of a fresh parameter is {}
    results = []
    for lib in (torch, autobp):

        class Plain(lib.optim.Optimizer):
            grad_mode = lib.no_grad

            def __init__(self, params, lr=0.1):
                super().__init__(params, {"lr": lr})

            def step(self, closure=None):
                with self.grad_mode():
                    for group in self.param_groups:
                        for p in group["params"]:
                            state = self.state[p]
                            if len(state) == 0:
                                state["step"] = 0
                            state["step"] += 1
                            p.add_(p.grad, alpha=-group["lr"])

        w = lib.tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = Plain([w])
        for _ in range(2):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        results.append((w.detach().numpy().tolist(), opt.state_dict()["state"]))
    assert results[0] == results[1]


def test_param_group_refusals_like_torch():
    for lib in (torch, autobp):
        w, b = (lib.tensor(np.ones(2), requires_grad=True) for _ in range(2))
        opt = lib.optim.SGD([w])
        with pytest.raises(TypeError, match="ordered collections"):
            opt.add_param_group({"params": {b}})
        with pytest.raises(KeyError):
            opt.add_param_group({"lr": 0.1})
        with pytest.raises(TypeError):
            opt.add_param_group([b])
