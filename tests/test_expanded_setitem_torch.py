"""``t[index] = v`` into an expanded (broadcast) view, outside a graph, as PyTorch's: written into the
base when the part written has no two elements at one memory location (``t.expand(5, 5)[2, 2] = 0``),
refused with PyTorch's error when it has (``[2]``, ``[:, :2]``). torch is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

INDICES = {
    "one element": ((2, 2), 0.0),
    "a column": ((slice(None), 0), 4.0),
    "a column of values": ((slice(None), 0), "arange"),
    "a row": (2, 3.0),
    "two columns": ((slice(None), slice(0, 2)), 7.0),
    "one element via ellipsis": ((Ellipsis, 1, 3), -1.0),
}


@pytest.mark.parametrize("name", list(INDICES))
def test_setitem_into_an_expanded_view_as_torch(name):
    index, value = INDICES[name]
    outcomes = []
    for lib in (torch, ab):
        base = lib.tensor(np.arange(5.0).reshape(5, 1))
        v = base.expand(5, 5)
        val = lib.tensor(np.arange(5.0) * 10) if value == "arange" else value
        try:
            v[index] = val
            outcomes.append(("ok", base.numpy().copy(), v.numpy().copy()))
        except RuntimeError as e:
            assert "more than one element of the written-to tensor" in str(e)
            outcomes.append(("refused", base.numpy().copy(), None))
    assert outcomes[1][0] == outcomes[0][0]
    np.testing.assert_array_equal(outcomes[1][1], outcomes[0][1])
    if outcomes[0][2] is not None:
        np.testing.assert_array_equal(outcomes[1][2], outcomes[0][2])


@pytest.mark.parametrize(
    "have, want", [((2,), (1, 1)), ((3, 2), (4, 1, 1)), ((3, 1), (3, 2, 2)), ((3,), (2,))]
)
def test_broadcast_to_refuses_in_torch_s_words(have, want):
    with pytest.raises(RuntimeError) as t:
        torch.broadcast_to(torch.ones(have), want)
    with pytest.raises(RuntimeError) as a:
        ab.broadcast_to(ab.ones(have), want)
    assert str(t.value).split(".")[0] in str(a.value)
    assert isinstance(a.value, ValueError)  # numpy's error type too


@pytest.mark.parametrize("index", [(2, 2), (slice(None), 0), (Ellipsis, 1, 3)])
def test_a_recorded_write_into_an_expanded_view_as_torch(index):
    out = []
    for lib in (torch, ab):
        w = lib.tensor(np.arange(5.0).reshape(5, 1), requires_grad=True)
        s = lib.tensor(7.0, requires_grad=True)
        x = w * 1
        v = x.expand(5, 5)
        v[index] = s * 2
        (x * lib.tensor(np.arange(5.0).reshape(5, 1) + 1) ** 2).sum().backward()
        out.append((x.detach().numpy().copy(), v.detach().numpy().copy(), np.asarray(w.grad), float(s.grad)))
    for g, t in zip(out[1], out[0]):
        np.testing.assert_array_equal(g, t)
    w = ab.tensor(np.ones((5, 1)), requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="more than one element"):
        w.expand(5, 5)[2] = ab.tensor(3.0, requires_grad=True)
