"""What torch's functorch example tests (ensembles, MAML, per-sample gradients) need of autobp.nn
around the transforms: dropout layers draw from the global generator at call time (so manual_seed and
vmap's randomness govern them), Module.to takes PyTorch's device forms, linspace takes steps=."""

import copy

import numpy as np
import pytest

import autobp
import autobp.nn as nn
from autobp import func

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("layer", [nn.Dropout, nn.Dropout2d, nn.AlphaDropout])
def test_dropout_layer_is_reproducible_after_manual_seed(layer):
    x = autobp.ones((3, 4, 2, 2))
    d = layer()
    autobp.manual_seed(5)  # reseeding after the layer was built governs its masks (torch's behaviour)
    a = d(x)
    autobp.manual_seed(5)
    b = d(x)
    assert np.array_equal(a.data, b.data)
    c = d(x)  # the next call draws new numbers
    assert not np.array_equal(a.data, c.data)
    autobp.manual_seed(5)
    assert np.array_equal(copy.deepcopy(d)(x).data, a.data)  # a copy draws from the same global stream


def test_vmap_randomness_governs_dropout_layers():
    x = autobp.ones((4, 64))
    d = nn.Dropout()
    same = func.vmap(d, randomness="same")(x).data
    assert all(np.array_equal(same[0], row) for row in same)
    different = func.vmap(d, randomness="different")(x).data
    assert not all(np.array_equal(different[0], row) for row in different)
    with pytest.raises(RuntimeError, match="randomness"):
        func.vmap(d, randomness="error")(x)
    d.eval()  # no draws in evaluation: "error" is fine
    assert np.array_equal(func.vmap(d, randomness="error")(x).data, x.data)


def test_seeded_dropout_layer_keeps_its_own_stream():
    x = autobp.ones(64)
    a, b = nn.Dropout(rng=3), nn.Dropout(rng=3)
    autobp.manual_seed(0)
    ra = a(x)
    autobp.manual_seed(1)
    assert np.array_equal(ra.data, b(x).data)


def test_module_to_takes_pytorch_device_forms():
    m = nn.Linear(2, 2)
    assert m.to("cpu") is m and m.weight.dtype == np.float64
    assert m.to(torch.device("cpu"), np.float32).weight.dtype == np.float32
    assert m.to(device="cpu", dtype=np.float64).weight.dtype == np.float64
    assert m.to(np.dtype("float32")).weight.dtype == np.float32
    assert m.to(autobp.zeros(1, dtype=np.float64)).weight.dtype == np.float64
    with pytest.raises(ValueError, match="device 'cuda' is not available"):
        m.to("cuda")


def test_linspace_takes_pytorch_steps():
    got = autobp.linspace(0.5, 1.0, steps=7)
    np.testing.assert_allclose(got.data, torch.linspace(0.5, 1.0, steps=7, dtype=torch.float64).numpy())


def test_stack_module_state_checks_and_requires_grad_as_torch():
    def build(lib, frozen):
        ms = [lib.nn.Linear(2, 2) for _ in range(3)]
        for m in ms[: 3 if frozen == "all" else 1 if frozen == "one" else 0]:
            m.weight.requires_grad_(False)
        return ms

    for frozen in ("none", "all"):
        p, _ = func.stack_module_state(build(autobp, frozen))
        tp, _ = torch.func.stack_module_state(build(torch, frozen))
        assert {k: v.requires_grad for k, v in p.items()} == {k: v.requires_grad for k, v in tp.items()}
        assert all(v.is_leaf for v in p.values())
    for lib in (autobp, torch):
        stack = func.stack_module_state if lib is autobp else torch.func.stack_module_state
        with pytest.raises(RuntimeError, match="same .requires_grad"):
            stack(build(lib, "one"))
        with pytest.raises(RuntimeError, match="Expected at least one model"):
            stack([])
        ms = build(lib, "none")
        ms[1].eval()
        with pytest.raises(RuntimeError, match="same training/eval mode"):
            stack(ms)
        with pytest.raises(RuntimeError, match="same class"):
            stack([lib.nn.Linear(2, 2), lib.nn.Conv2d(3, 3, (3, 3))])
