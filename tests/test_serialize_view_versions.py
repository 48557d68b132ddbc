"""Loaded views of one buffer share its memory, as PyTorch's tensors of one storage do, and also its
version counter: an in-place write through one makes graphs that saved another refuse to backward.
(torch.load's tensors share the storage but not the counter, so PyTorch returns the gradient of the
overwritten values there; autobp refuses, as PyTorch does for views made by view ops.)"""

import io

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _round_trip(save, load, obj):
    buf = io.BytesIO()
    save(obj, buf)
    buf.seek(0)
    return load(buf)


def _autobp(obj):
    return _round_trip(autobp.save, autobp.load, obj)


def _torch(obj):
    return _round_trip(torch.save, torch.load, obj)


@pytest.mark.parametrize("write_through", ["base", "view"])
def test_write_after_load_is_caught(write_through):
    data = np.arange(6.0).reshape(2, 3)
    base = autobp.tensor(data)
    loaded = _autobp({"a": base, "v": base[0]})
    a, v = loaded["a"], loaded["v"]
    assert np.shares_memory(a.detach().numpy(), v.detach().numpy())
    w = autobp.tensor([1.0, 2.0, 3.0], requires_grad=True)
    if write_through == "base":  # the graph saved the view; the base is written
        y = (w * v).sum()
        a[0, 0] = 100.0
    else:  # the graph saved (a row of) the base; the view is written
        y = (w * a[0]).sum()
        v.add_(1.0)
    # the gradient would be the overwritten row (it was: 100 at w[0]); the forward read data[0]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()
    # the same program on views made by indexing (no save/load) refuses alike, in PyTorch too
    tb = torch.tensor(data)
    tv, tw = tb[0], torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ty = (tw * tv).sum()
    tb[0, 0] = 100.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        ty.backward()


def test_loaded_parameter_views_share_memory_as_pytorch():
    def run(lib, round_trip, opt_cls):
        p = lib.nn.Parameter(lib.tensor(np.arange(6.0).reshape(2, 3)))
        loaded = round_trip({"p": p, "row": p.detach()[0]})
        P, row = loaded["p"], loaded["row"]
        opt = opt_cls([P], lr=0.1)
        (P**2).sum().backward()
        opt.step()
        return type(P).__name__, P.requires_grad, np.asarray(row.detach().numpy()).copy()

    got = run(autobp, _autobp, autobp.optim.SGD)
    want = run(torch, _torch, torch.optim.SGD)
    assert got[:2] == want[:2] == ("Parameter", True)
    np.testing.assert_allclose(got[2], want[2])  # the step shows through the loaded row
    np.testing.assert_allclose(got[2], [0.0, 0.8, 1.6])


def test_recorded_write_into_a_loaded_view_is_refused_not_lost():
    """PyTorch records ``v.copy_(w * 2)`` into a view and its base sees the values; autobp cannot
    record a write through a loaded view (it is no view op's result), so it refuses clearly rather
    than leave the base silently unchanged (what it did before)."""
    base = autobp.tensor(np.arange(6.0).reshape(2, 3))
    loaded = _autobp({"a": base, "v": base[0]})
    w = autobp.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="made by load"):
        loaded["v"].copy_(w * 2)
    np.testing.assert_array_equal(loaded["a"].detach().numpy(), np.arange(6.0).reshape(2, 3))
