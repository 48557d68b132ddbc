"""Fixes found by running PyTorch's test/nn tests (dropout, init, pruning, packed sequences) on autobp:
each checked against torch."""

import warnings

import numpy as np
import pytest

import autobp
import autobp.nn as nn
import autobp.nn.functional as F
from autobp.nn import init
from autobp.nn.utils import prune

torch = pytest.importorskip("torch")
torch_prune = pytest.importorskip("torch.nn.utils.prune")


def test_calculate_gain_refuses_non_numbers_as_torch():
    for bad in (True, [1], {"a": "b"}):
        with pytest.raises(ValueError):
            torch.nn.init.calculate_gain("leaky_relu", bad)
        with pytest.raises(ValueError):
            init.calculate_gain("leaky_relu", bad)
    for slope in (None, 0, 0.2, 3):
        assert init.calculate_gain("leaky_relu", slope) == pytest.approx(
            torch.nn.init.calculate_gain("leaky_relu", slope)
        )


def test_deprecated_init_names_warn_futurewarning():
    with pytest.warns(FutureWarning, match="deprecated"):
        init.normal(autobp.zeros(2, 2))
    with pytest.warns(FutureWarning, match="deprecated"):
        torch.nn.init.normal(torch.zeros(2, 2))


@pytest.mark.parametrize("fn", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_zero_element_warns(fn):
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        getattr(torch.nn.init, fn)(torch.empty(0, 1))
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        out = getattr(init, fn)(autobp.empty(0, 1))
    assert out.shape == (0, 1)


def test_prune_private_helpers_match_torch():
    tp = torch_prune
    for amount, size in [(0, 15), (10, 15), (1, 15), (1.0, 15), (0.4, 17), (0.5, 3)]:
        assert prune._compute_nparams_toprune(amount, size) == tp._compute_nparams_toprune(amount, size)
    with pytest.raises(ValueError):
        prune._validate_pruning_amount(20, 19)
    prune._validate_pruning_amount(0.3, 0)
    with pytest.raises(TypeError):
        prune._validate_pruning_amount_init("x")
    with pytest.raises(ValueError):
        prune._validate_pruning_amount_init(1.1)


def test_forward_pre_hooks_mapping_holds_the_pruning_container():
    m = nn.Conv3d(2, 2, 2)
    prune.l1_unstructured(m, "weight", amount=0.1)
    prune.ln_structured(m, "weight", amount=0.3, n=2, dim=0)
    hooks = list(m._forward_pre_hooks.values())
    assert len(hooks) == 1 and isinstance(hooks[0], prune.PruningContainer) and len(hooks[0]) == 2
    assert dict(nn.Linear(2, 2)._forward_pre_hooks) == {}


def test_pruned_lstm_runs_on_the_masked_weight_as_torch():
    tl = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True).double()
    al = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    for name, p in tl.named_parameters():
        getattr(al, name).data[...] = p.detach().numpy()
    torch_prune.l1_unstructured(tl, "weight_ih_l0", 0.5)
    prune.l1_unstructured(al, "weight_ih_l0", 0.5)
    assert al._flat_weights_names == tl._flat_weights_names
    assert sum(isinstance(p, nn.Parameter) for p in al._flat_weights) == 15
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    tx, ax = torch.tensor(x, requires_grad=True), autobp.tensor(x, requires_grad=True)
    to, ao = tl(tx)[0], al(ax)[0]
    np.testing.assert_allclose(ao.data, to.detach().numpy(), rtol=1e-10, atol=1e-12)
    to.sum().backward()
    ao.sum().backward()
    np.testing.assert_allclose(ax.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        al.weight_ih_l0_orig.grad, tl.weight_ih_l0_orig.grad.numpy(), rtol=1e-10, atol=1e-12
    )
    prune.remove(al, "weight_ih_l0")
    assert sum(isinstance(p, nn.Parameter) for p in al._flat_weights) == 16


def test_packing_errors_as_torch():
    rnn = nn.utils.rnn
    with pytest.raises(RuntimeError, match="Expected iterable for input sequences"):
        torch.nn.utils.rnn.pad_sequence(5)
    with pytest.raises(RuntimeError, match="Expected iterable for input sequences"):
        rnn.pad_sequence(5)
    with pytest.raises(RuntimeError, match="empty list of sequences"):
        rnn.pad_sequence([])
    with pytest.raises(RuntimeError, match="You can pass `enforce_sorted=False`"):
        rnn.pack_padded_sequence(autobp.randn(3, 3), [1, 3, 2])
    for args in [(autobp.randn(0, 0), []), (autobp.randn(0, 1, 10), autobp.randn(11, 14, 14, 2), True)]:
        with pytest.raises(RuntimeError, match="empty tensor"):
            rnn.pack_padded_sequence(*args)


