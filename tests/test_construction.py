"""numpy's array constructors keep the graph: array/asarray of lists holding Tensors, r_ and c_,
and the stacking functions given one array (numpy iterates it over its first axis)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

from .helpers import check_gradients


def test_array_of_list_of_tensors_is_differentiable():
    check_gradients(lambda x: autobp.array([x * x, [3.0, 4.0], x]) ** 2, np.array([0.5, -1.0]))
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    out = autobp.array([x, [1.0, 2.0]])
    assert isinstance(out, Tensor) and out.shape == (2, 2) and out.requires_grad


def test_array_of_plain_data_matches_numpy():
    for obj in ([1, 2, 3], [[1.0, 2.0]], 3.0, np.arange(4.0)):
        a = autobp.array(obj)
        assert a.dtype == np.array(obj).dtype and np.array_equal(a.data, np.array(obj))


def test_array_copies_but_asarray_does_not():
    x = Tensor(np.ones(3), requires_grad=True)
    assert autobp.asarray(x) is x
    y = autobp.array(x)
    assert y is not x and not np.shares_memory(y.data, x.data)
    y.sum().backward()
    assert np.array_equal(x.grad, np.ones(3))


def test_array_ragged_is_a_clear_error():
    with pytest.raises(ValueError, match="ragged"):
        autobp.array([Tensor(np.ones(2)), Tensor(np.ones(3))])


def test_r_and_c_match_numpy_and_differentiate():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert np.array_equal(autobp.r_[a, 0:3, 5.0].data, np.r_[a, 0:3, 5.0])
    assert np.array_equal(autobp.c_[a, b].data, np.c_[a, b])
    check_gradients(lambda x: autobp.r_[x, 2 * x] * autobp.r_[x, x], a)
    check_gradients(lambda x: autobp.c_[x, x * x], a)


@pytest.mark.parametrize("name", ["vstack", "hstack", "column_stack", "dstack"])
def test_stacking_one_array_iterates_its_first_axis(name):
    m = np.arange(6.0).reshape(3, 2)
    assert np.array_equal(getattr(autobp, name)(m).data, getattr(np, name)(m))
    check_gradients(lambda x: getattr(autobp, name)(x) * 1.5, m)


def test_integer_inputs_keep_numpys_dtype_and_index_like_ints():
    n = autobp.prod((28, 28))
    assert n.dtype == np.prod((28, 28)).dtype and int(n) == 784
    assert autobp.reshape(np.ones((3, 28, 28)), (3, n)).shape == (3, 784)
    assert autobp.sum([True, False, True]).dtype == np.sum([True, False, True]).dtype
    assert [10, 20, 30][autobp.sum(np.array([1, 1]))] == 30
    with pytest.raises(TypeError, match="integer"):
        [1, 2][Tensor(1.0)]


def test_ops_given_lists_holding_tensors_keep_their_gradient():
    # d/dx sqrt(x^2 + (x + 2)^2) at 0 is 1; d/dx mean(x, x + 2) is 1; never a silent 0
    x = Tensor(np.array(0.0), requires_grad=True)
    autobp.linalg.norm([x, x + 2]).backward()
    assert float(x.grad) == pytest.approx(1.0)
    x.grad = None
    autobp.mean((x, x + 2.0)).backward()
    assert float(x.grad) == pytest.approx(1.0)
    check_gradients(lambda a: autobp.exp([a, 2 * a]), np.array([0.3, -0.2]))


def test_one_element_tensors_format_like_numbers():
    assert f"{Tensor(1.23456):.3f}" == "1.235"
    assert f"{autobp.sum(np.array([1, 2])):>4d}" == "   3"
    assert f"{Tensor([1.0, 2.0])}" == repr(Tensor([1.0, 2.0]))
    with pytest.raises(ValueError):
        f"{Tensor([1.0, 2.0]):.2f}"
