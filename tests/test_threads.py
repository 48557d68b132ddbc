"""Threads: grad mode belongs to the thread that sets it, and threads training separate models get
exactly the results they would get alone."""

import threading

import numpy as np

import autobp
from autobp import Tensor, nn, optim
from autobp.nn import functional as F


def run_in_thread(fn):
    """Run ``fn`` in a new thread; return its result or re-raise its exception here."""
    box = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as e:  # pragma: no cover - only on failure
            box["error"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join(60)
    assert not t.is_alive(), "worker thread hung"
    if "error" in box:
        raise box["error"]
    return box["result"]


def test_new_threads_record_even_when_the_starting_thread_is_in_no_grad():
    x = Tensor([1.0], requires_grad=True)
    with autobp.no_grad():
        assert not (x * 2).requires_grad
        assert run_in_thread(lambda: (autobp.is_grad_enabled(), (x * 2).requires_grad)) == (True, True)


def test_a_thread_turning_grad_off_leaves_other_threads_recording():
    x = Tensor([1.0], requires_grad=True)
    off = threading.Event()
    checked = threading.Event()
    seen = {}

    def worker():
        with autobp.no_grad():
            off.set()
            checked.wait(10)
            seen["worker"] = (x * 2).requires_grad
        autobp.set_grad_enabled(False)  # the plain-call form, never undone in this thread

    t = threading.Thread(target=worker)
    t.start()
    off.wait(10)
    seen["main"] = (x * 2).requires_grad  # while the worker is inside no_grad
    checked.set()
    t.join(10)
    assert seen == {"main": True, "worker": False}
    assert autobp.is_grad_enabled() and (x * 2).requires_grad


def train(seed, steps, barrier=None):
    """A small regression net trained with SGD; the barrier forces two threads to interleave steps."""
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(3, 8, rng=rng), nn.Tanh(), nn.Linear(8, 2, rng=rng))
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x = rng.standard_normal((16, 3))
    d = np.tanh(x[:, :2] * (1.0 + seed))
    losses = []
    for i in range(steps):
        if barrier is not None:
            barrier.wait(10)
        opt.zero_grad()
        loss = F.mse_loss(net(x), d)
        if i % 2 == 0:
            with autobp.no_grad():  # a logging pass without a graph, to stir grad mode
                net(x)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, {k: v.copy() for k, v in net.state_dict().items()}


def test_two_threads_training_separate_models_match_training_alone():
    steps = 150
    alone = [train(seed, steps) for seed in (1, 2)]
    barrier = threading.Barrier(2)
    results = [None, None]

    def worker(k):
        results[k] = train(k + 1, steps, barrier)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for (losses, state), (ref_losses, ref_state) in zip(results, alone):
        assert losses == ref_losses  # bit for bit: nothing leaked between the threads
        for k in ref_state:
            np.testing.assert_array_equal(state[k], ref_state[k])
    assert alone[0][0][-1] < alone[0][0][0] and alone[1][0][-1] < alone[1][0][0]


def test_threads_taking_gradients_of_one_shared_input_each_get_their_own():
    x = Tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True)
    barrier = threading.Barrier(4)

    def worker(p):
        def fn():
            out = []
            for _ in range(50):
                barrier.wait(10)
                (g,) = autobp.grad((x**p).sum(), x)
                out.append(g.data.copy())
            return out

        return fn

    results = {}
    threads = []
    for p in (1, 2, 3, 4):
        t = threading.Thread(target=lambda p=p: results.__setitem__(p, worker(p)()))
        threads.append(t)
        t.start()
    for t in threads:
        t.join(60)
    for p in (1, 2, 3, 4):
        expected = p * x.data ** (p - 1)
        assert len(results[p]) == 50
        for g in results[p]:
            np.testing.assert_allclose(g, expected, rtol=1e-12)
    assert x.grad is None
