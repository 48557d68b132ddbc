"""Tensor.grad_fn as a node object (name, next_functions, register_hook/register_prehook, metadata,
AccumulateGrad): each case runs the same code on autobp and on torch and compares what the hooks saw,
in which order, and the gradients."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def leaf(lib, values):
    return lib.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def val(x):
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x.detach().numpy().tolist()
    return np.asarray(getattr(x, "_data", x)).tolist()


def both(fn):
    return fn(autobp), fn(torch)


def shape_of(fn):
    """A node's graph as nested tuples: 'acc' for an AccumulateGrad (with the leaf's values), 'node'."""
    if fn is None:
        return None
    if hasattr(fn, "variable"):
        return ("acc", val(fn.variable))
    return ("node", tuple(shape_of(f) for f, _ in fn.next_functions))


def test_grad_fn_is_none_for_leaves_and_constants_and_a_node_otherwise():
    def run(lib):
        a = leaf(lib, [1.0, 2.0])
        c = lib.tensor(np.array([3.0, 4.0]))
        y = a * c
        return (a.grad_fn, c.grad_fn, (c * 2).grad_fn, y.grad_fn.name(), (a + c).grad_fn.name())

    assert run(autobp) == run(torch) == (None, None, None, "MulBackward0", "AddBackward0")


def test_next_functions_has_accumulate_grad_for_leaves_and_none_for_constants():
    def run(lib):
        a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [0.5, -1.0])
        c = lib.tensor(np.array([3.0, 4.0]))
        y = (a * b) * c + a.exp()
        acc = (a * c).grad_fn.next_functions[0][0]
        return shape_of(y.grad_fn), acc.variable is a, acc.next_functions, acc.name()

    assert run(autobp) == run(torch)


def test_node_identity_equality_hash_and_metadata_last_as_long_as_the_tensor():
    def run(lib):
        a = leaf(lib, [1.0])
        y = a.sin()
        y.grad_fn.metadata["k"] = 1
        n1 = y.grad_fn.next_functions[0][0]
        same_acc = n1 is (a * 2).grad_fn.next_functions[0][0]
        return (
            y.grad_fn is y.grad_fn,
            y.grad_fn == y.grad_fn,
            hash(y.grad_fn) == hash(y.grad_fn),
            y.grad_fn.metadata,
            same_acc,
            y.grad_fn == (a * 2).grad_fn,
        )

    assert run(autobp) == run(torch)


def test_grad_fn_taken_before_an_inplace_write_keeps_describing_the_old_node():
    def run(lib):
        a = leaf(lib, [1.0, 2.0])
        y = a * 2
        f = y.grad_fn
        y.add_(1)
        return f.name(), y.grad_fn.name(), y.grad_fn.next_functions[0][0] is f

    assert run(autobp) == run(torch) == ("MulBackward0", "AddBackward0", True)


def hook_log(lib, call):
    """Every kind of hook on b = a * 3 (c = b * 4) and a's AccumulateGrad, logged in firing order."""
    log = []
    a = leaf(lib, 2.0)
    b = a * 3
    c = b * 4
    b.register_hook(lambda g: log.append(("b tensor", val(g))))
    b.grad_fn.register_prehook(lambda gs: log.append(("b pre", [val(g) for g in gs])))
    b.grad_fn.register_hook(lambda gi, go: log.append(("b post", [val(g) for g in gi], [val(g) for g in go])))
    acc = b.grad_fn.next_functions[0][0]
    a.register_hook(lambda g: log.append(("a tensor", val(g))))
    acc.register_prehook(lambda gs: log.append(("acc pre", [val(g) for g in gs])))
    acc.register_hook(lambda gi, go: log.append(("acc post", list(gi), [val(g) for g in go])))
    call(lib, a, b, c)
    return log, val(a.grad)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, a, b, c: c.backward(),
        lambda lib, a, b, c: c.backward(inputs=(a,)),
        lambda lib, a, b, c: c.backward(inputs=(b,)),  # b's node runs its hooks though it computes nothing
        lambda lib, a, b, c: c.backward(inputs=(a, b)),
        lambda lib, a, b, c: lib.autograd.grad(c, (a,)),  # AccumulateGrad does not run
        lambda lib, a, b, c: lib.autograd.grad(c, (b,)),  # b's node does not run
        lambda lib, a, b, c: lib.autograd.grad(c, (a, b)),
        lambda lib, a, b, c: lib.autograd.grad(c, (a,), create_graph=True),
    ],
    ids=["backward", "inputs_a", "inputs_b", "inputs_ab", "grad_a", "grad_b", "grad_ab", "grad_create_graph"],
)
def test_hooks_fire_in_pytorch_order_for_each_kind_of_pass(call):
    mine, theirs = both(lambda lib: hook_log(lib, call))
    assert mine == theirs


