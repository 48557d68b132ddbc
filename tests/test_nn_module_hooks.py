"""Module forward hooks and the small Module helpers (get_parameter, get_buffer, register_module,
half, cpu) against PyTorch's behaviour: call order, replaced arguments and outputs, removal."""

import numpy as np
import pytest

from autobp import Tensor, nn

torch = pytest.importorskip("torch")


def _run(lib, tensor):
    """The same hook program on an autobp or a torch Linear; returns the outputs and the call log."""
    layer = lib.Linear(2, 2)
    with torch.no_grad():
        w = np.array([[1.0, 2.0], [3.0, -1.0]])
        if lib is nn:
            layer.load_state_dict({"weight": w, "bias": np.array([0.5, -0.5])})
        else:
            layer.double().load_state_dict({"weight": torch.tensor(w), "bias": torch.tensor([0.5, -0.5])})
    log = []
    h1 = layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
    h2 = layer.register_forward_hook(lambda m, args, out: log.append("post") or out + 1)
    layer.register_forward_hook(lambda m, args, out: log.append("first"), prepend=True)
    h3 = layer.register_forward_pre_hook(
        lambda m, args, kwargs: log.append(sorted(kwargs)) or (args, kwargs), with_kwargs=True
    )
    x = tensor(np.array([[1.0, -2.0]]))
    outs = [layer(x)]
    h1.remove()
    h2.remove()
    outs.append(layer(x))
    h3.remove()
    with layer.register_forward_hook(lambda m, args, kwargs, out: out * 10, with_kwargs=True):
        outs.append(layer(x))
    outs.append(layer(x))
    return [np.asarray(o.detach().numpy() if lib is not nn else o.data) for o in outs], log


def test_forward_hooks_behave_like_torchs():
    ours, ours_log = _run(nn, Tensor)
    theirs, theirs_log = _run(torch.nn, torch.tensor)
    assert ours_log == theirs_log == [[], "first", "post", [], "first", "first", "first"]
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12)


def test_hooks_see_the_graph_and_module_helpers():
    layer = nn.Linear(2, 1, rng=0)
    seen = []
    layer.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    x = Tensor(np.ones((3, 2)), requires_grad=True)
    layer(x).sum().backward()
    assert seen == [(3, 1)] and x.grad.shape == (3, 2)  # the hook does not cut the graph
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    assert net.get_parameter("0.weight") is net[0].weight
    assert net.get_buffer("1.running_var") is net[1].running_var
    with pytest.raises(AttributeError, match="no parameter"):
        net.get_parameter("0.missing")
    net.register_module("extra", nn.Identity())
    assert "extra" in dict(net.named_children())
    assert net.cpu() is net and net.half()[0].weight.dtype == np.float16
