"""Module API details against PyTorch: naming errors, remove_duplicate walks, Sequential/ModuleList
list operations, ParameterList/ParameterDict contents, train(mode) and to(copy=) refusals."""

from collections import OrderedDict

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def _raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  the oracle's exception type is the expectation
        return type(e)
    return None


@pytest.mark.parametrize("name", [1, None, "", "a.b"])
@pytest.mark.parametrize("kind", ["buffer", "parameter", "module"])
def test_registration_name_errors_match_torch(kind, name):
    def call(lib, m):
        if kind == "buffer":
            return m.register_buffer(name, lib.zeros(1))
        if kind == "parameter":
            return m.register_parameter(name, None)
        return m.add_module(name, lib.nn.Module())

    expected = _raises(lambda: call(torch, torch.nn.Module()))
    got = _raises(lambda: call(autobp, nn.Module()))
    assert expected is not None and got is not None and issubclass(got, expected)


@pytest.mark.parametrize("kind", ["buffer", "parameter", "module"])
def test_registration_over_another_attribute_is_a_key_error_as_torch(kind):
    def call(lib, m):
        m.taken = 5
        if kind == "buffer":
            return m.register_buffer("taken", lib.zeros(1))
        if kind == "parameter":
            return m.register_parameter("taken", lib.nn.Parameter(lib.zeros(1)))
        return m.add_module("taken", lib.nn.Module())

    assert _raises(lambda: call(torch, torch.nn.Module())) is KeyError
    assert issubclass(_raises(lambda: call(autobp, nn.Module())), KeyError)


def test_buffer_value_type_train_mode_and_to_copy_errors_match_torch():
    for lib, mod in ((torch, torch.nn), (autobp, nn)):
        m = mod.Linear(2, 2)
        with pytest.raises(TypeError, match="cannot assign 'int' object to buffer"):
            m.register_buffer("b", 5)
        with pytest.raises(ValueError, match="training mode is expected to be boolean"):
            m.train("yes")
        with pytest.raises(RuntimeError, match="does not accept copy"):
            m.to("cpu", copy=True)
        assert lib.numel(mod.Parameter()) == 0


def _net(mod):
    class Net(mod.Module):
        def __init__(self, l):
            super().__init__()
            self.l1 = l
            self.l2 = l
            self.p1 = mod.Parameter(np.ones(2) if mod is nn else torch.ones(2))
            self.p2 = self.p1

    lin = mod.Linear(2, 2)
    return mod.Sequential(Net(lin), Net(lin))


@pytest.mark.parametrize("remove_duplicate", [True, False])
def test_named_walks_with_remove_duplicate_match_torch(remove_duplicate):
    t, a = _net(torch.nn), _net(nn)
    for fn in ("named_modules", "named_parameters"):
        tn = [k for k, _ in getattr(t, fn)(remove_duplicate=remove_duplicate)]
        an = [k for k, _ in getattr(a, fn)(remove_duplicate=remove_duplicate)]
        assert an == tn
    assert [k for k, _ in a.named_children()] == [k for k, _ in t.named_children()]
    assert [k for k, _ in a[0].named_children()] == [k for k, _ in t[0].named_children()] == ["l1"]


def _seq_ops(mod):
    ls = [mod.Linear(i + 1, i + 2) for i in range(4)]
    ids = {id(m): i for i, m in enumerate(ls)}

    def order(s):
        return [ids[id(m)] for m in s]

    out = {}
    n = mod.Sequential(*ls)
    out["slice"] = order(n[1:]), order(n[::-1])
    n2 = n + mod.Sequential(ls[0])
    out["add"] = order(n2)
    n3 = 2 * mod.Sequential(ls[1], ls[2])
    out["rmul"] = order(n3)
    n3 *= 2
    out["imul"] = order(n3), [k for k, _ in n3.named_children()]
    m = mod.Sequential(*ls)
    popped = m.pop(1)
    out["pop"] = ids[id(popped)], order(m), list(m._modules)
    m.insert(-1, ls[1])
    out["insert"] = order(m)
    del m[1::2]
    out["del"] = order(m), list(m._modules)
    m[-1] = ls[3]
    out["set"] = order(m)
    m.extend(mod.Sequential(ls[2]))
    m += mod.Sequential(ls[1])
    out["extend"] = order(m)
    named = mod.Sequential(OrderedDict([("a", ls[0]), ("b", ls[1])]))
    named[0] = ls[2]
    out["named"] = ids[id(named.a)], list(named._modules)
    ml = mod.ModuleList(ls[:2]) + mod.ModuleList(ls[2:])
    out["mlist"] = order(ml), ids[id(ml.pop(0))], order(ml)
    return out


