"""numpy.linalg's array-API names keep numpy.linalg's stricter rules (3-vectors only, 1-d outer,
at least 2-d matrix_transpose), cond's inf on singular matrices, and numpy's dispatch on Tensors."""

import numpy as np
import pytest

import autobp.linalg as la
from autobp import Tensor


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: la.cross(np.ones(2), np.ones(2)), r"3-dimensional vectors.*\(2,\) and \(2,\)"),
        (lambda: la.outer(np.ones((2, 2)), np.ones(2)), r"one-dimensional.*\(2, 2\) and \(2,\)"),
        (lambda: la.matrix_transpose(np.ones(3)), r"at least 2-dimensional.*\(3,\)"),
        (lambda: la.multi_dot([np.ones((2, 2))]), "at least two arrays"),
        (
            lambda: la.multi_dot([np.ones((2, 2)), np.ones((2, 2, 2)), np.ones(2)]),
            r"array 1 has shape \(2, 2, 2\)",
        ),
        (lambda: la.vecdot(np.ones(3), np.ones(2)), r"\(3,\) and \(2,\) differ along axis -1"),
        (lambda: la.tensorinv(np.ones((2, 3)), ind=0), "ind"),
    ],
)
def test_numpy_linalgs_rules_are_enforced_with_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_square_tensorinv_and_tensorsolve_raise_linalg_errors():
    with pytest.raises(np.linalg.LinAlgError, match="not square"):
        la.tensorinv(np.ones((2, 3)), ind=1)
    with pytest.raises(np.linalg.LinAlgError, match="prod"):
        la.tensorsolve(np.ones((2, 3, 4)), np.ones((2, 3)))


def test_cond_of_a_singular_matrix_is_inf_as_numpy():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    for p in (1, "fro", np.inf):  # through inv: numpy's inf, no LinAlgError
        assert np.isinf(la.cond(a, p)) and np.isinf(np.linalg.cond(a, p))
    assert la.cond(a) > 1e15 and np.linalg.cond(a) > 1e15  # through svdvals: s_max / (s_min ~ 1e-16)
    with pytest.raises(np.linalg.LinAlgError, match="empty"):
        la.cond(np.ones((0, 0)))


def test_cond_gradient_for_p_2_comes_from_the_extreme_singular_values():
    a = Tensor(np.diag([4.0, 2.0, 0.5]), requires_grad=True)
    la.cond(a).backward()  # s_max / s_min: d/ds_max = 1 / s_min, d/ds_min = -s_max / s_min^2
    np.testing.assert_allclose(np.diag(a.grad), [2.0, 0.0, -16.0])


def test_numpy_linalg_functions_dispatch_on_tensors():
    a = Tensor(np.arange(1.0, 10.0).reshape(3, 3) + np.eye(3), requires_grad=True)
    outs = [
        np.linalg.trace(a),
        np.linalg.diagonal(a),
        np.linalg.matrix_transpose(a),
        np.linalg.cond(a),
        np.linalg.multi_dot([a, a, a]),
        np.linalg.vecdot(a, a),
        np.linalg.cross(a, a),
    ]
    assert all(isinstance(o, Tensor) for o in outs)
    assert int(np.linalg.matrix_rank(a)) == 3
    np.linalg.trace(a).backward()
    np.testing.assert_array_equal(a.grad, np.eye(3))
