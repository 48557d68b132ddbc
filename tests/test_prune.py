"""nn.utils.prune against torch.nn.utils.prune: masks (ties included), state_dict keys and values,
forward outputs, gradients reaching weight_orig, iterative pruning, global pruning and remove."""

import numpy as np
import pytest

import autobp
from autobp import nn
from autobp.nn.utils import prune

torch = pytest.importorskip("torch")
import torch.nn.utils.prune as tprune  # noqa: E402


def _linear(out_f, in_f, w=None, seed=0):
    w = np.random.default_rng(seed).normal(size=(out_f, in_f)) if w is None else np.asarray(w, float)
    ours = nn.Linear(in_f, out_f, rng=seed)
    theirs = torch.nn.Linear(in_f, out_f).double()
    with autobp.no_grad():
        ours.weight.data[...] = w
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    return ours, theirs


def _conv(w):
    ours = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], rng=0)
    theirs = torch.nn.Conv2d(w.shape[1], w.shape[0], w.shape[2]).double()
    with autobp.no_grad():
        ours.weight.data[...] = w
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    return ours, theirs


def _same(ours, theirs, x):
    """state_dict keys and values, output, and every gradient (weight_orig included) agree."""
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert list(sd) == list(tsd)
    for k in sd:
        np.testing.assert_array_equal(np.asarray(sd[k]), tsd[k].numpy(), err_msg=k)
    y, ty = ours(autobp.Tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    c = np.random.default_rng(11).normal(size=y.shape)
    (y * autobp.Tensor(c)).sum().backward()
    (ty * torch.tensor(c)).sum().backward()
    grads = dict(ours.named_parameters())
    for name, tp in theirs.named_parameters():
        np.testing.assert_allclose(grads[name].grad, tp.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=name)


TIED = np.array([[1.0, -2.0, 1.0, 3.0, -1.0], [2.0, 1.0, -1.0, 2.0, 1.0], [-3.0, 1.0, 2.0, -2.0, 1.0]])


@pytest.mark.parametrize("amount", [0, 3, 7, 15, 0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("weights", ["random", "tied"])
def test_l1_unstructured_matches_torch(amount, weights):
    ours, theirs = _linear(3, 5, TIED if weights == "tied" else None)
    assert prune.l1_unstructured(ours, "weight", amount) is ours
    tprune.l1_unstructured(theirs, "weight", amount)
    assert isinstance(ours.weight_orig, nn.Parameter) and "weight" not in ours._parameters
    _same(ours, theirs, np.random.default_rng(1).normal(size=(2, 5)))


def test_l1_unstructured_importance_scores_and_many_ties_match_torch():
    w = np.random.default_rng(2).integers(-2, 3, size=(40, 30)).astype(float)  # heavy ties
    for amount in (5, 100, 600, 0.77):
        ours, theirs = _linear(40, 30, w)
        prune.l1_unstructured(ours, "weight", amount)
        tprune.l1_unstructured(theirs, "weight", amount)
        np.testing.assert_array_equal(ours.weight_mask.data, theirs.weight_mask.numpy())
    scores = np.random.default_rng(3).normal(size=(40, 30))
    ours, theirs = _linear(40, 30, w)
    prune.l1_unstructured(ours, "weight", 0.4, importance_scores=autobp.Tensor(scores))
    tprune.l1_unstructured(theirs, "weight", 0.4, importance_scores=torch.tensor(scores))
    _same(ours, theirs, np.random.default_rng(1).normal(size=(2, 30)))


@pytest.mark.parametrize("n", [1, 2, 3, 0, np.inf, -np.inf])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_ln_structured_matches_torch(n, dim):
    w = np.random.default_rng(4).normal(size=(4, 3, 2, 2))
    w[1] = w[2]  # two tied channels along dim 0
    ours, theirs = _conv(w)
    prune.ln_structured(ours, "weight", amount=0.5, n=n, dim=dim)
    tprune.ln_structured(theirs, "weight", amount=0.5, n=n, dim=dim)
    _same(ours, theirs, np.random.default_rng(5).normal(size=(1, 3, 4, 4)))


@pytest.mark.parametrize("n", ["fro", "nuc"])
def test_ln_structured_matrix_norms_as_torch(n):
    w = np.random.default_rng(4).normal(size=(4, 3, 2, 2))
    ours, theirs = _conv(w)
    with pytest.raises(RuntimeError, match="dim must be a 2-tuple"):
        tprune.ln_structured(theirs, "weight", amount=1, n=n, dim=0)
    with pytest.raises(RuntimeError, match="dim must be a 2-tuple"):
        prune.ln_structured(ours, "weight", amount=1, n=n, dim=0)
    w = np.random.default_rng(5).normal(size=(3, 4, 5))
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.register_parameter("weight", nn.Parameter(w))
    theirs.register_parameter("weight", torch.nn.Parameter(torch.tensor(w)))
    prune.ln_structured(ours, "weight", amount=2, n=n, dim=1)
    tprune.ln_structured(theirs, "weight", amount=2, n=n, dim=1)
    np.testing.assert_array_equal(ours.weight_mask.data, theirs.weight_mask.numpy())


def test_iterative_pruning_composes_masks_as_torch():
    w = np.random.default_rng(6).integers(-3, 4, size=(6, 8)).astype(float)
    ours, theirs = _linear(6, 8, w)
    for fn, args in [
        ("l1_unstructured", (0.25,)),
        ("ln_structured", (2, 1, 0)),
        ("l1_unstructured", (5,)),
        ("ln_structured", (0.3, 1, -1)),
        ("identity", ()),
    ]:
        getattr(prune, fn)(ours, "weight", *args)
        getattr(tprune, fn)(theirs, "weight", *args)
        np.testing.assert_array_equal(ours.weight_mask.data, theirs.weight_mask.numpy(), err_msg=fn)
    hooks = [h for h, _ in ours._forward_hooks[0].values()]
    assert len(hooks) == 1 and isinstance(hooks[0], prune.PruningContainer) and len(hooks[0]) == 5
    assert [type(m).__name__ for m in hooks[0]] == [
        "L1Unstructured",
        "LnStructured",
        "L1Unstructured",
        "LnStructured",
        "Identity",
    ]
    _same(ours, theirs, np.random.default_rng(7).normal(size=(3, 8)))


def test_global_unstructured_matches_torch():
    (a, ta), (b, tb) = _linear(4, 6, seed=1), _linear(3, 4, seed=2)
    prune.l1_unstructured(a, "weight", 3)  # one already pruned: its mask is kept and extended
    tprune.l1_unstructured(ta, "weight", 3)
    scores = np.random.default_rng(8).normal(size=(3, 4))
    prune.global_unstructured(
        [(a, "weight"), (b, "weight"), (b, "bias")],
        pruning_method=prune.L1Unstructured,
        importance_scores={(b, "weight"): autobp.Tensor(scores)},
        amount=0.4,
    )
    tprune.global_unstructured(
        [(ta, "weight"), (tb, "weight"), (tb, "bias")],
        pruning_method=tprune.L1Unstructured,
        importance_scores={(tb, "weight"): torch.tensor(scores)},
        amount=0.4,
    )
    _same(a, ta, np.random.default_rng(9).normal(size=(2, 6)))
    _same(b, tb, np.random.default_rng(9).normal(size=(2, 4)))
    with pytest.raises(TypeError, match='Only "unstructured"'):
        prune.global_unstructured([(b, "weight")], pruning_method=prune.LnStructured, amount=1, n=2, dim=0)


def test_custom_from_mask_and_remove_match_torch():
    ours, theirs = _linear(3, 4, seed=3)
    mask = np.array([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 1, 0]], dtype=bool)
    prune.custom_from_mask(ours, "weight", mask=mask)
    tprune.custom_from_mask(theirs, "weight", mask=torch.tensor(mask))
    _same(ours, theirs, np.random.default_rng(10).normal(size=(2, 4)))
    orig = ours.weight_orig
    assert prune.is_pruned(ours) and tprune.is_pruned(theirs)
    assert prune.remove(ours, "weight") is ours
    tprune.remove(theirs, "weight")
    assert ours.weight is orig and isinstance(ours.weight, nn.Parameter)  # the same Parameter object
    assert not prune.is_pruned(ours)
    ours.zero_grad(), theirs.zero_grad()
    _same(ours, theirs, np.random.default_rng(10).normal(size=(2, 4)))
    with pytest.raises(ValueError, match="has to be pruned before pruning can be removed"):
        prune.remove(ours, "weight")


def test_pruning_a_submodule_is_seen_by_is_pruned_and_the_hook_recomputes():
    net = nn.Sequential(nn.Linear(3, 3, rng=0), nn.ReLU())
    assert not prune.is_pruned(net)
    prune.l1_unstructured(net[0], "weight", 4)
    assert prune.is_pruned(net)
    with autobp.no_grad():
        net[0].weight_orig.data[...] = 5.0  # a training step: the next forward re-applies the mask
    net(autobp.Tensor(np.ones((1, 3))))
    np.testing.assert_array_equal(net[0].weight.data, 5.0 * net[0].weight_mask.data)


def test_random_methods_use_the_global_generator():
    counts = []
    for _ in range(2):
        autobp.manual_seed(3)
        m = prune.random_unstructured(nn.Linear(5, 4, rng=0), "weight", 0.35)
        counts.append(m.weight_mask.data.copy())
    np.testing.assert_array_equal(counts[0], counts[1])
    assert (counts[0] == 0).sum() == round(0.35 * 20)
    m = prune.random_structured(nn.Linear(5, 4, rng=0), "weight", 2, dim=1)
    zero_cols = (m.weight_mask.data == 0).all(axis=0)
    assert zero_cols.sum() == 2 and ((m.weight_mask.data == 1).all(axis=0) | zero_cols).all()


def test_bad_amounts_and_shapes_as_torch():
    for amount, err in ((-1, ValueError), (1.5, ValueError), ("a", TypeError)):
        with pytest.raises(err) as theirs:
            tprune.L1Unstructured(amount)
        with pytest.raises(err) as ours:
            prune.L1Unstructured(amount)
        assert str(ours.value) == str(theirs.value)
    m = nn.Linear(2, 2, rng=0)
    with pytest.raises(
        ValueError, match="amount=5 should be smaller than the number of parameters to prune=4"
    ):
        prune.l1_unstructured(m, "weight", 5)
    assert "weight" in m._parameters and "weight_orig" not in m._parameters  # rolled back
    with pytest.raises(ValueError, match="Structured pruning can only be applied to multidimensional"):
        prune.ln_structured(m, "bias", 1, 2, 0)
    with pytest.raises(IndexError, match="Invalid index 2"):
        prune.ln_structured(m, "weight", 1, 2, 2)
    out = prune.L1Unstructured(2).prune(autobp.Tensor(np.array([3.0, -1.0, 0.5, 2.0])))
    expected = tprune.L1Unstructured(2).prune(torch.tensor([3.0, -1.0, 0.5, 2.0], dtype=torch.float64))
    np.testing.assert_array_equal(out.data, expected.numpy())


def test_tie_splitting_is_torch_topks():
    from autobp.nn._topk_ties import topk_indices

    rng = np.random.default_rng(12)
    for _ in range(300):
        n = int(rng.integers(1, 300))
        k = int(rng.integers(1, n + 1))
        v = rng.integers(0, int(rng.integers(1, 5)), size=n).astype(float)
        if rng.random() < 0.1:
            v[rng.random(n) < 0.1] = np.nan
        for largest in (False, True):
            theirs = torch.topk(torch.tensor(v), k, largest=largest).indices.numpy()
            np.testing.assert_array_equal(topk_indices(v, k, largest), np.sort(theirs))
