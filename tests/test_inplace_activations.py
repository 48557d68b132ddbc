"""nn.functional's ``inplace=True`` and its ``relu_``-style functions write into the input as PyTorch's
do (values, gradients through the recorded write, the leaf error), and ``autobp.autograd`` carries
torch.autograd's names, ``backward`` of several outputs in one pass among them."""

import numpy as np
import pytest

import autobp
import autobp.autograd as ag
import autobp.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
A = np.array([[-1.5, -0.2, 0.0], [0.3, 1.0, 2.5]])

CASES = [
    ("relu", lambda f, x: f.relu(x, inplace=True)),
    ("relu_", lambda f, x: f.relu_(x)),
    ("elu positional", lambda f, x: f.elu(x, 0.7, True)),
    ("elu_", lambda f, x: f.elu_(x, 0.7)),
    ("celu_", lambda f, x: f.celu_(x, 1.3)),
    ("selu_", lambda f, x: f.selu_(x)),
    ("leaky_relu_", lambda f, x: f.leaky_relu_(x, 0.2)),
    ("hardtanh_", lambda f, x: f.hardtanh_(x, -0.5, 0.5)),
    ("threshold_", lambda f, x: f.threshold_(x, 0.1, -3.0)),
    ("silu", lambda f, x: f.silu(x, inplace=True)),
    ("hardswish", lambda f, x: f.hardswish(x, inplace=True)),
    ("rrelu eval", lambda f, x: f.rrelu(x, 0.1, 0.3, False, True)),
    ("dropout eval", lambda f, x: f.dropout(x, 0.5, False, True)),
]


@pytest.mark.parametrize("name, call", CASES, ids=[c[0] for c in CASES])
def test_inplace_writes_into_the_input_like_torch(name, call):
    x, tx = autobp.tensor(A.copy(), requires_grad=True), torch.tensor(A.copy(), requires_grad=True)
    y, ty = x * 2.0, tx * 2.0
    out, tout = call(F, y), call(TF, ty)
    assert out is y and tout is ty
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    w = np.arange(6.0).reshape(2, 3)
    (y * w).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    # torch's in-place celu_ backward (from its output) rounds a constant to float32: 4e-8 apart
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-7 if name == "celu_" else 1e-12)


def test_inplace_on_a_leaf_that_requires_grad_raises_and_plain_tensors_change():
    with pytest.raises(RuntimeError, match="leaf"):
        F.relu(autobp.tensor(A, requires_grad=True), inplace=True)
    c = autobp.tensor(A.copy())
    F.leaky_relu_(c, 0.5)
    np.testing.assert_array_equal(c.data, np.where(A > 0, A, 0.5 * A))
    kept = autobp.tensor(A.copy())
    new = F.relu(kept)  # without inplace the input is untouched
    assert new is not kept and np.array_equal(kept.data, A)


def test_autograd_backward_of_several_outputs_matches_torch():
    x, tx = autobp.tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    shared, tshared = autobp.tanh(x), torch.tanh(tx)
    a, b = (shared * 3).sum(), shared**2
    ta, tb = (tshared * 3).sum(), tshared**2
    g = np.linspace(-1, 1, 6).reshape(2, 3)
    ag.backward([a, b], [None, g])
    torch.autograd.backward([ta, tb], [None, torch.tensor(g)])
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)
    y = autobp.tensor(A, requires_grad=True)
    z = autobp.tensor(A, requires_grad=True)
    ag.backward([(y * z).sum(), (y + z).sum()], inputs=[z])
    assert y.grad is None
    np.testing.assert_allclose(z.grad, A + 1)
    with pytest.raises(ValueError, match="grad_tensors"):
        ag.backward([a, b], [None])


def test_autograd_namespace_has_torch_names():
    for name in ("Function", "gradcheck", "gradgradcheck", "no_grad", "enable_grad", "set_grad_enabled",
                 "inference_mode", "detect_anomaly", "functional", "grad", "backward"):  # fmt: skip
        assert hasattr(ag, name), name
    assert ag.Function is autobp.Function and ag.no_grad is autobp.no_grad


IDLE = [
    ("dropout eval", lambda f, x: f.dropout(x, 0.5, False, True)),
    ("dropout p=0", lambda f, x: f.dropout(x, 0.0, True, True)),
    ("alpha_dropout eval", lambda f, x: f.alpha_dropout(x, 0.5, False, True)),
    ("feature_alpha_dropout eval", lambda f, x: f.feature_alpha_dropout(x, 0.5, False, True)),
    ("dropout1d eval", lambda f, x: f.dropout1d(x, 0.5, False, True)),
]


@pytest.mark.parametrize("name, call", IDLE, ids=[c[0] for c in IDLE])
def test_an_idle_inplace_dropout_returns_even_a_leaf_untouched_like_torch(name, call):
    a = A[None]  # (N, C, L): dropout1d's batched form
    x, tx = autobp.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)
    version = x._version
    assert call(F, x) is x and call(TF, tx) is tx
    assert x._version == version and tx._version == 0
    np.testing.assert_array_equal(x.data, a)
