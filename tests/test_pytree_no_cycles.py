"""Flattening a pytree must not leave a reference cycle holding its leaves: a checkpointed segment's
graph (which flattens fn's outputs) then stays alive until the garbage collector happens to run,
where PyTorch frees it as soon as the last reference goes (test_autograd's check_graph_dies)."""

import collections
import gc
import weakref

import pytest

import autobp
from autobp.pytree import tree_flatten, tree_map, tree_structure

torch = pytest.importorskip("torch")
checkpoint_module = pytest.importorskip("torch.utils.checkpoint")


@pytest.fixture
def no_gc():
    """Refcounting only, as the point is that nothing waits for the cycle collector."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _dies(make_tree, use):
    t = autobp.ones(3, requires_grad=True)
    ref = weakref.ref(t)
    result = use(make_tree(t))
    del t, result
    return ref() is None


@pytest.mark.parametrize(
    "use",
    [
        lambda tree: tree_flatten(tree),
        lambda tree: tree_map(lambda x: x * 2, tree),
        lambda tree: tree_structure(tree).walk(lambda ch, data: ch, None, tree_flatten(tree)[0]),
        lambda tree: tree_flatten(tree, is_leaf=lambda x: isinstance(x, tuple)),
    ],
    ids=["flatten", "map", "walk", "is_leaf"],
)
def test_flatten_leaves_die_with_their_last_reference(no_gc, use):
    assert _dies(lambda t: {"b": [t, (t, None)], "a": t}, use)


def _alive_nodes(lib, fn):
    """Names of the graph nodes of ``fn(a)`` still alive once its output is dropped (torch's
    check_graph_dies: a handle in each node's metadata, watched by a weak reference)."""

    class Handle:
        pass

    def scope():
        a = lib.randn((), requires_grad=True)
        out = fn(a)
        refs, seen, queue = [], {out.grad_fn}, collections.deque([out.grad_fn])
        while queue:
            node = queue.popleft()
            for nxt, _ in node.next_functions:
                if nxt is not None and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
            h = Handle()
            h.name = node.name()
            refs.append(weakref.ref(h))
            node.metadata["handle"] = h
        return refs

    return [r().name for r in scope() if r() is not None]


def _grad_of_checkpoint(lib, checkpoint):
    def seg(x):
        return x.sin().exp().sin()

    def fn(x):
        with lib.enable_grad():
            out = checkpoint(seg, x, use_reentrant=False)
            (g,) = lib.autograd.grad(out, inputs=(x,), create_graph=True)
        return g

    return fn


def test_checkpoint_graph_dies_as_torch():
    # torch's own test runs with the collector on (torch's checkpoint has cycles of its own);
    # autobp's graph must die by reference counting alone, the collector off
    expected = _alive_nodes(torch, _grad_of_checkpoint(torch, checkpoint_module.checkpoint))
    assert expected == []
    gc.collect()
    gc.disable()
    try:
        got = _alive_nodes(autobp, _grad_of_checkpoint(autobp, autobp.checkpoint))
    finally:
        gc.enable()
    assert got == expected
