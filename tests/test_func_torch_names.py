"""autobp.func against torch.func: vjp, jvp, linearize, hessian, grad_and_value, has_aux, vmap's
in_dims/out_dims/kwargs/pytrees/randomness, and stack_module_state with functional_call (ensembles)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, func, nn

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(7)
X, Y = RNG.standard_normal(4), RNG.standard_normal((4, 3))


def pair(x, y, lib):  # two outputs of two inputs
    return lib.sin(x) * (x @ y).sum(), lib.tanh(x @ y)


def scalar(x, y, lib):
    return (lib.tanh(x) ** 3).sum() * (x @ y).sum() + (y**2).sum()


def close(a, b, rtol=1e-12):
    if isinstance(b, (tuple, list)):
        assert isinstance(a, (tuple, list)) and len(a) == len(b)
        for u, v in zip(a, b):
            close(u, v, rtol)
        return
    np.testing.assert_allclose(
        np.asarray(a.data if isinstance(a, Tensor) else a), b.detach().numpy(), rtol=rtol
    )


def test_vjp_matches_torch_for_several_outputs_and_inputs():
    out, vjp_fn = func.vjp(lambda x, y: pair(x, y, autobp), Tensor(X), Tensor(Y))
    t_out, t_vjp = torch.func.vjp(lambda x, y: pair(x, y, torch), torch.tensor(X), torch.tensor(Y))
    close(out, t_out)
    u = (RNG.standard_normal(4), RNG.standard_normal(3))
    got = vjp_fn(u)
    assert isinstance(got, tuple) and len(got) == 2
    close(got, t_vjp(tuple(torch.tensor(c) for c in u)))
    with pytest.raises(ValueError, match="one cotangent each"):
        vjp_fn(u[0])


def test_vjp_of_one_input_returns_a_one_tuple_and_aux():
    out, vjp_fn, aux = func.vjp(lambda x: (x * x, "aux"), Tensor(X), has_aux=True)
    assert aux == "aux"
    (g,) = vjp_fn(np.ones(4))
    np.testing.assert_allclose(g.data, 2 * X)


def test_jvp_matches_torch_with_aux():
    t = (RNG.standard_normal(4), RNG.standard_normal((4, 3)))
    out, jt, aux = func.jvp(
        lambda x, y: (pair(x, y, autobp), x.sum()),
        (Tensor(X), Tensor(Y)),
        tuple(map(Tensor, t)),
        has_aux=True,
    )
    t_out, t_jt, t_aux = torch.func.jvp(
        lambda x, y: (pair(x, y, torch), x.sum()),
        (torch.tensor(X), torch.tensor(Y)),
        tuple(map(torch.tensor, t)),
        has_aux=True,
    )
    close(out, t_out)
    close(jt, t_jt)
    close(aux, t_aux)
    with pytest.raises(TypeError, match="must be tuples"):
        func.jvp(lambda x: x, Tensor(X), Tensor(X))


def test_linearize_gives_the_jvp_for_every_tangent():
    out, jvp_fn = func.linearize(lambda x, y: pair(x, y, autobp), Tensor(X), Tensor(Y))
    t_out, t_jvp = torch.func.linearize(lambda x, y: pair(x, y, torch), torch.tensor(X), torch.tensor(Y))
    close(out, t_out)
    for _ in range(2):  # the kept graph serves several calls
        t = (RNG.standard_normal(4), RNG.standard_normal((4, 3)))
        close(jvp_fn(*t), t_jvp(*map(torch.tensor, t)))


def test_vjp_and_jvp_are_adjoint():
    # <u, J t> == <J^T u, t> for the same function at the same point
    t = (RNG.standard_normal(4), RNG.standard_normal((4, 3)))
    u = (RNG.standard_normal(4), RNG.standard_normal(3))
    _, jt = func.jvp(lambda x, y: pair(x, y, autobp), (Tensor(X), Tensor(Y)), tuple(map(Tensor, t)))
    _, vjp_fn = func.vjp(lambda x, y: pair(x, y, autobp), Tensor(X), Tensor(Y))
    lhs = sum(float((np.asarray(a) * j.data).sum()) for a, j in zip(u, jt))
    rhs = sum(float((g.data * np.asarray(b)).sum()) for g, b in zip(vjp_fn(u), t))
    assert lhs == pytest.approx(rhs, rel=1e-12)


@pytest.mark.parametrize("argnums", [0, 1, (0, 1)])
def test_hessian_matches_torch(argnums):
    got = func.hessian(lambda x, y: scalar(x, y, autobp), argnums)(Tensor(X), Tensor(Y))
    want = torch.func.hessian(lambda x, y: scalar(x, y, torch), argnums)(torch.tensor(X), torch.tensor(Y))
    close(got, want, rtol=1e-10)


def test_grad_and_value_and_jacrev_aux_match_torch():
    def f(lib):
        return lambda x, y: (scalar(x, y, lib), (x * 2).sum())

    g, (v, aux) = func.grad_and_value(f(autobp), argnums=(0, 1), has_aux=True)(Tensor(X), Tensor(Y))
    tg, (tv, taux) = torch.func.grad_and_value(f(torch), argnums=(0, 1), has_aux=True)(
        torch.tensor(X), torch.tensor(Y)
    )
    close(g, tg)
    close(v, tv)
    close(aux, taux)
    jac, aux = func.jacrev(lambda x: (autobp.sin(x) * x, x.sum()), has_aux=True)(Tensor(X))
    tjac, taux = torch.func.jacrev(lambda x: (torch.sin(x) * x, x.sum()), has_aux=True)(torch.tensor(X))
    close(jac, tjac)
    close(aux, taux)
    with pytest.raises(TypeError, match="pair"):
        func.jacfwd(lambda x: x, has_aux=True)(Tensor(X))


def test_vmap_torch_keywords_kwargs_and_pytrees():
    def f(params, x, scale=1.0):
        return (params["w"] @ x + params["b"]) * scale, x.sum()

    W, B, xs = RNG.standard_normal((5, 3, 4)), RNG.standard_normal((5, 3)), RNG.standard_normal((4, 5))
    got = func.vmap(f, in_dims=({"w": 0, "b": 0}, 1), out_dims=(1, 0))(
        {"w": Tensor(W), "b": Tensor(B)}, Tensor(xs), scale=2.0
    )
    want = torch.func.vmap(f, in_dims=({"w": 0, "b": 0}, 1), out_dims=(1, 0))(
        {"w": torch.tensor(W), "b": torch.tensor(B)}, torch.tensor(xs), scale=2.0
    )
    assert got[0].shape == (3, 5)
    close(got, want)
    with pytest.raises(ValueError, match="out of range"):
        func.vmap(lambda x: x, in_dims=2)(Tensor(np.ones((2, 3))))


def test_vmap_randomness():
    x = Tensor(np.zeros(4))
    autobp.manual_seed(0)
    same = func.vmap(lambda v: v + autobp.randn(()), randomness="same")(x)
    assert np.all(same.data == same.data[0])
    different = func.vmap(lambda v: v + autobp.randn(()))(x)
    assert len(set(different.data.tolist())) == 4
    with pytest.raises(RuntimeError, match="random"):
        func.vmap(lambda v: v + autobp.randn(()), randomness="error")(x)
    np.testing.assert_array_equal(func.vmap(lambda v: v * 2, randomness="error")(x).data, np.zeros(4))


def test_stack_module_state_runs_an_ensemble_through_vmap():
    autobp.manual_seed(3)
    models = [nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)) for _ in range(3)]
    params, buffers = func.stack_module_state(models)
    assert params["0.weight"].shape == (3, 4, 3) and params["0.weight"].requires_grad
    assert params["0.weight"].is_leaf
    x = Tensor(RNG.standard_normal((5, 3)))

    def run(p, b, x):
        return func.functional_call(models[0], (p, b), (x,))

    out = func.vmap(run, in_dims=(0, 0, None))(params, buffers, x)
    for k, m in enumerate(models):
        np.testing.assert_allclose(out.data[k], m(x).data, rtol=1e-12)
    out.sum().backward()  # gradients reach the stacked leaves, one slice per model
    for k, m in enumerate(models):
        m(x).sum().backward()
        np.testing.assert_allclose(params["2.bias"].grad[k], m[2].bias.grad, rtol=1e-12)
    with pytest.raises(ValueError, match="one type"):
        func.stack_module_state([nn.Linear(2, 2), nn.Tanh()])
