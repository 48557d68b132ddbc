"""optim.swa_utils against torch.optim.swa_utils: identical training of the same network in both,
averaged weights and buffers after each step, SWALR's lr sequences, update_bn's statistics."""

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp.optim import SGD, swa_utils

torch = pytest.importorskip("torch")
tswa = torch.optim.swa_utils


def _pair(seed=0):
    ours = nn.Sequential(
        nn.Linear(3, 4, rng=seed), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2, rng=seed + 1)
    )
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2)
    ).double()
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    return ours, theirs


def _batches(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(5, 3)), rng.normal(size=(5, 2))) for _ in range(n)]


def _train_step(model, opt, x, y, lib):
    opt.zero_grad()
    out = model(lib.tensor(x) if lib is torch else autobp.Tensor(x))
    ((out - (lib.tensor(y) if lib is torch else autobp.Tensor(y))) ** 2).mean().backward()
    opt.step()


def _same_state(ours, theirs, tol=1e-12):
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert list(sd) == list(tsd)
    for k in sd:
        np.testing.assert_allclose(np.asarray(sd[k]), tsd[k].numpy(), rtol=tol, atol=tol, err_msg=k)


@pytest.mark.parametrize(
    "kind", ["swa", "swa_buffers", "ema_multi", "ema_avg", "swa_avg_fn", "swa_multi", "ema_multi_buffers"]
)
def test_averaged_model_matches_torch_over_training(kind):
    ours, theirs = _pair()
    kw, tkw = {}, {}
    if kind.startswith("ema_multi"):
        kw["multi_avg_fn"], tkw["multi_avg_fn"] = (
            swa_utils.get_ema_multi_avg_fn(0.9),
            tswa.get_ema_multi_avg_fn(0.9),
        )
    elif kind == "ema_avg":
        kw["avg_fn"], tkw["avg_fn"] = swa_utils.get_ema_avg_fn(0.8), tswa.get_ema_avg_fn(0.8)
    elif kind == "swa_avg_fn":
        kw["avg_fn"], tkw["avg_fn"] = swa_utils.get_swa_avg_fn(), tswa.get_swa_avg_fn()
    elif kind == "swa_multi":
        kw["multi_avg_fn"], tkw["multi_avg_fn"] = (
            swa_utils.get_swa_multi_avg_fn(),
            tswa.get_swa_multi_avg_fn(),
        )
    if kind.endswith("buffers"):
        kw["use_buffers"] = tkw["use_buffers"] = True
    avg, tavg = swa_utils.AveragedModel(ours, **kw), tswa.AveragedModel(theirs, **tkw)
    opt, topt = SGD(ours.parameters(), lr=0.1), torch.optim.SGD(theirs.parameters(), lr=0.1)
    for x, y in _batches():
        _train_step(ours, opt, x, y, autobp)
        _train_step(theirs, topt, x, y, torch)
        avg.update_parameters(ours)
        tavg.update_parameters(theirs)
        _same_state(avg, tavg, tol=1e-10)
    assert int(avg.n_averaged.item()) == 4
    # the average differs from the final model (it really averaged)
    assert not np.allclose(avg.module[0].weight.data, ours[0].weight.data)
    x = np.random.default_rng(3).normal(size=(2, 3))
    avg.eval(), tavg.eval()
    np.testing.assert_allclose(avg(autobp.Tensor(x)).data, tavg(torch.tensor(x)).detach().numpy(), rtol=1e-10)


def test_averaged_model_refuses_both_functions_and_is_a_copy():
    net = nn.Linear(2, 2, rng=0)
    with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn"):
        swa_utils.AveragedModel(
            net, avg_fn=swa_utils.get_swa_avg_fn(), multi_avg_fn=swa_utils.get_swa_multi_avg_fn()
        )
    avg = swa_utils.AveragedModel(net)
    assert avg.module is not net and avg.module.weight is not net.weight
    assert list(avg.state_dict()) == list(tswa.AveragedModel(torch.nn.Linear(2, 2)).state_dict())
    with pytest.raises(ValueError, match="decay"):
        swa_utils.get_ema_avg_fn(1.5)