def test_sequential_and_module_list_operations_match_torch():
    assert _seq_ops(nn) == _seq_ops(torch.nn)


def test_sequential_index_errors_and_tensor_indices_match_torch():
    for lib, mod in ((torch, torch.nn), (autobp, nn)):
        s = mod.Sequential(mod.ReLU(), mod.Tanh())
        assert s[lib.tensor(1)] is s[1]
        with pytest.raises(IndexError):
            s.insert(-5, mod.ReLU())
        with pytest.raises(AssertionError):
            s.insert(1, [mod.ReLU()])
        with pytest.raises(ValueError):
            s + mod.ModuleList([mod.ReLU()])
        ml = mod.ModuleList([mod.ReLU(), mod.Tanh()])
        ml[lib.tensor(0, dtype=lib.int32)] = s
        assert ml[0] is s


def test_parameter_list_holds_other_objects_as_torch():
    for mod, rand in ((torch.nn, lambda: torch.rand(2)), (nn, lambda: autobp.rand(2))):
        pl = mod.ParameterList([rand()])
        pl.extend([rand(), "foo"])
        pl += ["bar", rand()]
        assert [type(x).__name__ for x in pl][2:4] == ["str", "str"]
        assert len(pl) == 5 and len(list(pl.parameters())) == 3
        assert isinstance(pl[-1], mod.Parameter)


def test_parameter_dict_update_sorts_plain_dicts_and_errors_as_torch():
    def keys(mod, rand):
        d = mod.ParameterDict()
        d.update({"p8": rand(), "p7": rand()})
        d.update(OrderedDict([("b", rand()), ("a", rand())]))
        return list(d.keys())

    assert keys(nn, lambda: autobp.rand(1)) == keys(torch.nn, lambda: torch.rand(1))
    for mod, lib in ((torch.nn, torch), (nn, autobp)):
        with pytest.raises(TypeError):
            mod.ParameterDict().update(1)
        with pytest.raises(ValueError):
            mod.ParameterDict().update(mod.Parameter(lib.ones(3, 3)))
        with pytest.raises(ValueError):
            mod.ModuleDict().update([[mod.ReLU()]])


def test_call_super_init_runs_the_next_init_as_torch():
    for mod in (torch.nn, nn):

        class Mixin:
            def __init__(self):
                super().__init__()
                self.mixin_init = True

        class After(mod.Module, Mixin):
            pass

        assert not hasattr(After(), "mixin_init")
        After.call_super_init = True
        assert After().mixin_init


def test_dir_leaves_out_numbered_children_and_a_parameter_replaces_a_buffer():
    for mod, lib in ((torch.nn, torch), (nn, autobp)):
        assert "0" not in dir(mod.Sequential(mod.ReLU()))
        m = mod.Module()
        m.register_buffer("buf", lib.zeros(2), persistent=False)
        m.buf = mod.Parameter(lib.zeros(2))
        assert len(list(m.buffers())) == 0 and list(m.state_dict()) == ["buf"]


def test_rnn_unknown_nonlinearity_message_as_torch():
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        torch.nn.RNN(1, 2, nonlinearity="garbage")
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        nn.RNN(1, 2, nonlinearity="garbage")


def test_module_apply_changes_parameters_grads_and_buffers_as_torch():
    results = []
    for mod, lib in ((torch.nn, torch), (nn, autobp)):
        m = mod.Sequential(mod.Linear(3, 2), mod.Module())
        m[1].register_buffer("running_var", lib.ones(2))
        for p in m.parameters():
            with lib.no_grad():
                p.copy_(lib.ones(*p.shape)) if lib is torch else p.data.__setitem__(Ellipsis, 1.0)
        w = m[0].weight
        m[0].weight.grad = lib.ones(2, 3)
        assert m._apply(lambda t: t.add_(1.0)) is m
        assert m[0].weight is w
        m._apply(lambda t: t * 3)
        results.append(
            (
                np.asarray(m[0].weight.detach().numpy()).tolist(),
                np.asarray(m[0].weight.grad.numpy()).tolist(),
                np.asarray(m[1].running_var.numpy()).tolist(),
            )
        )
    assert results[0] == results[1]
