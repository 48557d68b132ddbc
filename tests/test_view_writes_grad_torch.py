"""Recorded writes through views that rearrange their base (``.T``, ``transpose``/``permute``,
``view``/``reshape``, ``diagonal``) as PyTorch's: the base takes the written value, other views of it
see it, and the base's gradient flows to the written value; ``diagonal`` follows its base's writes
as other views do. ``_is_view()``/``_base`` as PyTorch's. torch is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

W0 = np.arange(6.0).reshape(2, 3)
S0 = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

# (view of x (2, 3), write through it of a value made from s (6,)); each the same for both libraries
CASES = {
    "T mul_": (lambda x: x.T, lambda v, s: v.mul_(s.reshape(3, 2))),
    "T copy_": (lambda x: x.T, lambda v, s: v.copy_(s.reshape(3, 2) * 2)),
    "T +=": (lambda x: x.T, lambda v, s: v.__iadd__(s.reshape(3, 2))),
    "T setitem": (lambda x: x.T, lambda v, s: v.__setitem__(0, s[:2])),
    "swapaxes": (lambda x: x.swapaxes(0, 1), lambda v, s: v.mul_(s.reshape(3, 2))),
    "view add_": (lambda x: x.view(6), lambda v, s: v.add_(s)),
    "reshape mul_": (lambda x: x.reshape(3, 2), lambda v, s: v.mul_(s.reshape(3, 2))),
    "permute": (lambda x: x.unsqueeze(0).permute(2, 0, 1), lambda v, s: v.mul_(s.reshape(3, 1, 2))),
    "T of a slice": (lambda x: x[:, 1:].T, lambda v, s: v.mul_(s[:4].reshape(2, 2))),
    "slice of T": (lambda x: x.T[1:], lambda v, s: v.mul_(s[:4].reshape(2, 2))),
    "diagonal mul_": (lambda x: x.diagonal(), lambda v, s: v.mul_(s[:2])),
    "diagonal offset copy_": (lambda x: x.diagonal(1), lambda v, s: v.copy_(s[:2])),
    "diagonal setitem": (lambda x: x.diagonal(), lambda v, s: v.__setitem__(1, s[0] * 3)),
}


def _run(lib, view, write):
    w = lib.tensor(W0.copy(), requires_grad=True)
    s = lib.tensor(S0.copy(), requires_grad=True)
    x = w * 1
    v = view(x)
    write(v, s)
    loss = (x * lib.tensor(W0**2)).sum() + (v * v).sum()
    loss.backward()
    return x.detach().numpy(), v.detach().numpy(), w.grad, s.grad


@pytest.mark.parametrize("name", list(CASES))
def test_a_recorded_write_through_a_view_reaches_the_base_with_its_gradient(name):
    got = _run(ab, *CASES[name])
    want = _run(torch, *CASES[name])
    for g, t in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), t.numpy() if hasattr(t, "numpy") else t, rtol=1e-12)


def test_other_views_of_the_base_see_a_write_through_a_transpose():
    out = []
    for lib in (ab, torch):
        w = lib.tensor(W0.copy(), requires_grad=True)
        x = w * 1
        b, c = x.view(6), x.diagonal()
        x.T.mul_(lib.tensor(3.0, requires_grad=True))
        out.append((b.detach().numpy().copy(), c.detach().numpy().copy()))
    for g, t in zip(*out):
        np.testing.assert_array_equal(g, t)


def test_a_write_through_a_view_of_a_leaf_refuses_as_torch():
    for lib in (ab, torch):
        w = lib.ones(2, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match="view of a leaf Variable that requires grad"):
            w.T.mul_(2.0)


@pytest.mark.parametrize("offset, dims", [(0, (0, 1)), (1, (1, 2)), (-1, (2, 0))])
def test_diagonal_follows_a_recorded_write_into_its_base(offset, dims):
    out = []
    for lib in (ab, torch):
        w = lib.tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
        x = w * 1
        d = x.diagonal(offset, *dims)
        x.mul_(lib.tensor(np.linspace(1.0, 2.0, 4)))  # recorded: x becomes a new node
        x[0] = x[0] * 5.0
        (d * d).sum().backward()
        out.append((d.detach().numpy().copy(), w.grad))
    np.testing.assert_allclose(out[0][0], out[1][0])
    np.testing.assert_allclose(np.asarray(out[0][1]), out[1][1].numpy())


def test_is_view_and_base_as_torch():
    x, tx = ab.ones((3, 4)), torch.ones(3, 4)
    makers = {
        "slice": lambda t: t[1:],
        "slice of slice": lambda t: t[1:][:, 2:],
        "T": lambda t: t.T,
        "view": lambda t: t.view(12),
        "diagonal": lambda t: t.diagonal(),
        "detach": lambda t: t.detach(),
        "copy by reshape": lambda t: t.T.reshape(12),
        "itself": lambda t: t,
    }
    for name, make in makers.items():
        v, tv = make(x), make(tx)
        assert v._is_view() == tv._is_view(), name
        assert (v._base is x) == (tv._base is tx), name
        assert (v._base is None) == (tv._base is None), name


READERS = {
    "slice": lambda x: x[0],
    "T": lambda x: x.T,
    "view": lambda x: x.view(9),
    "diagonal": lambda x: x.diagonal(),
}


@pytest.mark.parametrize("name", list(READERS))
def test_a_view_read_by_the_written_value_still_follows_its_base(name):
    out = []
    for lib in (ab, torch):
        w = lib.tensor(np.arange(1.0, 10.0).reshape(3, 3), requires_grad=True)
        x = w * 1
        v = READERS[name](x)
        x[2, 1] = v.sum()  # the value read v: it keeps v's old numbers, v shows the new ones
        x[0, 0] = 100.0
        (x.sum() + (v * v).sum()).backward()
        out.append((v.detach().numpy().copy(), x.detach().numpy().copy(), np.asarray(w.grad)))
    for g, t in zip(*out):
        np.testing.assert_allclose(g, t, rtol=1e-12)
