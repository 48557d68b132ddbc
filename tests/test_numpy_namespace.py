"""numpy's remaining top-level names in autobp (autobp/numpy_namespace.py): numpy's own objects where
nothing is lost, printing and saving on a Tensor's values, refusals where numpy would drop a gradient,
numpy.testing's assertions in autobp.testing."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

import autobp
from autobp import numpy_namespace as nn_

pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")

# the names this module adds (the scalar types, constants and dtype helpers come from numpy_names.py)
NAMES = (
    "mgrid ogrid vectorize frompyfunc loadtxt savetxt genfromtxt fromfile fromstring fromregex savez "
    "savez_compressed ndarray ufunc broadcast nditer flatiter poly1d emath ma char strings rec recarray "
    "record memmap matrix asmatrix bmat lib testing ctypeslib exceptions dtypes typing array2string "
    "array_repr array_str format_float_positional format_float_scientific base_repr binary_repr "
    "get_printoptions printoptions getbufsize setbufsize geterrcall seterrcall isfortran isnat datetime64 "
    "timedelta64 datetime_as_string datetime_data busday_count busday_offset busdaycalendar is_busday "
    "False_ True_ ScalarType sctypeDict little_endian info show_config show_runtime get_include test core "
    "f2py nested_iters polynomial"
).split()


def leaf(*values, dtype=np.float64):
    return autobp.Tensor(np.array(values, dtype=dtype), requires_grad=True)


def test_every_name_is_there():
    assert [n for n in NAMES if not hasattr(autobp, n)] == []
    for n in ("float128", "complex256"):  # platform-dependent in numpy: there exactly when numpy has it
        assert hasattr(autobp, n) == hasattr(np, n)


@pytest.mark.parametrize(
    "name",
    [n for n in nn_._SAME if hasattr(np, n)]
    + sorted(nn_.ATTRIBUTES.keys() - {"lib", "ma", "rec", "polynomial"}),
)
def test_reexports_are_numpys_objects(name):
    assert getattr(autobp, name) is getattr(np, name)


def test_reexported_functions_and_classes_behave_as_numpys():
    assert np.array_equal(autobp.mgrid[0:2, 0:3], np.mgrid[0:2, 0:3])
    assert [a.shape for a in autobp.ogrid[0:2, 0:3]] == [(2, 1), (1, 3)]
    assert autobp.busday_count("2024-01-01", "2024-02-01") == 23  # January 2024: 23 weekdays
    assert autobp.binary_repr(5) == "101" and autobp.base_repr(255, 16) == "FF"
    assert autobp.isnat(np.datetime64("NaT")) and not autobp.isnat(np.datetime64("2024-01-01"))
    assert np.array_equal(autobp.loadtxt(io.StringIO("1 2\n3 4")), [[1.0, 2.0], [3.0, 4.0]])
    assert not isinstance(
        leaf(1.0), autobp.ndarray
    )  # a Tensor is not an ndarray (autograd's ArrayBox neither)
    assert isinstance(np.exp, autobp.ufunc) and autobp.False_ == np.False_


def test_poly1d_records_through_autobps_polynomial_functions():
    x, c = leaf(0.5, -1.0, 2.0), leaf(1.0, -2.0, 3.0)
    y = autobp.poly1d([1.0, -2.0, 3.0])(x)
    assert isinstance(y, autobp.Tensor) and np.allclose(
        y.detach().numpy(), np.polyval([1, -2, 3], [0.5, -1, 2])
    )
    assert autobp.gradcheck(lambda x: autobp.poly1d([1.0, -2.0, 3.0])(x), (x,))
    assert autobp.gradcheck(lambda c: autobp.poly1d(c)(np.array([0.5, 2.0])), (c,))
    assert autobp.gradcheck(lambda c: autobp.poly1d(c).deriv()(np.array([0.5, 2.0])), (c,))
    assert autobp.gradcheck(lambda c: (autobp.poly1d(c) * autobp.poly1d(c)).coeffs, (c,))


def test_printing_a_tensor_prints_its_values():
    t = autobp.Tensor(np.array([[1.0, 2.5], [3.0, 4.0]]), requires_grad=True)
    d = t.detach().numpy()
    assert autobp.array2string(t, precision=2) == np.array2string(d, precision=2)
    assert np.array2string(t) == np.array2string(d)  # numpy's own function on a Tensor too
    assert autobp.array_str(t) == np.array_str(d) == np.array_str(t)
    r = autobp.array_repr(t * 2)
    assert r.startswith("tensor(" + np.array2string(2 * d, separator=", ", prefix="tensor(") + ", grad_fn=")
    assert autobp.array_repr(np.arange(3)) == np.array_repr(np.arange(3))
    assert "dtype=float32" in autobp.array_repr(autobp.Tensor(np.ones(2, np.float32)))
    s = autobp.Tensor(np.float64(0.1) * 3)
    assert autobp.format_float_positional(s, precision=3) == np.format_float_positional(0.1 * 3, precision=3)
    assert autobp.format_float_scientific(s) == np.format_float_scientific(0.1 * 3)


def test_saving_a_tensor_saves_its_values(tmp_path):
    t = autobp.Tensor(np.array([[1.0, 2.0], [3.0, 4.5]]), requires_grad=True)
    autobp.savetxt(tmp_path / "t.txt", t)
    assert np.array_equal(np.loadtxt(tmp_path / "t.txt"), t.detach().numpy())
    np.savetxt(tmp_path / "n.txt", t)  # numpy's savetxt given a Tensor: the same
    assert np.array_equal(np.loadtxt(tmp_path / "n.txt"), t.detach().numpy())
    for save in (autobp.savez, autobp.savez_compressed, np.savez, np.savez_compressed):
        buf = io.BytesIO()
        save(buf, t, b=t * 2)
        buf.seek(0)
        with np.load(buf) as z:
            assert np.array_equal(z["arr_0"], t.detach().numpy()) and np.array_equal(z["b"], 2 * z["arr_0"])
    buf = io.BytesIO()
    np.save(buf, t)
    buf.seek(0)
    assert np.array_equal(np.load(buf), t.detach().numpy())


def test_isfortran_reads_the_values_order():
    f = autobp.Tensor(np.asfortranarray(np.ones((2, 3))))
    assert autobp.isfortran(f) is np.isfortran(np.asfortranarray(np.ones((2, 3)))) is True
    assert autobp.isfortran(autobp.Tensor(np.ones((2, 3)))) is False


@pytest.mark.parametrize(
    "name, call",
    [
        ("matrix", lambda t: autobp.matrix(t)),
        ("asmatrix", lambda t: autobp.asmatrix(t)),
        ("bmat", lambda t: autobp.bmat([[t, t]])),
        ("nditer", lambda t: autobp.nditer(t)),
        ("nested_iters", lambda t: autobp.nested_iters(t, [[0], [1]])),
        ("as_strided", lambda t: autobp.lib.stride_tricks.as_strided(t, (2,), (8,))),
    ],
)
def test_value_computations_refuse_a_tensor_that_requires_grad(name, call):
    t = autobp.Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), requires_grad=True)
    with pytest.raises(TypeError, match=name) as e:
        call(t)
    assert "(2, 2)" in str(e.value) and "float32" in str(e.value) and "detach()" in str(e.value)
    call(t.detach())  # the values: allowed
    with autobp.no_grad():
        call(t)  # no gradient to lose


def test_matrix_and_nditer_make_numpys_objects():
    m = autobp.matrix([[1.0, 2.0], [3.0, 4.0]])
    assert type(m) is np.matrix and np.array_equal(m, np.matrix([[1.0, 2.0], [3.0, 4.0]]))
    assert isinstance(np.matrix(np.eye(2)), autobp.matrix) and issubclass(np.matrix, autobp.matrix)
    assert type(autobp.asmatrix(autobp.Tensor(np.eye(2)))) is np.matrix
    assert np.array_equal(
        autobp.bmat([[np.eye(2), np.zeros((2, 1))]]), np.bmat([[np.eye(2), np.zeros((2, 1))]])
    )
    it = autobp.nditer(autobp.Tensor(np.arange(3.0)))
    assert isinstance(it, autobp.nditer) and [float(v) for v in it] == [0.0, 1.0, 2.0]


def test_broadcast_of_tensors_iterates_on_the_graph():
    x, y = leaf(1.0, 2.0, 3.0), autobp.Tensor(np.array([[1.0], [-2.0]]), requires_grad=True)
    b = autobp.broadcast(x, y)
    ref = np.broadcast(np.ones(3), np.ones((2, 1)))
    assert (b.shape, b.nd, b.ndim, b.size, b.numiter) == (ref.shape, ref.nd, ref.ndim, ref.size, ref.numiter)
    assert isinstance(b, autobp.broadcast)
    pairs = list(b)
    assert [(float(a), float(c)) for a, c in pairs] == [
        (a, c) for a, c in np.broadcast([1, 2, 3], [[1], [-2]])
    ]
    assert autobp.gradcheck(lambda x, y: autobp.stack([a * c * c for a, c in autobp.broadcast(x, y)]), (x, y))
    plain = autobp.broadcast(np.ones(3), np.ones((2, 1)))
    assert type(plain) is np.broadcast and isinstance(plain, autobp.broadcast)


def test_print_options_pair_with_set_printoptions():
    opts = autobp.get_printoptions()
    assert opts["precision"] == 4 and "nanstr" not in opts  # autobp's Tensor-repr options
    t = autobp.Tensor(np.array([1.0 / 3.0]))
    before_t, before_a = repr(t), repr(np.array([1.0 / 3.0]))
    with autobp.printoptions(precision=2):
        assert repr(t) == "tensor([0.33])" and repr(np.array([1.0 / 3.0])) == "array([0.33])"
        assert autobp.get_printoptions()["precision"] == 2 and np.get_printoptions()["precision"] == 2
    assert (repr(t), repr(np.array([1.0 / 3.0]))) == (before_t, before_a)
    autobp.set_printoptions(**opts)  # round trip
    assert autobp.get_printoptions() == opts


def test_lib_holds_what_records_or_takes_no_tensor():
    assert autobp.lib.scimath is autobp.emath
    assert autobp.lib.NumpyVersion is np.lib.NumpyVersion and autobp.lib.mixins is np.lib.mixins
    x = leaf(1.0, 2.0, 4.0)
    w = autobp.lib.stride_tricks.sliding_window_view(x, 2)
    assert np.array_equal(w.detach().numpy(), [[1, 2], [2, 4]])
    assert autobp.gradcheck(lambda x: autobp.lib.stride_tricks.sliding_window_view(x, 2) ** 2, (x,))
    a = np.arange(4.0)
    v = autobp.lib.stride_tricks.as_strided(a, (3,), (8,))
    assert np.array_equal(v, np.lib.stride_tricks.as_strided(a, (3,), (8,)))


def test_numpy_testing_assertions_compare_tensors_by_value():
    t = leaf(1.0, 2.0, 3.0)
    import autobp as anp

    anp.testing.assert_allclose(t, [1.0, 2.0, 3.0 + 1e-9])
    anp.testing.assert_equal(t, [1.0, 2.0, 3.0])
    anp.testing.assert_equal({"a": t}, {"a": np.array([1.0, 2.0, 3.0])})
    anp.testing.assert_array_equal([t, t], np.array([[1.0, 2.0, 3.0]] * 2))
    anp.testing.assert_array_less(t, t + 1)
    anp.testing.assert_almost_equal(t, [1.0, 2.0, 3.0000001])
    anp.testing.assert_array_almost_equal(t, [1.0, 2.0, 3.0000001])
    anp.testing.assert_approx_equal(t[0], 1.0)
    anp.testing.assert_array_almost_equal_nulp(t, np.array([1.0, 2.0, 3.0]))
    anp.testing.assert_array_max_ulp(t, np.array([1.0, 2.0, 3.0]))
    for check in (anp.testing.assert_allclose, anp.testing.assert_equal, anp.testing.assert_array_equal):
        with pytest.raises(AssertionError):
            check(t, [1.0, 2.0, 4.0])
    with pytest.raises(AssertionError):
        anp.testing.assert_array_less(t, t)
    assert anp.testing.assert_raises is np.testing.assert_raises
    assert anp.testing.suppress_warnings is np.testing.suppress_warnings
    assert anp.testing.assert_gradients_close is autobp.testing.assertions.assert_gradients_close


def test_autobp_testing_does_not_need_hypothesis():
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import autobp\n"
        "autobp.testing.assert_allclose(autobp.tensor([1.0]), [1.0])\n"
        "x = autobp.tensor([1.0], requires_grad=True)\n"
        "autobp.testing.assert_gradients_close(lambda x: (x * x).sum(), x)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(_root()))
    assert done.returncode == 0, done.stderr


def _root():
    from pathlib import Path

    return Path(autobp.__file__).resolve().parents[1]


def test_masked_and_record_arrays_refuse_a_tensor_that_requires_grad():
    t = leaf(1.0, 2.0, 3.0)
    calls = {
        "ma.array": lambda t: autobp.ma.array(t, mask=[0, 1, 0]),
        "ma.exp": lambda t: autobp.ma.exp(t),
        "ma.add.reduce": lambda t: autobp.ma.add.reduce(t),
        "ma.MaskedArray": lambda t: autobp.ma.MaskedArray(t),
        "ma.mr_": lambda t: autobp.ma.mr_[t, t],
        "rec.fromarrays": lambda t: autobp.rec.fromarrays([t]),
    }
    for name, call in calls.items():
        with pytest.raises(
            TypeError, match=f"autobp.{name} of a Tensor that requires grad .shape .3,., float64"
        ):
            call(t)
        call(t.detach())  # values: numpy's result
    m = autobp.ma.array(t.detach(), mask=[0, 1, 0])
    assert type(m) is np.ma.MaskedArray and m.sum() == 4.0 and isinstance(m, autobp.ma.MaskedArray)
    assert autobp.ma.masked is np.ma.masked and autobp.ma.MaskedArray.filled is np.ma.MaskedArray.filled
    assert np.array_equal(autobp.ma.mr_[np.ones(2), np.zeros(1)], np.ma.mr_[np.ones(2), np.zeros(1)])
    import autobp.ma as ma  # registered as a module

    assert ma is autobp.ma and isinstance(np.rec.fromarrays([np.ones(2)]), autobp.rec.recarray)


CLASSES = ("Polynomial", "Chebyshev", "Legendre", "Hermite", "HermiteE", "Laguerre")


@pytest.mark.parametrize("cls", CLASSES)
def test_polynomial_classes_record_on_a_tensor(cls):
    ours, theirs = getattr(autobp.polynomial, cls), getattr(np.polynomial, cls)
    assert type(np.polynomial.Polynomial([1.0])(leaf(1.0))) is np.ndarray  # numpy's own: values, no graph
    p, q = ours([1.0, -2.0, 0.5], domain=[-2, 2]), theirs([1.0, -2.0, 0.5], domain=[-2, 2])
    x = leaf(0.5, -1.25, 1.5)
    y = p(x)
    assert isinstance(y, autobp.Tensor) and np.allclose(y.detach().numpy(), q(x.detach().numpy()))
    assert autobp.gradcheck(p, (x,)) and autobp.gradcheck(p.deriv(2), (x,))
    assert type(p.deriv()) is ours and type(p * p) is ours and isinstance(q, ours)
    a = np.array([0.5, 1.0])
    assert type(p(a)) is np.ndarray and np.array_equal(p(a), q(a))  # constants: numpy's result
    fitted = ours.fit(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]), 1)
    assert type(fitted) is ours and np.allclose(fitted(leaf(3.0)).detach().numpy(), [7.0])


def test_polynomial_functions_record_on_x_and_refuse_what_would_drop_a_gradient():
    P = autobp.polynomial
    x, c = leaf(0.5, -0.25), leaf(1.0, 2.0, 3.0)
    for sub, prefix in (("polynomial", "poly"), ("chebyshev", "cheb"), ("laguerre", "lag")):
        val = getattr(getattr(P, sub), f"{prefix}val")
        ref = getattr(getattr(np.polynomial, sub), f"{prefix}val")
        assert np.allclose(val(x, [1.0, 2.0, 3.0]).detach().numpy(), ref(x.detach().numpy(), [1.0, 2.0, 3.0]))
        assert autobp.gradcheck(lambda x, val=val: val(x, [1.0, 2.0, 3.0]), (x,))
    refused = {
        "polynomial.polynomial.polyval": lambda: P.polynomial.polyval(0.5, c),
        "polynomial.polynomial.polyvander": lambda: P.polynomial.polyvander(x, 2),
        "polynomial.chebyshev.chebfit": lambda: P.chebyshev.chebfit(x, x, 1),
        "polynomial.Polynomial": lambda: P.Polynomial(c),
        "polynomial.Polynomial.__add__": lambda: P.Polynomial([1.0]) + c,
        "polynomial.Polynomial.fit": lambda: P.Polynomial.fit(x, x, 1),
    }
    for name, call in refused.items():
        with pytest.raises(TypeError, match=f"autobp.{name} of a Tensor that requires grad"):
            call()
    assert np.array_equal(
        P.polynomial.polyval(0.5, c.detach()), np.polynomial.polynomial.polyval(0.5, [1, 2, 3])
    )
    import autobp.polynomial.chebyshev as cheb  # registered as modules

    assert cheb.Chebyshev is P.Chebyshev
