"""Memory: backward() releases the graph, so a kept loss holds no activations; graphs have no reference
cycles, so dropping the root frees everything by reference counting alone; training memory is flat."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import autobp
from autobp import Function, Tensor, Value, nn, optim
from autobp._graph import topological_order
from autobp.nn import functional as F


@pytest.fixture
def no_gc():
    """Turn the cycle collector off: whatever is freed here is freed by reference counting."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * x


def forward(x, w):
    """A small graph with the features that could hide a cycle: reuse, a saved ctx, indexing,
    a custom Function, a reduction with a saved mask, a join."""
    h = (x @ w).tanh()
    h = Square.apply(h) + h * h  # h used three times
    m = h.max(axis=1, keepdims=True)  # keeps a tie mask in its ctx
    z = autobp.concatenate([h - m, h[:, :1]], axis=1).clip(-5.0, 5.0)
    return F.cross_entropy(z, np.array([0, 1, 2, 0]))


def inputs():
    rng = np.random.default_rng(0)
    return Tensor(rng.standard_normal((4, 3)), requires_grad=True), Tensor(
        rng.standard_normal((3, 5)), requires_grad=True
    )


def interior_refs(root):
    """Weak references to every non-leaf tensor of the graph behind ``root`` and to its saved arrays."""
    refs = []
    for node in topological_order([root]):
        if node._op is None or node is root:
            continue
        refs.append(weakref.ref(node))
        ctx = node._ctx
        for part in ctx if isinstance(ctx, tuple) else (ctx,):
            if isinstance(part, np.ndarray) and part.size > 1:
                refs.append(weakref.ref(part))
    return refs


def alive(refs):
    return sum(r() is not None for r in refs)


def test_a_kept_loss_holds_no_activations_after_backward(no_gc):
    x, w = inputs()
    losses = []
    loss = forward(x, w)
    refs = interior_refs(loss)
    assert len(refs) > 10 and alive(refs) == len(refs)  # the kept loss holds the whole graph until backward
    loss.backward()
    losses.append(loss)  # the classic logging "leak"
    del loss
    assert alive(refs) == 0
    assert losses[0]._parents is None and losses[0]._ctx is None
    assert x.grad is not None and w.grad is not None


def test_retain_graph_keeps_the_activations_until_the_last_backward(no_gc):
    x, w = inputs()
    loss = forward(x, w)
    refs = interior_refs(loss)
    loss.backward(retain_graph=True)
    assert alive(refs) == len(refs)
    loss.backward()
    assert alive(refs) == 0


def test_autobp_grad_also_releases_the_graph(no_gc):
    x, w = inputs()
    loss = forward(x, w)
    refs = interior_refs(loss)
    autobp.grad(loss, [x, w])
    assert alive(refs) == 0


@pytest.mark.parametrize("step", ["built", "after backward(retain_graph=True)", "after create_graph"])
def test_dropping_the_root_frees_a_tensor_graph_without_the_cycle_collector(no_gc, step):
    x, w = inputs()
    loss = forward(x, w)
    refs = interior_refs(loss)
    extra = None
    if step == "after backward(retain_graph=True)":
        loss.backward(retain_graph=True)
    elif step == "after create_graph":
        extra = autobp.grad(loss, [x, w], create_graph=True)  # gradients with graphs of their own
        extra = sum(g.sum() for g in extra)
        extra.backward()
    if extra is not None:
        refs.append(weakref.ref(extra))
    root = weakref.ref(loss)
    del loss, extra
    assert root() is None
    assert alive(refs) == 0


def test_dropping_the_root_frees_a_value_graph_without_the_cycle_collector(no_gc):
    xs = [Value(float(i) / 10) for i in range(5)]
    y = Value(0.0)
    for i, x in enumerate(xs):
        y = y + (x * xs[i - 1]).tanh() * x.exp() - x**2 / (1 + x.sigmoid())
    y.backward()  # Value graphs are kept after backward, with every node's .grad
    refs = [weakref.ref(v) for v in topological_order([y]) if v._op is not None]
    assert len(refs) > 30 and alive(refs) == len(refs)
    del y
    assert alive(refs) == 0


