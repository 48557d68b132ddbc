"""A saved_tensors_hooks context entered inside an unpack hook (during backward) ends with it, as
PyTorch's engine restores the thread's hook state: later ops are not packed by it, compared with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def packs_after_backward(lib):
    """How many tensors the context an unpack hook entered packs after the backward that ran it."""
    packed = []
    holder = []

    def unpack(x):
        holder[0].__enter__()  # entered during backward, never left
        return x

    outer = lib.autograd.graph.saved_tensors_hooks(lambda x: x, unpack)
    inner = lib.autograd.graph.saved_tensors_hooks(lambda x: packed.append(1) or x, lambda x: x)
    holder.append(inner)
    x = lib.tensor(np.array([1.0, 2.0, -0.5]), requires_grad=True)
    with outer:
        y = (x * x).sum()
    y.backward()
    z = (x * x * x).sum()
    z.backward()
    return len(packed), x.grad.detach().numpy() if lib is torch else x.grad


def test_context_entered_in_unpack_hook_ends_with_it():
    mine, grad_mine = packs_after_backward(autobp)
    theirs, grad_theirs = packs_after_backward(torch)
    assert mine == theirs == 0
    np.testing.assert_allclose(grad_mine, grad_theirs, rtol=1e-12)


def test_unpack_hook_entering_a_context_does_not_keep_it_alive():
    import gc
    import weakref

    def scope():
        def unpack(x):
            ctx_ref().__enter__()
            return x

        ctx = autobp.autograd.graph.saved_tensors_hooks(lambda x: x, unpack)
        ctx_ref = weakref.ref(ctx)
        x = autobp.tensor([1.0, 2.0], requires_grad=True)
        with ctx:
            x.sin().sum().backward()
        return weakref.ref(unpack)

    gc.disable()
    try:
        assert scope()() is None  # freed by reference counting: nothing holds the hook
    finally:
        gc.enable()
