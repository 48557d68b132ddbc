"""Module.register_backward_hook (PyTorch's older, non-full hook) warns where PyTorch warns that its
gradients would be incomplete: non-Tensor inputs, outputs of several graph nodes, several nodes."""

import warnings

import pytest

import autobp

torch = pytest.importorskip("torch")


def _warnings(lib, which):
    rand = torch.rand if lib is torch else autobp.rand
    a, b = rand(2, requires_grad=True), rand(2, requires_grad=True)

    class ListInput(lib.nn.Module):
        def forward(self, pair):
            return pair[0].clone(), pair[1].clone()

    class TwoNodes(lib.nn.Module):
        def forward(self, a, b):
            return a.clone(), b.clone()

    class Chain(lib.nn.Module):
        def forward(self, a):
            return a.clone().clone()

    module, args = {
        "list input": (ListInput(), ([a, b],)),
        "outputs of two nodes": (TwoNodes(), (a, b)),
        "two nodes in a row": (Chain(), (a,)),
        "linear": (lib.nn.Linear(2, 2), (a,)),
        "no grad": (lib.nn.Sigmoid(), (a.detach(),)),
    }[which]
    module.register_backward_hook(lambda *g: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module(*args)
    return [str(w.message).split(" is deprecated")[0] for w in caught if "non-full" in str(w.message)]


@pytest.mark.parametrize(
    "which", ["list input", "outputs of two nodes", "two nodes in a row", "linear", "no grad"]
)
def test_older_backward_hook_warnings_as_torch(which):
    assert _warnings(autobp, which) == _warnings(torch, which)
