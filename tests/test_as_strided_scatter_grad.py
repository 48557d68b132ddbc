"""as_strided_scatter's gradients are the derivative of its result (central differences), where
torch 2.13's formula is not (torch's own gradcheck fails); values, and a non-overlapping src's gradient,
are torch's. docs/concepts/names.md says so."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

rng = np.random.default_rng(11)
X, W = rng.standard_normal(9), rng.standard_normal(9)


def _run(lib, S, size, stride, offset):
    x, s = lib.tensor(X, requires_grad=True), lib.tensor(S, requires_grad=True)
    out = lib.as_strided_scatter(x, s, size, stride, offset)
    (out * lib.tensor(W)).sum().backward()
    return out, x.grad, s.grad


def _np(a):
    return a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)


@pytest.mark.parametrize("overlap", [False, True])
def test_values_as_torch_gradients_the_derivative(overlap):
    size, stride, offset = ((2, 2), (1, 1), 0) if overlap else ((2, 2), (3, 1), 1)
    S = rng.standard_normal(size)
    out, gx, gs = _run(autobp, S, size, stride, offset)
    tout, tgx, tgs = _run(torch, S, size, stride, offset)
    np.testing.assert_array_equal(_np(out), _np(tout))  # overlapping: the last value written, as torch's
    written = np.unique(offset + np.add.outer(np.arange(2) * stride[0], np.arange(2) * stride[1]))
    kept = np.ones(9)
    kept[written] = 0
    np.testing.assert_array_equal(gx, W * kept)  # torch's: W at the written positions, 0 elsewhere
    np.testing.assert_array_equal(_np(tgx), W * (1 - kept))
    if not overlap:
        np.testing.assert_array_equal(gs, _np(tgs))
    else:  # S[0, 1] and S[1, 0] both go to position 1; S[1, 0] is kept and alone gets W[1]
        np.testing.assert_array_equal(gs, [[W[0], 0.0], [W[1], W[2]]])
        np.testing.assert_array_equal(_np(tgs), [[W[0], W[1]], [W[1], W[2]]])
    x = autobp.tensor(X, requires_grad=True)
    s = autobp.tensor(S, requires_grad=True)
    assert autobp.gradcheck(lambda a, b: autobp.as_strided_scatter(a, b, size, stride, offset) ** 2, (x, s))
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):  # torch: not the derivative
        torch.autograd.gradcheck(
            lambda a, b: torch.as_strided_scatter(a, b, size, stride, offset),
            (torch.tensor(X, requires_grad=True), torch.tensor(S, requires_grad=True)),
        )
