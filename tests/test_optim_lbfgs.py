"""optim.LBFGS vs torch.optim.LBFGS: the same iterates, iteration and evaluation counts (fixed step and
strong-Wolfe line search, a short history), Rosenbrock's minimum, float32, resume, and errors."""

import numpy as np
import pytest

import autobp
from autobp import nn, optim

torch = pytest.importorskip("torch")

rng = np.random.default_rng(4)
X0, W0, M = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((3, 2))


def _problem(lib, kw, dtype=np.float64):
    """A small two-tensor least squares through tanh, with its optimiser and closure."""
    if lib == "torch":
        x, w = (torch.nn.Parameter(torch.tensor(a.astype(dtype))) for a in (X0, W0))
        m, opt = torch.tensor(M.astype(dtype)), torch.optim.LBFGS([x, w], **kw)
    else:
        x, w = (nn.Parameter(a.astype(dtype)) for a in (X0, W0))
        m, opt = autobp.tensor(M.astype(dtype), dtype=dtype), optim.LBFGS([x, w], **kw)

    def closure():
        opt.zero_grad()
        loss = (((x @ w).tanh() - m) ** 2).sum() + 0.1 * (x * x).sum()
        loss.backward()
        return loss

    return (x, w), opt, closure


@pytest.mark.parametrize(
    "kw",
    [
        dict(max_iter=4),
        dict(lr=0.5, max_iter=5, history_size=2),
        dict(max_iter=6, line_search_fn="strong_wolfe"),
        dict(lr=0.8, max_iter=8, history_size=3, line_search_fn="strong_wolfe", max_eval=9),
    ],
)
def test_iterates_and_counts_match_torch(kw):
    ours, opt, closure = _problem("autobp", kw)
    theirs, topt, tclosure = _problem("torch", kw)
    first = None
    for step in range(3):
        loss, tloss = opt.step(closure), topt.step(tclosure)
        first = loss if first is None else first
        assert float(loss) == pytest.approx(float(tloss), rel=1e-12)
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(
                p.data, tp.detach().numpy(), rtol=1e-7, atol=1e-10, err_msg=f"step {step}"
            )
        s, ts = opt.state[ours[0]], topt.state[theirs[0]]
        assert (s["n_iter"], s["func_evals"]) == (ts["n_iter"], ts["func_evals"])
    if kw.get("line_search_fn"):
        assert float(closure()) < float(first)  # the line search makes every iteration descend


def test_strong_wolfe_finds_rosenbrocks_minimum():
    xy = nn.Parameter(np.array([-1.5, 2.0]))
    opt = optim.LBFGS(
        [xy], max_iter=200, line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=1e-15
    )

    def closure():
        opt.zero_grad()
        loss = (1 - xy[0]) ** 2 + 100 * (xy[1] - xy[0] ** 2) ** 2
        loss.backward()
        return loss

    opt.step(closure)
    np.testing.assert_allclose(xy.data, [1.0, 1.0], atol=1e-6)


def test_float32_stays_float32_and_resume_continues_identically():
    ours, opt, closure = _problem("autobp", dict(max_iter=3), np.float32)
    theirs, topt, tclosure = _problem("torch", dict(max_iter=3), np.float32)
    opt.step(closure), topt.step(tclosure)
    assert all(p.dtype == np.float32 for p in ours)
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-4, atol=1e-5)
    kw = dict(max_iter=3, history_size=2, line_search_fn="strong_wolfe")
    a, opt_a, closure_a = _problem("autobp", kw)
    opt_a.step(closure_a)
    saved, weights = opt_a.state_dict(), [p.data.copy() for p in a]
    opt_a.step(closure_a)
    b, opt_b, closure_b = _problem("autobp", kw)
    for p, w in zip(b, weights):
        p.data[...] = w
    opt_b.load_state_dict(saved)
    opt_b.step(closure_b)
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.data, q.data)


def test_errors_name_the_problem():
    p, q = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="one parameter group"):
        optim.LBFGS([{"params": [p]}, {"params": [q]}])
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([p], line_search_fn="armijo")
    with pytest.raises(ValueError, match="closure"):
        optim.LBFGS([p]).step(None)
