"""functional_call follows torch.func.functional_call's rules: tied weights and tied buffers, strict=,
extra names as attributes for the call, None and non-Tensor values, write-back of reassigned buffers."""

import re

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def _tied(lib):
    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = lib.nn.Linear(1, 1)
            self.tied_bias = self.l1.bias
            self.buffer = lib.nn.Buffer(lib.ones(1))
            self.tied_buffer = self.buffer

        def forward(self, x):
            return self.l1(x) + self.tied_bias + self.buffer + self.tied_buffer

    return Tied()


def _both(fn):
    """fn(lib) run with autobp and with torch."""
    return fn(ab), fn(torch)


def test_buffer_assigned_to_a_second_name_is_tied():
    ours, ref = _both(_tied)
    assert [n for n, _ in ours.named_buffers(remove_duplicate=False)] == [
        n for n, _ in ref.named_buffers(remove_duplicate=False)
    ]
    assert ours.buffer is ours.tied_buffer
    assert list(ours.state_dict()) == list(ref.state_dict())


def test_tied_weights_replaced_under_both_names():
    def run(lib):
        m = _tied(lib)
        given = {
            "l1.weight": lib.tensor([[2.0]], dtype=lib.float64),
            "l1.bias": lib.tensor([5.0], dtype=lib.float64),
            "buffer": lib.tensor([3.0], dtype=lib.float64),
        }
        x = lib.tensor([[0.5]], dtype=lib.float64)
        return lib.func.functional_call(m, given, x), lib.func.functional_call(m, given, x, tie_weights=False)

    (a1, a2), (t1, t2) = _both(run)
    np.testing.assert_allclose(a1.data, t1.detach().numpy())  # 0.5*2 + 5 + 5 + 3 + 3
    assert a1.item() == pytest.approx(17.0)
    assert a2.shape == tuple(t2.shape)  # untied: tied_bias/tied_buffer keep the modules' own values


def test_tied_conflicting_values_and_strict_messages():
    for lib in (ab, torch):
        m = _tied(lib)
        base = {"l1.weight": lib.ones(1, 1), "l1.bias": lib.zeros(1), "buffer": lib.zeros(1)}
        x = lib.ones(1, 1)
        with pytest.raises(ValueError, match=re.escape("multiple values for keys ['buffer', 'tied_buffer']")):
            lib.func.functional_call(m, {**base, "tied_buffer": lib.ones(1)}, x)
        with pytest.raises(RuntimeError, match=re.escape("Missing key(s): 'tied_bias', 'tied_buffer'.")):
            lib.func.functional_call(m, base, x, tie_weights=False, strict=True)
        with pytest.raises(
            RuntimeError,
            match=re.escape("Unexpected key(s): 'extra'.")
            + r"\s+"
            + re.escape("Missing key(s): 'buffer', 'l1.bias', 'tied_bias', 'tied_buffer'."),
        ):
            given = {"l1.weight": base["l1.weight"], "extra": lib.ones(1)}
            lib.func.functional_call(m, given, x, strict=True)
        out = lib.func.functional_call(m, {**base, "extra": lib.ones(1)}, x)  # not strict: extra is fine
        assert float(out.sum()) == pytest.approx(1.0)
        assert not hasattr(m, "extra")


def test_extra_name_none_and_bad_values():
    for lib in (ab, torch):
        m = lib.nn.Linear(1, 1)
        m.foo = 0.0
        x = lib.ones(1, 1)
        out = lib.func.functional_call(m, {"weight": 2 * lib.ones(1, 1), "bias": None}, x)
        assert float(out.sum()) == 2.0 and m.bias is not None
        with pytest.raises(TypeError, match="is not an instance of torch.Tensor"):
            lib.func.functional_call(m, {"weight": object()}, x)
        msg = "attribute `foo`: 0.0 is not an instance of torch.Tensor"
        with pytest.raises(TypeError, match=re.escape(msg)):
            lib.func.functional_call(m, {"foo": lib.ones(1)}, x)
        with pytest.raises(AttributeError, match=re.escape("Linear has no attribute `l2`")):
            lib.func.functional_call(m, {"l2.bias": lib.ones(1)}, x)
        with pytest.raises(ValueError, match=re.escape("['weight'] appeared in multiple dictionaries")):
            lib.func.functional_call(m, ({"weight": lib.ones(1, 1)}, {"weight": lib.ones(1, 1)}), x)


def test_reassigned_buffer_written_back_and_module_restored():
    def run(lib):
        class Foo(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.foo = lib.nn.Buffer(lib.tensor([0.0]))

            def forward(self, x):
                self.foo = self.foo + 1
                return x + self.foo

        given_t = lib.tensor([2.0])
        given = {"foo": given_t}
        mod = Foo()
        lib.func.functional_call(mod, given, lib.zeros(1))
        return float(mod.foo.sum()), float(given["foo"].sum()), float(given_t.sum()), given["foo"] is given_t

    assert run(ab) == run(torch) == (0.0, 3.0, 2.0, False)


def test_parameter_given_for_a_new_name_is_listed_during_the_call():
    def run(lib):
        class M(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.l1 = lib.nn.Linear(1, 1)

            def forward(self, x):
                return self.l1(x), [n for n, _ in self.named_parameters()]

        m = M()
        extra = lib.nn.Parameter(lib.ones(1))
        _, names = lib.func.functional_call(m, {"l1.extra": extra}, lib.ones(1, 1))
        return names, [n for n, _ in m.named_parameters()]

    assert run(ab) == run(torch)


def test_gradient_flows_to_given_tensors_as_torch():
    w0, b0 = np.array([[0.3, -1.2]]), np.array([0.7])
    x0 = np.array([[1.0, 2.0], [3.0, -1.0]])

    def run(lib):
        m = lib.nn.Linear(2, 1)
        w, b = lib.tensor(w0, requires_grad=True), lib.tensor(b0, requires_grad=True)
        lib.func.functional_call(m, {"weight": w, "bias": b}, lib.tensor(x0)).pow(2).sum().backward()
        return np.asarray(w.grad), np.asarray(b.grad), m.weight.grad

    (gw, gb, own), (tw, tb, town) = _both(run)
    np.testing.assert_allclose(gw, tw, rtol=1e-13)
    np.testing.assert_allclose(gb, tb, rtol=1e-13)
    assert own is None and town is None
