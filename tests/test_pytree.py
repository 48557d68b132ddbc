"""Pytrees (autobp/pytree.py) and the transforms over them: ``func.grad``/``value_and_grad`` with
respect to lists, tuples and dicts of arrays, checked against central differences and against
``torch.func.grad``, which takes the same containers."""

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.func import grad, value_and_grad
from autobp.pytree import ravel_pytree, tree_flatten, tree_map, tree_unflatten

from .helpers import numerical_gradients


def _loss(p, xs):
    h = autobp.tanh(xs @ p["w"] + p["b"][0])
    return (h * h).sum() + (p["b"][1] ** 2).sum() + p["scale"][0] * h.mean()


def _params(rng):
    return {
        "w": rng.standard_normal((3, 2)),
        "b": [rng.standard_normal(2), rng.standard_normal(())],
        "scale": (rng.standard_normal(()),),
    }


def test_grad_of_a_dict_has_its_structure_and_matches_finite_differences():
    rng = np.random.default_rng(0)
    p, xs = _params(rng), rng.standard_normal((4, 3))
    g = grad(_loss)(p, xs)
    assert set(g) == set(p) and isinstance(g["b"], list) and isinstance(g["scale"], tuple)
    leaves, tdef = tree_flatten(p)

    def scalar(*vals):
        return float(_loss(tdef.unflatten([Tensor(v) for v in vals]), Tensor(xs)).data)

    numeric = numerical_gradients(scalar, [np.array(v, dtype=float) for v in leaves])
    for ours, n in zip(tree_flatten(g)[0], numeric):
        np.testing.assert_allclose(np.asarray(ours), n, rtol=1e-6, atol=1e-8)


def test_grad_of_a_dict_matches_torch_func_grad():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    p, xs = _params(rng), rng.standard_normal((4, 3))

    def torch_loss(p, xs):
        h = torch.tanh(xs @ p["w"] + p["b"][0])
        return (h * h).sum() + (p["b"][1] ** 2).sum() + p["scale"][0] * h.mean()

    tp = tree_map(torch.tensor, p)
    expected = torch.func.grad(torch_loss)(tp, torch.tensor(xs))
    ours = grad(_loss)(p, xs)
    for a, b in zip(tree_flatten(ours)[0], tree_flatten(expected)[0]):
        np.testing.assert_allclose(np.asarray(a), b.numpy(), rtol=1e-12, atol=1e-12)


def test_value_and_grad_with_several_argnums_and_aux():
    f = lambda a, b: ((a[0] * b).sum() * a[1], "aux")  # noqa: E731
    (value, aux), (ga, gb) = value_and_grad(f, argnums=(0, 1), has_aux=True)(
        [np.ones(2), 3.0], np.arange(2.0)
    )
    assert float(value) == 3.0 and aux == "aux"
    np.testing.assert_allclose(ga[0], [0.0, 3.0])
    assert float(ga[1]) == 1.0
    np.testing.assert_allclose(gb, [3.0, 3.0])


def test_nested_grad_through_a_tuple_argument():
    # d/dx of d/dy[ y0 * y1 ] at y = (x, x): sin(2x)' summed; second derivative via create_graph
    inner = grad(lambda y: y[0] * y[1] * y[1])
    outer = grad(lambda x: autobp.array(inner((x, x))).sum())
    # inner gives (x^2, 2x^2) at (x, x); the sum 3x^2 has derivative 6x
    assert float(outer(2.0)) == pytest.approx(12.0)


def test_tree_flatten_unflatten_round_trip_and_map():
    tree = {"b": [1, (2, None)], "a": 3}
    leaves, tdef = tree_flatten(tree)
    assert leaves == [3, 1, 2]
    assert tree_unflatten(tdef, [30, 10, 20]) == {"a": 30, "b": [10, (20, None)]}
    assert tree_map(lambda x, y: x * y, tree, tree) == {"a": 9, "b": [1, (4, None)]}
    with pytest.raises(ValueError, match="leaves"):
        tdef.unflatten([1, 2])
    with pytest.raises(ValueError, match="structure"):
        tree_map(lambda x, y: x, tree, [1, 2, 3])


def test_ravel_pytree_round_trip_and_gradient():
    p = {"w": np.arange(4.0).reshape(2, 2), "b": [np.array([5.0])]}
    flat, unravel = ravel_pytree(p)
    np.testing.assert_array_equal(flat.data, [5.0, 0.0, 1.0, 2.0, 3.0])
    back = unravel(flat)
    np.testing.assert_array_equal(back["w"].data, p["w"])
    g = grad(lambda v: (unravel(v)["w"] ** 2).sum() + unravel(v)["b"][0].sum())(flat)
    assert isinstance(g, Tensor)  # a Tensor in gives a Tensor out
    np.testing.assert_allclose(g.data, [1.0, 0.0, 2.0, 4.0, 6.0])
    with pytest.raises(ValueError, match="shape"):
        unravel(np.zeros(3))


def test_numpy_in_numpy_out_so_scipy_optimize_takes_the_gradient():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    rosen = lambda x: ((1 - x[:-1]) ** 2).sum() + 100 * ((x[1:] - x[:-1] ** 2) ** 2).sum()  # noqa: E731
    value, g = value_and_grad(rosen)(np.array([0.5, 0.5]))
    assert type(g) is np.ndarray and np.ndim(value) == 0 and not isinstance(value, Tensor)
    res = scipy_optimize.minimize(value_and_grad(rosen), np.zeros(3), jac=True, method="L-BFGS-B")
    np.testing.assert_allclose(res.x, np.ones(3), atol=1e-4)
    np.testing.assert_allclose(
        grad(rosen)(np.array([0.5, 0.5])), scipy_optimize.rosen_der(np.array([0.5, 0.5])), rtol=1e-12
    )


def test_numpy_in_stays_on_an_outer_graph_reached_through_a_closure():
    # d/dx [x * d/dy (x y)] = d/dx x^2 = 2x: the inner gradient (x) must keep its graph
    def outer(x):
        return x * grad(lambda y: x * y)(2.0)

    x = Tensor(np.array(1.5), requires_grad=True)
    assert isinstance(grad(lambda y: x * y)(2.0), Tensor)
    assert float(grad(outer)(x)) == pytest.approx(3.0)


def test_a_constant_function_has_zero_gradient():
    assert float(grad(lambda x: 1.0)(3.0)) == 0.0
    np.testing.assert_array_equal(grad(lambda x: 2)(np.ones(2)), np.zeros(2))
    with pytest.raises(ValueError, match="single-element"):
        grad(lambda x: "no")(1.0)
