"""PyTorch as an extra oracle: the same random programs run in autobp and torch (float64).

Skipped when torch is absent, except under CI, where it must be installed.
"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor

try:
    import torch
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("torch is not installed (optional oracle)", allow_module_level=True)

# (name, arity, autobp fn, torch fn); every op maps (3, 4) tensors to (3, 4) tensors
# except where it reduces and broadcasts back, so programs compose freely.
OPS = [
    ("add", 2, lambda a, b: a + b, lambda a, b: a + b),
    ("sub", 2, lambda a, b: a - b, lambda a, b: a - b),
    ("mul", 2, lambda a, b: a * b, lambda a, b: a * b),
    ("div", 2, lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    ("tanh", 1, lambda a: a.tanh(), torch.tanh),
    ("sigmoid", 1, lambda a: a.sigmoid(), torch.sigmoid),
    ("exp", 1, lambda a: (a * 0.3).exp(), lambda a: (a * 0.3).exp()),
    ("log", 1, lambda a: (a * a + 1).log(), lambda a: (a * a + 1).log()),
    ("sqrt", 1, lambda a: (a * a + 1).sqrt(), lambda a: (a * a + 1).sqrt()),
    ("pow", 2, lambda a, b: (a * a + 1) ** b.tanh(), lambda a, b: (a * a + 1) ** b.tanh()),
    ("matmul", 2, lambda a, b: (a @ b.T) @ a * 0.1, lambda a, b: (a @ b.T) @ a * 0.1),
    ("softmax", 1, lambda a: a.softmax(axis=1), lambda a: torch.softmax(a, 1)),
    ("log_softmax", 1, lambda a: a.log_softmax(axis=0), lambda a: torch.log_softmax(a, 0)),
    ("sum_bcast", 1, lambda a: a * a.sum(axis=0, keepdims=True), lambda a: a * a.sum(dim=0, keepdim=True)),
    ("mean_bcast", 1, lambda a: a - a.mean(axis=1, keepdims=True), lambda a: a - a.mean(1, keepdim=True)),
    (
        "logsumexp",
        1,
        lambda a: a * a.logsumexp(axis=1, keepdims=True),
        lambda a: a * torch.logsumexp(a, 1, keepdim=True),
    ),
    ("max", 1, lambda a: a * a.max(axis=1, keepdims=True), lambda a: a * a.amax(1, keepdim=True)),
    ("index", 1, lambda a: a[np.array([2, 0, 0])], lambda a: a[torch.tensor([2, 0, 0])]),
    ("transpose_reshape", 1, lambda a: a.T.reshape(3, 4), lambda a: a.T.reshape(3, 4)),
    (
        "concat_slice",
        2,
        lambda a, b: autobp.concatenate([a, b], 1)[:, 2:6],
        lambda a, b: torch.cat([a, b], 1)[:, 2:6],
    ),
    (
        "where",
        2,
        lambda a, b: autobp.where(a.data > b.data, a, b * 2),
        lambda a, b: torch.where(a > b, a, b * 2),
    ),
]


@st.composite
def programs(draw):
    steps = []
    for i in range(draw(st.integers(1, 8))):
        k = draw(st.integers(0, len(OPS) - 1))
        steps.append((k, [draw(st.integers(0, 1 + i)) for _ in range(OPS[k][1])]))
    return steps


def run(steps, leaves, lib):
    pool = list(leaves)
    for k, args in steps:
        fn = OPS[k][2] if lib == "autobp" else OPS[k][3]
        pool.append(fn(*(pool[j] for j in args)))
    return pool[-1]


@given(programs(), st.integers(0, 2**31 - 1))
def test_random_programs_agree_with_torch(steps, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    w = rng.standard_normal((3, 4))
    xs = [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)]
    ts = [torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)]
    out = run(steps, xs, "autobp")
    tout = run(steps, ts, "torch")
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    if out.requires_grad:
        (out * w).sum().backward()
    if tout.requires_grad:
        (tout * torch.tensor(w)).sum().backward()
    for x, t in zip(xs, ts):
        expected = np.zeros((3, 4)) if t.grad is None else t.grad.numpy()
        got = np.zeros((3, 4)) if x.grad is None else x.grad
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


def test_second_derivative_agrees_with_torch():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    x = Tensor(a, requires_grad=True)
    t = torch.tensor(a, requires_grad=True)
    (g,) = autobp.grad((x.tanh() ** 3).log_softmax(1).sum(), x, create_graph=True)
    (h,) = autobp.grad((g * g).sum(), x)
    (tg,) = torch.autograd.grad((t.tanh() ** 3).log_softmax(1).sum(), t, create_graph=True)
    (th,) = torch.autograd.grad((tg * tg).sum(), t)
    np.testing.assert_allclose(h.data, th.numpy(), rtol=1e-9, atol=1e-12)
