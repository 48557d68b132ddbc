"""load_state_dict / state_dict as PyTorch's protocol: per-module ``_save_to_state_dict`` /
``_load_from_state_dict`` (overridable), ``_metadata`` versions, PyTorch's error words, nested
unexpected keys, the older load pre-hook form, consume_prefix_in_state_dict_if_present; each
compared with torch."""

from collections import OrderedDict

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp.nn.modules.utils import consume_prefix_in_state_dict_if_present

torch = pytest.importorskip("torch")


def _net(lib):
    lib.manual_seed(0) if lib is torch else autobp.manual_seed(0)
    return lib.nn.Sequential(
        lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2), lib.nn.Sequential(lib.nn.Linear(2, 1))
    )


def _error(lib, sd, **kw):
    with pytest.raises(RuntimeError) as e:
        _net(lib).load_state_dict(sd, **kw)
    return str(e.value)


def _keys_sd(lib, drop=(), add=()):
    sd = _net(lib).state_dict()
    for k in drop:
        del sd[k]
    for k in add:
        sd[k] = lib.ones(1)
    return sd


@pytest.mark.parametrize(
    "drop, add",
    [
        (("0.bias",), ()),
        ((), ("3.weight",)),
        (("1.running_var", "2.0.bias"), ("extra", "0.weight.bad_suffix")),
    ],
)
def test_missing_and_unexpected_words_and_lists_as_torch(drop, add):
    assert _error(autobp, _keys_sd(autobp, drop, add)) == _error(torch, _keys_sd(torch, drop, add))
    ours = _net(autobp).load_state_dict(_keys_sd(autobp, drop, add), strict=False)
    theirs = _net(torch).load_state_dict(_keys_sd(torch, drop, add), strict=False)
    assert ours.missing_keys == theirs.missing_keys and ours.unexpected_keys == theirs.unexpected_keys
    assert ("Incompatible" in str(ours)) == ("Incompatible" in str(theirs))


def test_size_mismatch_words_as_torch():
    ours, theirs = _keys_sd(autobp), _keys_sd(torch)
    ours["0.weight"], theirs["0.weight"] = autobp.zeros(2, 2), torch.zeros(2, 2)
    prefix = "Error(s) in loading state_dict for Sequential:\n\t"
    prefix += "size mismatch for 0.weight: copying a param with shape"
    assert _error(autobp, ours).startswith(prefix) and _error(torch, theirs).startswith(prefix)
    for msg in (_error(autobp, ours), _error(torch, theirs)):
        assert "from checkpoint, the shape in current model is" in msg


@pytest.mark.parametrize("bad", ["", 2, [("0.weight", 1.0)]])
def test_not_a_mapping_is_a_type_error_as_torch(bad):
    for lib in (autobp, torch):
        with pytest.raises(TypeError, match="Expected state_dict to be dict-like, got"):
            _net(lib).load_state_dict(bad)


def test_a_value_that_is_no_array_is_refused_as_torch():
    for lib in (autobp, torch):
        sd = _keys_sd(lib)
        sd["0.bias"] = ((1.0, 1.0),)
        assert "expected torch.Tensor or Tensor-like object from checkpoint but received" in _error(lib, sd)


def test_metadata_holds_torchs_versions_and_a_version_1_batchnorm_state_loads():
    ours, theirs = _net(autobp).state_dict(), _net(torch).state_dict()
    assert list(ours._metadata.items()) == list(theirs._metadata.items())
    for lib, sd in ((autobp, ours), (torch, theirs)):
        net = _net(lib)
        bn = net[1]
        with lib.no_grad():
            bn.num_batches_tracked.fill_(5)
        del sd["1.num_batches_tracked"]
        sd._metadata["1"]["version"] = 1
        assert net.load_state_dict(sd).missing_keys == []
        assert bn.num_batches_tracked.item() == 5  # kept, as torch
        with pytest.raises(RuntimeError, match='Missing key.*"1.num_batches_tracked"'):
            sd._metadata["1"]["version"] = 2
            net.load_state_dict(sd)


def test_overridden_save_and_load_are_used_as_torch():
    def custom(lib):
        class Shifted(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.param = lib.nn.Parameter(lib.ones(1))
                self.sub = lib.nn.Linear(2, 2)

            def _save_to_state_dict(self, destination, prefix, keep_vars):
                destination[prefix + "serialized"] = self.param.detach() + 1

            def _load_from_state_dict(self, state_dict, prefix, *rest):
                with lib.no_grad():
                    self.param[...] = state_dict[prefix + "serialized"] - 1

        m = lib.nn.Sequential(Shifted())
        with lib.no_grad():
            m[0].param[0] = 10
        sd = m.state_dict()
        fresh = lib.nn.Sequential(Shifted())
        fresh.load_state_dict(sd)
        return sorted(sd), float(sd["0.serialized"][0]), float(fresh[0].param[0])

    assert custom(autobp) == custom(torch) == (["0.serialized", "0.sub.bias", "0.sub.weight"], 11.0, 10.0)


def test_old_pre_hook_form_and_local_dicts_as_torch():
    def run(lib):
        net, seen = _net(lib), []
        net[2][0]._register_load_state_dict_pre_hook(
            lambda sd, prefix, *rest: seen.append((prefix, sorted(sd)))
        )
        net[2]._register_load_state_dict_pre_hook(
            lambda mod, sd, prefix, *rest: seen.append((type(mod).__name__, prefix, sorted(sd))), True
        )
        net.register_load_state_dict_pre_hook(lambda mod, sd, prefix, *rest: seen.append(("top", len(sd))))
        net.load_state_dict(net.state_dict())
        return seen

    assert run(autobp) == run(torch)


def test_post_hook_keys_reach_the_strict_error_as_torch():
    def run(lib):
        net = _net(lib)

        def hook(mod, keys):
            keys.missing_keys.append("foo")
            keys.unexpected_keys.append("bar")

        net[2].register_load_state_dict_post_hook(hook)
        with pytest.raises(RuntimeError) as e:
            net.load_state_dict(net.state_dict())
        return str(e.value)

    assert run(autobp) == run(torch)


def test_failed_load_changes_nothing():
    net = _net(autobp)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    sd = _keys_sd(autobp, drop=("0.bias",))
    sd["0.weight"] = autobp.full((2, 3), 7.0)
    with pytest.raises(RuntimeError, match="Missing key"):
        net.load_state_dict(sd)
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k].numpy())


def test_consume_prefix_as_torch():
    def run(lib, consume):
        sd = OrderedDict((k, np.ones(1)) for k in ("module.a", "module.b.c", "other"))
        sd._metadata = OrderedDict((k, {"version": 1}) for k in ("", "module", "module.b"))
        consume(sd, "module.")
        return list(sd), list(sd._metadata)

    theirs = run(torch, torch.nn.modules.utils.consume_prefix_in_state_dict_if_present)
    assert run(autobp, consume_prefix_in_state_dict_if_present) == theirs
    assert nn.modules.utils.consume_prefix_in_state_dict_if_present is consume_prefix_in_state_dict_if_present
