"""SGD's momentum buffers held as views of one array (small groups): the same numbers as one buffer
per parameter, updated in place, and back to per-parameter buffers when they are replaced."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.optim import SGD


def _params(seed: int, dtype=np.float64) -> list:
    rng = np.random.default_rng(seed)
    shapes = [(3, 2), (2,), (2, 1), (1,)]
    return [autobp.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in shapes]


def _grads(step: int, params: list) -> list:
    rng = np.random.default_rng(100 + step)
    return [rng.standard_normal(p.shape).astype(p.dtype) for p in params]


def _run(opt: SGD, params: list, steps: range) -> None:
    for k in steps:
        for p, g in zip(params, _grads(k, params)):
            p.grad = g
        opt.step()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_group_equals_a_group_per_parameter_bit_for_bit(dtype):
    a, b = _params(0, dtype), _params(0, dtype)
    opt_a = SGD(a, lr=0.1, momentum=0.9)  # one group: its buffers share one array
    opt_b = SGD([{"params": [p]} for p in b], lr=0.1, momentum=0.9)  # a group each: per parameter
    _run(opt_a, a, range(4))
    _run(opt_b, b, range(4))
    for p, q in zip(a, b):
        assert p.data.dtype == dtype
        assert np.array_equal(p.data, q.data)
        assert np.array_equal(opt_a.state[p]["momentum_buffer"], opt_b.state[q]["momentum_buffer"])
    first = opt_a.state[a[0]]["momentum_buffer"]
    assert first.base is not None  # the shared array's view
    assert np.shares_memory(first, opt_a.state[a[1]]["momentum_buffer"].base)


def test_buffers_are_updated_in_place():
    ps = _params(1)
    opt = SGD(ps, lr=0.1, momentum=0.9)
    _run(opt, ps, range(1))
    held = opt.state[ps[2]]["momentum_buffer"]
    before = held.copy()
    _run(opt, ps, range(1, 2))
    assert opt.state[ps[2]]["momentum_buffer"] is held
    assert not np.array_equal(held, before)  # a user's reference sees the update


def test_replaced_buffers_go_back_to_per_parameter_steps():
    a, b = _params(2), _params(2)
    opt_a = SGD(a, lr=0.05, momentum=0.5)
    opt_b = SGD([{"params": [p]} for p in b], lr=0.05, momentum=0.5)
    _run(opt_a, a, range(2))
    _run(opt_b, b, range(2))
    opt_a.load_state_dict(opt_a.state_dict())  # new arrays replace the shared array's views
    _run(opt_a, a, range(2, 5))
    _run(opt_b, b, range(2, 5))
    for p, q in zip(a, b):
        assert np.array_equal(p.data, q.data)
        assert np.array_equal(opt_a.state[p]["momentum_buffer"], opt_b.state[q]["momentum_buffer"])


def test_a_parameter_without_gradient_keeps_its_weights_and_momentum():
    a, b = _params(3), _params(3)
    opt_a = SGD(a, lr=0.1, momentum=0.9)
    opt_b = SGD([{"params": [p]} for p in b], lr=0.1, momentum=0.9)
    _run(opt_a, a, range(2))
    _run(opt_b, b, range(2))
    for ps, opt in ((a, opt_a), (b, opt_b)):  # the third parameter gets no gradient this step
        for p, g in zip(ps, _grads(9, ps)):
            p.grad = g
        ps[2].grad = None
        kept, v = ps[2].data.copy(), opt.state[ps[2]]["momentum_buffer"].copy()
        opt.step()
        assert np.array_equal(ps[2].data, kept)
        assert np.array_equal(opt.state[ps[2]]["momentum_buffer"], v)
    for p, q in zip(a, b):
        assert np.array_equal(p.data, q.data)


def test_state_loaded_before_the_first_step_is_kept():
    a, b = _params(4), _params(4)
    opt_a = SGD(a, lr=0.1, momentum=0.9)
    opt_b = SGD([{"params": [p]} for p in b], lr=0.1, momentum=0.9)
    for opt, ps in ((opt_a, a), (opt_b, b)):
        for p in ps:
            opt.state[p] = {"momentum_buffer": np.full(p.shape, 0.25)}
    _run(opt_a, a, range(3))
    _run(opt_b, b, range(3))
    for p, q in zip(a, b):
        assert np.array_equal(p.data, q.data)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lr_and_momentum_changed_between_steps_are_used_at_once(dtype):
    a, b = _params(5, dtype), _params(5, dtype)
    opt_a = SGD(a, lr=0.1, momentum=0.9)
    opt_b = SGD([{"params": [p]} for p in b], lr=0.1, momentum=0.9)
    for k, (lr, mu) in enumerate([(0.1, 0.9), (0.1, 0.9), (0.03, 0.9), (0.03, 0.5), (0.2, 0.5)]):
        for opt in (opt_a, opt_b):
            for group in opt.param_groups:  # as a schedule sets them
                group.update(lr=lr, momentum=mu)
        _run(opt_a, a, range(k, k + 1))
        _run(opt_b, b, range(k, k + 1))
        for p, q in zip(a, b):
            assert np.array_equal(p.data, q.data), (k, lr, mu)
