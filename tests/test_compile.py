"""autobp.compile: the compiled step's loss, gradients and updated weights equal the eager step's
bit for bit (benchmark nets, every replayable op, random programs); guards, fallback and the API."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autobp
from autobp import Tensor
from autobp.compile import CompileError
from autobp.optim import SGD, Adam, AdamW, RMSprop

from .test_fuzz import programs, run
from .test_replay import every_op_setup, mlp_setup, symmetry_setup


def twin(setup, seed=0):
    """Two identical copies of a setup (the eager one and the compiled one)."""
    from . import test_replay

    test_replay.rng = np.random.default_rng(seed)
    a = setup()
    test_replay.rng = np.random.default_rng(seed)
    b = setup()
    return a, b


def eager_step(loss_fn, params, opt):
    if opt is not None:
        opt.zero_grad()
    for p in params:
        p.grad = None
    loss = loss_fn()
    loss.backward()
    if opt is not None:
        opt.step()
    return loss.item()


def assert_same(ps, qs, what):
    for i, (p, q) in enumerate(zip(ps, qs)):
        assert p.data.dtype == q.data.dtype, f"{what}: param {i} dtype"
        np.testing.assert_array_equal(p.data, q.data, err_msg=f"{what}: param {i} data")
        assert (p.grad is None) == (q.grad is None), f"{what}: param {i} grad presence"
        if p.grad is not None:
            assert p.grad.dtype == q.grad.dtype
            np.testing.assert_array_equal(p.grad, q.grad, err_msg=f"{what}: param {i} grad")


OPTIMIZERS = {
    "none": None,
    "sgd": lambda ps: SGD(ps, lr=0.1),
    "sgd-paper-momentum": lambda ps: SGD(ps, lr=0.1, momentum=0.9),
    "sgd-pytorch-momentum": lambda ps: SGD(ps, lr=0.05, momentum=0.5, momentum_form="pytorch"),
    "adam": lambda ps: Adam(ps, lr=0.01),
    "adamw": lambda ps: AdamW(ps, lr=0.01, weight_decay=0.1),
    "rmsprop (eager step)": lambda ps: RMSprop(ps, lr=0.01),
    "sgd nesterov (eager step)": lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
}


@pytest.mark.parametrize("opt_name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("setup", [symmetry_setup, mlp_setup, every_op_setup])
def test_compiled_steps_equal_eager_steps_bit_for_bit(setup, opt_name):
    (loss_a, ps_a, _), (loss_b, ps_b, X_b) = twin(setup)
    make = OPTIMIZERS[opt_name]
    opt_a = make(ps_a) if make else None
    opt_b = make(ps_b) if make else None
    step = autobp.compile(loss_b, optimizer=opt_b, params=ps_b)
    for i in range(4):
        want = eager_step(loss_a, ps_a, opt_a)
        got = step()
        assert got == want, f"step {i}: loss {got} != {want}"
        assert_same(ps_a, ps_b, f"step {i}")
    assert "def _step" in step.source


def test_symmetry_source_is_straight_line_numpy_into_buffers():
    loss_fn, params, X = symmetry_setup()
    step = autobp.compile(loss_fn, optimizer=SGD(params, lr=0.1, momentum=0.9), return_loss=False)
    step()
    step()
    src = step.source
    body = [ln.strip() for ln in src.splitlines()[1:] if "return MISS" not in ln]
    assert not any(ln.startswith(("for ", "while ", "if ")) for ln in body)
    assert "R" not in {ln.split("(")[0][:1] for ln in body}  # no plain-rule calls for this net
    assert "np.dot(" in src and "out=" in src  # np.dot: it equals np.matmul for these shapes
    # the loss value is not needed for the gradient: no sum is computed, and None comes back
    assert "F" not in {ln.split("=")[-1].strip()[:1] for ln in body}
    assert step() is None
    # parameters and their gradients are views into one flat buffer each
    bases = {p._data.base is not None and id(p._data.base) for p in params}
    assert len(bases) == 1 and False not in bases
    assert len({id(p._grad.base) for p in params}) == 1  # (the engine's arrays; .grad shows views of them)


def test_new_input_values_are_read_on_every_call():
    (loss_a, ps_a, X_a), (loss_b, ps_b, X_b) = twin(symmetry_setup)
    step = autobp.compile(loss_b)
    step()
    for X in (X_a, X_b):
        X.data[:32] = 0.5  # written in place
    want = eager_step(loss_a, ps_a, None)
    assert step() == want
    assert_same(ps_a, ps_b, "in place")
    new = np.random.default_rng(3).random(X_a.shape)
    X_a.data, X_b.data = new, new.copy()  # assigned
    want = eager_step(loss_a, ps_a, None)
    assert step() == want
    assert_same(ps_a, ps_b, "assigned")


def test_a_changed_shape_retraces_or_raises_under_strict():
    x = Tensor(np.ones((3, 2)))
    w = Tensor(np.full(2, 0.5), requires_grad=True)
    step = autobp.compile(lambda: ((x @ w) ** 2).sum())
    assert step() == 3 * 1.0
    x.data = np.ones((3, 2))  # same shape: no retrace
    assert step() == 3.0
    x._data = np.ones((5, 2))
    assert step() == 5.0  # retraced
    np.testing.assert_array_equal(w.grad, [10.0, 10.0])
    x._data = np.ones((3, 2))
    assert step() == 3.0  # the first program, from the cache
    assert len(step._programs) == 2
    strict = autobp.compile(lambda: ((x @ w) ** 2).sum(), strict=True)
    strict()
    x._data = np.ones((4, 2))
    with pytest.raises(CompileError, match=r"\(3, 2\) float64 to shape \(4, 2\)"):
        strict()


def test_grad_mode_change_retraces():
    x = Tensor(np.arange(3.0))
    w = Tensor(np.ones(3), requires_grad=True)
    step = autobp.compile(lambda: (x * w).sum())
    assert step() == 3.0
    with autobp.no_grad():
        w.grad = None
        assert step() == 3.0  # forward only: nothing requires grad
        assert w.grad is None
    assert step() == 3.0
    np.testing.assert_array_equal(w.grad, [0.0, 1.0, 2.0])


def test_unsupported_op_falls_back_to_eager_once_warned_or_raises_when_strict():
    class Twice(autobp.Function):
        @staticmethod
        def forward(ctx, a):
            return 2 * a

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    x = Tensor(np.ones(3), requires_grad=True)
    step = autobp.compile(lambda: Twice.apply(x).sum())
    with pytest.warns(RuntimeWarning, match="'function'"):
        assert step() == 6.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once only
        assert step() == 6.0
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, 2.0])
    with pytest.raises(CompileError, match="'function'"):
        autobp.compile(lambda: Twice.apply(x).sum(), strict=True)()


def test_decorator_forms_and_arguments():
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = SGD([w], lr=0.5)

    @autobp.compile(optimizer=opt)
    def step(x):
        return (x * w * w).sum()

    @autobp.compile
    def plain(x):
        return (x * w).sum()

    assert plain(Tensor(np.array([1.0, 1.0]))) == -1.0
    np.testing.assert_array_equal(w.grad, [1.0, 1.0])
    a, b = Tensor(np.array([1.0, 2.0])), Tensor(np.array([3.0, 0.5]))
    assert step(a) == 1.0 + 8.0  # x w^2, gradient 2 x w = (2, -8), w <- w - 0.5 g
    np.testing.assert_array_equal(w.data, [0.0, 2.0])
    assert step(b) == 0.0 + 0.5 * 4.0  # a new argument object is read, not the recorded one
    np.testing.assert_array_equal(w.grad, [0.0, 2.0])
    assert step.__name__ == "step"


def test_errors_name_what_is_wrong():
    w = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(CompileError, match=r"one-element Tensor.*\(3,\)"):
        autobp.compile(lambda: w * 2)()
    with pytest.raises(CompileError, match="does not require grad"):
        autobp.compile(lambda: Tensor(np.ones(1)).sum(), optimizer=SGD([w], lr=0.1))()


def test_a_replaced_parameter_array_is_copied_into_the_flat_buffer():
    (loss_a, ps_a, _), (loss_b, ps_b, _) = twin(symmetry_setup)
    step = autobp.compile(loss_b, optimizer=SGD(ps_b, lr=0.1))
    opt_a = SGD(ps_a, lr=0.1)
    eager_step(loss_a, ps_a, opt_a)
    step()
    new = np.full(ps_a[0].shape, 0.25)
    ps_a[0].data, ps_b[0].data = new, new.copy()
    assert step() == eager_step(loss_a, ps_a, opt_a)
    assert_same(ps_a, ps_b, "after assignment")
    assert ps_b[0]._data.base is ps_b[1]._data.base


def test_lr_changes_are_seen_and_other_settings_recompile():
    (loss_a, ps_a, _), (loss_b, ps_b, _) = twin(symmetry_setup)
    opt_a, opt_b = SGD(ps_a, lr=0.1, momentum=0.9), SGD(ps_b, lr=0.1, momentum=0.9)
    step = autobp.compile(loss_b, optimizer=opt_b)
    for lr, mu in ((0.1, 0.9), (0.3, 0.9), (0.3, 0.0), (0.2, 0.5)):
        for opt in (opt_a, opt_b):
            opt.param_groups[0].update(lr=lr, momentum=mu)
        assert step() == eager_step(loss_a, ps_a, opt_a)
        assert_same(ps_a, ps_b, f"lr={lr} momentum={mu}")


@settings(max_examples=60, deadline=None)
@given(programs(), st.integers(0, 2**31))
def test_random_programs_compile_to_the_eager_gradients_bit_for_bit(program, seed):
    dtype, xs, steps = program

    def make():
        ts = [Tensor(x.copy(), requires_grad=True) for x in xs]

        def loss():
            total = None
            for r in run(steps, ts):
                if isinstance(r, Tensor) and r.requires_grad and r.dtype.kind == "f":
                    term = (r * r).sum()
                    total = term if total is None else total + term
            return total

        return loss, ts

    (loss_a, ts_a), (loss_b, ts_b) = make(), make()
    try:
        with np.errstate(all="ignore"):
            want = loss_a()
    except Exception:
        return
    if want is None:
        return
    step = autobp.compile(loss_b)
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(3):
            want = eager_step(loss_a, ts_a, None)
            got = step()
            assert got == want or (np.isnan(got) and np.isnan(want)), f"call {i}"
            for a, b in zip(ts_a, ts_b):
                assert (a.grad is None) == (b.grad is None)
                if a.grad is not None:
                    np.testing.assert_array_equal(a.grad, b.grad)
            for a, b in zip(ts_a, ts_b):  # new values for the next call, the same for both
                new = rng.uniform(-2, 2, a.shape).astype(a.dtype)
                a.data[...] = new
                b.data[...] = new


def test_benchmark_nets_compile_bit_identically():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.compiled import AutobpCompileMlp, AutobpCompileNet
    from benchmarks.mlp import AutobpMlp, tiny_mlp_problem
    from benchmarks.sigmoid_nets import AutobpNet, family_problem, symmetry_problem

    for eager_cls, compiled_cls, problem in (
        (AutobpNet, AutobpCompileNet, symmetry_problem),
        (AutobpNet, AutobpCompileNet, lambda: family_problem(cases=10)),
        (AutobpMlp, AutobpCompileMlp, tiny_mlp_problem),
    ):
        pb = problem()
        a, b = eager_cls(pb), compiled_cls(pb)
        for _ in range(3):
            a.step()
            b.step()
            for p, q in zip(a.params(), b.params()):
                np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("opt_name", ["sgd-paper-momentum", "sgd-pytorch-momentum", "adam"])
def test_two_compiled_steps_sharing_an_optimizer_keep_its_state(opt_name):
    (loss_a, ps_a, _), (loss_b, ps_b, _) = twin(symmetry_setup)
    opt_a, opt_b = OPTIMIZERS[opt_name](ps_a), OPTIMIZERS[opt_name](ps_b)
    one = autobp.compile(loss_b, optimizer=opt_b)
    other = autobp.compile(loss_b, optimizer=opt_b, return_loss=False)
    for step in (one, one, other, other, one, other, one):
        want = eager_step(loss_a, ps_a, opt_a)
        got = step()
        assert got is None or got == want
        assert_same(ps_a, ps_b, "alternating")
    saved_a, saved_b = opt_a.state_dict(), opt_b.state_dict()
    for _ in range(2):
        eager_step(loss_a, ps_a, opt_a)
        one()
    opt_a.load_state_dict(saved_a)  # older momentum arrays, in new state dicts
    opt_b.load_state_dict(saved_b)
    assert eager_step(loss_a, ps_a, opt_a) == one()
    assert_same(ps_a, ps_b, "after load_state_dict")


@st.composite
def nets(draw):
    """A random small net: widths, activations, products (x @ W, or linear's x @ W.T), a first layer
    split in two input groups or not, a loss, a dtype, a batch and an inline optimiser."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    widths = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    acts = draw(st.lists(st.sampled_from(["sigmoid", "tanh", "relu", "none"]), min_size=4, max_size=4))
    return {
        "dtype": dtype,
        "widths": widths,
        "acts": acts,
        "linear": draw(st.booleans()),
        "split": draw(st.booleans()) and widths[0] > 1,
        "loss": draw(st.sampled_from(["sse", "mean", "cross_entropy"])),
        "batch": draw(st.integers(1, 6)),
        "opt": draw(st.sampled_from(["sgd", "sgd-paper-momentum", "sgd-pytorch-momentum", "adam", "adamw"])),
        "seed": draw(st.integers(0, 2**16)),
    }


def build_net(spec):
    rng = np.random.default_rng(spec["seed"])
    dt, widths, n = spec["dtype"], spec["widths"], spec["batch"]
    x = Tensor(rng.standard_normal((n, widths[0])).astype(dt))
    labels = rng.integers(0, widths[-1], n)
    target = Tensor(rng.random((n, widths[-1])).astype(dt))
    params, layers = [], []
    for a, b in zip(widths, widths[1:]):
        shape = (b, a) if spec["linear"] else (a, b)
        W = Tensor(rng.uniform(-1, 1, shape).astype(dt), requires_grad=True)
        bias = Tensor(rng.uniform(-1, 1, b).astype(dt), requires_grad=True)
        params += [W, bias]
        layers.append((W, bias))
    F = autobp.nn.functional

    def product(h, W, bias):
        return autobp.ops.linear(h, W, bias) if spec["linear"] else h @ W + bias

    def loss():
        h = x
        for k, (W, bias) in enumerate(layers):
            if k == 0 and spec["split"] and not spec["linear"]:
                cut = widths[0] // 2  # two input groups, their products joined (family trees' shape)
                parts = [h[:, :cut] @ W[:cut], h[:, cut:] @ W[cut:]]
                h = autobp.concatenate(parts, axis=1)[:, : W.shape[1]] + parts[1] * 0.0 + bias
            else:
                h = product(h, W, bias)
            act = spec["acts"][k]
            if act != "none" and k < len(layers) - 1:
                h = getattr(h, act)()
        if spec["loss"] == "sse":
            return 0.5 * ((h - target) ** 2).sum()
        if spec["loss"] == "mean":
            return ((h - target) ** 2).mean()
        return F.cross_entropy(h, labels)

    return loss, params, x


@settings(max_examples=40, deadline=None)
@given(nets())
def test_random_nets_compile_to_the_eager_step_bit_for_bit(spec):
    (loss_a, ps_a, x_a), (loss_b, ps_b, x_b) = build_net(spec), build_net(spec)
    make = OPTIMIZERS[spec["opt"]]
    opt_a, opt_b = make(ps_a), make(ps_b)
    step = autobp.compile(loss_b, optimizer=opt_b)
    rng = np.random.default_rng(spec["seed"] + 1)
    with np.errstate(all="ignore"):
        for i in range(3):
            want = eager_step(loss_a, ps_a, opt_a)
            got = step()
            assert got == want or (np.isnan(got) and np.isnan(want)), f"step {i}: loss {got} != {want}"
            assert_same(ps_a, ps_b, f"step {i}")
            new = rng.standard_normal(x_a.shape).astype(x_a.dtype)
            x_a.data[...] = new
            x_b.data[...] = new


def test_the_update_bumps_parameter_versions_as_the_optimizer_does():
    (loss_a, ps_a, _), (loss_b, ps_b, _) = twin(symmetry_setup)
    opt_a, opt_b = SGD(ps_a, lr=0.1), SGD(ps_b, lr=0.1)
    step = autobp.compile(loss_b, optimizer=opt_b)
    for _ in range(3):
        eager_step(loss_a, ps_a, opt_a)
        step()
    assert [p._version for p in ps_a] == [p._version for p in ps_b] == [3] * 4
    held = (ps_b[0] * 2.0).sum()  # a graph made before a compiled update is refused afterwards
    step()
    with pytest.raises(RuntimeError, match="modified in place"):
        held.backward()
