"""``autobp.autograd.functional`` has ``torch.autograd.functional``'s signatures and semantics
(``vjp(func, inputs, v)`` returns ``(outputs, vjp)``, create_graph, strict), checked against torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

AF, TF = autobp.autograd.functional, torch.autograd.functional


def _np(x):
    if isinstance(x, (tuple, list)):
        return [_np(t) for t in x]
    return np.asarray(x.detach())


def _close(a, b):
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for x, y in zip(a, b):
            _close(x, y)
        return
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def _both(make):
    """make(lib) -> result, run on the same float64 data in autobp and torch."""
    return _np(make(autobp)), _np(make(torch))


X = np.array([[0.3, -1.2, 0.8], [1.5, 0.2, -0.7]])
Y = np.array([[0.9, 0.1, -0.4], [-1.1, 0.6, 0.5]])


def _in(lib, a):
    return lib.tensor(a, dtype=lib.float64)


def f2(x, y):
    return (x * y.sin()).sum(1), x.exp() * y


@pytest.mark.parametrize("name", ["vjp", "jvp"])
def test_vjp_and_jvp_values(name):
    def make(lib):
        F = AF if lib is autobp else TF
        x, y = _in(lib, X), _in(lib, Y)
        if name == "vjp":
            v = (_in(lib, [1.0, -2.0]), _in(lib, Y * 0.5))
        else:
            v = (_in(lib, Y), _in(lib, X))
        out, res = getattr(F, name)(f2, (x, y), v)
        return list(out) + list(res)

    a, b = _both(make)
    _close(a, b)


@pytest.mark.parametrize("name", ["vhp", "hvp"])
def test_hessian_vector_products(name):
    def make(lib):
        F = AF if lib is autobp else TF
        x, y = _in(lib, X), _in(lib, Y)
        out, res = getattr(F, name)(lambda a, b: (a * a * b.exp()).sum(), (x, y), (_in(lib, Y), _in(lib, X)))
        return [out] + list(res)

    a, b = _both(make)
    _close(a, b)


@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobian_and_hessian(vectorize):
    def make(lib):
        F = AF if lib is autobp else TF
        x, y = _in(lib, X), _in(lib, Y)
        jac = F.jacobian(f2, (x, y), vectorize=vectorize)
        hes = F.hessian(lambda a, b: (a.sin() * b).sum(), (x, y), vectorize=vectorize)
        return [list(r) for r in jac] + [list(r) for r in hes]

    a, b = _both(make)
    _close(a, b)


def test_results_are_constants_unless_create_graph_and_then_differentiable():
    def run(lib):
        F = AF if lib is autobp else TF
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        v = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        out, g = F.vjp(lambda a: (a**3).sum(1), x, v)
        flags = [out.requires_grad, g.requires_grad]
        with lib.no_grad():
            out, g = F.vjp(lambda a: (a**3).sum(1), x, v, create_graph=True)
        flags += [out.requires_grad, g.requires_grad]
        gx, gv = lib.autograd.grad((g * g).sum(), (x, v))
        return flags, _np(gx), _np(gv)

    a, b = run(autobp), run(torch)
    assert a[0] == b[0]
    _close(a[1], b[1])
    _close(a[2], b[2])


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_argument_errors_in_pytorchs_words(lib):
    F = AF if lib is autobp else TF
    inp = lib.ones(4)
    with pytest.raises(TypeError, match="The inputs given to vjp must be either a Tensor"):
        F.vjp(lambda a: a * 3, (inp, 2), lib.ones(4))
    with pytest.raises(TypeError, match="The outputs of the user-provided function given to jvp must"):
        F.jvp(lambda a: (a * 3, "bar"), inp, lib.ones(4))
    with pytest.raises(RuntimeError, match="The vector v can only be None if the user-provided function"):
        F.vjp(lambda a: a * 3, inp)
    with pytest.raises(RuntimeError, match="v has invalid size"):
        F.vjp(lambda a: a * 3, inp, lib.ones(2))
    with pytest.raises(RuntimeError, match="should contain a single element"):
        F.hessian(lambda a: a * 3, inp)
    with pytest.raises(RuntimeError, match="not supported together"):
        F.jacobian(lambda a: a, inp, strict=True, vectorize=True)


@pytest.mark.parametrize("lib", [autobp, torch], ids=["autobp", "torch"])
def test_strict_mode(lib):
    F = AF if lib is autobp else TF
    inp, v = lib.ones(4), lib.ones(4)
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function does not require"):
        F.vjp(lambda a: a.detach(), inp, v, strict=True)
    _, g = F.vjp(lambda a: a.detach(), inp, v)
    assert float(g.abs().sum()) == 0.0
    with pytest.raises(RuntimeError, match="is independent of input 0"):
        F.vjp(lambda a: lib.ones(4, requires_grad=True) * 2, inp, v, strict=True)
    with pytest.raises(RuntimeError, match="jacobian of the user-provided function with respect to input 0"):
        F.hessian(lambda a: (3 * a).sum(), inp, strict=True)
