"""ModuleList, ModuleDict, ParameterList and ParameterDict against PyTorch's: the names state_dict and
named_parameters give, renumbering after insert/delete, Tensors turned into Parameters, reserved keys."""

import numpy as np
import pytest

from autobp import Tensor, nn, optim

torch = pytest.importorskip("torch")


def _names(m):
    return [n for n, _ in m.named_parameters()], list(m.state_dict())


def _twin(lib):
    """The same container-heavy model in autobp (lib = nn) or torch (lib = torch.nn)."""
    T = (lambda a: Tensor(a)) if lib is nn else (lambda a: torch.tensor(a))
    P = lib.Parameter
    m = lib.Module()
    m.blocks = lib.ModuleList([lib.Linear(2, 3), lib.Linear(3, 1)])
    m.blocks.insert(1, lib.Linear(3, 3))
    m.blocks.append(lib.Linear(1, 1))
    del m.blocks[0]
    m.blocks.extend([lib.Linear(1, 2)])
    m.heads = lib.ModuleDict({"b": lib.Linear(2, 2), "a": lib.Linear(2, 1)})
    m.heads["c"] = lib.Identity()
    m.heads.update([("d", lib.Linear(1, 1))])
    m.heads.pop("b")
    m.plist = lib.ParameterList([P(T(np.ones(2))), T(np.zeros(3))])
    m.plist.append(P(T(np.ones((2, 2)))))
    m.pdict = lib.ParameterDict({"w": P(T(np.ones(3)))})
    m.pdict["v"] = T(np.full(2, 2.0))
    m.pdict.update({"u": P(T(np.zeros(1)))})
    del m.pdict["w"]
    return m


def test_names_and_order_match_torch():
    ours, theirs = _twin(nn), _twin(torch.nn)
    assert _names(ours) == _names(theirs)
    assert list(ours.heads.keys()) == list(theirs.heads.keys()) == ["a", "c", "d"]
    assert list(ours.pdict) == list(theirs.pdict) == ["v", "u"]
    assert [type(m).__name__ for m in ours.blocks] == [type(m).__name__ for m in theirs.blocks]
    assert len(ours.plist) == len(theirs.plist) == 3 and "a" in ours.heads and "b" not in ours.heads


def test_tensors_become_parameters_and_optimisers_train_them():
    plist = nn.ParameterList([Tensor(np.ones(2))])
    plist += [Tensor(np.ones(3), requires_grad=True)]
    pdict = nn.ParameterDict([("w", Tensor(np.ones(2)))])
    assert all(isinstance(p, nn.Parameter) for p in list(plist) + list(pdict.values()))
    assert isinstance(plist[-1], nn.Parameter) and isinstance(plist[0:1], nn.ParameterList)
    model = nn.Module()
    model.plist, model.pdict = plist, pdict
    opt = optim.SGD(model.parameters(), lr=0.5)
    loss = (plist[0] * 2).sum() + plist[1].sum() + (pdict["w"] ** 2).sum()
    loss.backward()
    opt.step()
    np.testing.assert_array_equal(plist[0].data, [0.0, 0.0])
    np.testing.assert_array_equal(pdict["w"].data, [0.0, 0.0])
    assert pdict.get("missing") is None and pdict.setdefault("z", Tensor(np.ones(1))).shape == (1,)


def test_module_list_slicing_assignment_and_errors():
    layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(4)])
    first = layers[0]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    layers[0] = nn.Identity()
    assert isinstance(layers[0], nn.Identity) and first not in list(layers)
    del layers[1:3]
    assert [n for n, _ in layers.named_parameters()] == ["1.weight", "1.bias"]
    with pytest.raises(IndexError, match="out of range"):
        layers[5]
    with pytest.raises(IndexError, match="out of range"):
        nn.ParameterList()[0]
    with pytest.raises(KeyError, match="already exists"):
        nn.ModuleDict({"update": nn.Identity()})
    with pytest.raises(KeyError):
        torch.nn.ModuleDict({"update": torch.nn.Identity()})
    with pytest.raises(TypeError, match="expected a Parameter or Tensor"):
        nn.ParameterDict({"w": "not a tensor"})
    with pytest.raises(TypeError, match="pair"):
        nn.ModuleDict([nn.Identity()])