def test_training_memory_stays_flat_over_ten_thousand_steps():
    """Any object leaked per step (16 bytes or more) would add at least 160 KB over the 10^4 measured
    steps; the bound is 64 KiB. The model is tiny because tracemalloc makes each step several times slower."""
    net = nn.Linear(2, 1, rng=0)
    opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.5)
    x = Tensor(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
    d = Tensor(np.array([[0.0], [1.0], [1.0], [1.0]]))  # OR: learnable by one sigmoid unit

    def step():
        opt.zero_grad()
        loss = F.mse_loss(net(x).sigmoid(), d)
        loss.backward()
        opt.step()
        return loss.item()

    first = [step() for _ in range(1000)][0]  # fill numpy's and Python's caches and free lists first
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(10_000):
            last = step()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 64 * 1024, f"memory grew by {after - before} bytes over 10^4 steps"
    assert last < first / 4  # it did train


# --- gradient buffers: a rule may write into its incoming gradient when only the engine holds it --
_ACTIVATIONS = ["relu", "sigmoid", "tanh", "exp"]


@pytest.fixture
def scale_calls(monkeypatch):
    """Record, for each call of the owning ``F.scale``, whether it wrote into g itself."""
    owning = Tensor._owning_ops
    plain = owning.scale
    calls = []

    def spy(g, f):
        out = plain(g, f)
        calls.append(out is g)
        return out

    monkeypatch.setattr(owning, "scale", staticmethod(spy))
    return calls


def _grads_of(build, x0, reuse, monkeypatch):
    """The gradients ``build`` asks for, with buffer reuse on or off."""
    import autobp._engine as engine

    monkeypatch.setattr(engine, "_REUSE_MIN", 4096 if reuse else 10**18)
    x = Tensor(x0.copy(), requires_grad=True)
    return build(x)


def _exclusive(act):
    def build(x):
        w = np.linspace(-1, 1, x.size).reshape(x.shape)
        (getattr(x * 1.5, act)() * w).sum().backward()
        return [x.grad]

    return build


def _shared_with_a_node(act):  # add hands the same array to the activation and to h
    def build(x):
        h = x * 1.5
        w = np.linspace(-1, 1, x.size).reshape(x.shape)
        ((getattr(h, act)() + h) * w).sum().backward()
        return [x.grad]

    return build


def _shared_with_a_leaf(act):  # ... and to the leaf x, whose .grad it becomes
    def build(x):
        w = np.linspace(-1, 1, x.size).reshape(x.shape)
        ((getattr(x, act)() + x) * w).sum().backward()
        return [x.grad]

    return build


def _retained(act):  # the activation's incoming gradient is also z.grad
    def build(x):
        z = getattr(x * 1.5, act)()
        z.retain_grad()
        w = np.linspace(-1, 1, x.size).reshape(x.shape)
        (z * w).sum().backward()
        return [x.grad, z.grad]

    return build


def _asked_for(act):  # ... or one of autobp.grad's results
    def build(x):
        z = getattr(x * 1.5, act)()
        w = np.linspace(-1, 1, x.size).reshape(x.shape)
        return autobp.grad((z * w).sum(), [z, x])

    return build


@pytest.mark.parametrize("act", _ACTIVATIONS)
def test_an_activation_writes_its_gradient_into_a_buffer_only_the_engine_holds(act, scale_calls, monkeypatch):
    x0 = np.random.default_rng(0).uniform(-1, 1, (64, 100))
    reused = _grads_of(_exclusive(act), x0, True, monkeypatch)
    assert scale_calls == [True]  # the large gradient was scaled in place
    fresh = _grads_of(_exclusive(act), x0, False, monkeypatch)
    assert scale_calls == [True]  # and with reuse off the owning path is not taken at all
    np.testing.assert_array_equal(reused[0], fresh[0])
    scale_calls.clear()
    _grads_of(_exclusive(act), x0[:8, :8], True, monkeypatch)
    assert scale_calls == []  # small arrays: not worth the check


@pytest.mark.parametrize("build", [_shared_with_a_node, _shared_with_a_leaf, _retained, _asked_for])
@pytest.mark.parametrize("act", _ACTIVATIONS)
def test_a_gradient_someone_else_holds_is_never_written_into(build, act, scale_calls, monkeypatch):
    x0 = np.random.default_rng(1).uniform(-1, 1, (64, 100))
    reused = _grads_of(build(act), x0, True, monkeypatch)
    fresh = _grads_of(build(act), x0, False, monkeypatch)
    for a, b in zip(reused, fresh):
        np.testing.assert_array_equal(a, b)
    if build is _retained:  # z.grad is dE/dz = w, untouched by the activation's rule
        np.testing.assert_array_equal(reused[1], np.linspace(-1, 1, x0.size).reshape(x0.shape))
    assert True not in scale_calls
