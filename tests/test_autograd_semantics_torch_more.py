"""More graph semantics checked against PyTorch (see test_autograd_semantics_torch.py): detach_ of
views, in-place errors, increment_version, is_grads_batched, dict inputs, checkpoint's keywords,
anomaly mode's check_nan."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_detach_in_place_is_refused_on_a_view_in_a_graph(lib):
    x = lib.randn(10, 10, requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        x.narrow(0, 1, 4).detach_()
    a = x * 2
    a.detach_()
    assert not a.requires_grad and a.grad_fn is None


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_saved_value_written_in_place_error_says_pytorchs_words(lib):
    x = lib.randn(5, requires_grad=True)
    y = lib.randn(5, requires_grad=True)
    z = (x * y).sum()
    with lib.no_grad():
        x *= 2
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()
    w = lib.randn([], requires_grad=True)
    s = w**2
    w.detach().zero_()
    with pytest.raises(RuntimeError, match="has been modified by an inplace"):
        s.backward()


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_increment_version_counts_a_write_and_makes_backward_refuse(lib):
    a = lib.rand(5, requires_grad=True)
    v = a._version
    lib.autograd.graph.increment_version(a)
    assert a._version == v + 1
    y = (a * a).sum()
    lib.autograd.graph.increment_version([a])
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_is_grads_batched_matches_torch():
    def run(lib):
        x = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        y = lib.tensor(np.array([1.5, -0.5]), requires_grad=True)
        outs = (x.sin() * y, (x * x).sum())
        gos = (lib.tensor(np.arange(12.0).reshape(3, 2, 2) / 7), lib.tensor(np.array([1.0, -2.0, 0.5])))
        gx, gy = lib.autograd.grad(outs, (x, y), gos, is_grads_batched=True)
        return np.asarray(gx.detach()), np.asarray(gy.detach())

    for a, b in zip(run(autobp), run(torch)):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_is_grads_batched_refuses_a_grad_output_without_batch_axis(lib):
    x = lib.randn(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="If `is_grads_batched=True`, we interpret the first"):
        lib.autograd.grad(x.clone(), (x,), (lib.ones(2, 2),), is_grads_batched=True)
    with pytest.raises(RuntimeError, match="If `is_grads_batched=True`, we interpret the first"):
        lib.autograd.grad(x.sum(), (x,), (lib.ones(2).unsqueeze(1),), is_grads_batched=True)


def test_dict_inputs_give_dict_results_and_fill_grads():
    def run(lib):
        x = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        y = lib.tensor(np.array([[1.5, -0.5], [0.3, 0.7]]), requires_grad=True)
        z = (x * x + y * x + y * y).sum()
        r = lib.autograd.grad(z, {"x": x, "y": y}, create_graph=True)
        r2 = lib.autograd.grad(r["x"].sum(), {0: x})
        z.backward(inputs={"a": y})
        return sorted(r), np.asarray(r["y"].detach()), np.asarray(r2[0]), np.asarray(y.grad), x.grad is None

    a, b = run(autobp), run(torch)
    assert a[0] == b[0] and a[4] == b[4]
    for u, v in zip(a[1:4], b[1:4]):
        np.testing.assert_allclose(u, v, rtol=1e-12)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_dict_inputs_errors(lib):
    from collections import OrderedDict

    x = lib.ones(2, 2, requires_grad=True)
    with pytest.raises(TypeError, match="must be a dict"):
        lib.autograd.grad((x * x).sum(), OrderedDict(x=x))
    with pytest.raises(RuntimeError, match="cannot be empty"):
        lib.autograd.grad((x * x).sum(), {})
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        lib.autograd.grad((x * x).sum(), x, allow_unused=False, materialize_grads=True)


def test_checkpoint_takes_pytorchs_keywords():
    from torch.utils.checkpoint import checkpoint as tcheckpoint

    def run(lib, ckpt):
        w = lib.tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True)
        x = lib.tensor(np.array([[1.0, 2.0]]), requires_grad=True)
        events = []

        class Ctx:
            def __init__(self, name):
                self.name = name

            def __enter__(self):
                events.append(self.name)

            def __exit__(self, *exc):
                return False

        y = ckpt(
            lambda h: (h @ w).tanh() @ w, x, use_reentrant=False, context_fn=lambda: (Ctx("f"), Ctx("r"))
        )
        y.sum().backward()
        return np.asarray(w.grad), np.asarray(x.grad), events

    a, b = run(autobp, autobp.checkpoint), run(torch, tcheckpoint)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12)
    assert a[2] == b[2] == ["f", "r"]
    x = autobp.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="only supported when use_reentrant=False"):
        autobp.checkpoint(lambda t: t * 2, x, use_reentrant=True, context_fn=lambda: (None, None))
    (g,) = autobp.autograd.grad(autobp.checkpoint(lambda t: (t * t).sum(), x, use_reentrant=True), x)
    np.testing.assert_allclose(np.asarray(g), [2.0, 2.0])


def test_detect_anomaly_check_nan_false_checks_nothing_and_nests():
    def run(lib):
        class NanGrad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1.0

            @staticmethod
            def backward(ctx, g):
                return g * float("nan")

        x = lib.ones(3, requires_grad=True)
        out = NanGrad.apply(x).sum()
        with lib.autograd.detect_anomaly(check_nan=False):
            out.backward(retain_graph=True)
            with lib.autograd.detect_anomaly(check_nan=True):
                with pytest.raises(
                    RuntimeError, match="Function 'NanGradBackward' returned nan values in its 0th"
                ):
                    out.backward(retain_graph=True)
            out.backward()
        return bool(np.isnan(np.asarray(x.grad)).all())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run(autobp) == run(torch) is True


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_inplace_on_a_view_of_a_leaf_that_requires_grad_is_refused(lib):
    x = lib.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is being used in"):
        x.view_as(x).add_(1)
    x.detach().add_(1)  # a detached alias may be written (the version counts it)
    assert float(x.detach().sum()) == 3.0


def test_detach_in_place_after_use_refuses_instead_of_dropping_the_gradient():
    """``a.detach_()`` after ``b = f(a)``: PyTorch differentiates b through a's old node (or refuses
    when f saved a); autobp's Tensor is the node, so it refuses either way, never losing x's gradient."""
    for op in ("sin", "exp", "sum"):
        x = autobp.tensor([1.0], requires_grad=True)
        a = x.clone()
        b = getattr(a, op)()
        a.detach_()
        with pytest.raises(RuntimeError, match="detached in-place"):
            b.sum().backward()
    tx = torch.tensor([1.0], requires_grad=True)
    ta = tx.clone()
    tb = ta.sin()
    ta.detach_()
    with pytest.raises(RuntimeError, match="detached in-place"):
        tb.backward()

    def run(lib):  # a graph made after detach_ works as in PyTorch
        x = lib.ones(3, requires_grad=True)
        y = lib.ones(3, requires_grad=True)
        a = x * 2
        (y + a).sum().backward(retain_graph=True)
        a.detach_()
        (y + a).sum().backward()
        return np.asarray(x.grad).tolist(), np.asarray(y.grad).tolist(), a.requires_grad

    assert run(autobp) == run(torch)
