"""backward() twice without retain_graph (rules.SAVES_NOTHING): through ops whose rule reads no value
it works and accumulates, as in PyTorch, whose nodes for them save no tensor; through the others it
raises, in both libraries. Every name in the set is checked against torch here."""

import numpy as np
import pytest

import autobp
from autobp import GraphReleasedError, Tensor
from autobp.rules import RULES, SAVES_NOTHING

torch = pytest.importorskip("torch")
F = pytest.importorskip("torch.nn.functional")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.4]])
Y = np.array([[1.5, 2.0, -0.5], [0.25, -1.0, 3.0]])

# the rule autobp records, its autobp expression, torch's: each of two inputs of shape (2, 3)
KEEPS = [
    ("add", lambda x, y: x + y, lambda x, y: x + y),
    ("sub", lambda x, y: x - y, lambda x, y: x - y),
    ("neg", lambda x, y: -x, lambda x, y: -x),
    ("add_scalar", lambda x, y: 2.0 + x, lambda x, y: 2.0 + x),
    ("sub_scalar", lambda x, y: x - 2.0, lambda x, y: x - 2.0),
    ("rsub_scalar", lambda x, y: 2.0 - x, lambda x, y: 2.0 - x),
    ("sum", lambda x, y: x.sum(axis=0), lambda x, y: x.sum(0)),
    ("mean", lambda x, y: x.mean(axis=1), lambda x, y: x.mean(1)),
    ("cumsum", lambda x, y: autobp.cumsum(x, axis=1), lambda x, y: torch.cumsum(x, 1)),
    ("reshape", lambda x, y: x.reshape(3, 2), lambda x, y: x.reshape(3, 2)),
    ("transpose", lambda x, y: x.T, lambda x, y: x.T),
    ("broadcast_to", lambda x, y: autobp.broadcast_to(x, (4, 2, 3)), lambda x, y: x.expand(4, 2, 3)),
    ("astype", lambda x, y: x.astype(np.float32), lambda x, y: x.float()),
    ("flip", lambda x, y: autobp.flip(x, 0), lambda x, y: torch.flip(x, [0])),
    ("roll", lambda x, y: autobp.roll(x, 1, 1), lambda x, y: torch.roll(x, 1, 1)),
    ("pad", lambda x, y: autobp.pad(x, ((1, 1), (0, 2))), lambda x, y: F.pad(x, (0, 2, 1, 1))),
    ("concatenate", lambda x, y: autobp.concatenate([x, y], 1), lambda x, y: torch.cat([x, y], 1)),
    ("stack", lambda x, y: autobp.stack([x, y], 1), lambda x, y: torch.stack([x, y], 1)),
]

# ops that save values: the second backward raises in both libraries
RELEASES = [
    ("mul", lambda x, y: x * y, lambda x, y: x * y),
    ("mul_scalar", lambda x, y: x * 2.0, lambda x, y: x * 2.0),  # torch saves the 2 as a tensor
    ("div_scalar", lambda x, y: x / 2.0, lambda x, y: x / 2.0),
    ("exp", lambda x, y: autobp.exp(x), lambda x, y: torch.exp(x)),
    ("matmul", lambda x, y: x @ y.T, lambda x, y: x @ y.T),
    ("getitem", lambda x, y: x[np.array([1, 0, 1])], lambda x, y: x[torch.tensor([1, 0, 1])]),
]


def leaves():
    mine = [Tensor(X.copy(), requires_grad=True), Tensor(Y.copy(), requires_grad=True)]
    theirs = [torch.tensor(X, requires_grad=True), torch.tensor(Y, requires_grad=True)]
    return mine, theirs


def test_every_name_in_the_set_is_a_rule_and_is_checked_here():
    assert SAVES_NOTHING <= set(RULES)
    assert {name for name, _, _ in KEEPS} == set(SAVES_NOTHING)
    assert not {name for name, _, _ in RELEASES} & SAVES_NOTHING


def weighted_sum(lib, out):
    """sum_k (n - k) out_k over the flattened ``out``: a sum with distinct weights, built only of ops
    that save nothing (a product with weights would save them, and release)."""
    flat = out.reshape(-1)
    return (autobp.cumsum(flat, axis=0) if lib is autobp else torch.cumsum(flat, 0)).sum()


@pytest.mark.parametrize("name, mine, theirs", KEEPS, ids=[c[0] for c in KEEPS])
def test_twice_through_an_op_that_saves_nothing_accumulates_like_torch(name, mine, theirs):
    (x, y), (tx, ty) = leaves()
    out = mine(x, y)
    assert out.grad_fn == name  # the case records the rule it is about
    loss, t_loss = weighted_sum(autobp, out), weighted_sum(torch, theirs(tx, ty))
    loss.backward()
    t_loss.backward()
    first = [None if g is None else g.copy() for g in (x.grad, y.grad)]
    loss.backward()  # no retain_graph: both libraries go through again and add
    t_loss.backward()
    for a, t, f in zip((x, y), (tx, ty), first):
        if t.grad is None:
            assert a.grad is None
            continue
        np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-6)
        np.testing.assert_allclose(a.grad, 2 * f, rtol=1e-6)


@pytest.mark.parametrize("name, mine, theirs", RELEASES, ids=[c[0] for c in RELEASES])
def test_twice_through_an_op_that_saved_values_raises_like_torch(name, mine, theirs):
    (x, y), (tx, ty) = leaves()
    out = mine(x, y)
    assert out.grad_fn == name
    loss, t_loss = weighted_sum(autobp, out), weighted_sum(torch, theirs(tx, ty))
    loss.backward()
    t_loss.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        t_loss.backward()
    with pytest.raises(GraphReleasedError, match=f"second time.*op '{name}'.*retain_graph=True"):
        loss.backward()


def test_a_loss_over_two_outputs_goes_through_again_as_in_torch():
    (x, y), (tx, ty) = leaves()
    loss = (x + y).sum() - x.mean()
    t_loss = (tx + ty).sum() - tx.mean()
    for _ in range(3):
        loss.backward()
        t_loss.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy())
    np.testing.assert_allclose(y.grad, ty.grad.numpy())
    np.testing.assert_array_equal(y.grad, np.full(Y.shape, 3.0))


def test_a_write_after_the_first_pass_is_no_reason_to_refuse():
    # sum reads no value, so the version check lets it through (PyTorch saves nothing to check)
    (x, _), (tx, _) = leaves()
    loss, t_loss = x.sum(), tx.sum()
    loss.backward()
    t_loss.backward()
    with autobp.no_grad():
        x -= 0.1 * x.grad  # an SGD step
    with torch.no_grad():
        tx -= 0.1 * tx.grad
    loss.backward()
    t_loss.backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    np.testing.assert_array_equal(x.data, tx.detach().numpy())


def test_a_write_still_refuses_where_the_rule_reads_the_value():
    (x, y), _ = leaves()
    loss = (x * y).sum()
    with autobp.no_grad():
        y += 1.0
    with pytest.raises(RuntimeError, match=r"input 1 of op 'mul'\) was modified in place"):
        loss.backward()


def test_autobp_grad_goes_through_twice_too():
    (x, y), (tx, ty) = leaves()
    loss, t_loss = (x - y).sum(), (tx - ty).sum()
    for _ in range(2):
        gx, gy = autobp.grad(loss, [x, y])
        tgx, tgy = torch.autograd.grad(t_loss, [tx, ty])
        np.testing.assert_array_equal(gx.data, tgx.numpy())
        np.testing.assert_array_equal(gy.data, tgy.numpy())