def test_memory_formats_lay_out_like_torch():
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    for fmt, tfmt, shape in [
        (autobp.channels_last, torch.channels_last, (2, 3, 4, 5)),
        (autobp.channels_last_3d, torch.channels_last_3d, (2, 3, 4, 5, 2)),
    ]:
        x = np.random.default_rng(1).standard_normal(shape)
        a = autobp.tensor(x).clone(memory_format=fmt)
        t = torch.tensor(x).clone(memory_format=tfmt)
        assert a.data.strides == tuple(s * 8 for s in t.stride())
        assert a.is_contiguous(memory_format=fmt) and not a.is_contiguous()
        np.testing.assert_array_equal(a.data, x)
        b = a.contiguous()
        assert b.is_contiguous() and not b.is_contiguous(memory_format=fmt)
    assert not autobp.ones(2, 3, 4).is_contiguous(memory_format=autobp.channels_last)
    with pytest.raises(RuntimeError, match="required rank 4"):
        autobp.ones(2, 3, 4).clone(memory_format=autobp.channels_last)
    e = autobp.empty(2, 3, 3, 6, memory_format=autobp.channels_last)
    assert e.is_contiguous(memory_format=autobp.channels_last)
    m = nn.Conv2d(4, 6, 2).to(memory_format=autobp.channels_last)
    assert m.weight.is_contiguous(memory_format=autobp.channels_last) and m.bias.is_contiguous()
    z = autobp.randn(2, 3, 4, 5, requires_grad=True)
    w = z.to(memory_format=autobp.channels_last)
    assert w.is_contiguous(memory_format=autobp.channels_last)
    (w * w).sum().backward()
    np.testing.assert_allclose(z.grad, 2 * z.data)


def test_dropout_ranks_as_torch():
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input, but received a 4D input"):
        nn.Dropout1d(0.5)(autobp.rand(1, 2, 2, 2))
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input, but received a 1D input"):
        nn.Dropout1d(0.5)(autobp.rand(2))
    for mod, shape, msg in [
        (nn.Dropout2d, (1, 2, 2, 2, 2), "Received a 5-D input to dropout2d"),
        (nn.Dropout2d, (1, 2), "Received a 2-D input to dropout2d"),
        (nn.Dropout2d, (1, 2, 2), "assuming that channel-wise 1D dropout behavior"),
        (nn.Dropout3d, (1, 2, 2, 2, 2, 2), "Received a 6-D input to dropout3d"),
        (nn.Dropout3d, (1, 2, 2), "Received a 3-D input to dropout3d"),
    ]:
        with pytest.warns(UserWarning, match=msg):
            mod(p=0.5)(autobp.rand(*shape))
    # torch reads a 3-D input of dropout2d as (N, C, L): one draw per (n, c), not per axis-0 entry
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = F.dropout2d(autobp.ones(40, 30, 5), 0.5).data
        t = torch.nn.functional.dropout2d(torch.ones(40, 30, 5), 0.5).numpy()
    for out in (y, t):
        per = out.reshape(40 * 30, 5)
        assert np.all(per.min(1) == per.max(1))  # whole rows of L kept or dropped
        dropped = (out[:, :, 0] == 0).sum(1)  # per n: some channels dropped, not all or none each time
        assert not np.all((dropped == 0) | (dropped == 30))


def test_weight_normed_lstm_runs_on_the_derived_weight_as_torch():
    import warnings

    tl = torch.nn.LSTM(3, 4).double()
    al = nn.LSTM(3, 4)
    for name, p in tl.named_parameters():
        getattr(al, name).data[...] = p.detach().numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's weight_norm is deprecated in favour of parametrizations
        torch.nn.utils.weight_norm(tl, "weight_hh_l0")
    nn.utils.weight_norm(al, "weight_hh_l0")
    x = np.random.default_rng(2).standard_normal((5, 2, 3))
    tx, ax = torch.tensor(x), autobp.tensor(x)
    to, ao = tl(tx)[0], al(ax)[0]
    np.testing.assert_allclose(ao.data, to.detach().numpy(), rtol=1e-10, atol=1e-12)
    to.sum().backward()
    ao.sum().backward()
    np.testing.assert_allclose(al.weight_hh_l0_g.grad, tl.weight_hh_l0_g.grad.numpy(), rtol=1e-9, atol=1e-12)
