"""Second derivatives (create_graph=True) against finite differences of first derivatives."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor
from autobp._numeric import numerical_gradients
from autobp.testing import arrays


def first_grads(fn, arrays_, w, create_graph):
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays_]
    y = (fn(*xs) * w).sum()
    return xs, autobp.grad(y, xs, create_graph=create_graph, allow_unused=True)


def check_second(fn, *arrays_, seed=0, rtol=1e-4, atol=1e-5):
    """d/dx [ v . grad f(x) ] by create_graph, compared with central differences of grad f."""
    rng = np.random.default_rng(seed)
    out = fn(*(Tensor(a) for a in arrays_))
    w = rng.standard_normal(out.shape)
    vs = [rng.standard_normal(np.shape(a)) for a in arrays_]
    xs, gs = first_grads(fn, arrays_, w, create_graph=True)
    total = sum((g * v).sum() for g, v in zip(gs, vs) if g is not None and g.requires_grad)
    if not isinstance(total, Tensor):
        analytic = [np.zeros(np.shape(a)) for a in arrays_]
    else:
        analytic = [
            np.zeros(x.shape) if h is None else h.data
            for x, h in zip(xs, autobp.grad(total, xs, allow_unused=True))
        ]

    def directional(*vals):
        _, g1 = first_grads(fn, vals, w, create_graph=False)
        return sum(float(np.sum(g.data * v)) for g, v in zip(g1, vs) if g is not None)

    numeric = numerical_gradients(directional, arrays_, eps=1e-5)
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        np.testing.assert_allclose(a, n, rtol=rtol, atol=atol, err_msg=f"input {i}")


rng = np.random.default_rng(7)
X34 = rng.standard_normal((3, 4))
W42 = rng.standard_normal((4, 2))
POS = rng.uniform(0.5, 2.0, (3, 4))

COMPOSITIONS = {
    "tanh_cubed": (lambda x: x.tanh() ** 3, [X34]),
    "sigmoid_matmul_sum": (lambda x, w: (x @ w).sigmoid().sum(), [X34, W42]),
    "log_softmax_index": (lambda x: x.log_softmax(axis=1)[np.arange(3), np.array([0, 2, 3])], [X34]),
    "softmax": (lambda x: x.softmax(axis=0) * x, [X34]),
    "logsumexp": (lambda x: x.logsumexp(axis=1) ** 2, [X34]),
    "exp_log_sqrt": (lambda x: (x.log() + x.exp()).sqrt() * x.log(), [POS]),
    "div_pow": (lambda x, y: x / y + x**y, [POS, POS.T.copy().T[::-1]]),
    "pow_scalar": (lambda x: x**3.5 + x**-1, [POS]),
    "broadcast_mean": (lambda x, w: (x[:, :2] * w.sum(0)).mean(axis=0) ** 2, [X34, W42]),
    "max_min": (lambda x: x.max(axis=1) * x.min() + x.sum(), [X34]),
    "concat_stack": (
        lambda x: autobp.stack([x, x * x]).sum(0) * autobp.concatenate([x, x], 1)[:, 1:5],
        [X34],
    ),
    "where_maximum": (lambda x: autobp.where(X34 > 0, x * x, x**3) + autobp.maximum(x, 0.1) * x, [X34]),
    "relu_abs_clip": (lambda x: x.relu() * x + x.abs() * x + x.clip(-0.5, 0.5) * x, [X34]),
    "reshape_transpose": (lambda x: x.reshape(2, 6).T.reshape(3, 4) * x, [X34]),
    "batched_matmul": (
        lambda a, b: (a @ b).tanh(),
        [rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 2))],
    ),
    "vector_matmul": (lambda a, b: (a @ b) ** 2, [rng.standard_normal(4), rng.standard_normal((2, 4, 3))]),
}


@pytest.mark.parametrize("name", sorted(COMPOSITIONS))
def test_second_derivatives_match_finite_differences(name):
    fn, args = COMPOSITIONS[name]
    check_second(fn, *args)


@given(arrays(lo=-2, hi=2), st.sampled_from(["tanh", "sigmoid", "exp", "neg"]))
def test_second_derivative_of_unary_ops(a, op):
    check_second(lambda x: getattr(x, op)() if op != "neg" else -x * x, a)


def test_hessian_vector_product_of_a_quadratic_is_exact():
    A = rng.standard_normal((4, 4))
    A = A + A.T
    v = rng.standard_normal(4)
    x = Tensor(rng.standard_normal(4), requires_grad=True)
    f = 0.5 * (x @ (Tensor(A) @ x))
    (g,) = autobp.grad(f, x, create_graph=True)
    np.testing.assert_allclose(g.data, A @ x.data)
    (hv,) = autobp.grad((g * v).sum(), x)
    np.testing.assert_allclose(hv.data, A @ v)


def test_third_derivative():
    x = Tensor(0.7, requires_grad=True)
    y = x.tanh()
    (d1,) = autobp.grad(y, x, create_graph=True)
    (d2,) = autobp.grad(d1, x, create_graph=True)
    (d3,) = autobp.grad(d2, x)
    t = np.tanh(0.7)
    np.testing.assert_allclose(d3.item(), -2 * (1 - t**2) * (1 - 3 * t**2), rtol=1e-10)


def _pair(values):
    torch = pytest.importorskip("torch")
    return Tensor(values, requires_grad=True), torch.tensor(values, dtype=torch.float64, requires_grad=True)


def test_backward_with_create_graph_leaves_grad_a_tensor_with_its_graph_like_torch():
    x, tx = _pair([1.0, 2.0])
    (x**3).sum().backward(create_graph=True)
    (tx**3).sum().backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and x.grad.requires_grad and tx.grad.requires_grad
    np.testing.assert_allclose(x.grad.data, tx.grad.detach().numpy())
    (d2,) = autobp.grad(x.grad.sum(), x, retain_graph=True)  # differentiate x.grad again: 6 x
    np.testing.assert_allclose(d2.data, [6.0, 12.0])
    x.grad.sum().backward()  # a plain pass adds into it, as torch's does: 3x^2 + 6x
    tx.grad.sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.detach().numpy())
    np.testing.assert_allclose(x.grad.data, [9.0, 24.0])


def test_create_graph_grad_accumulates_with_plain_grads_like_torch():
    x, tx = _pair([1.0, 2.0])
    for a in (x, tx):
        (a**2).sum().backward()  # an ndarray .grad first (torch: no graph)
        (a**3).sum().backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and x.grad.requires_grad == tx.grad.requires_grad
    np.testing.assert_allclose(x.grad.data, tx.grad.detach().numpy())  # 2x + 3x^2
    (d,) = autobp.grad(x.grad.sum(), x)
    (td,) = pytest.importorskip("torch").autograd.grad(tx.grad.sum(), tx)
    np.testing.assert_allclose(d.data, td.numpy())  # only the recorded part has a derivative


def test_create_graph_grad_of_a_linear_function_is_a_constant_tensor():
    x, tx = _pair([1.0, 2.0])
    w = np.array([3.0, 4.0])
    (x * w).sum().backward(create_graph=True)
    (tx * pytest.importorskip("torch").tensor(w)).sum().backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and not x.grad.requires_grad and not tx.grad.requires_grad
    np.testing.assert_array_equal(x.grad.data, w)


def test_gradient_penalty_through_grad_matches_torch():
    """The WGAN-GP pattern: backward(create_graph=True), then a loss of the parameters' .grad."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    w0, x0 = rng.standard_normal((3, 2)), rng.standard_normal(3)
    w, tw = _pair(w0)
    xs, txs = Tensor(x0), torch.tensor(x0)
    autobp.tanh(xs @ w).sum().backward(create_graph=True)
    torch.tanh(txs @ tw).sum().backward(create_graph=True)
    (gp,) = autobp.grad((w.grad**2).sum(), w)
    (tgp,) = torch.autograd.grad((tw.grad**2).sum(), tw)
    np.testing.assert_allclose(gp.data, tgp.numpy(), rtol=1e-12)


