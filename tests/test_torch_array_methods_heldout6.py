"""PyTorch's Tensor methods on the arrays a custom Function's forward/backward get (sixth session):
PyTorch's documentation examples run unchanged, and each method matches torch's."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _linear_function(lib):
    class LinearFunction(lib.autograd.Function):  # PyTorch's "Extending torch.autograd" example
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    return LinearFunction


def test_pytorch_linear_function_example():
    r = np.random.default_rng(0)
    vals = [r.standard_normal((4, 3)), r.standard_normal((2, 3)), r.standard_normal(2)]
    res = []
    for lib in (autobp, torch):
        xs = [lib.tensor(v, requires_grad=True) for v in vals]
        y = _linear_function(lib).apply(*xs)
        (y * y).sum().backward()
        res.append([y.detach().numpy()] + [np.asarray(x.grad) for x in xs])
    for a, t in zip(*res):
        np.testing.assert_allclose(a, t, rtol=1e-12)
    xs = [autobp.tensor(v, requires_grad=True) for v in vals]
    assert autobp.gradcheck(_linear_function(autobp).apply, tuple(xs))


R = np.random.default_rng(1)
A, B, V = R.standard_normal((3, 4)), R.standard_normal((4, 2)), R.standard_normal(4)
CASES = {
    "mm": lambda t, lib: t(A).mm(t(B)),
    "matmul": lambda t, lib: t(A).matmul(t(V)),
    "bmm": lambda t, lib: t(A[None]).bmm(t(B[None])),
    "mv": lambda t, lib: t(A).mv(t(V)),
    "outer": lambda t, lib: t(V).outer(t(V[:3])),
    "eq": lambda t, lib: t(A).eq(t(A).clamp(min=0)),
    "gt": lambda t, lib: t(A).gt(0.1),
    "le": lambda t, lib: t(A).le(t(A[:1])),
    "masked_fill": lambda t, lib: t(A).masked_fill(t(A).lt(0), -1.5),
    "index_select": lambda t, lib: t(A).index_select(1, lib.tensor([3, 0, 0])),
    "gather": lambda t, lib: t(A).gather(1, lib.tensor([[0, 1], [2, 2], [3, 0]])),
    "softmax": lambda t, lib: t(A * 300).softmax(1),
    "log_softmax": lambda t, lib: t(A * 300).log_softmax(0),
    "triu": lambda t, lib: t(A).triu(1),
    "tril": lambda t, lib: t(A).tril(-1),
    "split": lambda t, lib: t(A).split(3, 1)[1],
    "split_sizes": lambda t, lib: t(A).split([1, 2], 0)[1],
    "chunk": lambda t, lib: t(V[:3]).chunk(2)[1],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_method_matches_torch(name):
    got = CASES[name](lambda v: autobp.tensor(v).data, autobp)
    want = CASES[name](lambda v: torch.tensor(v), torch)
    assert isinstance(got, np.ndarray) and got.shape == tuple(want.shape)
    np.testing.assert_allclose(np.asarray(got, dtype=float), want.double().numpy(), rtol=1e-12)


def test_split_of_a_forward_input_counts_writes_and_bad_sizes_are_refused():
    x = autobp.tensor(np.arange(4.0))
    d = x.data
    with pytest.raises(RuntimeError):
        d.split([1, 2])
    with pytest.raises(RuntimeError):
        d.mm(d)
