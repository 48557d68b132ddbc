"""nn: module registration and naming, Linear/Sequential gradients, state dicts, init, XOR."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor, nn, optim
from autobp._numeric import numerical_gradients
from autobp.nn import functional as F
from autobp.testing import arrays


def _fd_check(model, x, rtol=1e-5, atol=1e-7):
    """Gradients of sum(model(x) * w) for every parameter and x vs central differences."""
    params = list(model.parameters())
    xt = Tensor(x, requires_grad=True)
    out = model(xt)
    w = np.random.default_rng(1).standard_normal(out.shape)
    model.zero_grad()
    (out * w).sum().backward()
    originals = [p.data.copy() for p in params]

    def scalar(xv, *pvs):
        for p, v in zip(params, pvs):
            p.data[...] = v
        with autobp.no_grad():
            return float(np.sum(model(Tensor(xv)).data * w))

    numeric = numerical_gradients(scalar, [x] + originals)
    for p, v in zip(params, originals):
        p.data[...] = v
    np.testing.assert_allclose(xt.grad, numeric[0], rtol=rtol, atol=atol)
    for (name, p), n in zip(model.named_parameters(), numeric[1:]):
        np.testing.assert_allclose(p.grad, n, rtol=rtol, atol=atol, err_msg=name)


# --- Linear / Sequential -------------------------------------------------------------------------
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.booleans(), st.integers(0, 2**31))
def test_linear_forward_and_gradients_match_formula_and_finite_differences(n_in, n_out, batch, bias, seed):
    layer = nn.Linear(n_in, n_out, bias=bias, rng=seed)
    assert layer.weight.shape == (n_out, n_in)
    x = np.random.default_rng(seed).uniform(-2, 2, (batch, n_in))
    expected = x @ layer.weight.data.T + (layer.bias.data if bias else 0)
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-12)
    _fd_check(layer, x)


@given(arrays(shape=st.tuples(st.integers(1, 3), st.just(3)), lo=-2, hi=2), st.integers(0, 2**31))
def test_sequential_mlp_gradients_match_finite_differences(x, seed):
    net = nn.Sequential(nn.Linear(3, 4, rng=seed), nn.Tanh(), nn.Linear(4, 2, rng=seed + 1), nn.Sigmoid())
    _fd_check(net, x)


def test_functional_linear_takes_arrays_and_names_bad_shapes():
    x, w, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(4, 3) / 10, [1.0, 2.0, 3.0, 4.0]
    np.testing.assert_allclose(nn.functional.linear(x, w, b).data, x @ w.T + b, rtol=1e-12)
    with pytest.raises(ValueError, match=r"input of shape \(2, 2\) must have 3 as its last dimension"):
        nn.functional.linear(np.ones((2, 2)), w)
    with pytest.raises(ValueError, match=r"bias of shape \(3,\) must be \(4,\)"):
        nn.functional.linear(x, w, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"weight must be 2-D"):
        nn.functional.linear(x, np.ones(3))


def test_linear_accepts_batched_and_single_inputs_and_names_bad_shapes():
    layer = nn.Linear(3, 2, rng=0)
    assert layer(np.ones(3)).shape == (2,)
    assert layer(np.ones((5, 4, 3))).shape == (5, 4, 2)
    with pytest.raises(ValueError, match=r"in_features=3.*\(4, 2\)"):
        layer(np.ones((4, 2)))
    with pytest.raises(ValueError, match="out_features must be a non-negative int"):
        nn.Linear(3, -1)


def test_linear_with_zero_features_works_like_torch():
    torch = pytest.importorskip("torch")
    empty_in = nn.Linear(0, 3, rng=0)  # the output is the bias, which PyTorch initialises to zeros
    np.testing.assert_array_equal(empty_in.bias.data, torch.nn.Linear(0, 3).bias.detach().numpy())
    x = Tensor(np.ones((2, 0)), requires_grad=True)
    out = empty_in(x)
    assert out.shape == (2, 3)
    out.sum().backward()
    np.testing.assert_array_equal(empty_in.bias.grad, [2.0, 2.0, 2.0])
    assert x.grad.shape == (2, 0) and empty_in.weight.grad.shape == (3, 0)
    assert nn.Linear(3, 0, rng=0)(np.ones((4, 3))).shape == (4, 0)


def test_linear_default_init_is_pytorch_bound_and_reproducible():
    a, b = nn.Linear(16, 50, rng=7), nn.Linear(16, 50, rng=7)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert np.abs(a.weight.data).max() <= 0.25 and np.abs(a.bias.data).max() <= 0.25
    assert np.abs(a.weight.data).max() > 0.2  # the bound 1/sqrt(16) is used, not something smaller
    assert not np.array_equal(nn.Linear(16, 50, rng=8).weight.data, a.weight.data)


def test_layers_have_no_gradient_code_of_their_own():
    from autobp.ops import DECLS
    from autobp.rules import RULES

    # the only rules under autobp.nn belong to declared ops (convolutions, fold, unfold)
    declared = {r for d in DECLS.values() for r in d.rules}
    assert not [
        op for op, fn in RULES.items() if fn.__module__.startswith("autobp.nn") and op not in declared
    ]
    assert not [op for op, fn in RULES.items() if fn.__module__ == "autobp.nn.layers"]
    net = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Sigmoid())
    assert net(np.array([[1.0, -1.0]])).grad_fn == "sigmoid"  # an engine op, not a layer op


def test_linear_float32_stays_float32_through_forward_and_backward():
    layer = nn.Linear(3, 2, rng=0, dtype=np.float32)
    y = layer(np.ones((2, 3), dtype=np.float32))
    y.sum().backward()
    assert y.dtype == layer.weight.grad.dtype == layer.bias.grad.dtype == np.float32


def test_deepcopy_gives_an_independent_module():
    import copy

    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Sigmoid())
    twin = copy.deepcopy(net)
    assert twin[0].weight is not net[0].weight
    np.testing.assert_array_equal(twin(np.ones(2)).data, net(np.ones(2)).data)
    nn.init.zeros_(twin[0].weight)
    assert net[0].weight.data.any()


# --- registration, naming, tree ------------------------------------------------------------------
class _Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(3, 2, rng=0), nn.Sigmoid())
        self.scale = nn.Parameter(np.ones(2))
        self.head = nn.Linear(2, 1, bias=False, rng=1)
        self.constant = Tensor(np.ones(2))  # a plain Tensor is not a parameter

    def forward(self, x):
        return self.head(self.encoder(x) * self.scale)


def test_parameters_register_on_assignment_with_dotted_names():
    m = _Block()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "encoder.0.weight", "encoder.0.bias", "head.weight"]
    assert [type(c).__name__ for c in m.children()] == ["Sequential", "Linear"]
    assert [n for n, _ in m.named_modules()] == ["", "encoder", "encoder.0", "encoder.1", "head"]
    assert all(p.requires_grad for p in m.parameters())
    assert m.encoder[0].weight is dict(m.named_parameters())["encoder.0.weight"]


def test_shared_parameter_counted_once_and_reassignment_rules():
    m = _Block()
    m.tied = m.head  # the same module twice
    assert len(list(m.parameters())) == 4
    m.scale = None
    assert "scale" not in dict(m.named_parameters())
    with pytest.raises(TypeError, match="parameter 'scale'.*nn.Parameter"):
        m.scale = Tensor(np.ones(2))
    with pytest.raises(TypeError, match="submodule 'head'"):
        m.head = 3
    del m.tied
    assert not hasattr(m, "tied")
    with pytest.raises(AttributeError, match="nothing"):
        m.nothing  # noqa: B018


def test_registered_names_are_plain_attributes_kept_in_step_with_the_registries(monkeypatch):
    m = _Block()
    extra, sub = nn.Parameter(np.ones(2)), nn.Linear(2, 2)
    m.register_parameter("extra", extra)
    m.add_module("sub", sub)

    def no_fallback(self, name):
        raise AssertionError(f"{name!r} needed __getattr__")

    monkeypatch.setattr(nn.Module, "__getattr__", no_fallback)  # every registered name resolves without it
    assert m.scale is dict(m.named_parameters())["scale"]
    assert (m.encoder, m.head, m.extra, m.sub) == (m._modules["encoder"], m._modules["head"], extra, sub)
    assert getattr(m.encoder, "0") is m.encoder[0] and m.head.weight is m.head._parameters["weight"]
    monkeypatch.undo()
    m.sub = nn.Parameter(np.zeros(3))  # a module's name taken by a parameter leaves the module registry
    assert m.sub.shape == (3,) and "sub" not in m._modules and "sub" in dict(m.named_parameters())
    m.extra = None
    assert m.extra is None and "extra" not in dict(m.named_parameters())
    del m.sub
    with pytest.raises(AttributeError, match="sub"):
        m.sub  # noqa: B018
    assert "sub" not in dict(m.named_parameters())


def test_module_without_super_init_fails_clearly():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.ones(1))

    with pytest.raises(RuntimeError, match="super\\(\\).__init__"):
        Bad()


def test_zero_grad_train_eval_and_repr():
    m = _Block()
    m(np.ones((2, 3))).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad(set_to_none=False)
    assert all(np.array_equal(p.grad, np.zeros_like(p.data)) for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.eval()
    assert not any(x.training for x in m.modules())
    m.train()
    assert all(x.training for x in m.modules())
    text = repr(m)
    assert "(encoder): Sequential(\n    (0): Linear(in_features=3, out_features=2, bias=True)" in text
    assert "(head): Linear(in_features=2, out_features=1, bias=False)" in text


def test_zero_grad_to_zeros_keeps_plain_arrays_that_the_next_backward_adds_into():
    m = _Block()
    x = np.random.default_rng(3).standard_normal((2, 3))
    m(x).sum().backward()
    before = {name: p.grad for name, p in m.named_parameters()}
    fresh = {name: p.grad.copy() for name, p in m.named_parameters()}
    m.zero_grad(set_to_none=False)
    for name, p in m.named_parameters():
        assert p.grad is before[name] and isinstance(p.grad, np.ndarray)  # zeroed in place, like PyTorch
        assert not p.grad.any()
    m(x).sum().backward()
    for name, p in m.named_parameters():
        np.testing.assert_array_equal(p.grad, fresh[name])
    # a grad the engine must not write into (read-only) is replaced, never modified
    w = next(iter(m.parameters()))
    frozen = np.ones_like(w._data)
    frozen.flags.writeable = False
    w.grad = frozen
    optim.SGD(m.parameters(), lr=0.1).zero_grad(set_to_none=False)
    assert w.grad is not frozen and isinstance(w.grad, np.ndarray) and not w.grad.any()
    assert frozen.all()


def test_sequential_indexing_slicing_and_bad_members():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Sigmoid(), nn.Linear(3, 1, rng=1))
    assert len(net) == 3 and isinstance(net[-1], nn.Linear)
    assert isinstance(net[:2], nn.Sequential) and len(net[:2]) == 2
    x = np.ones((1, 2))
    np.testing.assert_allclose(net[2](net[1](net[0](x))).data, net(x).data)
    with pytest.raises(IndexError, match="out of range"):
        net[5]
    with pytest.raises(TypeError, match="argument 1"):
        nn.Sequential(nn.Sigmoid(), lambda x: x)


# --- state dicts ----------------------------------------------------------------------------------
def test_state_dict_round_trip_gives_identical_outputs():
    a, b = _Block(), _Block()
    for p in b.parameters():
        nn.init.normal_(p, rng=3)
    x = np.random.default_rng(0).standard_normal((4, 3))
    assert not np.allclose(a(x).data, b(x).data)
    sd = a.state_dict()
    assert list(sd) == [n for n, _ in a.named_parameters()]
    weight = b.encoder[0].weight
    b.load_state_dict(sd)
    np.testing.assert_array_equal(a(x).data, b(x).data)
    assert b.encoder[0].weight is weight  # loaded in place, so an optimiser keeps working
    assert isinstance(sd["scale"], autobp.Tensor) and not sd["scale"].requires_grad
    sd["scale"][...] = 99  # as torch's: detached Tensors sharing the parameters' memory
    assert a.scale.data[0] == 99


def test_strict_load_names_missing_unexpected_and_misshaped_keys():
    m = _Block()
    before = {k: v.clone() for k, v in m.state_dict().items()}
    sd = m.state_dict()
    del sd["head.weight"]
    sd["extra.bias"] = np.zeros(1)
    sd["scale"] = np.zeros(5)
    sd["encoder.0.bias"] = np.full(2, 7.0)
    with pytest.raises(RuntimeError) as e:
        m.load_state_dict(sd)
    msg = str(e.value)
    assert 'Missing key(s) in state_dict: "head.weight"' in msg
    assert 'Unexpected key(s) in state_dict: "extra.bias"' in msg
    assert (
        "size mismatch for scale: copying a param with shape (5,) from checkpoint, "
        "the shape in current model is (2,)" in msg
    )
    for k, v in before.items():  # nothing was changed by the failed load
        np.testing.assert_array_equal(m.state_dict()[k], v)
    sd["scale"] = np.zeros(2)
    result = m.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["head.weight"] and result.unexpected_keys == ["extra.bias"]
    np.testing.assert_array_equal(m.encoder[0].bias.data, [7.0, 7.0])


# --- init -----------------------------------------------------------------------------------------
def test_uniform_init_reproducible_and_in_range():
    a, b = nn.Parameter(np.empty((50, 40))), nn.Parameter(np.empty((50, 40)))
    nn.init.uniform_(a, -0.3, 0.3, rng=np.random.default_rng(5))
    nn.init.uniform_(b, -0.3, 0.3, rng=5)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.data.min() >= -0.3 and a.data.max() <= 0.3 and a.data.max() - a.data.min() > 0.59
    with pytest.raises(TypeError, match="rng"):
        nn.init.uniform_(a, rng="seed")


@pytest.mark.parametrize(
    "fn, expected_std",
    [
        (lambda t: nn.init.xavier_uniform_(t, rng=0), math.sqrt(2 / (300 + 200))),
        (lambda t: nn.init.xavier_normal_(t, gain=2.0, rng=0), 2 * math.sqrt(2 / (300 + 200))),
        (lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu", rng=0), math.sqrt(2 / 200)),
        (
            lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu", rng=0),
            math.sqrt(2 / 300),
        ),
        (lambda t: nn.init.normal_(t, 0.0, 0.5, rng=0), 0.5),
    ],
)
def test_scaled_initialisers_have_the_documented_std(fn, expected_std):
    t = nn.Parameter(np.empty((300, 200)))  # fan_in 200, fan_out 300
    fn(t)
    assert abs(t.data.std() / expected_std - 1) < 0.02
    assert abs(t.data.mean()) < 0.02 * expected_std * 10


def test_init_fills_in_place_and_rejects_bad_input():
    t = nn.Parameter(np.ones((2, 3)))
    arr = t.data
    nn.init.zeros_(t)
    assert np.shares_memory(t.data, arr) and not arr.any()
    nn.init.constant_(t, 2.5)
    assert np.all(arr == 2.5)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        nn.init.xavier_uniform_(nn.Parameter(np.ones(3)))
    with pytest.raises(ValueError, match="a <= b"):
        nn.init.uniform_(t, 1, 0)
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)


# --- training end to end --------------------------------------------------------------------------
def test_mlp_learns_xor_from_paper_init():
    from autobp import optim

    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
    for p in net.parameters():
        nn.init.uniform_(p, -0.3, 0.3, rng)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    d = np.array([[0], [1], [1], [0]], dtype=float)
    opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    for _ in range(2000):
        opt.zero_grad()
        F.sse_loss(net(x), d).backward()
        opt.step()
    y = net(x).data
    assert np.all((y > 0.5) == (d > 0.5)), y.ravel()
    assert F.sse_loss(y, d).item() < 0.01


# --- losses -----------------------------------------------------------------------------------------
def _input_grad_vs_fd(loss_fn, x, rtol=1e-5, atol=1e-7):
    xt = Tensor(x, requires_grad=True)
    loss_fn(xt).backward()

    def scalar(v):
        with autobp.no_grad():
            return loss_fn(Tensor(v)).item()

    (numeric,) = numerical_gradients(scalar, [x])
    np.testing.assert_allclose(xt.grad, numeric, rtol=rtol, atol=atol)


_vectors = st.integers(1, 6).flatmap(
    lambda n: st.tuples(arrays((n,), lo=0.02, hi=0.98), arrays((n,), lo=0, hi=1))
)


@given(_vectors, st.sampled_from(["mean", "sum", "none"]))
def test_sse_mse_bce_match_formulas_and_finite_differences(pair, reduction):
    y, d = pair
    red = {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction]
    cases = [
        (lambda t: F.sse_loss(t, d, reduction=reduction), 0.5 * (y - d) ** 2),
        (lambda t: F.mse_loss(t, d, reduction=reduction), (y - d) ** 2),
        (
            lambda t: F.binary_cross_entropy(t, d, reduction=reduction),
            -(d * np.log(y) + (1 - d) * np.log(1 - y)),
        ),
    ]
    for fn, elementwise in cases:
        np.testing.assert_allclose(fn(Tensor(y)).data, red(elementwise), rtol=1e-12)
        _input_grad_vs_fd(lambda t, fn=fn: fn(t).sum(), y)


def test_sse_tolerance_is_the_papers_margin():
    y = np.array([0.95, 0.8, 0.7, 0.05, 0.2, 0.5])
    d = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    # on units: nothing at or above 0.8, else 1/2 (0.8 - y)^2
    # off units: nothing at or below 0.2, else 1/2 (y - 0.2)^2
    expected = [0.0, 0.0, 0.5 * 0.1**2, 0.0, 0.0, 0.5 * 0.3**2]
    np.testing.assert_allclose(F.sse_loss(y, d, tolerance=0.2, reduction="none").data, expected, atol=1e-15)
    assert F.sse_loss(y, d, tolerance=0.2).item() == pytest.approx(sum(expected))
    assert F.sse_loss(y, d, tolerance=0.0).item() == pytest.approx(0.5 * np.sum((y - d) ** 2))
    with pytest.raises(ValueError, match="targets of exactly 0 or 1"):
        F.sse_loss(y, np.full(6, 0.5), tolerance=0.2)
    with pytest.raises(ValueError, match="tolerance"):
        F.sse_loss(y, d, tolerance=0.6)


@given(arrays((6,), lo=0.0, hi=1.0), st.lists(st.booleans(), min_size=6, max_size=6))
def test_sse_tolerance_gradient_matches_finite_differences(y, on):
    d = np.array(on, dtype=float)
    y = np.where(np.abs(y - 0.8) < 1e-3, 0.5, np.where(np.abs(y - 0.2) < 1e-3, 0.5, y))  # off the edges
    _input_grad_vs_fd(lambda t: F.sse_loss(t, d, tolerance=0.2), y)


@given(arrays(st.tuples(st.integers(1, 4), st.integers(2, 5)), lo=-5, hi=5), st.data())
def test_logit_losses_match_formulas_and_finite_differences(x, data):
    n, c = x.shape
    t_bin = data.draw(arrays(x.shape, lo=0, hi=1))
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    sig = 1 / (1 + np.exp(-x))
    bce = -(t_bin * np.log(sig) + (1 - t_bin) * np.log(1 - sig))
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(x, t_bin).item(), bce.mean(), rtol=1e-10)
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(
        F.cross_entropy(x, labels).item(), -logp[np.arange(n), labels].mean(), rtol=1e-10
    )
    _input_grad_vs_fd(lambda t: F.binary_cross_entropy_with_logits(t, t_bin, reduction="sum"), x)
    _input_grad_vs_fd(lambda t: F.cross_entropy(t, labels, reduction="sum"), x)
    probs = np.exp(logp)
    _input_grad_vs_fd(lambda t: F.cross_entropy(t, probs), x)


def test_logit_losses_are_stable_at_extreme_logits():
    x = Tensor(np.array([[1000.0, -1000.0, 0.0]]), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, np.array([[0.0, 1.0, 1.0]]), reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(2000 + np.log(2))
    np.testing.assert_allclose(x.grad, [[1.0, -1.0, -0.5]])  # sigmoid(x) - t, exact at x = 0 too
    x.grad = None
    ce = F.cross_entropy(x, np.array([1]))
    ce.backward()
    assert ce.item() == pytest.approx(2000)
    np.testing.assert_allclose(x.grad, [[1.0, -1.0, 0.0]], atol=1e-12)
    p = F.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 1.0]), reduction="none")
    np.testing.assert_allclose(p.data, [100.0, 0.0])  # log floored at -100, as PyTorch


def test_losses_match_torch():
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    rng = np.random.default_rng(3)
    x, t, labels = rng.standard_normal((4, 3)), rng.uniform(0, 1, (4, 3)), np.array([0, 2, 1, 2])
    pw = np.array([0.5, 2.0, 1.0])
    pairs = [
        (lambda a: F.mse_loss(a, t), lambda a: tf.mse_loss(a, torch.tensor(t))),
        (
            lambda a: F.binary_cross_entropy(a.sigmoid(), t, reduction="sum"),
            lambda a: tf.binary_cross_entropy(a.sigmoid(), torch.tensor(t), reduction="sum"),
        ),
        (
            lambda a: F.binary_cross_entropy_with_logits(a, t, pos_weight=pw),
            lambda a: tf.binary_cross_entropy_with_logits(a, torch.tensor(t), pos_weight=torch.tensor(pw)),
        ),
        (lambda a: F.cross_entropy(a, labels), lambda a: tf.cross_entropy(a, torch.tensor(labels))),
        (
            lambda a: F.cross_entropy(a, t / t.sum(1, keepdims=True), reduction="sum"),
            lambda a: tf.cross_entropy(a, torch.tensor(t / t.sum(1, keepdims=True)), reduction="sum"),
        ),
    ]
    for ours, theirs in pairs:
        a, b = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        la, lb = ours(a), theirs(b)
        la.backward()
        lb.backward()
        np.testing.assert_allclose(la.item(), lb.item(), rtol=1e-12)
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_losses_reject_bad_arguments_clearly():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"\(2, 3\) and target of shape \(2,\) do not broadcast"):
        F.mse_loss(x, np.zeros(2))  # (3,) broadcasts, with PyTorch's warning
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.sse_loss(x, x, reduction="avg")
    with pytest.raises(ValueError, match="probabilities in"):
        F.binary_cross_entropy(x + 2, x)
    with pytest.raises(ValueError, match=r"targets must be in \[0, 3\)"):
        F.cross_entropy(x, np.array([0, 3]))
    with pytest.raises(TypeError, match="integer class indices"):
        F.cross_entropy(x, np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"need targets of shape \(2,\)"):
        F.cross_entropy(x, np.array([0]))
