"""PyTorch's top-level functions and Tensor methods with no numpy name (autobp/pytorch_functions.py,
pytorch_math.py, pytorch_methods.py): values and every input's gradient against torch on the same
numbers, finite differences and second order through autobp's gradcheck, and the in-place forms."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")
R = np.random.default_rng(11)


def spd(n):
    a = R.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _flat(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


# (name, autobp function, torch function, input arrays, indices of the inputs to differentiate)
CASES = [
    (
        "addmm",
        lambda x, a, b: autobp.addmm(x, a, b, beta=0.5, alpha=2.0),
        lambda x, a, b: torch.addmm(x, a, b, beta=0.5, alpha=2.0),
        [R.standard_normal((2, 4)), R.standard_normal((2, 3)), R.standard_normal((3, 4))],
        (0, 1, 2),
    ),
    (
        "addmm beta=0",
        lambda x, a, b: autobp.addmm(x, a, b, beta=0),
        lambda x, a, b: torch.addmm(x, a, b, beta=0),
        [np.full((2, 4), np.nan), R.standard_normal((2, 3)), R.standard_normal((3, 4))],
        (1, 2),
    ),
    (
        "addmv",
        autobp.addmv,
        torch.addmv,
        [R.standard_normal(2), R.standard_normal((2, 3)), R.standard_normal(3)],
        (0, 1, 2),
    ),
    (
        "addr",
        lambda x, a, b: autobp.addr(x, a, b, alpha=3),
        lambda x, a, b: torch.addr(x, a, b, alpha=3),
        [R.standard_normal((2, 3)), R.standard_normal(2), R.standard_normal(3)],
        (0, 1, 2),
    ),
    (
        "baddbmm",
        autobp.baddbmm,
        torch.baddbmm,
        [R.standard_normal((2, 2, 4)), R.standard_normal((2, 2, 3)), R.standard_normal((2, 3, 4))],
        (0, 1, 2),
    ),
    (
        "addbmm",
        autobp.addbmm,
        torch.addbmm,
        [R.standard_normal((2, 4)), R.standard_normal((3, 2, 3)), R.standard_normal((3, 3, 4))],
        (0, 1, 2),
    ),
    (
        "aminmax",
        lambda x: tuple(autobp.aminmax(x, dim=1)),
        lambda x: tuple(torch.aminmax(x, dim=1)),
        [R.standard_normal((3, 4))],
        (0,),
    ),
    (
        "var_mean",
        lambda x: autobp.var_mean(x, 1),
        lambda x: torch.var_mean(x, 1),
        [R.standard_normal((3, 4))],
        (0,),
    ),
    (
        "std_mean",
        lambda x: autobp.std_mean(x, correction=0),
        lambda x: torch.std_mean(x, correction=0),
        [R.standard_normal((3, 4))],
        (0,),
    ),
    (
        "broadcast_tensors",
        autobp.broadcast_tensors,
        torch.broadcast_tensors,
        [R.standard_normal((3, 1)), R.standard_normal(4)],
        (0, 1),
    ),
    (
        "block_diag",
        autobp.block_diag,
        torch.block_diag,
        [R.standard_normal((2, 3)), R.standard_normal(2), np.array(1.5)],
        (0, 1, 2),
    ),
    (
        "cartesian_prod",
        autobp.cartesian_prod,
        torch.cartesian_prod,
        [R.standard_normal(2), R.standard_normal(3)],
        (0, 1),
    ),
    (
        "combinations",
        lambda x: autobp.combinations(x, 3),
        lambda x: torch.combinations(x, 3),
        [R.standard_normal(4)],
        (0,),
    ),
    (
        "combinations repl",
        lambda x: autobp.combinations(x, 2, with_replacement=True),
        lambda x: torch.combinations(x, 2, with_replacement=True),
        [R.standard_normal(3)],
        (0,),
    ),
    ("polar", autobp.polar, torch.polar, [R.random(3) + 0.5, R.standard_normal(3)], (0, 1)),
    ("complex", autobp.complex, torch.complex, [R.standard_normal(3), R.standard_normal(3)], (0, 1)),
    (
        "view_as_real",
        autobp.view_as_real,
        torch.view_as_real,
        [R.standard_normal(3) + 1j * R.standard_normal(3)],
        (0,),
    ),
    ("view_as_complex", autobp.view_as_complex, torch.view_as_complex, [R.standard_normal((3, 2))], (0,)),
    (
        "dist",
        lambda a, b: autobp.dist(a, b, 3),
        lambda a, b: torch.dist(a, b, 3),
        [R.standard_normal((2, 3)), R.standard_normal(3)],
        (0, 1),
    ),
    (
        "renorm",
        lambda x: autobp.renorm(x, 2, 0, 1.0),
        lambda x: torch.renorm(x, 2, 0, 1.0),
        [R.standard_normal((3, 4))],
        (0,),
    ),
    (
        "diag_embed",
        lambda x: autobp.diag_embed(x, 1, 0, 2),
        lambda x: torch.diag_embed(x, 1, 0, 2),
        [R.standard_normal((2, 3))],
        (0,),
    ),
    (
        "diag_embed neg",
        lambda x: autobp.diag_embed(x, -1),
        lambda x: torch.diag_embed(x, -1),
        [R.standard_normal((2, 3))],
        (0,),
    ),
    (
        "index_copy",
        lambda x, s: autobp.index_copy(x, 1, np.array([2, 0]), s),
        lambda x, s: torch.index_copy(x, 1, torch.tensor([2, 0]), s),
        [R.standard_normal((3, 4)), R.standard_normal((3, 2))],
        (0, 1),
    ),
    (
        "index_fill",
        lambda x: autobp.index_fill(x, 0, np.array([1]), -2.0),
        lambda x: torch.index_fill(x, 0, torch.tensor([1]), -2.0),
        [R.standard_normal((3, 4))],
        (0,),
    ),
    (
        "masked_scatter",
        lambda x, s: autobp.masked_scatter(x, np.array([True, False, True]), s),
        lambda x, s: torch.masked_scatter(x, torch.tensor([True, False, True]), s),
        [R.standard_normal((2, 3)), R.standard_normal((2, 3))],
        (0, 1),
    ),
    (
        "take_along_dim",
        lambda x: autobp.take_along_dim(x, np.array([[0, 2], [1, 1]]), 1),
        lambda x: torch.take_along_dim(x, torch.tensor([[0, 2], [1, 1]]), 1),
        [R.standard_normal((2, 3))],
        (0,),
    ),
    (
        "take_along_dim flat",
        lambda x: autobp.take_along_dim(x, np.array([4, 0])),
        lambda x: torch.take_along_dim(x, torch.tensor([4, 0])),
        [R.standard_normal((2, 3))],
        (0,),
    ),
    ("msort", autobp.msort, torch.msort, [R.standard_normal((3, 2))], (0,)),
    (
        "split_with_sizes",
        lambda x: autobp.split_with_sizes(x, [1, 3], 1),
        lambda x: torch.split_with_sizes(x, [1, 3], 1),
        [R.standard_normal((2, 4))],
        (0,),
    ),
    ("pdist", autobp.pdist, torch.pdist, [R.standard_normal((4, 3))], (0,)),
    (
        "pdist p=1",
        lambda x: autobp.pdist(x, 1),
        lambda x: torch.pdist(x, 1),
        [R.standard_normal((3, 2))],
        (0,),
    ),
    ("sgn complex", autobp.sgn, torch.sgn, [np.array([1 + 2j, -3 + 0.5j, 0j])], (0,)),
    ("lgamma", autobp.lgamma, torch.lgamma, [R.random(3) * 3 + 0.2], (0,)),
    ("digamma", autobp.digamma, torch.digamma, [R.random(3) * 3 + 0.2], (0,)),
    (
        "polygamma",
        lambda x: autobp.polygamma(2, x),
        lambda x: torch.polygamma(2, x),
        [R.random(3) * 3 + 0.2],
        (0,),
    ),
    (
        "mvlgamma",
        lambda x: autobp.mvlgamma(x, 3),
        lambda x: torch.mvlgamma(x, 3),
        [R.random(3) * 3 + 1.5],
        (0,),
    ),
    ("det", autobp.det, torch.det, [R.standard_normal((2, 3, 3))], (0,)),
    ("logdet", autobp.logdet, torch.logdet, [spd(3)], (0,)),
    (
        "slogdet",
        lambda a: tuple(autobp.slogdet(a)),
        lambda a: tuple(torch.slogdet(a)),
        [R.standard_normal((3, 3))],
        (0,),
    ),
    ("pinverse", autobp.pinverse, torch.pinverse, [R.standard_normal((3, 2))], (0,)),
    (
        "matrix_power",
        lambda a: autobp.matrix_power(a, 3),
        lambda a: torch.matrix_power(a, 3),
        [R.standard_normal((3, 3))],
        (0,),
    ),
    ("matrix_exp", autobp.matrix_exp, torch.matrix_exp, [0.3 * R.standard_normal((3, 3))], (0,)),
    (
        "cholesky upper",
        lambda a: autobp.cholesky((a + a.T) / 2, upper=True),
        lambda a: torch.cholesky((a + a.T) / 2, upper=True),
        [spd(3)],
        (0,),
    ),
    (
        "cholesky_solve",
        lambda b, a: autobp.cholesky_solve(b, autobp.linalg.cholesky((a + a.T) / 2)),
        lambda b, a: torch.cholesky_solve(b, torch.linalg.cholesky((a + a.T) / 2)),
        [R.standard_normal((3, 2)), spd(3)],
        (0, 1),
    ),
    (
        "cholesky_inverse",
        lambda a: autobp.cholesky_inverse(autobp.linalg.cholesky((a + a.T) / 2), upper=False),
        lambda a: torch.cholesky_inverse(torch.linalg.cholesky((a + a.T) / 2)),
        [spd(3)],
        (0,),
    ),
    ("qr", lambda a: tuple(autobp.qr(a)), lambda a: tuple(torch.qr(a)), [R.standard_normal((4, 3))], (0,)),
    ("svd values", lambda a: autobp.svd(a)[1], lambda a: torch.svd(a)[1], [R.standard_normal((4, 3))], (0,)),
    (
        "svd reconstruct",
        lambda a: (lambda u, s, v: (u * s) @ v.T)(*autobp.svd(a)),
        lambda a: (lambda u, s, v: (u * s) @ v.T)(*torch.svd(a)),
        [R.standard_normal((4, 3))],
        (0,),
    ),
]


def _run(fa, ft, arrays, wrt):
    A = [Tensor(a, requires_grad=i in wrt) for i, a in enumerate(arrays)]
    T = [torch.tensor(a, requires_grad=i in wrt) for i, a in enumerate(arrays)]
    outs_a, outs_t = _flat(fa(*A)), _flat(ft(*T))
    assert len(outs_a) == len(outs_t)
    loss_a, loss_t, rng = 0.0, 0.0, np.random.default_rng(5)
    for oa, ot in zip(outs_a, outs_t):
        want = ot.detach().numpy()
        assert oa.shape == want.shape
        np.testing.assert_allclose(oa.data, want, rtol=1e-10, atol=1e-12)
        if not (ot.dtype.is_floating_point or ot.dtype.is_complex) or not ot.requires_grad:
            continue
        w = rng.standard_normal(want.shape)
        if ot.dtype.is_complex:
            loss_a = loss_a + (oa.real * w).sum() + (oa.imag * (2 * w)).sum()
            loss_t = loss_t + (ot.real * torch.tensor(w)).sum() + (ot.imag * torch.tensor(2 * w)).sum()
        else:
            loss_a = loss_a + (oa * w).sum()
            loss_t = loss_t + (ot * torch.tensor(w)).sum()
    return A, T, loss_a, loss_t


@pytest.mark.parametrize("name, fa, ft, arrays, wrt", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_torch(name, fa, ft, arrays, wrt):
    A, T, loss_a, loss_t = _run(fa, ft, arrays, wrt)
    loss_a.backward()
    loss_t.backward()
    for i in wrt:
        assert A[i].grad is not None, (name, i)
        np.testing.assert_allclose(
            A[i].grad, T[i].grad.numpy(), rtol=1e-8, atol=1e-10, err_msg=f"{name} input {i}"
        )


SMOOTH = {
    "addmm",
    "addr",
    "baddbmm",
    "var_mean",
    "block_diag",
    "polar",
    "renorm",
    "diag_embed",
    "index_copy",
    "pdist",
    "lgamma",
    "det",
    "logdet",
    "matrix_exp",
    "cholesky_solve",
    "svd values",
}


@pytest.mark.parametrize(
    "name, fa, ft, arrays, wrt", [c for c in CASES if c[0] in SMOOTH], ids=sorted(SMOOTH)
)
def test_finite_differences_and_second_order(name, fa, ft, arrays, wrt):
    def f(*xs):
        full = [
            x if i in wrt else Tensor(a) for i, (x, a) in enumerate(zip(_fill(xs, wrt, len(arrays)), arrays))
        ]
        outs = _flat(fa(*full))
        return outs[0] if len(outs) == 1 else sum((o * (k + 1)).sum() for k, o in enumerate(outs))

    inputs = [Tensor(arrays[i], requires_grad=True) for i in wrt]
    assert autobp.gradcheck(f, inputs)
    assert autobp.gradgradcheck(f, inputs)


def _fill(xs, wrt, n):
    it = iter(xs)
    return [next(it) if i in wrt else None for i in range(n)]


def test_bucketize_mode_unique_consecutive_and_predicates():
    b, x = np.array([1.0, 3.0, 5.0]), np.array([0.5, 1.0, 3.0, 4.0, 6.0])
    for right in (False, True):
        got = autobp.bucketize(Tensor(x), Tensor(b), right=right)
        assert np.array_equal(
            got.data, torch.bucketize(torch.tensor(x), torch.tensor(b), right=right).numpy()
        )
    assert autobp.bucketize(Tensor(x), b, out_int32=True).dtype == np.int32
    a = np.array([[1.0, 2.0, 2.0, 3.0, 3.0], [4.0, 4.0, 1.0, 1.0, 0.0]])
    values, indices = autobp.mode(Tensor(a), 1)
    tv, _ = torch.mode(torch.tensor(a), 1)
    assert np.array_equal(values.data, tv.numpy())  # the smallest of the most frequent
    assert np.array_equal(a[np.arange(2), indices.data], values.data)
    seq = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    got = autobp.unique_consecutive(Tensor(seq), return_inverse=True, return_counts=True)
    want = torch.unique_consecutive(torch.tensor(seq), return_inverse=True, return_counts=True)
    for g, w in zip(got, want):
        assert np.array_equal(g.data, w.numpy())
    assert autobp.is_nonzero(Tensor([0.5])) and not autobp.is_nonzero(Tensor([0.0]))
    with pytest.raises(RuntimeError, match="truth value"):
        autobp.is_nonzero(Tensor([1.0, 2.0]))
    assert autobp.is_floating_point(Tensor([1.0])) and not autobp.is_floating_point(Tensor([1]))


def test_tensor_methods_match_torch():
    a = R.standard_normal((3, 3))
    t, tt = Tensor(a), torch.tensor(a)
    assert t.type() == "autobp.DoubleTensor" and t.type(np.float32).dtype == np.float32
    assert t.short().dtype == np.int16 and t.byte().dtype == np.uint8 and t.char().dtype == np.int8
    assert t.cfloat().dtype == np.complex64 and t.cdouble().dtype == np.complex128
    assert t.ndimension() == 2 and t.is_signed() and not Tensor(np.array([1], np.uint8)).is_signed()
    assert t.is_same_size(np.zeros((3, 3))) and not t.is_same_size(np.zeros(3))
    assert t.is_cpu and t.get_device() == -1 and not t.is_conj() and not t.is_neg()
    assert t.equal(Tensor(a.copy())) and not t.equal(Tensor(a[:2])) and not t.equal(a + 1)
    assert t.new(2, 3).shape == (2, 3) and t.new([1, 2]).dtype == np.float64
    np.testing.assert_allclose(t.det().data, tt.det().numpy())
    pos = np.abs(a) + 1
    np.testing.assert_allclose(Tensor(pos).polygamma(1).data, torch.tensor(pos).polygamma(1).numpy())
    np.testing.assert_allclose(t.addmm(t, t, alpha=2).data, tt.addmm(tt, tt, alpha=2).numpy())
    s = Tensor(R.standard_normal((2, 3, 4)))
    np.testing.assert_allclose(s.sum_to_size(3, 1).data, torch.tensor(s.data).sum_to_size(3, 1).numpy())
    with pytest.raises(ValueError, match="not expandable"):
        s.sum_to_size(2, 4)
    x = np.array([3.0, 1.0, 3.0, 2.0])
    vals, inv, counts = Tensor(x).unique(return_inverse=True, return_counts=True)
    tv, ti, tc = torch.tensor(x).unique(return_inverse=True, return_counts=True)
    for g, w in ((vals, tv), (inv, ti), (counts, tc)):
        assert np.array_equal(g.data, w.numpy())


@pytest.mark.parametrize(
    "name, args",
    [
        ("acos_", ()),
        ("atan2_", (0.7,)),
        ("hypot_", (2.0,)),
        ("lt_", (0.1,)),
        ("tril_", ()),
        ("cumsum_", (1,)),
        ("frac_", ()),
        ("lgamma_", ()),
        ("logit_", ()),
        ("remainder_", (0.3,)),
    ],
)
def test_inplace_forms_match_torch_and_record(name, args):
    a = R.random((2, 3)) * 0.8 + 0.1
    x = Tensor(a, requires_grad=True)
    tx = torch.tensor(a, requires_grad=True)
    y, ty = x * 1.0, tx * 1.0
    out = getattr(y, name)(*args)
    targs = [torch.tensor(v, dtype=torch.float64) if isinstance(v, float) else v for v in args]
    tout = getattr(ty, name)(*targs)
    assert tout is ty
    assert out is y  # in place: the tensor itself, changed
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    if name != "lt_":  # a comparison's result has no gradient
        (y * np.arange(6.0).reshape(2, 3)).sum().backward()
        (ty * torch.arange(6.0, dtype=torch.float64).reshape(2, 3)).sum().backward()
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10)
    with pytest.raises(RuntimeError, match="leaf"):
        getattr(Tensor(a, requires_grad=True), name)(*args)


def test_default_dtype_is_float64_and_only_floating_dtypes_can_be_set():
    assert autobp.get_default_dtype() is np.float64
    autobp.set_default_dtype(np.float64)  # PyTorch code that asks for float64 runs unchanged
    assert autobp.tensor([1.5]).dtype == np.float64
    with pytest.raises(TypeError, match="int32.*only floating-point"):
        autobp.set_default_dtype(np.int32)
    assert autobp.get_default_dtype() is np.float64  # a refusal changes nothing


@pytest.mark.parametrize(
    "n, r, repl", [(0, 2, False), (1, 2, False), (2, 4, False), (0, 2, True), (3, 0, False), (0, 0, True)]
)
def test_combinations_empty_shapes_as_torch(n, r, repl):
    """No combination: PyTorch's (0, r), and (0,) for r = 0."""
    want = torch.combinations(torch.arange(float(n), dtype=torch.float64), r, repl)
    got = autobp.combinations(autobp.arange(float(n)), r, with_replacement=repl)
    assert got.shape == tuple(want.shape) and got.dtype == want.numpy().dtype
