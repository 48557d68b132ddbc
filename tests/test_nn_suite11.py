"""Fixes found by running PyTorch's nn tests (test/nn/*.py) against autobp, each compared with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def test_data_norm_chains_like_a_tensor():
    # PyTorch's test_embedding_max_norm: `output.data.norm(p=2, dim=1).le(1).all()`
    rng = np.random.default_rng(0)
    w = rng.normal(size=(6, 5)) * 3
    ours = autobp.nn.Embedding.from_pretrained(autobp.tensor(w), max_norm=1.0)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), max_norm=1.0)
    idx = [2, 4, 4, 1]
    out, ref = ours(autobp.tensor(idx)), theirs(torch.tensor(idx))
    norms, ref_norms = out.data.norm(p=2, dim=1), ref.data.norm(p=2, dim=1)
    np.testing.assert_allclose(np.asarray(norms), ref_norms.numpy(), rtol=1e-12)
    assert bool(norms.le(1).all()) == bool(ref_norms.le(1).all()) is True
    whole = out.data.norm()
    assert float(whole) == pytest.approx(float(ref.data.norm()), rel=1e-12)
    assert whole.ge(0).item() is True


def test_gradcheck_check_forward_ad_on_conv3d_same_padding():
    # PyTorch's test_conv3d_same_padding_backward passes check_forward_ad / check_fwd_over_rev
    rng = np.random.default_rng(1)
    x0, w0 = rng.random((1, 1, 1, 5, 6)), rng.random((1, 1, 1, 2, 3))
    for lib in (autobp, torch):
        F = lib.nn.functional
        x = lib.tensor(x0, requires_grad=True)
        w = lib.tensor(w0, requires_grad=True)
        fn = lambda x, w, F=F: F.conv3d(x, w, padding="same", dilation=2)  # noqa: E731
        check, check2 = (
            (autobp.gradcheck, autobp.gradgradcheck)
            if lib is autobp
            else (
                torch.autograd.gradcheck,
                torch.autograd.gradgradcheck,
            )
        )
        assert check(fn, (x, w), check_forward_ad=True)
        assert check2(fn, (x, w), check_fwd_over_rev=True)


def test_gradcheck_check_forward_ad_catches_a_backward_that_is_not_differentiable():
    # the forward derivative (double vjp) is zero where backward leaves the graph: flagged only when asked
    class Cube(autobp.function.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return autobp.tensor(3 * x.detach().numpy() ** 2) * g.detach()

    x = autobp.tensor(np.array([0.5, -1.2, 2.0]), requires_grad=True)
    assert autobp.gradcheck(Cube.apply, (x,))
    # jvp refuses to differentiate a gradient that left the graph (PyTorch refuses forward AD here too)
    with pytest.raises(RuntimeError, match="not on the graph"):
        autobp.gradcheck(Cube.apply, (x,), check_forward_ad=True)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_of_only_empty_bags_stays_on_the_graph(mode):
    # PyTorch's test_EmbeddingBag_empty_per_sample_weights_and_offsets: backward through empty bags
    w0 = np.arange(1.0, 11.0).reshape(5, 2)
    g0 = np.random.default_rng(2).normal(size=(4, 2))
    results = []
    for lib in (autobp, torch):
        w = lib.tensor(w0, requires_grad=True)
        idx, offsets = lib.tensor([], dtype=lib.int64), lib.tensor([0, 0, 0, 0])
        psw = lib.zeros(tuple(idx.shape), dtype=lib.float64).requires_grad_() if mode == "sum" else None
        out = lib.nn.functional.embedding_bag(idx, w, offsets, mode=mode, per_sample_weights=psw)
        assert out.requires_grad
        out.backward(lib.tensor(g0))
        psw_grad = None if psw is None else tuple(psw.grad.shape)
        results.append((np.asarray(out.detach().numpy()), np.asarray(w.grad.numpy()), psw_grad))
    (ours, ours_g, ours_p), (ref, ref_g, ref_p) = results
    np.testing.assert_array_equal(ours, ref)
    np.testing.assert_array_equal(ours_g, ref_g)
    assert ours_p == ref_p


@pytest.mark.parametrize("offsets", [[1, 1, 2], [0, 1, 100]])
def test_embedding_bag_bad_offsets_raise_pytorchs_runtime_error(offsets):
    # PyTorch's _test_EmbeddingBag: offsets[0] = 1, then offsets[-1] = 100, must raise RuntimeError
    w0 = np.random.default_rng(3).normal(size=(10, 4))
    for lib in (autobp, torch):
        bag = lib.nn.EmbeddingBag.from_pretrained(lib.tensor(w0))
        with pytest.raises(RuntimeError):
            bag(lib.ones(12, dtype=lib.int64), lib.tensor(offsets))
    with pytest.raises(ValueError, match="offsets must start at 0"):  # autobp's type as well
        autobp.nn.functional.embedding_bag(
            autobp.ones(12, dtype=autobp.int64), autobp.tensor(w0), autobp.tensor(offsets)
        )


def _outcome(check, a, b, **kw):
    try:
        check(a, b, **kw)
        return "ok"
    except AssertionError as e:
        return "AssertionError: " + str(e).splitlines()[0]
    except ValueError:
        return "ValueError"


@pytest.mark.parametrize(
    "a, b, kw",
    [
        ([1.0, 2.0], [1.0, 2.0], {}),
        ([1.0, 2.0], [1.0, 2.0 + 1e-6], {}),  # outside float64's 1e-7 + 1e-7 * 2
        ([1.0, 2.0], [1.0, 2.0 + 1e-8], {}),
        ([1.0, 2.0], [1.0, 2.0 + 1e-3], dict(rtol=1e-2, atol=0.0)),
        ([1.0, 2.0], [1.0, 2.0], dict(rtol=1e-2)),
        ([1, 2], [1, 3], {}),
        ([1.0, float("nan")], [1.0, float("nan")], {}),
        ([1.0, float("nan")], [1.0, float("nan")], dict(equal_nan=True)),
        ([float("inf")], [float("inf")], {}),
        ([1.0, 2.0], [1.0, 2.0, 3.0], {}),
    ],
)
def test_testing_assert_close_as_torch(a, b, kw):
    # torch.testing.assert_close, used by PyTorch's test_channel_shuffle_return_alias_of_self
    a, b = np.asarray(a), np.asarray(b)  # float64 / int64 in both libraries
    ours = _outcome(autobp.testing.assert_close, autobp.tensor(a), autobp.tensor(b), **kw)
    theirs = _outcome(torch.testing.assert_close, torch.tensor(a), torch.tensor(b), **kw)
    assert ours.split(":")[0] == theirs.split(":")[0]
    if ours.startswith("AssertionError") and theirs.startswith("AssertionError"):
        assert (
            ours.split(":", 1)[1].split()[:2] == theirs.split(":", 1)[1].split()[:2]
        )  # "Tensor-likes are"/"The values"


def test_testing_assert_close_dtypes_and_containers_as_torch():
    f32, f64 = np.float32, np.float64
    cases = [
        (lambda lib: (lib.ones(3, dtype=lib.float32), lib.ones(3, dtype=lib.float64)), {}),
        (
            lambda lib: (lib.ones(3, dtype=lib.float32), lib.ones(3, dtype=lib.float64)),
            dict(check_dtype=False),
        ),
        (
            lambda lib: (lib.tensor(np.array([1.0, 2.0], f32)), lib.tensor(np.array([1.0, 2.0 + 2e-6], f32))),
            {},
        ),
        (
            lambda lib: (lib.tensor(np.array([1.0, 2.0], f64)), lib.tensor(np.array([1.0, 2.0 + 2e-6], f64))),
            {},
        ),
        (lambda lib: ([lib.ones(2), {"k": lib.zeros(1)}], [lib.ones(2), {"k": lib.zeros(1)}]), {}),
        (lambda lib: ([lib.ones(2), {"k": lib.zeros(1)}], [lib.ones(2), {"k": lib.ones(1)}]), {}),
        (lambda lib: (lib.zeros((0, 9, 4, 4)), lib.zeros((0, 9, 4, 4))), {}),
        (lambda lib: (1, 1.0), {}),
    ]
    for make, kw in cases:
        ours = _outcome(autobp.testing.assert_close, *make(autobp), **kw)
        theirs = _outcome(torch.testing.assert_close, *make(torch), **kw)
        assert (ours == "ok") == (theirs == "ok"), (ours, theirs)


@pytest.mark.parametrize("name", ["randn_like", "rand_like", "randint_like"])
def test_random_like_keeps_the_layout_as_torch(name):
    # PyTorch's test_conv_thnn_nhwc: `p.data = torch.randint_like(p, -3, 3)` keeps a channels_last weight
    args = (-3, 3) if name == "randint_like" else ()
    for lib in (autobp, torch):
        fn = getattr(lib, name)
        cl = fn(lib.randn(4, 8, 3, 3).contiguous(memory_format=lib.channels_last), *args)
        assert cl.is_contiguous(memory_format=lib.channels_last)
        assert tuple(cl.shape) == (4, 8, 3, 3)
        ours_or_theirs_t = fn(lib.randn(3, 5).T, *args)
        assert tuple(ours_or_theirs_t.stride()) == (1, 5)
        sliced = fn(lib.randn(4, 6)[:, ::2], *args)  # not dense: a contiguous result
        assert tuple(sliced.stride()) == (3, 1)


@pytest.mark.parametrize("size", [(1, 1, 2, 1), (1, 1, 1, 3), (1, 1, 3, 2, 1)])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_warns_for_unit_size_as_torch(size, align_corners):
    # PyTorch's test_affine_grid_error_checking: the warning names "the documentation of affine_grid"
    import warnings

    nd = len(size) - 2
    theta = np.eye(nd, nd + 1)[None]
    seen = []
    for lib in (autobp, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            grid = lib.nn.functional.affine_grid(lib.tensor(theta), size, align_corners=align_corners)
        seen.append(
            (
                "documentation of affine_grid" in " ".join(str(x.message) for x in w),
                np.asarray(grid.detach().numpy()),
            )
        )
    assert seen[0][0] == seen[1][0] == (align_corners and 1 in size[2:])
    np.testing.assert_allclose(seen[0][1], seen[1][1], atol=1e-12)


def test_grid_sample_bad_mode_words_as_torch():
    x, g = np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 1, 2))
    for lib in (autobp, torch):
        for kw in (dict(mode="garbage"), dict(padding_mode="garbage")):
            with pytest.raises(ValueError, match="but got: 'garbage'"):
                lib.nn.functional.grid_sample(lib.tensor(x), lib.tensor(g), align_corners=False, **kw)


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.randn(2, 3, 4, 4).contiguous(memory_format=lib.channels_last),
        lambda lib: lib.empty(2, 3, 3, 6, memory_format=lib.channels_last)[..., ::2].fill_(1.0),
        lambda lib: lib.randn(4, 5).T,
        lambda lib: lib.randn(4, 6)[:, ::2],
        lambda lib: lib.randn(2, 3, 4, 4),
    ],
)
def test_dropout_output_layout_as_torch(make):
    # PyTorch's test_Dropout (_test_dropout_discontiguous with channels_last): the output keeps the layout
    strides = []
    for lib in (autobp, torch):
        x = make(lib)
        out = lib.nn.functional.dropout(x, p=0.5, training=True)
        strides.append(tuple(out.stride()))
        xs, outs = np.asarray(x.detach().numpy()), np.asarray(out.detach().numpy())
        assert np.all((outs == 0) | np.isclose(outs, 2 * xs))  # values untouched by the layout
    assert strides[0] == strides[1]