def test_an_optimizer_steps_with_a_tensor_grad():
    w = Tensor([1.0, 2.0], requires_grad=True)
    opt = autobp.optim.SGD([w], lr=0.1)
    (w**3).sum().backward(create_graph=True)
    opt.step()
    np.testing.assert_allclose(w.data, [1.0 - 0.3, 2.0 - 1.2])


def test_plain_backward_keeps_grad_an_ndarray():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x**3).sum().backward()
    assert isinstance(x.grad, np.ndarray) and not isinstance(x.grad, Tensor)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_second_derivatives(reduction):
    # its last step is the fused nll node, whose rule must record under create_graph
    x = Tensor(np.random.default_rng(3).standard_normal((4, 3)), requires_grad=True)
    t = np.array([0, 2, 2, 1])
    assert autobp.gradgradcheck(lambda x: autobp.nn.functional.cross_entropy(x, t, reduction), (x,))


@pytest.mark.parametrize("lead", [(), (3,), (2, 3)])
def test_linear_second_derivatives(lead):
    # nn.Linear's fused node: its rule must record under create_graph, for any leading shape
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((*lead, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 4)), requires_grad=True)
    b = Tensor(rng.standard_normal(2), requires_grad=True)
    assert autobp.gradgradcheck(lambda x, w, b: autobp.ops.linear(x, w, b).tanh(), (x, w, b))
