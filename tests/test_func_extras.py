"""torch.func's replace_all_batch_norm_modules_, functionalize, debug_unwrap and torch.autograd's
Variable, set_detect_anomaly, set/is_multithreading_enabled, against torch's behaviour."""

import threading

import numpy as np
import pytest

import autobp as ab
import autobp.autograd as A
import autobp.func as F
import autobp.nn as nn
from autobp.anomaly import AnomalyError, is_anomaly_enabled

torch = pytest.importorskip("torch")


# --- replace_all_batch_norm_modules_ ---------------------------------------------------------------
def _nets():
    ours = nn.Sequential(
        nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Sequential(nn.ReLU(), nn.BatchNorm1d(4, affine=False))
    )
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 4),
        torch.nn.BatchNorm1d(4),
        torch.nn.Sequential(torch.nn.ReLU(), torch.nn.BatchNorm1d(4, affine=False)),
    ).double()
    with torch.no_grad():
        theirs[0].weight.copy_(torch.tensor(ours[0].weight.numpy()))
        theirs[0].bias.copy_(torch.tensor(ours[0].bias.numpy()))
    return ours, theirs


def test_replace_all_batch_norm_modules_matches_torch():
    ours, theirs = _nets()
    assert F.replace_all_batch_norm_modules_(ours) is ours
    assert torch.func.replace_all_batch_norm_modules_(theirs) is theirs
    for m, tm in ((ours[1], theirs[1]), (ours[2][1], theirs[2][1])):
        assert tm.running_mean is None and tm.running_var is None and tm.num_batches_tracked is None
        assert m.running_mean is None and m.running_var is None and m.num_batches_tracked is None
        assert m.track_running_stats is tm.track_running_stats is False
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 3))
    for train in (True, False):  # batch statistics in evaluation too
        ours.train(train)
        theirs.train(train)
        np.testing.assert_allclose(
            ours(ab.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-12
        )


def test_replace_all_batch_norm_modules_on_a_batchnorm_root_and_non_modules():
    bn = nn.BatchNorm2d(2)
    F.replace_all_batch_norm_modules_(bn)
    assert bn.running_mean is None and not bn.track_running_stats
    with pytest.raises(TypeError, match="replace_all_batch_norm_modules_"):
        F.replace_all_batch_norm_modules_(object())


# --- functionalize ---------------------------------------------------------------------------------
def _intermediate(lib):
    def f(a):
        b = a + 1
        c = b.reshape(-1)
        c.add_(1)
        return b

    return f


def _input_mutation(a):
    b = a.reshape(-1)
    b.add_(1)
    return a


def test_functionalize_keeps_values_of_intermediate_mutations():
    x = np.arange(4.0).reshape(2, 2)
    ours = F.functionalize(_intermediate(ab))(ab.tensor(x))
    theirs = torch.func.functionalize(_intermediate(torch))(torch.tensor(x))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_functionalize_applies_input_mutations_and_returns_a_fresh_tensor():
    x, tx = ab.zeros((2, 2)), torch.zeros(2, 2, dtype=torch.float64)
    out, tout = F.functionalize(_input_mutation)(x), torch.func.functionalize(_input_mutation)(tx)
    np.testing.assert_array_equal(x.numpy(), tx.numpy())  # the inputs were mutated alike
    np.testing.assert_array_equal(out.numpy(), tout.numpy())
    assert (tout is tx) is False and (out is x) is False
    out.add_(1)  # not an alias of the input
    np.testing.assert_array_equal(x.numpy(), np.ones((2, 2)))


def test_functionalize_returns_unmutated_inputs_themselves_like_torch():
    x, tx = ab.zeros(2), torch.zeros(2)
    assert torch.func.functionalize(lambda a: a)(tx) is tx
    assert F.functionalize(lambda a: a)(x) is x


def test_functionalize_mutating_a_dict_input():
    def f(d):
        d["a"].add_(1)
        return d["a"] * 2

    d, td = {"a": ab.zeros(2)}, {"a": torch.zeros(2, dtype=torch.float64)}
    np.testing.assert_array_equal(F.functionalize(f)(d).numpy(), torch.func.functionalize(f)(td).numpy())
    np.testing.assert_array_equal(d["a"].numpy(), td["a"].numpy())


def test_functionalize_gradients_match_torch():
    def f(a):
        c = a * a
        c.mul_(3)
        return c.sum()

    x = np.array([1.0, -2.0, 0.5])
    ours = F.grad(F.functionalize(f))(ab.tensor(x))
    theirs = torch.func.grad(torch.func.functionalize(f))(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    t = ab.tensor(x, requires_grad=True)
    F.functionalize(f)(t).backward()
    np.testing.assert_allclose(t.grad, theirs.numpy())


def test_functionalize_refuses_what_torch_refuses():
    def f(a):
        a.mul_(2)
        return a.sum()

    with pytest.raises(RuntimeError, match="leaf Variable"):
        torch.func.functionalize(f)(torch.ones(3, requires_grad=True))
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F.functionalize(f)(ab.ones(3, requires_grad=True))
    with pytest.raises(RuntimeError, match="remove"):
        torch.func.functionalize(f, remove="bad")
    with pytest.raises(ValueError, match="remove must be"):
        F.functionalize(f, remove="bad")
    assert F.functionalize(f, remove="mutations_and_views")(ab.ones(2)).item() == 4.0


# --- debug_unwrap ----------------------------------------------------------------------------------
def test_debug_unwrap_is_the_identity():
    x = ab.tensor([1.0, 2.0])
    assert F.debug_unwrap(x) is x and F.debug_unwrap(x, recurse=False) is x
    tx = torch.ones(2)
    assert torch.func.debug_unwrap(tx) is tx
    seen = []
    F.vmap(lambda r: seen.append(F.debug_unwrap(r)) or r * 2)(ab.ones((3, 2)))
    assert len(seen) == 3 and all(isinstance(s, ab.Tensor) for s in seen)


# --- torch.autograd's Variable, set_detect_anomaly, multithreading ---------------------------------
def test_variable_returns_a_detached_tensor_like_torch():
    base = ab.tensor([1.0, 2.0], requires_grad=True) * 2
    tbase = torch.tensor([1.0, 2.0], requires_grad=True) * 2
    v, tv = A.Variable(base), torch.autograd.Variable(tbase)
    assert type(v) is ab.Tensor and type(tv) is torch.Tensor
    assert v.requires_grad is tv.requires_grad is False
    w, tw = A.Variable(base, requires_grad=True), torch.autograd.Variable(tbase, requires_grad=True)
    assert w.requires_grad and tw.requires_grad and w.is_leaf and tw.is_leaf
    np.testing.assert_array_equal(w.numpy(), tw.detach().numpy())
    assert isinstance(ab.ones(1), A.Variable) and isinstance(torch.ones(1), torch.autograd.Variable)
    assert A.Variable().shape == tuple(torch.autograd.Variable().shape) == (0,)
    with pytest.raises(TypeError, match="has to be a tensor"):
        torch.autograd.Variable([1.0])
    with pytest.raises(TypeError, match="has to be a tensor"):
        A.Variable([1.0])


def test_variable_shares_data():
    base = ab.zeros(2)
    A.Variable(base).add_(1)
    np.testing.assert_array_equal(base.numpy(), [1.0, 1.0])


def _nan_backward(x):
    x.grad = None
    (x.sqrt() * 0).sum().backward()


def test_set_detect_anomaly_as_a_call_and_a_context_manager():
    x = ab.tensor([0.0], requires_grad=True)
    with np.errstate(all="ignore"):
        A.set_detect_anomaly(True)
        try:
            assert is_anomaly_enabled()
            with pytest.raises(AnomalyError, match="sqrt"):
                _nan_backward(x)
        finally:
            A.set_detect_anomaly(False)
        assert not is_anomaly_enabled()
        _nan_backward(x)  # off: no error
        with A.set_detect_anomaly(True):
            assert is_anomaly_enabled()
        assert not is_anomaly_enabled()
        with ab.detect_anomaly():
            with A.set_detect_anomaly(False):
                assert not is_anomaly_enabled()
                _nan_backward(x)
            assert is_anomaly_enabled()
            with pytest.raises(AnomalyError):
                _nan_backward(x)
        with A.set_detect_anomaly(True, check_nan=False):  # traces only, as torch's check_nan=False
            assert is_anomaly_enabled()
            _nan_backward(x)
    assert not is_anomaly_enabled()


def test_set_detect_anomaly_like_torch_does_not_check_forward_results():
    x = ab.tensor([-1.0, 1.0], requires_grad=True)
    with A.set_detect_anomaly(True), np.errstate(all="ignore"):
        y = ab.where(x > 0, ab.log(x), x)  # a NaN in the forward, masked out
        y.sum().backward()
    tx = torch.tensor([-1.0, 1.0], requires_grad=True)
    with torch.autograd.set_detect_anomaly(True):
        torch.where(tx > 0, torch.log(tx), tx).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    with ab.detect_anomaly(), pytest.raises(AnomalyError, match="log"), np.errstate(all="ignore"):
        ab.where(x > 0, ab.log(x), x)  # autobp's own mode checks forward results too


def test_multithreading_flag_like_torch():
    assert A.is_multithreading_enabled() is torch.autograd.is_multithreading_enabled() is True
    with A.set_multithreading_enabled(False):
        assert A.is_multithreading_enabled() is False
        seen = []
        t = threading.Thread(target=lambda: seen.append(A.is_multithreading_enabled()))
        t.start()
        t.join()
        assert seen == [True]  # thread-local, as torch's
    assert A.is_multithreading_enabled() is True

    @A.set_multithreading_enabled(False)
    def inside():
        return A.is_multithreading_enabled()

    A.set_multithreading_enabled(True)
    assert inside() is False and A.is_multithreading_enabled() is True
