"""Run a function in autobp and in PyTorch on the same inputs and compare values and every float input's
gradient (of a fixed random weighting of the outputs), for the PyTorch top-level function tests."""

import numpy as np

import autobp


class Const:
    """An array argument passed to both libraries as a tensor that does not require grad."""

    def __init__(self, array):
        self.array = np.asarray(array)


def _leaves(args, make, const):
    return [
        make(a) if isinstance(a, np.ndarray) else const(a.array) if isinstance(a, Const) else a for a in args
    ]


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in _flat(item)]
    return [out]


def compare(ab_fn, th_fn, *args, rtol=1e-9, atol=1e-11, grad=True, seed=0):
    """Compare ab_fn(*args) with th_fn(*args) (numpy float arrays become leaves requiring grad, integer
    arrays plain tensors, others pass through) in values and, with ``grad``, in the gradients of
    sum(out * w) with the same random w for both."""
    import torch

    def mk_ab(a):
        return autobp.tensor(a, requires_grad=grad and a.dtype.kind == "f")

    def mk_th(a):
        return torch.tensor(a, requires_grad=grad and a.dtype.kind == "f")

    ab_in, th_in = _leaves(args, mk_ab, autobp.tensor), _leaves(args, mk_th, torch.tensor)
    ab_out, th_out = _flat(ab_fn(*ab_in)), _flat(th_fn(*th_in))
    assert len(ab_out) == len(th_out), (len(ab_out), len(th_out))
    rng = np.random.default_rng(seed)
    ab_loss, th_loss = 0.0, 0.0
    for a, t in zip(ab_out, th_out):
        tn = t.detach().numpy()
        assert a.shape == tuple(tn.shape), (a.shape, tn.shape)
        np.testing.assert_allclose(np.asarray(a.data), tn, rtol=rtol, atol=atol)
        if grad and t.requires_grad:
            w = rng.standard_normal(tn.shape)
            ab_loss = ab_loss + (a * w).sum()
            th_loss = th_loss + (t * torch.tensor(w)).sum()
    if grad and not isinstance(th_loss, float):
        ab_loss.backward()
        th_loss.backward()
        for a, t in zip(ab_in, th_in):
            if isinstance(t, torch.Tensor) and t.requires_grad:
                tg = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
                ag = np.zeros(a.shape) if a.grad is None else np.asarray(a.grad)
                np.testing.assert_allclose(ag, tg, rtol=rtol * 100, atol=atol * 100)
    return ab_out, th_out
