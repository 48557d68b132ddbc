"""Gradients where calculus leaves a choice, for the gather/scatter and shape ops, checked against
PyTorch at exact points: scatter_reduce ties (amax/amin) and zeros (prod), repeated indices in
gathers and scatters, padding corners that read one element several times."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")


def both(fn, tfn, *arrays, w=None):
    """Forward and every input's gradient of fn (autobp) and tfn (torch) on the same arrays."""
    xs = [Tensor(np.array(a, dtype=float), requires_grad=True) for a in arrays]
    ts = [torch.tensor(np.array(a, dtype=float), requires_grad=True) for a in arrays]
    out, tout = fn(*xs), tfn(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    w = np.arange(1.0, out.size + 1).reshape(out.shape) if w is None else w
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for i, (x, t) in enumerate(zip(xs, ts)):
        g = np.zeros(x.shape) if x.grad is None else x.grad
        tg = np.zeros(x.shape) if t.grad is None else t.grad.numpy()
        np.testing.assert_allclose(g, tg, rtol=1e-12, atol=1e-15, err_msg=f"input {i}")
    return [x.grad for x in xs]


TIES_X = [[1.0, 0.0, 2.0, 2.0], [1.0, 3.0, 0.0, 0.0]]
TIES_SRC = [[1.0, 0.0, 2.0, 5.0], [1.0, 0.0, 0.0, 2.0]]
TIES_INDEX = [[0, 0, 0, 0], [0, 0, 1, 0]]


@pytest.mark.parametrize("reduce", ["amax", "amin", "prod", "sum", "mean"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_at_ties_and_zeros_matches_torch(reduce, include_self):
    idx = np.array(TIES_INDEX)
    both(
        lambda x, s: autobp.scatter_reduce(x, 0, idx, s, reduce, include_self=include_self),
        lambda x, s: torch.scatter_reduce(x, 0, torch.tensor(idx), s, reduce, include_self=include_self),
        TIES_X,
        TIES_SRC,
    )


def test_amax_ties_split_the_gradient_equally():
    # position 0 receives 1 (self) and 1 from each src row: three equal maxima share g
    gx, gs = both(
        lambda x, s: autobp.scatter_reduce(x, 0, np.array([[0], [0]]), s, "amax"),
        lambda x, s: torch.scatter_reduce(x, 0, torch.tensor([[0], [0]]), s, "amax"),
        [[1.0], [4.0]],
        [[1.0], [1.0]],
        w=np.array([[3.0], [1.0]]),
    )
    np.testing.assert_allclose(gx, [[1.0], [1.0]])
    np.testing.assert_allclose(gs, [[1.0], [1.0]])


def test_prod_with_one_zero_and_with_two_zeros():
    idx = np.array([[0, 0], [0, 0], [0, 0]])
    for src in ([[2.0, 0.0], [3.0, 4.0], [5.0, 6.0]], [[0.0, 0.0], [3.0, 0.0], [5.0, 6.0]]):
        gx, gs = both(
            lambda x, s: autobp.scatter_reduce(x, 0, idx, s, "prod"),
            lambda x, s: torch.scatter_reduce(x, 0, torch.tensor(idx), s, "prod"),
            [[7.0, 1.0]],
            src,
        )
        assert np.isfinite(gs).all() and np.isfinite(gx).all()


def test_repeated_gather_indices_add_their_gradients():
    idx = np.array([[0, 0, 1], [1, 1, 1]])
    gx = both(
        lambda x: autobp.gather(x, 1, idx),
        lambda x: torch.gather(x, 1, torch.tensor(idx)),
        [[1.0, 2.0], [3.0, 4.0]],
    )[0]
    np.testing.assert_allclose(gx, [[1.0 + 2.0, 3.0], [0.0, 4.0 + 5.0 + 6.0]])


def test_take_with_negative_and_repeated_indices():
    gx = both(
        lambda x: autobp.take(x, [-1, 0, -1, 3]),
        lambda x: torch.take(x, torch.tensor([-1, 0, -1, 3])),
        [[1.0, 2.0], [3.0, 4.0]],
    )[0]
    np.testing.assert_allclose(gx, [[2.0, 0.0], [0.0, 1.0 + 3.0 + 4.0]])


def test_scatter_add_repeated_targets_each_get_g():
    idx = np.array([[1, 1, 1]])
    gx, gs = both(
        lambda x, s: autobp.scatter_add(x, 1, idx, s),
        lambda x, s: torch.scatter_add(x, 1, torch.tensor(idx), s),
        [[0.0, 0.0]],
        [[1.0, 2.0, 3.0]],
    )
    np.testing.assert_allclose(gs, [[2.0, 2.0, 2.0]])


@pytest.mark.parametrize("ours,theirs", [("reflect", "reflect"), ("edge", "replicate"), ("wrap", "circular")])
def test_padding_modes_read_elements_several_times_and_sum_their_gradients(ours, theirs):
    both(
        lambda x: autobp.pad(x, ((0, 0), (0, 0), (3, 2)), mode=ours),
        lambda x: torch.nn.functional.pad(x, (3, 2), mode=theirs),
        np.arange(8.0).reshape(1, 2, 4),
    )


def test_masked_fill_value_gets_the_sum_over_the_mask():
    mask = np.array([[True, False], [True, True]])
    gx, gv = both(
        lambda x, v: autobp.masked_fill(x, mask, v),
        lambda x, v: torch.masked_fill(x, torch.tensor(mask), v),
        [[1.0, 2.0], [3.0, 4.0]],
        0.5,
    )
    assert gv == 1.0 + 3.0 + 4.0


def test_nonzero_is_numpys_tuple_and_argwhere_is_torchs_layout():
    a = np.array([[0.0, 1.5], [2.0, 0.0]])
    ours = autobp.nonzero(Tensor(a))
    assert isinstance(ours, tuple) and len(ours) == 2
    for o, e in zip(ours, np.nonzero(a)):
        np.testing.assert_array_equal(o.data, e)
    np.testing.assert_array_equal(autobp.argwhere(Tensor(a)).data, torch.nonzero(torch.tensor(a)).numpy())


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_reduce_argument_matches_torch_values(reduce):
    # PyTorch's scatter(..., reduce=): values (PyTorch has no derivative; the op table checks ours by
    # finite differences), for a tensor src, a number, inf and nan, repeated indices included
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((4, 5, 6)), rng.standard_normal((4, 5, 6))
    i = rng.integers(0, 3, (3, 4, 5))
    for src in (b, 2.5, np.inf, np.nan):
        ours = autobp.Tensor(a).scatter(
            1, i, autobp.Tensor(src) if isinstance(src, np.ndarray) else src, reduce=reduce
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch deprecates reduce= for a tensor src
            theirs = torch.tensor(a).scatter(
                1, torch.tensor(i), torch.tensor(src) if isinstance(src, np.ndarray) else src, reduce=reduce
            )
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, equal_nan=True)
    x = autobp.Tensor(a.copy())
    x.scatter_(1, i, 2.0, reduce=reduce)
    np.testing.assert_allclose(
        x.data, torch.tensor(a).scatter(1, torch.tensor(i), 2.0, reduce=reduce).numpy()
    )
    with pytest.raises(ValueError, match="reduce"):
        autobp.Tensor(a).scatter(1, i, 2.0, reduce="typo")
