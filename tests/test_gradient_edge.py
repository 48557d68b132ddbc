"""``autobp.autograd.graph.GradientEdge`` / ``get_gradient_edge``: gradients with respect to an edge (also
after an in-place write into its tensor), from an edge as output, and ``backward(inputs=edges)``; the
same code run on torch gives the same numbers."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = np.array([0.3, -1.2, 2.0])


def arr(lib, t):
    return np.asarray(t.detach().numpy() if lib is torch else t)


def both(fn):
    mine, theirs = fn(autobp), fn(torch)
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(m, t, rtol=1e-12, atol=1e-12)


def test_edge_keeps_the_value_before_an_inplace_write():
    def run(lib):
        x = lib.tensor(X.copy(), requires_grad=True).clone()
        edge = lib.autograd.graph.get_gradient_edge(x)
        x *= 2
        y = (x * x).sum()
        g_old, g_new = lib.autograd.grad(y, (edge, x))
        return arr(lib, g_old), arr(lib, g_new)

    both(run)


def test_edge_as_output_splits_a_backward_in_two():
    def run(lib):
        x = lib.tensor(X.copy(), requires_grad=True)
        tmp = x.sin().cos().sum()
        out = tmp.exp().sin()
        edge = lib.autograd.graph.get_gradient_edge(tmp)
        (g_tmp,) = lib.autograd.grad(out, (edge,), retain_graph=True)
        (g_x,) = lib.autograd.grad(edge, (x,), grad_outputs=(g_tmp,), retain_graph=True)
        (g_ref,) = lib.autograd.grad(out, (x,))
        return arr(lib, g_x), arr(lib, g_ref)

    both(run)


def test_edges_built_by_hand_and_backward_inputs():
    def run(lib):
        GradientEdge = lib.autograd.graph.GradientEdge
        x = lib.tensor(X.copy(), requires_grad=True).clone()
        y = lib.tensor(X[::-1].copy(), requires_grad=True).clone()
        out = (x * y).sum()
        gx, gy = lib.autograd.grad(out, (GradientEdge(x.grad_fn, x.output_nr), y), retain_graph=True)
        leaf = lib.tensor(X.copy(), requires_grad=True)
        (leaf * leaf).sum().backward(inputs=[lib.autograd.graph.get_gradient_edge(leaf)])
        return arr(lib, gx), arr(lib, gy), arr(lib, leaf.grad)

    both(run)


def test_materialize_grads_refused_for_an_unused_edge():
    for lib in (autobp, torch):
        x = lib.tensor(X.copy(), requires_grad=True).clone()
        y = lib.tensor(X.copy(), requires_grad=True).clone()
        edge_x = lib.autograd.graph.get_gradient_edge(x)
        edge_y = lib.autograd.graph.get_gradient_edge(y)
        out = x.clone().sum()
        (gx, gy) = lib.autograd.grad(
            out, (edge_x, y), allow_unused=True, materialize_grads=True, retain_graph=True
        )
        assert arr(lib, gy).tolist() == [0.0, 0.0, 0.0]
        with pytest.raises(
            RuntimeError, match="materialize_grads cannot be used when the given input is a GradientEdge"
        ):
            lib.autograd.grad(out, (x, edge_y), allow_unused=True, materialize_grads=True)


def test_no_edge_for_a_tensor_without_grad():
    for lib in (autobp, torch):
        with pytest.raises(RuntimeError, match="does not require gradients"):
            lib.autograd.graph.get_gradient_edge(lib.tensor(X.copy()))


def test_backward_inputs_one_edge():
    def run(lib):
        x = lib.tensor(X.copy(), requires_grad=True)
        h = x * 3
        (h * h).sum().backward(inputs=lib.autograd.graph.get_gradient_edge(x))
        return (arr(lib, x.grad),)

    both(run)
