"""checkpoint gaps found by PyTorch's TestNestedCheckpoint (sixth session), torch as the oracle."""

import numpy as np
import pytest
from autobp.utils.checkpoint import checkpoint, set_checkpoint_early_stop

import autobp

torch = pytest.importorskip("torch")
from torch.utils.checkpoint import checkpoint as tcheckpoint  # noqa: E402


def _grad(lib, fn):
    def wrapper(x):
        with lib.enable_grad():
            (g,) = lib.autograd.grad(fn(x), inputs=(x,), create_graph=True)
        return g

    return wrapper


def _g(lib):
    def g(x):  # differentiates its own intermediates: checkpoint must run it with grad enabled
        a = x.sin().exp().sin()
        (ga,) = lib.autograd.grad(a, x)
        return x.sin() * ga.detach()

    return g


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_checkpoint_of_a_function_calling_autograd_grad(depth):
    # autobp ran fn under no_grad: "outputs[0] does not require grad"
    res = []
    for lib, ck in ((autobp, checkpoint), (torch, tcheckpoint)):
        fn = _g(lib)
        wrapped = lambda x, fn=fn, ck=ck: ck(fn, x, use_reentrant=False)  # noqa: E731
        for _ in range(depth):
            wrapped = _grad(lib, wrapped)
        x = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
        out = wrapped(x)
        (gx,) = lib.autograd.grad(out, x)
        res.append((float(out), float(gx)))
    np.testing.assert_allclose(res[0], res[1], rtol=1e-12)


def _nested(lib, ck):
    def c(f):
        return lambda x: ck(f, x, use_reentrant=False)

    def f(x):
        return x.sin().exp().sin()

    x = lib.tensor([0.3, -1.2], dtype=lib.float64, requires_grad=True)
    h = _grad(lib, lambda x: c(_grad(lib, lambda y: c(f)(y).sum()))(x).sum())
    return h(x).detach().numpy()


def test_nested_checkpoint_inside_grad_inside_checkpoint():
    np.testing.assert_allclose(_nested(autobp, checkpoint), _nested(torch, tcheckpoint), rtol=1e-12)


@pytest.mark.parametrize("early_stop", [True, False, None])
def test_early_stop_keyword_and_context_manager_are_taken(early_stop):
    # early_stop was passed on to fn (TypeError); set_checkpoint_early_stop was missing
    grads = []
    for lib, ck, ctx in ((autobp, checkpoint, set_checkpoint_early_stop), (torch, tcheckpoint, None)):
        ctx = ctx or torch.utils.checkpoint.set_checkpoint_early_stop
        a = lib.tensor(1.3, dtype=lib.float64, requires_grad=True)
        with ctx(early_stop is not False):
            kw = {} if early_stop is None else {"early_stop": early_stop}
            out = ck(lambda x: x.sin().cos().clone(), a, use_reentrant=False, **kw)
        out.backward()
        grads.append(float(a.grad))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_early_stop_must_be_a_bool():
    with pytest.raises(TypeError):
        with set_checkpoint_early_stop(1):
            pass


def test_curried_checkpoint_keywords_go_to_the_function():
    # checkpoint(use_reentrant=False)(fn): a decorator; every keyword of the call is fn's
    def fn(a, preserve_rng_state, use_reentrant, early_stop):
        return a.sin() * preserve_rng_state * use_reentrant * early_stop

    a = autobp.tensor(2.0, requires_grad=True)
    out = checkpoint(use_reentrant=False, preserve_rng_state=False)(fn)(
        a, preserve_rng_state=2, use_reentrant=3, early_stop=5
    )
    (got,) = autobp.autograd.grad(out, (a,))
    t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (want,) = torch.autograd.grad(fn(t, preserve_rng_state=2, use_reentrant=3, early_stop=5), (t,))
    np.testing.assert_allclose(float(got), float(want), rtol=1e-12)


def test_curried_checkpoint_on_a_method_and_a_zero_argument_function():
    class Model:
        @checkpoint(use_reentrant=False)
        def fn(self, x, scale):
            return x.sin() * scale

    x = autobp.tensor(2.0, requires_grad=True)
    scale = autobp.tensor(3.0, requires_grad=True)
    got = autobp.autograd.grad(Model().fn(x, scale), (x, scale))
    tx = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ts = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    want = torch.autograd.grad(tx.sin() * ts, (tx, ts))
    np.testing.assert_allclose([float(g) for g in got], [float(w) for w in want], rtol=1e-12)

    a = autobp.tensor(2.0, requires_grad=True)
    out = checkpoint(use_reentrant=False)(lambda: a.sin().exp())()
    (g,) = autobp.autograd.grad(out, (a,))
    ta = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (tg,) = torch.autograd.grad(ta.sin().exp(), (ta,))
    np.testing.assert_allclose(float(g), float(tg), rtol=1e-12)
    with pytest.raises(TypeError):
        checkpoint(None, a)
