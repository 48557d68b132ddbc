"""Lazy modules as PyTorch's (found by PyTorch's test/nn/test_lazy_modules.py): uninitialised
placeholders until the first call or a state-dict load, LazyModuleMixin for user modules, refusals
of operations that need shapes; and pickling a tensor that had views taken of it."""

import pickle

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp.nn.modules.lazy import LazyModuleMixin

torch = pytest.importorskip("torch")


def test_builtin_lazy_layers_hold_placeholders_then_the_same_parameters():
    m = nn.LazyLinear(4)
    w = m.weight
    assert isinstance(w, nn.UninitializedParameter) and isinstance(m.bias, nn.UninitializedParameter)
    opt = autobp.optim.SGD(m.parameters(), lr=0.1)
    m(autobp.ones(2, 3))
    assert type(m) is nn.Linear and m.weight is w and type(w) is nn.Parameter and w.shape == (4, 3)
    assert opt.param_groups[0]["params"][0] is w
    bn = nn.LazyBatchNorm2d()
    assert isinstance(bn.running_mean, nn.UninitializedBuffer)
    bn(autobp.randn(2, 5, 3, 3))
    assert type(bn.running_mean) is autobp.Tensor and bn.running_mean.shape == (5,)


@pytest.mark.parametrize(
    "make, lazy, shape",
    [
        ("Linear(5, 10)", "LazyLinear(10)", (2, 5)),
        ("Conv2d(4, 6, 3, groups=2)", "LazyConv2d(6, 3, groups=2)", (2, 4, 5, 5)),
        ("ConvTranspose1d(4, 6, 3)", "LazyConvTranspose1d(6, 3)", (2, 4, 5)),
        ("BatchNorm1d(7)", "LazyBatchNorm1d()", (3, 7)),
        (
            "InstanceNorm2d(7, affine=True)",
            "LazyInstanceNorm2d(affine=True, track_running_stats=False)",
            (2, 7, 3, 3),
        ),
    ],
)
def test_loading_a_state_dict_materialises_a_lazy_layer_as_torch(make, lazy, shape):
    t_plain, t_lazy = eval("torch.nn." + make), eval("torch.nn." + lazy)
    a_plain, a_lazy = eval("nn." + make), eval("nn." + lazy)
    t_lazy.load_state_dict(t_plain.state_dict())
    a_lazy.load_state_dict(a_plain.state_dict())
    # PyTorch's current test_lazy_modules expects the plain class (and its in-size) right after the
    # load; torch 2.13 here becomes it at the first forward: only the shapes are compared with torch
    assert type(a_lazy) is type(a_plain)
    t_shapes = {k: tuple(v.shape) for k, v in t_lazy.state_dict().items()}
    a_shapes = {k: tuple(np.shape(v)) for k, v in a_lazy.state_dict().items()}
    assert a_shapes == t_shapes
    x = autobp.tensor(np.random.default_rng(0).standard_normal(shape))
    np.testing.assert_allclose(a_lazy(x).data, a_plain(x).data)


def test_lazy_module_mixin_for_a_user_module():
    class Scale(LazyModuleMixin, nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.UninitializedParameter()
            self.register_buffer("b", nn.UninitializedBuffer())

        def initialize_parameters(self, x):
            self.w.materialize(x.shape[-1])
            self.b.materialize(x.shape[-1])
            with autobp.no_grad():
                self.w.data[...] = 2.0
                self.b.data[...] = 1.0

        def forward(self, x):
            return x * self.w + self.b

    m = Scale()
    assert m.has_uninitialized_params()
    with pytest.raises(RuntimeError, match="share memory on an uninitialized"):
        m.share_memory()
    x = autobp.ones(3, 4, requires_grad=True)
    y = m(x)
    assert not m.has_uninitialized_params() and type(m.w) is nn.Parameter and m.w.shape == (4,)
    np.testing.assert_allclose(y.data, 3.0)
    y.sum().backward()
    np.testing.assert_allclose(m.w.grad, 3.0)
    m2 = Scale()
    m2.test_buffer = nn.UninitializedBuffer()
    assert "test_buffer" in dict(m2.named_buffers()) and isinstance(m2.test_buffer, nn.UninitializedBuffer)


def test_norm_reparametrisations_refuse_uninitialised_modules_as_torch():
    for fn, tfn in [
        (nn.utils.weight_norm, torch.nn.utils.weight_norm),
        (nn.utils.spectral_norm, torch.nn.utils.spectral_norm),
    ]:
        with pytest.raises(ValueError, match="have uninitialized parameters."):
            tfn(torch.nn.LazyLinear(7))
        with pytest.raises(ValueError, match="have uninitialized parameters."):
            fn(nn.LazyLinear(7))


def test_pickling_tensors_and_modules_that_had_views():
    x = autobp.ones(3, 4, requires_grad=True)
    x.reshape(12)  # a view: listed (weakly) on x
    y = pickle.loads(pickle.dumps(x))
    assert y.requires_grad and y.shape == (3, 4)
    bn = nn.BatchNorm1d(3)
    bn(autobp.randn(8, 3, 5))
    bn2 = pickle.loads(pickle.dumps(bn))
    np.testing.assert_array_equal(bn2.running_mean.data, bn.running_mean.data)
    assert type(bn2.weight) is nn.Parameter


def test_optimizers_with_uninitialised_parameters_as_torch():
    from torch.nn.modules.lazy import LazyModuleMixin as TorchLazy

    class TLazy(TorchLazy, torch.nn.Module):
        pass

    class ALazy(LazyModuleMixin, nn.Module):
        pass

    t, a = TLazy(), ALazy()
    t.register_parameter("p", torch.nn.UninitializedParameter())
    a.register_parameter("p", nn.UninitializedParameter())
    with pytest.raises(ValueError, match="uninitialized parameter"):
        torch.optim.Adagrad(t.parameters())
    with pytest.raises(ValueError, match="uninitialized parameter"):
        autobp.optim.Adagrad(a.parameters())
    for name in ("Adam", "SGD", "RMSprop"):  # lazy state: made before, stepped after materialising
        opt = getattr(autobp.optim, name)(a.parameters(), lr=0.1)
        a.p.materialize(4)
        a.p.data[...] = 1.0
        a.p.grad = np.ones(4)
        opt.step()
        assert a.p.shape == (4,) and np.all(a.p.data < 1.0)
        a = ALazy()
        a.register_parameter("p", nn.UninitializedParameter())
