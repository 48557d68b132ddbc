"""autobp.func's transforms against torch.func on what torch's own functorch tests check: grad mode
around a transform, pytree arguments and outputs, argnums and has_aux checking, nesting."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, func

torch = pytest.importorskip("torch")
tfunc = torch.func

RNG = np.random.default_rng(7)
X = RNG.standard_normal(3)
Y = RNG.standard_normal(3)


def to_np(tree):
    """A pytree of autobp or torch tensors as numpy arrays (structure kept, lists and tuples as is)."""
    if isinstance(tree, dict):
        return {k: to_np(v) for k, v in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(to_np(v) for v in tree)
    if isinstance(tree, torch.Tensor):
        return tree.detach().numpy()
    if isinstance(tree, Tensor):
        return np.asarray(tree.detach().data)
    return np.asarray(tree)


def same(a, b):
    """Equal structure (container types included) and values."""
    a, b = to_np(a), to_np(b)
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            same(a[k], b[k])
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for u, v in zip(a, b):
            same(u, v)
    else:
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


# --- grad mode: a transform under no_grad/inference_mode still differentiates (was silently zero) ---


@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
def test_grad_under_no_grad_differentiates_and_returns_constants(mode):
    x, tx = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    with getattr(autobp, mode)():
        g = func.grad(lambda t: (t**3).sum())(x)
        v, _ = func.vjp(lambda t: t**2, x)
        _, jt = func.jvp(lambda t: t.sin(), (x,), (Tensor(Y),))
        j = func.jacrev(lambda t: t**2)(x)
        h = func.hessian(lambda t: (t**3).sum())(x)
    with getattr(torch, mode)():
        tg = tfunc.grad(lambda t: (t**3).sum())(tx)
        tv, _ = tfunc.vjp(lambda t: t**2, tx)
        _, tjt = tfunc.jvp(lambda t: t.sin(), (tx,), (torch.tensor(Y),))
        tj = tfunc.jacrev(lambda t: t**2)(tx)
        th = tfunc.hessian(lambda t: (t**3).sum())(tx)
    same((g, v, jt, j, h), (tg, tv, tjt, tj, th))
    assert not any(r.requires_grad for r in (g, v, jt, j, h))


def test_vjp_fn_follows_the_grad_mode_of_its_call():
    def h(t):
        return t**2

    x = Tensor(np.array(3.0), requires_grad=True)
    with autobp.no_grad():
        out, vjp_fn = func.vjp(h, x)
    (y,) = vjp_fn(Tensor(np.array(1.0)))
    # torch.func: out is off the graph, but a vjp_fn called with grad enabled records (dy/dx = 2)
    assert not out.requires_grad and y.requires_grad
    assert float(autobp.autograd.grad(y, x)[0].data) == 2.0
    out, vjp_fn = func.vjp(h, x)
    with autobp.no_grad():
        (y,) = vjp_fn(Tensor(np.array(1.0)))
    assert out.requires_grad and not y.requires_grad
    assert float(y.data) == 6.0


def test_grad_under_no_grad_inside_grad_is_a_constant():
    def h(t):
        with autobp.no_grad():
            shift = func.grad(lambda s: 0.25 * s**4)(t)
        return t**3 - shift

    def th(t):
        with torch.no_grad():
            shift = tfunc.grad(lambda s: 0.25 * s**4)(t)
        return t**3 - shift

    x = np.array(1.5)
    same(func.grad(func.grad(h))(Tensor(x)), tfunc.grad(tfunc.grad(th))(torch.tensor(x)))


# --- pytree arguments and outputs (a tuple argument was stacked into one array) ---


@pytest.mark.parametrize("jac", ["jacrev", "jacfwd"])
def test_jacobian_of_a_tuple_argument_keeps_its_structure(jac):
    def f(x, y):
        return x.sum(), y.sum(), x * y

    def make(lib):
        return lambda inputs: f(*inputs)

    got = getattr(func, jac)(make(autobp))((Tensor(X), Tensor(Y)))
    want = getattr(tfunc, jac)(make(torch))((torch.tensor(X), torch.tensor(Y)))
    same(got, want)


@pytest.mark.parametrize("jac", ["jacrev", "jacfwd"])
def test_jacobian_of_pytree_outputs_and_arguments(jac):
    def f(a, b, c):
        return [a[0] + a[1] * 2, {"foo": b * 3 + c.sin(), "bar": (a[0] * b,)}]

    args = ((X, Y), Y, X)
    for argnums in (0, (0,), (0, 1), (2, 0)):
        got = getattr(func, jac)(f, argnums=argnums)(
            *[tuple(map(Tensor, a)) if isinstance(a, tuple) else Tensor(a) for a in args]
        )
        want = getattr(tfunc, jac)(f, argnums=argnums)(
            *[tuple(map(torch.tensor, a)) if isinstance(a, tuple) else torch.tensor(a) for a in args]
        )
        same(got, want)


def test_hessian_of_a_tuple_argument():
    def f(inputs):
        x, y = inputs
        return ((x.relu() * x) @ y.sin()).sum()

    same(func.hessian(f)((Tensor(X), Tensor(Y))), tfunc.hessian(f)((torch.tensor(X), torch.tensor(Y))))


def test_vjp_with_pytree_primals_outputs_and_cotangents():
    def f(p, z):
        return {"s": p["a"] * p["b"][0], "t": [z.exp(), (p["b"][1] * z).sum()]}

    def prim(lib):
        t = Tensor if lib is autobp else torch.tensor
        return {"a": t(X), "b": (t(Y), t(X))}, t(Y)

    out, vjp_fn = func.vjp(f, *prim(autobp))
    tout, tvjp_fn = tfunc.vjp(f, *prim(torch))
    same(out, tout)
    ct = {"s": Y, "t": [X, np.array(2.0)]}
    tct = {"s": torch.tensor(Y), "t": [torch.tensor(X), torch.tensor(2.0)]}
    same(vjp_fn(ct), tvjp_fn(tct))
    with pytest.raises(RuntimeError, match="pytree structure of cotangents"):
        vjp_fn({"s": Y})


def test_jvp_and_linearize_with_pytree_primals_and_outputs():
    def f(arg):
        return {"a": arg["x"].sum(), "b": {"c": arg["yz"][0] + arg["yz"][1], "d": (arg["x"] * arg["yz"][1],)}}

    p, t = {"x": X, "yz": (Y, X)}, {"x": Y, "yz": (X, Y)}

    def conv(tree, make):
        return {"x": make(tree["x"]), "yz": tuple(map(make, tree["yz"]))}

    got = func.jvp(f, (conv(p, Tensor),), (conv(t, Tensor),))
    want = tfunc.jvp(f, (conv(p, torch.tensor),), (conv(t, torch.tensor),))
    same(got, want)
    out, jvp_fn = func.linearize(f, conv(p, Tensor))
    same((out, jvp_fn(conv(t, Tensor))), want)


# --- argument and output checking: RuntimeError as torch.func (and autobp's old ValueError/TypeError) ---


@pytest.mark.parametrize(
    "argnums, match",
    [
        (-3, "but only 2 positional"),
        (2, "but only 2 positional"),
        (("0",), "must be int"),
        ((0, 0), "must be unique"),
        ((0, -2), "must be unique"),
        ((), "must be non-empty"),
        (0.0, "int or Tuple"),
    ],
)
def test_bad_argnums_raise_as_torch(argnums, match):
    x = Tensor(X)
    for transform in (func.grad, func.jacrev, func.jacfwd):
        with pytest.raises(RuntimeError, match=match):
            transform(lambda a, b: (a * b).sum(), argnums=argnums)(x, x)
        with pytest.raises(RuntimeError, match=match):
            getattr(tfunc, transform.__name__)(lambda a, b: (a * b).sum(), argnums=argnums)(
                torch.tensor(X), torch.tensor(X)
            )


def test_has_aux_needs_a_pair_and_outputs_must_be_tensors():
    x = Tensor(X)
    with pytest.raises(RuntimeError, match="should be a tuple"):
        func.grad(lambda t: (t.sum(), t, t), has_aux=True)(x)
    with pytest.raises(RuntimeError, match="should be a tuple"):
        func.vjp(lambda t: (t, t + 2, t + 3), x, has_aux=True)
    with pytest.raises(RuntimeError, match="non-empty output"):
        func.vjp(lambda t: (), x)
    with pytest.raises(RuntimeError, match="only tensors"):
        func.jacrev(lambda t: [t, 1.0])(x)
    with pytest.raises(RuntimeError, match="independent of the inputs"):
        func.jvp(lambda t: (t, Tensor(Y)), (x,), (x,), strict=True)
    with pytest.raises(RuntimeError, match="same python structure"):
        func.jvp(lambda t: t, (x,), (x, x))
    with pytest.raises(ValueError, match="chunk_size"):
        func.jacrev(lambda t: t, chunk_size=0)


def test_transformed_functions_keep_the_name_of_fn():
    def my_fn(x):
        return x.sum()

    for transform in (func.grad, func.grad_and_value, func.jacrev, func.jacfwd, func.vmap):
        assert transform(my_fn).__name__ == getattr(tfunc, transform.__name__)(my_fn).__name__ == "my_fn"


# --- vmap: out_dims=None was ignored, OrderedDict came back a dict, error messages ---


def test_vmap_out_dims_none_returns_the_unbatched_output():
    x = RNG.standard_normal((2, 3))
    got = func.vmap(lambda t: autobp.arange(3.0), out_dims=None)(Tensor(x))
    want = tfunc.vmap(lambda t: torch.arange(3.0, dtype=torch.float64), out_dims=None)(torch.tensor(x))
    same(got, want)
    got = func.vmap(lambda t: (t.sin(), "hello"), out_dims=(0, None))(Tensor(x))
    want = tfunc.vmap(lambda t: (t.sin(), "hello"), out_dims=(0, None))(torch.tensor(x))
    same(got[0], want[0])
    assert got[1] == want[1] == "hello"
    for lib, mapped in ((autobp, func.vmap), (torch, tfunc.vmap)):
        with pytest.raises(ValueError, match="out_dim"):  # a batched output cannot have out_dims None
            mapped(lambda t: t, out_dims=None)(lib.ones((2, 3)) * lib.arange(2.0).reshape(2, 1))


def test_vmap_pytree_outputs_keep_their_types_and_out_dims_trees():
    from collections import OrderedDict

    x = RNG.standard_normal((2, 3))

    def f(t):
        y = t.sin()
        return OrderedDict([("sin", y), ("cos", t.cos())]), (y, [y, (y,)])

    for out_dims in (0, 1, (1, [0, (1,)])):
        got = func.vmap(f, out_dims=(0, out_dims))(Tensor(x))
        want = tfunc.vmap(f, out_dims=(0, out_dims))(torch.tensor(x))
        assert type(got[0]) is OrderedDict and list(got[0]) == ["sin", "cos"]
        same(got, want)
    same(
        func.vmap(lambda t: t, out_dims=(1,))(Tensor(x)),
        tfunc.vmap(lambda t: t, out_dims=(1,))(torch.tensor(x)),
    )


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m, lib: m(lib.mul)(lib.ones(2), lib.ones(3)), "same size in the mapped dimension"),
        (lambda m, lib: m(lambda: lib.ones(3))(), "got no inputs"),
        (lambda m, lib: m(lambda x: x, (None,))(1), "at least one Tensor"),
        (lambda m, lib: m(lambda x: x)(lib.ones(())), "Tensor of dimensionality 0"),
        (
            lambda m, lib: m(lib.sum)(lib.ones((2, 3)), 0),
            "Got in_dim=0 for an input but the input is of type",
        ),
        (lambda m, lib: m(lib.mul, (0, 0, 0))(lib.ones(3), lib.ones(3)), "not compatible with the structure"),
        (lambda m, lib: m(lambda x: x, out_dims=(0, 0))(lib.ones(3)), "not compatible"),
        (
            lambda m, lib: m(lambda x: x, out_dims="lol")(lib.ones(3)),
            "must be an int, None or a python collection",
        ),
        (lambda m, lib: m(lambda x: x, out_dims=3)(lib.ones((2, 3, 5))), "Dimension out of range"),
    ],
)
def test_vmap_errors_as_torch(call, match):
    for lib, mapped in ((autobp, func.vmap), (torch, tfunc.vmap)):
        with pytest.raises(ValueError if "Dimension" not in match else IndexError, match=match):
            call(mapped, lib)


@pytest.mark.parametrize("jac", ["jacrev", "jacfwd"])
def test_jacobians_refuse_complex_inputs_and_outputs_as_torch(jac):
    # jacrev of a complex output of a real input returned zeros before
    cases = [
        (np.array([1 + 2j]), lambda t: t.conj(), "inputs"),
        (np.array([1.0]), lambda t: (t * 0.5j).conj(), "outputs"),
    ]
    for x, f, what in cases:
        with pytest.raises(RuntimeError, match=f"{jac}: Expected all {what} to be real"):
            getattr(func, jac)(f)(Tensor(x))
        with pytest.raises(RuntimeError, match=f"{jac}: Expected all {what} to be real"):
            getattr(tfunc, jac)(f)(torch.tensor(x))


# --- JAX-style composition: the transforms nest in any order, with pytrees, as torch.func's ---

W4 = RNG.standard_normal((3, 4))
X4 = RNG.standard_normal((5, 4))


def _compositions(lib, F):
    t = Tensor if lib is autobp else torch.tensor
    p, x, y = {"w": t(W4), "b": t(np.array(0.5))}, t(X4), t(X[:2].repeat(3)[:5])

    def f(p, x, y):
        return (((p["w"] @ x).tanh().sum() * p["b"] - y) ** 2).sum()

    return {
        "vmap_of_grad_per_example": lambda: F.vmap(F.grad(f), in_dims=(None, 0, 0))(p, x, y),
        "grad_of_grad": lambda: F.grad(lambda b: F.grad(lambda c: (c**3).sin().sum())(b).sum())(t(Y)),
        "jacrev_of_jacfwd": lambda: F.jacrev(F.jacfwd(lambda v: (v**3).sin()))(t(Y)),
        "jvp_inside_grad": lambda: F.grad(lambda v: F.jvp(lambda u: (u**2).sin().sum(), (v,), (v,))[1])(t(Y)),
        "hessian_of_a_dict": lambda: F.hessian(lambda q: f(q, x[0], y[0]))(p),
        "vmap_of_jacrev_argnums": lambda: F.vmap(F.jacrev(f, argnums=(0, 1)), in_dims=(None, 0, 0))(p, x, y),
        "vmap_of_vmap_out_dims": lambda: F.vmap(
            F.vmap(lambda a, b: (a * b, a.sum()), in_dims=(0, None), out_dims=(1, 0)), in_dims=(None, 0)
        )(t(W4), t(Y)),
        "vjp_of_vmap": lambda: F.vjp(F.vmap(lambda a: a.sin() * a.sum()), t(W4))[1](t(W4)),
        "jacfwd_of_grad_with_aux": lambda: F.jacfwd(
            F.grad(lambda v: ((v**3).sum(), v.sum()), has_aux=True), has_aux=True
        )(t(Y)),
        "vmap_of_linearize": lambda: F.vmap(F.linearize(lambda v: v.sin() * 2, t(X4[0]))[1])(t(X4)),
        "grad_and_value_with_aux": lambda: F.grad_and_value(
            lambda v, w: ((v * w).sum(), {"s": v * 2}), argnums=(0, 1), has_aux=True
        )(t(Y), t(Y)),
    }


@pytest.mark.parametrize("name", list(_compositions(autobp, func)))
def test_compositions_match_torch_func(name):
    same(_compositions(autobp, func)[name](), _compositions(torch, tfunc)[name]())


def test_jvp_lets_f_write_into_its_primals_as_torch():
    def f(x, y):
        view = x[:, ::2]
        view.copy_(y * 2)
        return view, x

    def run(lib, F):
        t = Tensor if lib is autobp else torch.tensor
        x, y = t(W4.copy()), t(W4[:, :2].copy())
        res = F.jvp(f, (x, y), (t(X4[:3]), t(X4[:3, :2])))
        return res, x  # the caller's x is written, as torch's dual primal is

    same(run(autobp, func), run(torch, tfunc))
    x = Tensor(W4.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="in.place"):
        func.jvp(lambda t: t.mul_(2), (x,), (Tensor(W4),))
