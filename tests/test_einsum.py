"""einsum against torch.einsum and np.einsum over many subscript patterns, its pairwise contraction
order for three or more operands, second order, and its errors."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, gradgradcheck

torch = pytest.importorskip("torch")

PATTERNS = [  # subscripts, operand shapes
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("...ij,...jk->...ik", [(1, 3, 4), (2, 4, 2)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(4, 4)]),
    ("ij->", [(2, 3)]),
    ("i,i", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("bij,bjk,bkl->bil", [(2, 3, 4), (2, 4, 5), (2, 5, 2)]),
    ("bij,bjk,bkl,blm->bim", [(2, 3, 4), (2, 4, 2), (2, 2, 5), (2, 5, 3)]),
    ("ij,jk,kl->il", [(2, 30), (30, 30), (30, 2)]),
    ("ijk->kji", [(2, 3, 4)]),
    ("iij->ji", [(3, 3, 2)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("i,i,i->", [(4,), (4,), (4,)]),
    ("ab,bc,cd,da->", [(2, 3), (3, 4), (4, 5), (5, 2)]),
    ("...i,...i->...", [(2, 3), (3,)]),
    ("Ba,aC", [(2, 3), (3, 4)]),
    ("ij,kl->ijkl", [(2, 1), (1, 3)]),
]


@pytest.mark.parametrize("spec,shapes", PATTERNS, ids=[p[0] for p in PATTERNS])
def test_matches_torch_and_numpy(spec, shapes):
    rng = np.random.default_rng(len(spec))
    arrays = [rng.standard_normal(s) for s in shapes]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = autobp.einsum(spec, *xs)
    tout = torch.einsum(spec, *ts)
    np.testing.assert_allclose(out.data, np.einsum(spec, *arrays), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for i, (x, t) in enumerate(zip(xs, ts)):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"operand {i}")


def _einsum_nodes(t):
    """Every einsum node under ``t``, with its number of inputs."""
    seen, stack, nodes = set(), [t], []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if n._op == "einsum":
            nodes.append(len(n._parents))
        stack.extend(n._parents)
    return nodes


def test_three_or_more_operands_are_contracted_pairwise():
    xs = [Tensor(np.ones(s), requires_grad=True) for s in [(2, 3, 4), (2, 4, 5), (2, 5, 2), (2, 2, 3)]]
    out = autobp.einsum("bij,bjk,bkl,blm->bim", *xs)
    assert sorted(_einsum_nodes(out)) == [2, 2, 2]


def test_the_contraction_order_is_the_cheap_one():
    # (a @ b) @ v costs 100 * 100 * 100 more than a @ (b @ v): the path must start with b and v
    a, b, v = (Tensor(np.ones(s), requires_grad=True) for s in [(100, 100), (100, 100), (100,)])
    out = autobp.einsum("ij,jk,k->i", a, b, v)
    first = out._parents[1] if out._parents[0] is a else out._parents[0]
    assert first._op == "einsum" and {id(p) for p in first._parents} == {id(b), id(v)}
    np.testing.assert_allclose(out.data, np.full(100, 10000.0))


def test_an_explicit_path_is_followed():
    xs = [Tensor(np.ones((2, 2)), requires_grad=True) for _ in range(3)]
    out = autobp.einsum("ij,jk,kl->il", *xs, optimize=["einsum_path", (0, 1), (0, 1)])
    assert out._parents[0]._op == "einsum" and out._parents[1] is xs[2]


@pytest.mark.parametrize("spec,shapes", [("ii->i", [(3, 3)]), ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)])])
def test_second_order(spec, shapes):
    rng = np.random.default_rng(3)
    xs = [Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    assert gradgradcheck(lambda *ts: autobp.einsum(spec, *ts) ** 2, xs)


def test_float32_and_torch_list_form():
    a, b = (Tensor(np.ones((2, 2), np.float32), requires_grad=True) for _ in range(2))
    out = autobp.einsum("ij,jk", [a, b])
    assert out.dtype == np.float32
    out.sum().backward()
    assert a.grad.dtype == np.float32


def test_errors_name_the_problem():
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 2)))
    with pytest.raises(ValueError, match="index 'j' has sizes 3 and 4"):
        autobp.einsum("ij,jk", a, b)
    with pytest.raises(ValueError, match="names 2 operands, 1 were given"):
        autobp.einsum("ij,jk", a)
    with pytest.raises(ValueError, match="does not match an operand of shape"):
        autobp.einsum("ijk", a)
    with pytest.raises(ValueError, match="invalid subscript characters"):
        autobp.einsum("i1", a)
    with pytest.raises(ValueError, match="output index 'k'"):
        autobp.einsum("ij->k", a)
    with pytest.raises(ValueError, match=r"tensordot: axes"):
        autobp.tensordot(a, b, 1)
    with pytest.raises(ValueError, match=r"dot: shapes \(2, 3\) and \(4, 2\)"):
        autobp.dot(a, b)


def test_numpys_interleaved_sublist_form_matches_numpy_and_differentiates():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    for args in ((a, [0, 1], b, [1, 2], [0, 2]), (a, [0, 1], b, [1, 2]), (a, [Ellipsis, 1], [Ellipsis])):
        np.testing.assert_allclose(autobp.einsum(*args).data, np.einsum(*args), rtol=1e-12)
    x = autobp.Tensor(a, requires_grad=True)
    y = autobp.Tensor(b, requires_grad=True)
    assert autobp.gradcheck(lambda x, y: autobp.einsum(x, [0, 1], y, [1, 2], [2, 0]), (x, y))
    with pytest.raises(ValueError, match="sublist"):
        autobp.einsum(a, [0, "i"])
