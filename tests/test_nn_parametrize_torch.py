"""nn.utils.parametrize as PyTorch's: a parametrized buffer stays a buffer, ``original`` is the module's
own tensor object (kept through removal), PyTorch's error words, the parametrization takes the
module's training mode, transfer_parametrizations_and_params, pickling refused / deepcopy allowed,
and an older weight_norm state dict loads into parametrizations.weight_norm; compared with torch."""

import copy
import pickle

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp.nn.utils import parametrize

torch = pytest.importorskip("torch")
W = np.arange(12.0).reshape(3, 4) / 10
B = np.array([1.0, 2.0, 3.0])


def _linear(lib):
    m = lib.nn.Linear(4, 3).double() if lib is torch else nn.Linear(4, 3)
    conv = torch.from_numpy if lib is torch else autobp.tensor
    with lib.no_grad():
        m.weight.copy_(conv(W.copy()))
        m.bias.copy_(conv(B.copy()))
    return m


def _mods(lib):
    class Double(lib.nn.Module):
        def forward(self, x):
            return 2 * x

        def right_inverse(self, x):
            return x / 2

    class FirstZero(lib.nn.Module):
        def forward(self, x):
            return lib.cat([x.new_zeros(1), x[1:]])

    return Double, FirstZero


def test_a_parametrized_buffer_stays_a_buffer_as_torch():
    def run(lib):
        m = _linear(lib)
        del m.bias
        m.register_buffer("bias", (torch.from_numpy if lib is torch else autobp.tensor)(B.copy()))
        parametrize.register_parametrization(m, "bias", _mods(lib)[1]()) if lib is autobp else (
            torch.nn.utils.parametrize.register_parametrization(m, "bias", _mods(lib)[1]())
        )
        names = ([n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()])
        (torch.nn.utils.parametrize if lib is torch else parametrize).remove_parametrizations(m, "bias")
        after = ([n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()])
        return names, after, np.asarray(m.bias.detach().numpy())

    (n1, a1, b1), (n2, a2, b2) = run(autobp), run(torch)
    assert n1 == n2 and a1 == a2
    np.testing.assert_array_equal(b1, b2)


@pytest.mark.parametrize("leave", [True, False])
def test_original_is_the_modules_own_tensor_through_removal_as_torch(leave):
    def run(lib):
        P = torch.nn.utils.parametrize if lib is torch else parametrize
        m = _linear(lib)
        w = m.weight
        P.register_parametrization(m, "weight", _mods(lib)[0]())
        same = m.parametrizations.weight.original is w
        P.remove_parametrizations(m, "weight", leave_parametrized=leave)
        return same, m.weight is w, m.weight.detach().numpy().copy()

    (s1, k1, v1), (s2, k2, v2) = run(autobp), run(torch)
    assert (s1, k1) == (s2, k2) == (True, True)
    np.testing.assert_allclose(v1, v2)


class _Id:
    @staticmethod
    def make(lib, kind):
        class Resize(lib.nn.Module):
            def forward(self, x):
                return x[[0]]

        class NotTensor(lib.nn.Module):
            def forward(self, x):
                return 2

        class BadInverse(lib.nn.Module):
            def forward(self, x):
                return x

            def right_inverse(self, x):
                return None

        return {"resize": Resize, "not_tensor": NotTensor, "bad_inverse": BadInverse}[kind]()


@pytest.mark.parametrize(
    "kind, words",
    [
        ("resize", "Registering a parametrization may not change the shape of the tensor"),
        ("not_tensor", "A parametrization must return a tensor. Got int."),
        ("bad_inverse", "'right_inverse' must return a Tensor or a Sequence of tensors"),
    ],
)
def test_errors_in_torchs_words(kind, words):
    for lib, P in ((autobp, parametrize), (torch, torch.nn.utils.parametrize)):
        m = _linear(lib)
        with pytest.raises(ValueError, match=words):
            P.register_parametrization(m, "weight", _Id.make(lib, kind))
        assert not P.is_parametrized(m)
        with pytest.raises(
            ValueError, match="does not have a parameter, a buffer, or a parametrized element"
        ):
            P.register_parametrization(m, "foo", _mods(lib)[0]())
        with pytest.raises(ValueError, match="does not have a parametrization on bias"):
            P.remove_parametrizations(m, "bias")


def test_the_parametrization_takes_the_modules_training_mode_as_torch():
    for lib, P in ((autobp, parametrize), (torch, torch.nn.utils.parametrize)):
        m = _linear(lib).eval()
        P.register_parametrization(m, "weight", _mods(lib)[0]())
        assert not m.parametrizations.weight[0].training


def test_transfer_parametrizations_and_params_as_torch():
    def run(lib, P):
        src, dst = _linear(lib), lib.nn.Linear(4, 3).double() if lib is torch else nn.Linear(4, 3)
        P.register_parametrization(src, "weight", _mods(lib)[0]())
        P.transfer_parametrizations_and_params(src, dst)
        shared = dst.parametrizations.weight.original is src.parametrizations.weight.original
        return shared, dst.weight.detach().numpy().copy(), P.is_parametrized(dst, "weight")

    ours, theirs = run(autobp, parametrize), run(torch, torch.nn.utils.parametrize)
    assert ours[0] == theirs[0] and ours[2] == theirs[2]
    np.testing.assert_allclose(ours[1], theirs[1])


def test_pickling_is_refused_and_deepcopy_allowed_as_torch():
    for lib, P in ((autobp, parametrize), (torch, torch.nn.utils.parametrize)):
        m = _linear(lib)
        P.register_parametrization(m, "weight", _mods(lib)[0]())
        with pytest.raises(RuntimeError, match="state_dict"):
            pickle.dumps(m)
        c = copy.deepcopy(m)
        assert c.parametrizations.weight.original is not m.parametrizations.weight.original
        np.testing.assert_allclose(c.weight.detach().numpy(), m.weight.detach().numpy())


def test_an_old_weight_norm_state_dict_loads_into_the_parametrization_as_torch():
    x = np.linspace(-1, 1, 8).reshape(2, 4)
    outs = []
    for lib in (autobp, torch):
        old = lib.nn.utils.weight_norm(_linear(lib))
        new = lib.nn.utils.parametrizations.weight_norm(
            lib.nn.Linear(4, 3).double() if lib is torch else nn.Linear(4, 3)
        )
        new.load_state_dict(old.state_dict())
        inp = torch.from_numpy(x) if lib is torch else autobp.tensor(x)
        np.testing.assert_allclose(new(inp).detach().numpy(), old(inp).detach().numpy())
        outs.append(new(inp).detach().numpy())
    np.testing.assert_allclose(outs[0], outs[1])


def test_plain_attributes_before_init_as_torch():
    for lib in (autobp, torch):

        class Early(lib.nn.Module):
            def __init__(self):
                self.note = "set before super().__init__()"
                super().__init__()

        assert Early().note.startswith("set before")
