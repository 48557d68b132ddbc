"""F.linear_cross_entropy and nn.LinearCrossEntropyLoss against PyTorch's: values and the gradients of
input, weight and bias, with class weights, ignore_index, label smoothing and every reduction."""

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")
if not hasattr(torch.nn.functional, "linear_cross_entropy"):
    pytest.skip("this torch has no linear_cross_entropy", allow_module_level=True)

RNG = np.random.default_rng(0)
X, W, B = RNG.normal(size=(6, 4)), RNG.normal(size=(3, 4)), RNG.normal(size=3)
T = np.array([0, 2, 1, 2, 0, 1])
CW = np.array([0.5, 2.0, 1.0])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"weight": CW}, {"ignore_index": 2}, {"label_smoothing": 0.2}, {"weight": CW, "ignore_index": 1}],
    ids=["plain", "weight", "ignore", "smoothing", "weight+ignore"],
)
@pytest.mark.parametrize("bias", [False, True])
def test_function_matches_torch(reduction, kwargs, bias):
    x, w = autobp.tensor(X, requires_grad=True), autobp.tensor(W, requires_grad=True)
    b = autobp.tensor(B, requires_grad=True) if bias else None
    ours_kw = {k: (autobp.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
    t = autobp.tensor(T)
    loss = nn.functional.linear_cross_entropy(x, w, t, linear_bias=b, reduction=reduction, **ours_kw)
    loss.sum().backward()

    tx, tw = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
    tb = torch.tensor(B, requires_grad=True) if bias else None
    theirs_kw = {k: (torch.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
    tloss = torch.nn.functional.linear_cross_entropy(
        tx, tw, torch.tensor(T), linear_bias=tb, reduction=reduction, **theirs_kw
    )
    tloss.sum().backward()

    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-10, atol=1e-14)
    if bias:
        np.testing.assert_allclose(b.grad, tb.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_one_sample_and_the_module():
    x = autobp.tensor(X[0], requires_grad=True)
    got = nn.functional.linear_cross_entropy(x, autobp.tensor(W), autobp.tensor(T[0]))
    want = torch.nn.functional.linear_cross_entropy(torch.tensor(X[0]), torch.tensor(W), torch.tensor(T[0]))
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12)

    m = nn.LinearCrossEntropyLoss(4, 3, bias=True, label_smoothing=0.1)
    tm = torch.nn.LinearCrossEntropyLoss(4, 3, bias=True, label_smoothing=0.1, dtype=torch.float64)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in tm.named_parameters()
    ]
    with torch.no_grad():
        tm.linear.weight.copy_(torch.tensor(m.linear.weight.data))
        tm.linear.bias.copy_(torch.tensor(m.linear.bias.data))
    np.testing.assert_allclose(
        m(autobp.tensor(X), autobp.tensor(T)).data, tm(torch.tensor(X), torch.tensor(T)).detach().numpy()
    )
    bound = 1 / np.sqrt(4)  # nn.Linear's initialisation
    assert np.all(np.abs(m.linear.weight.data) <= bound)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"1 or 2 dimensions.*\(2, 6, 4\)"):
        nn.functional.linear_cross_entropy(autobp.zeros((2, 6, 4)), autobp.tensor(W), autobp.zeros((2, 6)))
