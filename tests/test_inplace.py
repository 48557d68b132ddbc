"""Version counters: an input changed in place after an op saved it is caught at backward."""

import numpy as np
import pytest

import autobp
from autobp import Tensor


def writes():
    """Ways a user can change a tensor's values in place through ``.data``."""

    def setitem(t):
        t.data[0] = 5.0

    def slice_view(t):
        t.data[:1][...] = 5.0

    def augmented(t):
        d = t.data
        d += 1.0

    def ufunc_out(t):
        np.multiply(t.data, 2.0, out=t.data)

    def fill(t):
        t.data.fill(3.0)

    def copyto(t):
        np.copyto(t.data, np.zeros(t.shape))

    def replace(t):
        t.data = np.zeros(t.shape)

    return [setitem, slice_view, augmented, ufunc_out, fill, copyto, replace]


@pytest.mark.parametrize("write", writes(), ids=lambda f: f.__name__)
def test_modified_saved_input_is_caught_at_backward(write):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.name = "x"
    y = (x * x).sum()  # mul saves x
    before = x._version
    write(x)
    assert x._version > before
    with pytest.raises(RuntimeError) as info:
        y.backward()
    msg = str(info.value)
    for word in ("'x'", "(3,)", "'mul'", "in place"):
        assert word in msg, msg


def test_writes_after_backward_and_before_the_next_graph_are_fine():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        y = (x * x).sum()
        y.backward()
        x.data -= 0.1 * x.grad  # an optimiser step: the graph that read x is gone
        x.grad = None
    np.testing.assert_allclose(x.data, [1.0 * 0.8**3, 2.0 * 0.8**3])


def test_writes_to_unrelated_tensors_or_copies_do_not_raise():
    x = Tensor([1.0, 2.0], requires_grad=True)
    other = Tensor([0.0, 0.0])
    y = (x * x).sum()
    other.data[0] = 1.0
    copy = x.data.copy()
    copy[0] = 100.0
    derived = x.data * 2
    derived[1] = 7.0
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_version_counter_counts_writes_and_data_reads_do_not():
    x = Tensor(np.zeros(3))
    assert x._version == 0
    _ = x.data.sum() + x.data[0]
    assert x._version == 0
    x.data[1] = 1.0
    x.data[2] = 2.0
    assert x._version == 2
    assert repr(x.data) == repr(np.array([0.0, 1.0, 2.0]))


def test_data_setter_checks_shape():
    x = Tensor(np.zeros(3))
    x.data = np.zeros(2)  # a leaf may take another shape, as in PyTorch
    assert x.shape == (2,)
    y = Tensor(np.zeros(3), requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):  # an op's output may not
        y.data = np.zeros(2)


def test_second_order_graph_also_checks_versions():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    x.data[0] = 0.0
    with pytest.raises(RuntimeError, match="in place"):
        autobp.grad(y, x, create_graph=True)


def test_modified_output_that_the_rule_reuses_is_caught():
    x = Tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()  # exp's rule multiplies by its own output
    y.data[0] = 0.0
    with pytest.raises(RuntimeError, match="'exp'.*modified in place"):
        y.sum().backward()


def test_writes_through_numpy_and_detach_are_counted():
    for write in (lambda t: t.numpy().__setitem__(0, 9.0), lambda t: t.detach().data.fill(9.0)):
        x = Tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        write(x)
        assert x.data[0] == 9.0
        with pytest.raises(RuntimeError, match="in place"):
            y.backward()


def test_keepdims_must_be_a_bool():
    with pytest.raises(TypeError, match="keepdims"):
        Tensor(np.ones((2, 2))).sum(axis=0, keepdims=None)


@pytest.mark.parametrize(
    "make_view",
    [lambda x: x.reshape(-1), lambda x: x.T, lambda x: x[0], lambda x: x.expand_dims(0)],
    ids=["reshape", "transpose", "slice", "expand_dims"],
)
def test_writes_through_a_view_op_and_to_its_base_are_both_caught(make_view):
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    y = (x * x).sum()  # saves x
    make_view(x).data[...] = 5.0  # writes x's memory through a view
    with pytest.raises(RuntimeError, match="in place"):
        y.backward()
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    v = make_view(x)
    z = (v * v).sum()  # saves the view
    x.data[...] = 5.0  # writes the view's memory through its base
    with pytest.raises(RuntimeError, match="in place"):
        z.backward()


def test_a_copy_made_by_advanced_indexing_is_not_linked():
    x = Tensor(np.ones(3), requires_grad=True)
    y = (x * x).sum()
    picked = x[np.array([0, 0])]  # a copy
    picked.data[0] = 9.0
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
