"""``Module.state_dict()`` values are detached Tensors sharing memory with the parameters and buffers, as
torch's: writes through them reach the module, ``keep_vars=True`` gives the Parameters, dtypes are kept,
and every consumer (``load_state_dict``, ``autobp.save``/``load``, state-dict hooks, torch) takes them."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def _pair(dtype="float64"):
    autobp.manual_seed(0)
    ours = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    if dtype == "float32":
        ours = ours.float()
    else:
        theirs = theirs.double()
    theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in ours.state_dict().items()})
    return ours, theirs


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_values_are_detached_tensors_of_the_modules_dtypes(dtype):
    ours, theirs = _pair(dtype)
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert list(sd) == list(tsd)
    for k in sd:
        assert isinstance(sd[k], autobp.Tensor) and isinstance(tsd[k], torch.Tensor)
        assert sd[k].requires_grad == tsd[k].requires_grad is False
        assert sd[k].is_leaf and sd[k].grad_fn is None and tsd[k].grad_fn is None
        assert str(sd[k].dtype).split(".")[-1] == str(tsd[k].dtype).split(".")[-1], k
        assert type(sd[k]) is autobp.Tensor  # not the Parameter itself
        np.testing.assert_array_equal(sd[k].numpy(), tsd[k].numpy())


@pytest.mark.parametrize(
    "write",
    [
        lambda lib, t: t.add_(1),
        lambda lib, t: t.mul_(2),
        lambda lib, t: t.copy_(lib.ones(t.shape, dtype=t.dtype)),
        lambda lib, t: t.zero_(),
        lambda lib, t: t.numpy().__setitem__(Ellipsis, 5),
        lambda lib, t: t.__setitem__(0, 3),
    ],
    ids=["add_", "mul_", "copy_", "zero_", "numpy", "setitem"],
)
def test_writes_through_the_state_dict_reach_the_module_as_torch(write):
    ours, theirs = _pair()
    sd, tsd = ours.state_dict(), theirs.state_dict()
    for k in ("0.weight", "1.running_mean", "2.bias"):
        write(autobp, sd[k])
        write(torch, tsd[k])
    kept, tkept = ours.state_dict(keep_vars=True), theirs.state_dict(keep_vars=True)
    for (k, p), tp in zip(kept.items(), tkept.values()):
        np.testing.assert_array_equal(p.detach().numpy(), tp.detach().numpy(), err_msg=k)


def test_clone_is_a_snapshot_and_the_state_dict_follows_training_as_torch():
    ours, theirs = _pair()
    x = np.random.default_rng(0).normal(size=(5, 3))
    got = []
    for lib, m in ((autobp, ours), (torch, theirs)):
        sd = m.state_dict()
        snap = {k: v.clone() for k, v in sd.items()}
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        (m(lib.tensor(x)) ** 2).sum().backward()
        opt.step()
        moved = {k: not np.array_equal(sd[k].numpy(), snap[k].numpy()) for k in sd}
        live = {k: np.array_equal(sd[k].numpy(), v.detach().numpy()) for k, v in m.state_dict().items()}
        got.append((moved, live))
    assert got[0] == got[1]
    assert got[0][0]["0.weight"] and got[0][0]["1.running_mean"] and all(got[0][1].values())


def test_keep_vars_gives_the_parameters_and_buffers_themselves():
    ours, theirs = _pair()
    for m in (ours, theirs):
        kept = m.state_dict(keep_vars=True)
        assert kept["0.weight"] is m[0].weight and kept["1.running_var"] is m[1].running_var
        assert kept["0.weight"].requires_grad and not kept["1.running_var"].requires_grad


def test_load_state_dict_takes_tensors_arrays_and_torch_tensors():
    ours, theirs = _pair()
    other = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    weight = other[0].weight
    other.load_state_dict(ours.state_dict())  # Tensors
    assert other[0].weight is weight
    for k, v in other.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), ours.state_dict()[k].numpy())
        assert not np.shares_memory(v.numpy(), ours.state_dict()[k].numpy())  # copied in, not shared
    with torch.no_grad():
        for p in theirs.parameters():
            p.mul_(3)
    other.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})  # arrays
    np.testing.assert_array_equal(other[2].weight.numpy(), theirs[2].weight.detach().numpy())
    other.load_state_dict(theirs.state_dict())  # torch's detached tensors
    np.testing.assert_array_equal(other[0].bias.numpy(), theirs[0].bias.detach().numpy())
    other.load_state_dict(ours.state_dict(keep_vars=True))  # Parameters
    np.testing.assert_array_equal(other[0].weight.numpy(), ours[0].weight.numpy())
    assert other[1].num_batches_tracked.dtype == np.int64


def test_load_of_its_own_state_dict_and_assign_as_torch():
    ours, theirs = _pair()
    ours.load_state_dict(ours.state_dict())  # the same memory in and out: unchanged
    theirs.load_state_dict(theirs.state_dict())
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), theirs.state_dict()[k].numpy())
    fresh, tfresh = _pair()
    src = {k: v.clone() for k, v in ours.state_dict().items()}
    tsrc = {k: v.clone() for k, v in theirs.state_dict().items()}
    fresh.load_state_dict(src, assign=True)
    tfresh.load_state_dict(tsrc, assign=True)
    src["2.bias"].add_(1)
    tsrc["2.bias"].add_(1)  # assign: the module now holds the given tensor's memory, in both
    np.testing.assert_array_equal(fresh[2].bias.numpy(), tfresh[2].bias.detach().numpy())


def test_save_load_round_trip_keeps_tensors_dtypes_and_runs_no_code(tmp_path):
    ours, _ = _pair("float32")
    path = tmp_path / "ckpt.npz"
    autobp.save({"model": ours.state_dict(), "epoch": 2}, path)
    back = autobp.load(path)
    assert back["epoch"] == 2
    for k, v in ours.state_dict().items():
        got = back["model"][k]
        assert isinstance(got, autobp.Tensor) and not got.requires_grad and got.dtype == v.dtype, k
        np.testing.assert_array_equal(got.numpy(), v.numpy())
    again = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).float()
    again.load_state_dict(back["model"])
    np.testing.assert_array_equal(again[0].weight.numpy(), ours[0].weight.numpy())
    with pytest.raises(autobp.CheckpointError):  # a pickle is refused, never unpickled
        np.savez(tmp_path / "evil.npz", obj=np.array([object()], dtype=object))
        autobp.load(tmp_path / "evil.npz")


def test_state_dict_post_hook_sees_the_detached_tensors_as_torch():
    seen = {}
    for lib in (autobp, torch):
        m = lib.nn.Linear(2, 2)

        def hook(module, sd, prefix, meta, lib=lib):
            seen[lib.__name__] = (type(sd["weight"]).__name__, sd["weight"].requires_grad)

        m.register_state_dict_post_hook(hook)
        m.state_dict()
    assert seen == {"autobp": ("Tensor", False), "torch": ("Tensor", False)}
