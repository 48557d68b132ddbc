"""PyTorch's dim-taking functions on a 0-d tensor read it as one element along dim 0 / -1 and give
0-d results; torch is the oracle for values, shapes and gradients."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

CASES = [
    ("topk", lambda m, x: m.topk(x, 1)),
    ("topk-dim0-smallest", lambda m, x: m.topk(x, 1, 0, False)),
    ("kthvalue", lambda m, x: m.kthvalue(x, 1)),
    ("kthvalue-keepdim", lambda m, x: m.kthvalue(x, 1, 0, True)),
    ("mode", lambda m, x: m.mode(x)),
    ("mode-dim0-keepdim", lambda m, x: m.mode(x, 0, True)),
]


@pytest.mark.parametrize("name, fn", CASES, ids=[c[0] for c in CASES])
def test_zero_d_values_indices_and_gradient(name, fn):
    tx = torch.tensor(-1.25, dtype=torch.float64, requires_grad=True)
    tv, ti = fn(torch, tx)
    (tg,) = torch.autograd.grad(tv * 3.0, tx)
    ax = autobp.tensor(-1.25, requires_grad=True)
    av, ai = fn(autobp, ax)
    (ag,) = autobp.autograd.grad(av * 3.0, ax)
    assert av.shape == tuple(tv.shape) == () and ai.shape == tuple(ti.shape) == ()
    assert av.item() == tv.item() and ai.item() == ti.item() and ai.dtype == np.int64
    assert float(np.asarray(ag)) == tg.item()