def test_prehook_and_posthook_returns_replace_the_gradients():
    def run(lib):
        a = leaf(lib, [2.0, -1.0])
        b = a * 3
        c = (b * 4).sum()
        b.retain_grad()
        b.register_hook(lambda g: g + 1)  # before retain_grad stores it
        b.grad_fn.register_prehook(lambda gs: (gs[0] * 10,))
        b.grad_fn.register_prehook(lambda gs: None)  # None keeps them
        b.grad_fn.register_hook(lambda gi, go: (gi[0] + 1000, None))  # the number 3 is input 1
        c.backward()
        return val(b.grad), val(a.grad)

    assert run(autobp) == run(torch)


def test_accumulate_grad_hooks_order_with_post_accumulate_hooks():
    def run(lib):
        t = leaf(lib, [0.1, 0.2, 0.3])
        acc = t.view_as(t).grad_fn.next_functions[0][0]
        t.register_hook(lambda g: g.sub(2.0))
        acc.register_prehook(lambda go: (go[0].div(5.0),))

        def post_acc(x):
            x.grad.add_(0.5)

        t.register_post_accumulate_grad_hook(post_acc)

        def acc_post(gi, go):
            t.grad = go[0].mul(10)

        acc.register_hook(acc_post)
        t.sum().backward()
        return val(t.grad)

    assert run(autobp) == run(torch) == [3.0, 3.0, 3.0]


def test_hook_handles_remove_and_removed_hooks_do_not_fire():
    def run(lib):
        log = []
        a = leaf(lib, [1.0])
        b = a.exp()
        h1 = b.grad_fn.register_prehook(lambda gs: log.append("pre"))
        h2 = b.grad_fn.register_hook(lambda gi, go: log.append("post"))
        h3 = b.grad_fn.next_functions[0][0].register_hook(lambda gi, go: log.append("acc"))
        b.sum().backward(retain_graph=True)
        for h in (h1, h2, h3):
            h.remove()
            h.remove()  # twice: nothing
        b.sum().backward()
        return log, val(a.grad)

    assert run(autobp) == run(torch)


@pytest.mark.parametrize(
    "hook, kind",
    [
        (lambda gs: gs[0], TypeError),  # not a tuple
        (lambda gs: (gs[0], gs[0]), RuntimeError),  # wrong number
        (lambda gs: (gs[0].sum().reshape(1).expand(3),), RuntimeError),  # another size
    ],
    ids=["not_tuple", "count", "size"],
)
def test_bad_prehook_returns_raise_like_pytorch(hook, kind):
    for lib in (autobp, torch):
        a = leaf(lib, [1.0, 2.0])
        b = a * 2
        b.grad_fn.register_prehook(hook)
        with pytest.raises(kind):
            b.sum().backward()


def test_posthook_returning_the_wrong_count_raises():
    for lib in (autobp, torch):
        a = leaf(lib, [1.0, 2.0])
        b = a.exp()
        b.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0]))
        with pytest.raises(RuntimeError, match="incorrect number of values"):
            b.sum().backward()


def test_custom_function_node_name_and_hooks():
    class Double(autobp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class TDouble(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    def run(lib, fn):
        a = leaf(lib, [1.0])
        b = fn.apply(a)
        seen = []
        b.grad_fn.register_hook(lambda gi, go: seen.append((val(gi[0]), val(go[0]))))
        b.grad_fn.register_prehook(lambda gs: (gs[0] * 3,))
        b.sum().backward()
        return b.grad_fn.name().replace("TDouble", "Double"), seen, val(a.grad)

    assert run(autobp, Double) == run(torch, TDouble)


def test_string_comparison_of_grad_fn_keeps_working():
    y = leaf(autobp, [1.0]) * leaf(autobp, [2.0])
    assert y.grad_fn == "mul" and y.grad_fn.op == "mul" and y.grad_fn != "add"


def test_no_hook_leaves_backward_on_the_plain_loop():
    import gc

    from autobp._graph import hooks

    gc.collect()
    before = hooks.general
    a = leaf(autobp, [1.0])
    b = a * 2
    h = b.grad_fn.register_hook(lambda gi, go: None)
    assert hooks.general == before + 1
    h.remove()
    assert hooks.general == before
    b.grad_fn.register_hook(lambda gi, go: None)
    del b, h
    gc.collect()
    assert hooks.general == before


def test_taking_grad_fn_leaves_tensors_picklable_and_copyable():
    import copy
    import pickle

    def run(lib):
        a = leaf(lib, [1.0, 2.0])
        y = a * a
        y.grad_fn.metadata["k"] = 1
        acc = y.grad_fn.next_functions[0][0]  # a's AccumulateGrad, cached
        back = pickle.loads(pickle.dumps(a))
        c = copy.deepcopy(a)
        assert acc.variable is a
        return val(back), val(c), y.grad_fn.metadata

    assert run(autobp) == run(torch)
