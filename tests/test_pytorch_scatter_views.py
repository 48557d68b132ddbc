"""select/slice/diagonal/as_strided scatters, as_strided, index_reduce and the *_copy family against
PyTorch: values and every input's gradient."""

import numpy as np
import pytest

import autobp

from .torch_compare import compare

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:index_reduce:UserWarning")

R = np.random.default_rng(0)


def rn(*shape):
    return R.standard_normal(shape)


CASES = [
    ("select_scatter", (rn(3, 4, 2), rn(3, 2), 1, -1), {}),
    ("select_scatter", (rn(3, 4), rn(4), 0, 2), {}),
    ("slice_scatter", (rn(5, 4), rn(2, 4)), dict(start=1, end=5, step=2)),
    ("slice_scatter", (rn(3, 6), rn(3, 2), 1, -2), {}),
    ("slice_scatter", (rn(3, 6), rn(3, 6)), dict(dim=1)),
    ("diagonal_scatter", (rn(4, 4), rn(4)), {}),
    ("diagonal_scatter", (rn(3, 4, 5), rn(3, 4), 1, 1, 2), {}),
    ("diagonal_scatter", (rn(4, 3), rn(2), -2), {}),
    ("as_strided", (rn(3, 4), (2, 3), (4, 1)), {}),
    ("as_strided", (rn(12), (3, 3), (2, 1), 1), {}),  # overlapping windows: gradient accumulates
    ("as_strided", (rn(2, 3, 4), (4, 2), (3, 7)), dict(storage_offset=2)),
    ("alias_copy", (rn(3, 2),), {}),
    ("diagonal_copy", (rn(3, 4, 5), 1, 2, 0), {}),
    ("expand_copy", (rn(3, 1), (2, 3, 4)), {}),
    ("permute_copy", (rn(2, 3, 4), (2, 0, 1)), {}),
    ("select_copy", (rn(2, 3, 4), 1, -1), {}),
    ("slice_copy", (rn(5, 4), 0, 1, None, 2), {}),
    ("split_copy", (rn(7, 2), 3), {}),
    ("split_with_sizes_copy", (rn(2, 7), [2, 5], 1), {}),
    ("split_with_sizes_copy", (rn(6, 2), [1, 2, 3]), {}),
    ("squeeze_copy", (rn(1, 3, 1),), {}),
    ("squeeze_copy", (rn(1, 3, 1), 2), {}),
    ("squeeze_copy", (rn(1, 3, 1), 1), {}),
    ("squeeze_copy", (rn(1, 3, 1), (0, 1)), {}),
    ("t_copy", (rn(3, 2),), {}),
    ("transpose_copy", (rn(2, 3, 4), 0, 2), {}),
    ("unbind_copy", (rn(3, 2), 1), {}),
    ("unfold_copy", (rn(3, 8), 1, 3, 2), {}),
    ("unsqueeze_copy", (rn(3, 2), -1), {}),
    ("view_copy", (rn(3, 4), (2, 6)), {}),
    ("view_as_real_copy", (rn(3, 2) + 1j * rn(3, 2),), {}),
    ("view_as_complex_copy", (rn(3, 2),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_torch(name, args, kwargs):
    complex_in = name.startswith("view_as_")  # PyTorch does not differentiate these copies
    compare(
        lambda *a: getattr(autobp, name)(*a, **kwargs),
        lambda *a: getattr(torch, name)(*a, **kwargs),
        *args,
        grad=not complex_in,
    )


def test_as_strided_scatter_values_and_src_gradient_match_torch_input_gradient_is_the_true_one():
    """PyTorch's input gradient for as_strided_scatter is the upstream gradient at the written positions
    (its formula is known to be questionable); the true one, 0 there and the upstream gradient elsewhere,
    is what autobp gives, as central differences confirm."""
    x, s, w = rn(4, 4), rn(2, 2), rn(4, 4)
    a, b = autobp.tensor(x, requires_grad=True), autobp.tensor(s, requires_grad=True)
    tx, ts = torch.tensor(x, requires_grad=True), torch.tensor(s, requires_grad=True)
    out = autobp.as_strided_scatter(a, b, (2, 2), (4, 1), 5)
    tout = torch.as_strided_scatter(tx, ts, (2, 2), (4, 1), 5)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(b.grad, ts.grad.numpy())
    mask = np.ones(16)
    mask[[5, 6, 9, 10]] = 0
    np.testing.assert_array_equal(a.grad, w * mask.reshape(4, 4))
    assert autobp.gradcheck(lambda x, s: autobp.as_strided_scatter(x, s, (2, 2), (4, 1), 5) ** 2, (a, b))


def test_split_copy_takes_sizes_too():
    x = rn(2, 7)
    got = autobp.split_copy(x, [2, 5], 1)
    want = torch.split(torch.tensor(x), [2, 5], 1)
    assert len(got) == 2
    for g, t in zip(got, want):
        np.testing.assert_array_equal(g.data, t.numpy())


def test_copies_are_fresh():
    x = autobp.tensor(np.arange(6.0).reshape(2, 3))
    c = autobp.t_copy(x)
    c.data[0, 0] = 99.0
    assert x.data[0, 0] == 0.0
    assert autobp.detach_copy(autobp.tensor([1.0], requires_grad=True)).requires_grad is False


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_matches_torch_with_ties(reduce, include_self):
    x = np.array([[1.0, 5, 2], [3, 3, 0], [2, 2, 2], [0, 1, 1]])
    src = np.array([[3.0, 5, 2], [3, 1, 2], [1, 0, 2], [3, 4, 1], [2, 2, 2]])  # ties with x and each other
    index = np.array([0, 2, 0, 3, 2])
    compare(
        lambda x, s: autobp.index_reduce(x, 0, index, s, reduce, include_self=include_self),
        lambda x, s: torch.index_reduce(x, 0, torch.tensor(index), s, reduce, include_self=include_self),
        x, src,
    )  # fmt: skip
    xs, ss, ix = rn(3, 4), rn(3, 5), np.array([1, 1, 3, 0, 1])
    compare(
        lambda x, s: autobp.index_reduce(x, 1, ix, s, reduce, include_self=include_self),
        lambda x, s: torch.index_reduce(x, 1, torch.tensor(ix), s, reduce, include_self=include_self),
        xs, ss,
    )  # fmt: skip


def test_gradcheck_scatters():
    x = autobp.tensor(rn(4, 4), requires_grad=True)
    s = autobp.tensor(rn(3), requires_grad=True)
    assert autobp.gradcheck(lambda x, s: autobp.diagonal_scatter(x, s, 1) ** 2, (x, s))
    assert autobp.gradcheck(lambda x: autobp.as_strided(x, (3, 3), (1, 4), 1) ** 3, (x,))


def test_bad_input_errors():
    x = autobp.zeros((3, 4))
    with pytest.raises(ValueError, match=r"src of shape \(4,\)"):
        autobp.select_scatter(x, autobp.zeros(3), 0, 1)
    with pytest.raises(IndexError, match="index 5"):
        autobp.select_scatter(x, autobp.zeros(4), 0, 5)
    with pytest.raises(ValueError, match="beyond"):
        autobp.as_strided(x, (3, 3), (4, 2))
    with pytest.raises(ValueError, match="same length"):
        autobp.as_strided(x, (3, 3), (4,))
    with pytest.raises(ValueError, match="reduce"):
        autobp.index_reduce(x, 0, [0], autobp.zeros((1, 4)), "sum")
    with pytest.raises(ValueError, match="sum to"):
        autobp.split_copy(x, [1, 1], 0)
    with pytest.raises(ValueError, match="dim1 and dim2"):
        autobp.diagonal_scatter(x, autobp.zeros(3), 0, 1, 1)
