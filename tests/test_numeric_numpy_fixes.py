"""numpy's _core numeric functions as numpy has them (numpy is the oracle): ``a.choose(...)`` and
choose's ``out=``, clip refusing both bound spellings, require's requirement names, moveaxis's words."""

import numpy as np
import pytest

import autobp as ab


def test_choose_method_and_out_match_numpy():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 3))
    sel = np.less(a, -0.5) + 2 * np.greater(a, 0.5)
    want = sel.choose((a, -0.5, 0.5))
    got = ab.tensor(sel).choose((ab.tensor(a), -0.5, 0.5))
    np.testing.assert_array_equal(got.numpy(), want)
    out = np.zeros((4, 3))
    assert ab.tensor(sel).choose((ab.tensor(a), -0.5, 0.5), out=out) is out
    np.testing.assert_array_equal(out, want)


def test_choose_out_tensor_gradient():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 4))
    sel = (a > 0).astype(np.int64)
    x = ab.tensor(a, requires_grad=True)
    out = ab.zeros((3, 4))
    r = ab.choose(sel, (x, x * x), out=out)
    assert r is out
    (r * ab.tensor(a)).sum().backward()
    xt = torch.tensor(a, requires_grad=True)
    rt = torch.where(torch.tensor(sel, dtype=torch.bool), xt * xt, xt)
    (rt * torch.tensor(a)).sum().backward()
    np.testing.assert_allclose(r.detach().numpy(), rt.detach().numpy())
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


@pytest.mark.parametrize("kw", [{"max": 3}, {"min": 2}])
def test_clip_both_spellings_refused(kw):
    msg = "Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden"
    with pytest.raises(ValueError, match=msg):
        np.clip(np.arange(5), 2, 3, **kw)
    with pytest.raises(ValueError, match=msg):
        ab.clip(ab.arange(5), 2, 3, **kw)


def test_clip_keyword_bounds_still_work():
    np.testing.assert_array_equal(
        ab.clip(ab.arange(5), min=2, max=3).numpy(), np.clip(np.arange(5), min=2, max=3)
    )
    np.testing.assert_array_equal(
        ab.clip(ab.arange(5), min=None, max=2).numpy(), np.clip(np.arange(5), min=None, max=2)
    )


def test_require_requirement_names():
    a = np.ones(3)
    with pytest.raises(KeyError):
        np.require(a, None, "Q")
    with pytest.raises(KeyError):
        ab.require(ab.tensor(a), None, "Q")
    with pytest.raises(ValueError, match="Cannot specify both"):
        np.require(a, None, ["C", "F"])
    with pytest.raises(ValueError, match="Cannot specify both"):
        ab.require(ab.tensor(a), None, ["C_CONTIGUOUS", "FORTRAN"])
    for reqs in ("C", ["ALIGNED", "W", "O", "E"], ["f_contiguous"], None):
        np.testing.assert_array_equal(ab.require(ab.tensor(a), "f4", reqs).numpy(), np.require(a, "f4", reqs))
        assert ab.require(ab.tensor(a), "f4", reqs).dtype == np.float32


@pytest.mark.parametrize("source,destination", [(0, [0, 1]), ([0, 1], [0])])
def test_moveaxis_lengths_message(source, destination):
    x = np.ones((1, 2, 3))
    with pytest.raises(ValueError, match="must have the same number"):
        np.moveaxis(x, source, destination)
    with pytest.raises(ValueError, match="must have the same number"):
        ab.moveaxis(ab.tensor(x), source, destination)
