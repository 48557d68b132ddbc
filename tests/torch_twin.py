"""Test helper: run an autobp module and its PyTorch twin (same state dict, float64) on the same
inputs and compare outputs, input gradients, parameter gradients and buffers."""

from __future__ import annotations

import numpy as np

from autobp import Tensor


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in _flat(item)]
    return [] if out is None else [out]


def load_from_torch(ours, theirs):
    """Copy the twin's state dict into ``ours`` as numpy arrays (the issue's contract)."""
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def compare_with_torch(ours, theirs, *inputs, call=None, rtol=1e-8, atol=1e-10, seed=0, load=True):
    """Outputs, gradients of a random projection of all float outputs with respect to every float
    input and every parameter, and (after the call) every buffer, agree to ``rtol``/``atol``."""
    import torch

    theirs = theirs.double()
    if load:
        load_from_torch(ours, theirs)
    xs = [
        Tensor(a, requires_grad=a.dtype.kind == "f", dtype=a.dtype) if isinstance(a, np.ndarray) else a
        for a in inputs
    ]
    txs = [
        torch.tensor(a, requires_grad=a.dtype.kind == "f") if isinstance(a, np.ndarray) else a for a in inputs
    ]
    call = call or (lambda m, *a: m(*a))
    outs, touts = _flat(call(ours, *xs)), _flat(call(theirs, *txs))
    assert len(outs) == len(touts), (len(outs), len(touts))
    rng = np.random.default_rng(seed)
    loss, tloss = None, None
    for k, (o, t) in enumerate(zip(outs, touts)):
        t_np = t.detach().numpy()
        assert o.shape == tuple(t_np.shape), f"output {k}: shape {o.shape} vs torch {tuple(t_np.shape)}"
        np.testing.assert_allclose(o.data, t_np, rtol=rtol, atol=atol, err_msg=f"output {k}")
        if t.dtype.is_floating_point and t.requires_grad:
            w = rng.standard_normal(o.shape)
            loss = (o * w).sum() if loss is None else loss + (o * w).sum()
            tloss = (t * torch.tensor(w)).sum() if tloss is None else tloss + (t * torch.tensor(w)).sum()
    if loss is not None:
        loss.backward()
        tloss.backward()
        for i, (x, tx) in enumerate(zip(xs, txs)):
            if isinstance(tx, torch.Tensor) and tx.requires_grad:
                g = np.zeros(x.shape) if x.grad is None else x.grad
                tg = np.zeros(x.shape) if tx.grad is None else tx.grad.numpy()
                np.testing.assert_allclose(g, tg, rtol=rtol, atol=atol, err_msg=f"input {i} gradient")
        tparams = dict(theirs.named_parameters())
        ours_params = dict(ours.named_parameters())
        assert set(ours_params) == set(tparams), (sorted(ours_params), sorted(tparams))
        for name, p in ours_params.items():
            tp = tparams[name]
            g = np.zeros(p.shape) if p.grad is None else p.grad
            tg = np.zeros(p.shape) if tp.grad is None else tp.grad.numpy()
            np.testing.assert_allclose(g, tg, rtol=rtol, atol=atol, err_msg=f"gradient of {name}")
    theirs_state = theirs.state_dict()
    ours_state = ours.state_dict()
    assert list(ours_state) == list(theirs_state), (list(ours_state), list(theirs_state))
    for name, v in ours_state.items():
        np.testing.assert_allclose(
            v, theirs_state[name].numpy(), rtol=rtol, atol=atol, err_msg=f"state {name}"
        )
    return outs, touts
