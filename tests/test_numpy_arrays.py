"""numpy's manipulation, index, set and type functions beyond the op table: constants in give numpy's
own results, numpy's functions on Tensors dispatch here, in-place writes into Tensors are recorded
(and into arrays are numpy's), the introspection helpers answer for Tensors, and bad input is a
clear error naming shapes and axes."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autobp
from autobp import Tensor
from tests.helpers import check_gradients

torch = pytest.importorskip("torch")


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


# --- every everyday numpy function has an autobp name --------------------------------------------
LEFT_TO_NUMPY = set(
    """array2string array_repr array_str asmatrix base_repr binary_repr bmat busday_count busday_offset
    datetime_as_string datetime_data format_float_positional format_float_scientific from_dlpack frombuffer
    fromfile frompyfunc fromregex fromstring genfromtxt get_include get_printoptions getbufsize geterr
    geterrcall info is_busday isdtype isfortran isnat issubdtype loadtxt mintypecode nested_iters printoptions
    savetxt savez savez_compressed set_printoptions setbufsize seterr seterrcall show_config show_runtime
    test typename""".split()
)
# added by other branches at the same time (see the merge): not this module's to check
ELSEWHERE = set(
    """divmod logspace geomspace copyto interp trapezoid poly polyadd polyder polydiv polyfit polyint polymul
    polysub polyval roots nanargmax nanargmin nancumprod nancumsum nanprod nanstd nanvar cumulative_sum
    cumulative_prod""".split()
)


def test_numpy_functions_all_have_an_autobp_name():
    missing = {
        n
        for n in dir(np)
        if not n.startswith("_")
        and callable(getattr(np, n))
        and not inspect.isclass(getattr(np, n))
        and not hasattr(autobp, n)
    }
    assert missing - LEFT_TO_NUMPY - ELSEWHERE == set()


@pytest.mark.parametrize(
    "name",
    "vander block delete insert choose compress extract resize ediff1d trim_zeros piecewise "
    "apply_along_axis apply_over_axes diagflat fill_diagonal put putmask place".split(),
)
def test_signatures_are_numpys(name):
    ours = inspect.signature(autobp.ops.DECLS[name].fn)
    theirs = inspect.signature(getattr(np, name))
    assert list(ours.parameters)[: len(theirs.parameters)] == list(theirs.parameters)


# --- constants in, constants out -----------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.tril_indices(4, 1),
        lambda m: m.triu_indices(3, 0, 5),
        lambda m: m.diag_indices(3),
        lambda m: m.indices((2, 3)),
        lambda m: m.unravel_index([5, 7], (3, 4)),
        lambda m: m.ravel_multi_index(([1, 2], [0, 3]), (3, 4)),
        lambda m: m.hamming(5),
        lambda m: m.kaiser(6, 2.5),
        lambda m: m.tri(3, 2),
        lambda m: m.vander([1, 2, 3]),
        lambda m: m.isin([1, 2, 3], [2]),
        lambda m: m.digitize([0.2, 1.5], [0, 1, 2]),
        lambda m: m.intersect1d([1, 3, 4], [3, 4, 5], return_indices=True),
        lambda m: m.unique_all([3, 1, 3]),
        lambda m: m.ldexp(np.float32(1.5), 3),
        lambda m: m.modf([1.5, -2.25]),
        lambda m: m.gcd(12, [8, 9]),
        lambda m: m.block([[np.eye(2), np.zeros((2, 1))]]),
        lambda m: m.insert([1, 2, 3], 1, 9),
    ],
)
def test_plain_inputs_give_numpys_results(call):
    ours, theirs = call(autobp), call(np)
    items = ours if isinstance(ours, tuple) else (ours,)
    expected = theirs if isinstance(theirs, tuple) else (theirs,)
    assert type(ours) is type(theirs)
    for o, e in zip(items, expected):
        assert not isinstance(o, Tensor)
        assert np.asarray(o).dtype == np.asarray(e).dtype
        np.testing.assert_array_equal(o, e)


def test_numpys_functions_on_tensors_dispatch_here():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    for out in (np.vander(x[0]), np.delete(x, 0, axis=0), np.resize(x, (3,)), np.ediff1d(x)):
        assert isinstance(out, Tensor) and out.requires_grad
    assert isinstance(np.ldexp(x, 2), Tensor) and isinstance(np.modf(x)[0], Tensor)
    assert np.shape(x) == (2, 2) and np.result_type(x, np.float32) == np.float64
    idx = np.flatnonzero(x > 2)
    assert isinstance(idx, Tensor) and idx.dtype == np.int64 and not idx.requires_grad


# --- gradients beyond the table ------------------------------------------------------------------
def test_insert_sends_each_value_its_gradient_where_it_lands():
    x, v = leaf(np.arange(6.0).reshape(2, 3)), leaf([10.0, 20.0])
    out = autobp.insert(x, [1, 3], v, axis=1)
    np.testing.assert_array_equal(out.data, np.insert(x.data, [1, 3], v.data, axis=1))
    (out * np.arange(10.0).reshape(2, 5)).sum().backward()
    np.testing.assert_array_equal(v.grad, [1 + 6, 4 + 9])
    np.testing.assert_array_equal(x.grad, [[0, 2, 3], [5, 7, 8]])


def test_writes_into_a_tensor_are_recorded_and_old_graphs_refuse():
    x = leaf(np.arange(9.0).reshape(3, 3))
    y = x * 2
    z = y.sum()
    autobp.fill_diagonal(y, leaf(5.0))
    with pytest.raises(RuntimeError):  # z read y before the write
        z.backward()
    check_gradients(lambda a, v: _filled(a, v), np.arange(9.0).reshape(3, 3), np.array([1.0, 2.0]))


def _filled(a, v):
    y = a * 1
    autobp.fill_diagonal(y, v)
    autobp.putmask(y, np.arange(9).reshape(3, 3) % 4 == 0, v)  # fixed masks: no value decides them
    autobp.place(y, np.eye(3)[::-1] > 0, v * 3)
    autobp.put(y, [0, -1], v[::-1])
    return y


def test_a_leaf_that_requires_grad_refuses_an_in_place_write():
    with pytest.raises(RuntimeError, match="leaf"):
        autobp.put(leaf([1.0, 2.0]), [0], 3.0)


def test_writes_into_arrays_are_numpys_and_refuse_gradients():
    a = np.zeros((3, 3))
    assert autobp.fill_diagonal(a, Tensor([1.0, 2.0])) is None
    np.testing.assert_array_equal(a, np.diag([1.0, 2.0, 1.0]))
    with pytest.raises(TypeError, match="drop its gradient"):
        autobp.put(np.zeros(3), [0], leaf([1.0]))


def test_piecewise_and_apply_along_axis_reach_torch_gradients():
    data = np.array([[-1.5, 0.5, 2.0], [0.3, -0.2, 1.1]])
    x, t = leaf(data), torch.tensor(data, requires_grad=True)
    ours = autobp.apply_along_axis(
        lambda v: autobp.piecewise(v, [v < 0], [lambda u: u**2, lambda u: u]), 1, x
    )
    theirs = torch.where(t < 0, t**2, t)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())


def test_ldexp_and_frexp_derivatives_are_powers_of_two():
    x = leaf([0.75, -3.0, 10.0])
    autobp.ldexp(x, np.array([2, -1, 0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [4.0, 0.5, 1.0])
    x.grad = None
    autobp.frexp(x)[0].sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.25, 1 / 16])


def test_i0_and_bitwise_invert_are_numpys_names():
    x = leaf([0.5, 1.5])
    autobp.i0(x).sum().backward()
    t = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    torch.i0(t).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())
    np.testing.assert_array_equal(autobp.bitwise_invert(np.array([0, 5], np.int8)), [-1, -6])


# --- the introspection helpers -------------------------------------------------------------------
def test_introspection_answers_for_tensors_as_for_arrays():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = Tensor(a)
    assert autobp.shape(t) == (2, 3) and autobp.size(t, 1) == 3 and autobp.ndim(t) == 2
    assert autobp.isscalar(3.0) and autobp.isscalar(np.float64(1)) and not autobp.isscalar(Tensor(3.0))
    assert autobp.iterable(t) and not autobp.iterable(Tensor(1.0))
    assert autobp.result_type(t, 1.0) == np.float32 and autobp.result_type(t, np.int64) == np.float64
    assert autobp.can_cast(t, np.float64) and not autobp.can_cast(t, np.int32)
    assert autobp.promote_types(np.int8, np.uint8) == np.int16
    assert autobp.min_scalar_type(Tensor(np.array(300))) == np.uint16
    assert autobp.common_type(t, np.arange(2)) is np.float64
    assert autobp.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert autobp.shares_memory(t, t) and not autobp.may_share_memory(t, Tensor(a.copy()))
    assert autobp.einsum_path("ij,jk", t, t.T)[0] == np.einsum_path("ij,jk", a, a.T)[0]
    assert autobp.array_equiv(t, a[0:1] * 0 + a) and not autobp.array_equiv(t, a[0])
    grid = autobp.fromfunction(lambda i, j: i * 10 + j, (2, 3), dtype=int)
    np.testing.assert_array_equal(grid, np.fromfunction(lambda i, j: i * 10 + j, (2, 3), dtype=int))
    x = leaf([1.0, 2.0])
    y = autobp.fromiter((v * v for v in x), float)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    np.testing.assert_array_equal(autobp.fromiter(range(4), np.int32, 3), np.arange(3, dtype=np.int32))


# --- errors name the shapes and axes --------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: autobp.vander(Tensor(np.ones((2, 2)))), ValueError, r"one-dimensional.*\(2, 2\)"),
        (lambda: autobp.block([Tensor([1.0]), [Tensor([2.0])]]), ValueError, "depths are mismatched"),
        (lambda: autobp.block((Tensor([1.0]),)), TypeError, "tuple"),
        (lambda: autobp.block([]), ValueError, "empty"),
        (
            lambda: autobp.broadcast_arrays(Tensor(np.ones(2)), Tensor(np.ones(3))),
            ValueError,
            r"\(2,\) and \(3,\)",
        ),
        (lambda: autobp.delete(Tensor(np.ones((2, 3))), 5, axis=1), IndexError, r"axis 1 of length 3"),
        (lambda: autobp.delete(Tensor(np.ones((2, 3))), 0, axis=2), ValueError, "axis"),
        (lambda: autobp.insert(Tensor(np.ones((2, 3))), 9, Tensor([1.0]), axis=1), IndexError, r"\(2, 3\)"),
        (lambda: autobp.choose([0, 2], [Tensor([1.0, 2])] * 2), ValueError, "outside 0..1"),
        (
            lambda: autobp.choose([0, 1], [Tensor([1.0, 2, 3])]),
            ValueError,
            r"\(2,\) and choices of shapes \(3,\)",
        ),
        (lambda: autobp.compress([0, 0, 0, 1], Tensor(np.ones(3))), IndexError, "beyond length 3"),
        (lambda: autobp.resize(Tensor([1.0]), (2, -1)), ValueError, "non-negative"),
        (
            lambda: autobp.ediff1d(Tensor([1, 2]), to_begin=Tensor([0.5])),
            TypeError,
            "float64 cannot be cast to int64",
        ),
        (lambda: autobp.unstack(Tensor(1.0)), ValueError, "at least 1-d"),
        (lambda: autobp.matrix_transpose(Tensor([1.0])), ValueError, r"\(1,\)"),
        (lambda: autobp.vecdot(Tensor(np.ones(3)), Tensor(np.ones(2))), ValueError, r"length 3 in x1 \(3,\)"),
        (
            lambda: autobp.matvec(Tensor(np.ones((2, 3))), Tensor(np.ones(2))),
            ValueError,
            r"\(2, 3\) and \(2,\)",
        ),
        (
            lambda: autobp.vecmat(Tensor(np.ones(2)), Tensor(np.ones((3, 2)))),
            ValueError,
            r"\(2,\) and \(3, 2\)",
        ),
        (lambda: autobp.apply_along_axis(len, 0, Tensor(np.ones((2, 0)))), ValueError, r"\(2, 0\)"),
        (
            lambda: autobp.apply_along_axis(
                lambda v: v[: int(v[0].item())], 0, Tensor([[1.0, 2.0], [1.0, 1.0]])
            ),
            ValueError,
            "first slice",
        ),
        (
            lambda: autobp.apply_over_axes(lambda t, a: t.sum(), Tensor(np.ones((2, 2))), [0]),
            ValueError,
            r"shape \(\)",
        ),
        (
            lambda: autobp.piecewise(Tensor([1.0, 2.0]), [[True, False]], [1.0, 2.0, 3.0]),
            ValueError,
            "1 condition",
        ),
        (lambda: autobp.fill_diagonal(Tensor(np.ones((2, 3, 2))), 1.0), ValueError, r"\(2, 3, 2\)"),
        (lambda: autobp.put(Tensor(np.ones(3)), [3], 1.0), IndexError, "3 elements"),
        (lambda: autobp.putmask(Tensor(np.ones(3)), [True], 1.0), ValueError, r"\(1,\).*\(3,\)"),
        (lambda: autobp.place(Tensor(np.ones(2)), [True, True], []), ValueError, "empty"),
        (lambda: autobp.trim_zeros(Tensor([0.0, 1.0]), "x"), ValueError, "trim"),
        (lambda: autobp.digitize(Tensor([1.0]), Tensor(np.ones((2, 2)))), ValueError, r"\(2, 2\)"),
        (lambda: autobp.tril_indices_from(Tensor(np.ones(3))), ValueError, r"\(3,\)"),
        (lambda: autobp.diag_indices_from(Tensor(np.ones((2, 3)))), ValueError, r"\(2, 3\)"),
        (lambda: autobp.unravel_index(Tensor([12]), (3, 4)), ValueError, r"\(3, 4\)"),
        (lambda: autobp.ldexp(Tensor([1.0]), Tensor([1.5])), TypeError, "integers"),
        (lambda: autobp.frexp(Tensor([1j])), TypeError, "complex"),
        (lambda: autobp.unpackbits(Tensor([1.0])), TypeError, "uint8"),
        (lambda: autobp.asarray_chkfinite(Tensor([1.0, np.inf])), ValueError, "infs or NaNs"),
        (lambda: autobp.histogramdd(np.ones((3, 2)), weights=leaf([1.0, 2.0])), ValueError, "3 samples"),
        (lambda: autobp.histogram2d(Tensor([1.0]), Tensor([1.0, 2.0])), ValueError, r"\(1,\).*\(2,\)"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
