"""PyTorch's ``device=`` constructor keyword on every nn layer that has one, and ``Module.to``'s device
forms (``to("cpu")``, ``to(device, dtype)``, ``to(tensor)``), as torch's test harness calls them: the
CPU is accepted (autobp computes there), any other device is refused with a ValueError."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")

ARGS = {
    "AdaptiveLogSoftmaxWithLoss": (8, 10, [4]),
    "BatchNorm1d": (3,),
    "BatchNorm2d": (3,),
    "BatchNorm3d": (3,),
    "Bilinear": (2, 3, 4),
    "Conv1d": (2, 3, 3),
    "Conv2d": (2, 3, 3),
    "Conv3d": (2, 3, 3),
    "ConvTranspose1d": (2, 3, 3),
    "ConvTranspose2d": (2, 3, 3),
    "ConvTranspose3d": (2, 3, 3),
    "Embedding": (5, 3),
    "EmbeddingBag": (5, 3),
    "GRU": (3, 4),
    "GRUCell": (3, 4),
    "GroupNorm": (1, 3),
    "InstanceNorm1d": (3,),
    "InstanceNorm2d": (3,),
    "InstanceNorm3d": (3,),
    "LSTM": (3, 4),
    "LSTMCell": (3, 4),
    "LayerNorm": (3,),
    "LazyBatchNorm1d": (),
    "LazyConv2d": (3, 3),
    "LazyLinear": (3,),
    "Linear": (3, 4),
    "LinearCrossEntropyLoss": (3, 4),
    "MultiheadAttention": (4, 2),
    "PReLU": (),
    "RMSNorm": (3,),
    "RNN": (3, 4),
    "RNNCell": (3, 4),
    "SyncBatchNorm": (3,),
    "Transformer": (),
    "TransformerDecoderLayer": (4, 2),
    "TransformerEncoderLayer": (4, 2),
}
KW = {"Transformer": dict(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=8)}


def test_the_table_covers_every_torch_layer_with_a_device_keyword():
    with_device = set()
    for name in dir(torch.nn):
        cls = getattr(torch.nn, name)
        if isinstance(cls, type) and issubclass(cls, torch.nn.Module) and hasattr(nn, name):
            try:
                params = inspect.signature(cls.__init__).parameters
            except (TypeError, ValueError):
                continue
            if "device" in params and not name.endswith("Base") and not name.startswith("Lazy"):
                with_device.add(name)
    assert with_device <= set(ARGS)


@pytest.mark.parametrize("name", sorted(ARGS))
def test_device_keyword_cpu_accepted_other_refused(name):
    args, kw = ARGS[name], KW.get(name, {})
    want = getattr(torch.nn, name)(*args, device="cpu", **kw)
    for device in ("cpu", "cpu:0", torch.device("cpu"), None):
        got = getattr(nn, name)(*args, device=device, **kw)
        if not name.startswith("Lazy"):
            assert [(k, tuple(p.shape)) for k, p in got.named_parameters()] == [
                (k, tuple(p.shape)) for k, p in want.named_parameters()
            ]
    with pytest.raises(ValueError, match="device 'cuda' is not available"):
        getattr(nn, name)(*args, device="cuda", **kw)


def test_lazy_module_keeps_device_through_materialisation():
    m = nn.LazyLinear(3, device="cpu")
    assert m(np.ones((2, 5))).shape == (2, 3) and m.weight.shape == (3, 5)


def test_module_to_device_forms():
    m = nn.Linear(2, 3)
    w = m.weight
    assert m.to("cpu") is m and m.to(torch.device("cpu")) is m and m.weight.dtype == np.float64
    assert m.to("cpu", np.float32).weight.dtype == np.float32
    assert m.to(device="cpu", dtype=np.float64).weight.dtype == np.float64
    assert m.to(autobp.zeros(1, dtype=np.float32)).weight.dtype == np.float32
    assert m.to(np.float64, non_blocking=True).weight.dtype == np.float64
    assert m.weight is w  # the same Parameter object throughout
    with pytest.raises(ValueError, match="not available"):
        m.to("cuda")
    with pytest.raises(ValueError, match="not available"):
        m.to(device="cuda:1")
    with pytest.raises(TypeError, match="floating point"):
        m.to(np.int64)
    with pytest.raises(TypeError, match="unexpected keyword"):
        m.to(np.float32, colour="red")