def test_swa_avg_fn_values_match_torch():
    a, m = np.array([1.0, -2.0]), np.array([3.0, 5.0])
    ours = swa_utils.get_swa_avg_fn()(autobp.Tensor(a), autobp.Tensor(m), autobp.Tensor(np.array(3)))
    theirs = tswa.get_swa_avg_fn()(torch.tensor(a), torch.tensor(m), torch.tensor(3))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-15)


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 4])
def test_swalr_lr_sequence_matches_torch(strategy, anneal_epochs):
    w, tw = autobp.Tensor(np.zeros(2), requires_grad=True), torch.zeros(2, requires_grad=True)
    w2, tw2 = autobp.Tensor(np.zeros(2), requires_grad=True), torch.zeros(2, requires_grad=True)
    opt = SGD([{"params": [w]}, {"params": [w2], "lr": 0.5}], lr=0.2)
    topt = torch.optim.SGD([{"params": [tw]}, {"params": [tw2], "lr": 0.5}], lr=0.2)
    sched = swa_utils.SWALR(opt, swa_lr=[0.05, 0.01], anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    tsched = tswa.SWALR(topt, swa_lr=[0.05, 0.01], anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    seq, tseq = [sched.get_last_lr()], [tsched.get_last_lr()]
    for _ in range(7):
        opt.step(), topt.step()
        sched.step(), tsched.step()
        seq.append(sched.get_last_lr()), tseq.append(tsched.get_last_lr())
    np.testing.assert_allclose(seq, tseq, rtol=1e-14)
    assert opt.param_groups[0]["swa_lr"] == 0.05
    state, tstate = sched.state_dict(), tsched.state_dict()
    assert "anneal_func" not in state and state["_anneal_strategy"] == tstate["_anneal_strategy"]
    again = swa_utils.SWALR(SGD([autobp.Tensor(np.zeros(1), requires_grad=True)] * 1, lr=0.2), 0.05)
    again.load_state_dict(state)
    assert again.anneal_func(0.5) == tsched.anneal_func(0.5)


def test_swalr_bad_arguments_as_torch():
    opt = SGD([autobp.Tensor(np.zeros(1), requires_grad=True)], lr=0.1)
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    for kw in ({"anneal_strategy": "exp"}, {"anneal_epochs": -1}, {"anneal_epochs": 1.5}):
        with pytest.raises(ValueError) as theirs:
            tswa.SWALR(topt, 0.05, **kw)
        with pytest.raises(ValueError) as ours:
            swa_utils.SWALR(opt, 0.05, **kw)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="swa_lr must have the same length"):
        swa_utils.SWALR(opt, [0.1, 0.2])


def test_update_bn_matches_torch_and_restores_momenta():
    ours, theirs = _pair(5)
    ours[1].momentum = theirs[1].momentum = 0.3
    ours.eval(), theirs.eval()
    data = [b[0] for b in _batches(3, seed=9)]
    swa_utils.update_bn([(autobp.Tensor(x), 0) for x in data], ours)
    tswa.update_bn([(torch.tensor(x), 0) for x in data], theirs)
    _same_state(ours, theirs, tol=1e-12)
    assert ours[1].momentum == 0.3 and not ours.training
    # cumulative average: the running mean is the mean of the batch means
    h = [ours[0](autobp.Tensor(x)).data.mean(axis=0) for x in data]
    np.testing.assert_allclose(ours[1].running_mean.data, np.mean(h, axis=0), rtol=1e-12)
    assert int(ours[1].num_batches_tracked.item()) == 3
    plain = nn.Linear(2, 2, rng=0)
    swa_utils.update_bn([autobp.Tensor(np.ones((1, 2)))], plain)  # no BatchNorm: nothing to do
