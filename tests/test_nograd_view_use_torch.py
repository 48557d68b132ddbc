"""A view made under no_grad (or inference_mode) of a tensor that requires grad, whose memory is
written in place afterwards (through its base, another view of the base, or itself), refuses to be
used with grad enabled, as PyTorch's does (its gradient path would be ambiguous); it still shows the
written values, and without such a write, or under no_grad, it is used as before. torch is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

MSG = "view was created in no_grad mode and its base or another view of its base has been modified"


def _setup(lib, make_view):
    w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = w * 2
    with lib.no_grad():
        v = make_view(x)
    return w, x, v


def _nograd(lib, f):
    with lib.no_grad():
        f()


WRITES = {
    "recorded into the base": lambda lib, x, v: x.mul_(3.0),
    "under no_grad into the base": lambda lib, x, v: _nograd(lib, lambda: x.mul_(3.0)),
    "through another view": lambda lib, x, v: x[1:].mul_(3.0),
    "setitem into the base": lambda lib, x, v: x.__setitem__(0, x[2] * 1.5),
}
VIEWS = {
    "slice": lambda x: x[:2],
    "view": lambda x: x.view(3, 1),
    "diagonal": lambda x: x.view(1, 3).diagonal(),
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("write", list(WRITES))
def test_use_after_a_write_raises_as_torch(view, write):
    seen = []
    for lib in (torch, ab):
        w, x, v = _setup(lib, VIEWS[view])
        WRITES[write](lib, x, v)
        with pytest.raises(RuntimeError, match=MSG):
            v * 2
        with pytest.raises(RuntimeError, match=MSG):
            v.grad_fn  # noqa: B018
        with lib.no_grad():  # under no_grad it is used as before, with the written values
            seen.append((v * 1).numpy().copy())
    np.testing.assert_array_equal(seen[1], seen[0])


@pytest.mark.parametrize("view", list(VIEWS))
def test_without_a_write_the_view_is_used_as_before(view):
    out = []
    for lib in (torch, ab):
        w, x, v = _setup(lib, VIEWS[view])
        out.append((v * 2).detach().numpy())
    np.testing.assert_array_equal(out[0], out[1])


def test_inference_mode_views_say_so():
    for lib in (torch, ab):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = w * 2
        with lib.inference_mode():
            v = x[:2]
        x.mul_(3.0)
        with pytest.raises(RuntimeError, match="view was created in inference mode"):
            v + 1
