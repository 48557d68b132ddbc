"""``state_dict``/``load_state_dict`` as PyTorch's: ``prefix``/``keep_vars``/``destination``, a module
shared under two names listed under each, a module's extra state, the four state-dict hooks (a pre-load
hook renaming old keys, a post-load hook forgiving a missing key), ``assign=True``; compared with torch."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def _pair(lib):
    class WithStep(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(2, 2)
            self.steps = 0

        def get_extra_state(self):
            return {"steps": self.steps}

        def set_extra_state(self, state):
            self.steps = state["steps"]

    shared = lib.nn.Linear(2, 2)
    return lib.nn.Sequential(WithStep(), shared, shared)


def test_keys_prefix_keep_vars_and_extra_state_match_torch():
    ours, theirs = _pair(autobp), _pair(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())  # the shared module under both names
    assert "0._extra_state" in ours.state_dict() and ours.state_dict()["0._extra_state"] == {"steps": 0}
    assert list(ours.state_dict(prefix="m.")) == list(theirs.state_dict(prefix="m."))
    assert ours.state_dict(keep_vars=True)["1.weight"] is ours[1].weight
    dest: dict = {}
    assert ours.state_dict(destination=dest) is dest and "0.lin.bias" in dest


def test_extra_state_round_trips_and_is_required_by_a_strict_load():
    src, dst = _pair(autobp), _pair(autobp)
    src[0].steps = 7
    dst.load_state_dict(src.state_dict())
    assert dst[0].steps == 7
    sd = src.state_dict()
    del sd["0._extra_state"]
    with pytest.raises(RuntimeError, match="Missing key.*0._extra_state"):
        dst.load_state_dict(sd)
    tsd = _pair(torch).state_dict()
    del tsd["0._extra_state"]
    with pytest.raises(RuntimeError, match="_extra_state"):
        _pair(torch).load_state_dict(tsd)


def _hooked(lib, calls):
    m = lib.nn.Linear(2, 2)

    def rename(module, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
        if prefix + "w" in state_dict:  # an old checkpoint's name for the weight
            state_dict[prefix + "weight"] = state_dict.pop(prefix + "w")
        calls.append("load_pre")

    def forgive_bias(module, incompatible):
        if "bias" in incompatible.missing_keys:
            incompatible.missing_keys.remove("bias")
        calls.append("load_post")

    m.register_load_state_dict_pre_hook(rename)
    m.register_load_state_dict_post_hook(forgive_bias)
    m.register_state_dict_pre_hook(lambda module, prefix, keep_vars: calls.append(("pre", prefix)))
    m.register_state_dict_post_hook(lambda module, sd, prefix, meta: calls.append(("post", sorted(sd))))
    return m


def test_state_dict_hooks_are_called_as_torchs():
    ours, theirs = [], []
    m, tm = _hooked(autobp, ours), _hooked(torch, theirs)
    m.state_dict(prefix="p.")
    tm.state_dict(prefix="p.")
    w = np.arange(4.0).reshape(2, 2)
    m.load_state_dict({"w": w})  # renamed by the pre hook; the missing bias forgiven by the post hook
    tm.load_state_dict({"w": torch.tensor(w, dtype=torch.float32)})
    assert ours == theirs == [("pre", "p."), ("post", ["p.bias", "p.weight"]), "load_pre", "load_post"]
    np.testing.assert_array_equal(m.weight.numpy(), w)
    handle = m.register_state_dict_pre_hook(lambda *a: ours.append("again"))
    handle.remove()
    m.state_dict()
    assert "again" not in ours


def test_assign_makes_the_given_array_the_parameters_data():
    m = nn.Linear(2, 2)
    w = np.ones((2, 2))
    m.load_state_dict({"weight": w, "bias": np.zeros(2)}, assign=True)
    assert np.shares_memory(m.weight.numpy(), w)
    copy = nn.Linear(2, 2)
    copy.load_state_dict({"weight": w, "bias": np.zeros(2)})
    assert not np.shares_memory(copy.weight.numpy(), w)


def test_default_extra_state_methods_refuse_as_torchs():
    with pytest.raises(RuntimeError, match="should never be called"):
        nn.Linear(2, 2).get_extra_state()


def test_set_submodule_type_and_device_moves_as_torch():
    def build(lib):
        return lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Linear(2, 3)))

    m, tm = build(autobp), build(torch)
    m.set_submodule("1.1", nn.Linear(2, 4))
    tm.set_submodule("1.1", torch.nn.Linear(2, 4))
    assert list(m.state_dict()) == list(tm.state_dict()) and m[1][1].out_features == 4
    with pytest.raises(AttributeError):
        m.set_submodule("2.0", nn.ReLU())  # no such parent
    with pytest.raises(AttributeError):
        tm.set_submodule("2.0", torch.nn.ReLU())
    assert m.type(np.float32) is m and m[0].weight.dtype == np.float32
    assert m.share_memory() is m and m.to_empty(device="cpu") is m
    with pytest.raises(RuntimeError, match="no cuda device"):
        m.cuda()
