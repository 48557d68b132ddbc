"""``Tensor.grad`` is a plain ndarray to numpy code and answers PyTorch's Tensor methods with PyTorch's
meaning: each method is checked against torch running the same program (values after it, and what the
next backward adds into them), and numpy's view of the gradient against a plain array's."""

import io
import pickle

import numpy as np
import pytest

import autobp
from autobp import Tensor, Value, nn

torch = pytest.importorskip("torch")

X0 = np.array([[0.5, -1.5, 2.0], [-0.25, 3.0, -2.5]])
OTHER = np.array([[1.0, -2.0, 0.5], [4.0, -0.75, 3.0]])


def _loss(x):
    return (x * x * x).sum() + (x[0] * x[1]).sum()  # dL/dx = 3x^2 + the other row: no two alike


def _pair(dtype=np.float64):
    """The same leaf in autobp and in torch, each after one backward of _loss."""
    a = Tensor(X0.astype(dtype), requires_grad=True, dtype=dtype)
    t = torch.tensor(X0.astype(dtype), requires_grad=True)
    _loss(a).backward()
    _loss(t).backward()
    return a, t


def _close(ours, theirs, rtol=1e-12):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    np.testing.assert_allclose(np.asarray(ours), theirs, rtol=rtol, atol=0)


# (method, args for autobp, args for torch): every in-place method writes into the buffer the next
# backward adds into
_INPLACE = [
    ("zero_", (), ()),
    ("fill_", (2.5,), (2.5,)),
    ("add_", (OTHER,), (torch.tensor(OTHER),)),
    ("sub_", (OTHER,), (torch.tensor(OTHER),)),
    ("mul_", (OTHER,), (torch.tensor(OTHER),)),
    ("div_", (OTHER,), (torch.tensor(OTHER),)),
    ("copy_", (OTHER,), (torch.tensor(OTHER),)),
    ("copy_", (OTHER[1],), (torch.tensor(OTHER[1]),)),  # broadcast
    ("neg_", (), ()),
    ("abs_", (), ()),
    ("mul_", (0.5,), (0.5,)),
    ("div_", (4.0,), (4.0,)),
]


@pytest.mark.parametrize(
    "name,ours,theirs", _INPLACE, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(_INPLACE)]
)
def test_inplace_methods_match_torch_and_the_next_backward_adds_into_them(name, ours, theirs):
    a, t = _pair()
    held = a.grad  # what user code holds sees the write, as a torch reference does
    assert getattr(a.grad, name)(*ours) is held
    getattr(t.grad, name)(*theirs)
    _close(held, t.grad)
    _loss(a).backward()
    _loss(t).backward()
    _close(a.grad, t.grad)
    assert a.grad is held


@pytest.mark.parametrize(
    "call",
    [
        lambda g, T: g.add_(T(OTHER), alpha=0.5),
        lambda g, T: g.sub_(T(OTHER), alpha=2.0),
        lambda g, T: g.div_(T(OTHER), rounding_mode="floor"),
        lambda g, T: g.div_(T(OTHER), rounding_mode="trunc"),
        lambda g, T: g.clamp_(min=-1.0, max=4.0),
        lambda g, T: g.clamp_(min=0.0),
        lambda g, T: g.clamp_(max=1.0),
        lambda g, T: g.clip_(-2.0, 2.0),
        lambda g, T: g.data.zero_(),
        lambda g, T: g.detach().zero_(),  # detach shares the memory, in both
        lambda g, T: g.view(-1).mul_(3.0),
        lambda g, T: g[1].fill_(7.0),  # a view of the gradient writes into it, as torch's
        lambda g, T: g.detach_().requires_grad_(False).zero_(),  # PyTorch's own zero_grad spelling
    ],
)
def test_inplace_spellings_with_keywords_tensors_and_views_match_torch(call):
    a, t = _pair()
    call(a.grad, autobp.tensor)
    call(t.grad, torch.tensor)
    _close(a.grad, t.grad)
    _loss(a).backward()
    _loss(t).backward()
    _close(a.grad, t.grad)


def test_zero_then_backward_gives_the_new_gradient_only_as_torch():
    a, t = _pair()
    a.grad.zero_()
    t.grad.zero_()
    (a * 3.0).sum().backward()
    (t * 3.0).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((2, 3), 3.0))
    _close(a.grad, t.grad)


T_OTHER = torch.tensor(OTHER)

# (autobp's call, torch's call): the same program, in each library's spelling of numpy's arguments
_OUT_OF_PLACE = [
    (lambda g: g.abs(), lambda g: g.abs()),
    (lambda g: g.neg(), lambda g: g.neg()),
    (lambda g: g.pow(2), lambda g: g.pow(2)),
    (lambda g: g.add(OTHER, alpha=2.0), lambda g: g.add(T_OTHER, alpha=2.0)),
    (lambda g: g.sub(OTHER), lambda g: g.sub(T_OTHER)),
    (lambda g: g.mul(OTHER), lambda g: g.mul(T_OTHER)),
    (lambda g: g.div(OTHER), lambda g: g.div(T_OTHER)),
    (lambda g: g.clamp(-1.0, 4.0), lambda g: g.clamp(-1.0, 4.0)),
    (lambda g: g.clamp(min=0.0), lambda g: g.clamp(min=0.0)),
    (lambda g: g.norm(), lambda g: g.norm()),
    (lambda g: g.norm(1), lambda g: g.norm(1)),
    (lambda g: g.norm(float("inf")), lambda g: g.norm(float("inf"))),
    (lambda g: g.norm(2), lambda g: g.norm(2)),  # the flattened 2-norm (numpy's would be spectral)
    (lambda g: g.norm(3, dim=0), lambda g: g.norm(3, dim=0)),
    (lambda g: g.norm(2, dim=1, keepdim=True), lambda g: g.norm(2, dim=1, keepdim=True)),
    (lambda g: g.norm("fro"), lambda g: g.norm("fro")),
    (lambda g: g.norm(p="nuc"), lambda g: g.norm(p="nuc")),
    (lambda g: g.numpy(), lambda g: g.numpy()),
    (lambda g: g.cpu().numpy(), lambda g: g.cpu().numpy()),
    (lambda g: g.clone(), lambda g: g.clone()),
    (lambda g: g.detach(), lambda g: g.detach()),
    (lambda g: g.to("cpu"), lambda g: g.to("cpu")),
    (lambda g: g.to(np.float32), lambda g: g.to(torch.float32)),
    (lambda g: g.float(), lambda g: g.float()),
    (lambda g: g.double(), lambda g: g.double()),
    (lambda g: g.contiguous(), lambda g: g.contiguous()),
    (lambda g: g.view(3, 2), lambda g: g.view(3, 2)),
    (lambda g: g.view((6,)), lambda g: g.view((6,))),
]


@pytest.mark.parametrize("ours,theirs", _OUT_OF_PLACE, ids=[str(i) for i in range(len(_OUT_OF_PLACE))])
def test_out_of_place_methods_match_torch_and_leave_the_gradient_alone(ours, theirs):
    a, t = _pair()
    before = np.array(a.grad)
    got = np.asarray(ours(a.grad))
    want = theirs(t.grad)
    want = want.detach().numpy() if isinstance(want, torch.Tensor) else np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6 if got.dtype == np.float32 else 1e-12)
    np.testing.assert_array_equal(a.grad, before)


def test_numpys_results_are_plain_torchs_chain_and_views_keep_the_methods():
    a, t = _pair()
    g = a.grad
    for new in (g.numpy(), g + 1, -g, g * g, g @ g.T):  # numpy's operators and conversions: plain arrays
        assert type(new) is np.ndarray
    before = np.array(g)
    for new in (g.abs(), g.pow(2), g.add(OTHER), g.clamp(0.0, 1.0), g.div(2.0), g.neg()):
        assert isinstance(new, np.ndarray) and hasattr(new, "pow")  # PyTorch's methods chain on them
        new.fill_(7.0)  # a new array: writing into it leaves the gradient alone
    np.testing.assert_array_equal(g, before)
    chained = g.data.abs().pow(3).sum() + g.data.div(2.0).view(-1).neg().sum()
    want = t.grad.data.abs().pow(3).sum() + t.grad.data.div(2.0).view(-1).neg().sum()
    np.testing.assert_allclose(chained, want.item(), rtol=1e-6)
    for view in (g.clone(), g.detach(), g[0], g.view(-1), g.reshape(3, 2), g.T):
        assert isinstance(view, np.ndarray) and hasattr(view, "zero_")
    c = g.clone()
    c.zero_()  # a clone is a copy: the gradient keeps its values
    assert g.any()


def test_shape_queries_and_flags_answer_as_a_torch_tensor():
    a, t = _pair()
    g, tg = a.grad, t.grad
    assert g.size() == tuple(tg.size()) and g.size(1) == tg.size(1) and g.size(-1) == tg.size(-1)
    assert g.size == 6 and np.arange(g.size).shape == (6,)  # still numpy's element count
    assert g.numel() == tg.numel() and g.nelement() == tg.nelement() and g.dim() == tg.dim()
    assert g.element_size() == tg.element_size() and g.is_contiguous() == tg.is_contiguous()
    assert (g.requires_grad, g.grad_fn, g.is_leaf, g.is_sparse, g.device) == (False, None, True, False, "cpu")
    assert g.data is g and g.cpu() is g and g.to("cpu") is g and g.to(np.float64) is g
    assert g.equal(g.clone()) and not g.equal(g + 1) and not g.equal(g.reshape(3, 2))
    assert g.allclose(g + 1e-12) and not g.allclose(g + 1.0)
    assert tg.equal(tg.clone()) and tg.allclose(tg + 1e-12)


def test_torch_errors_are_errors_here_too():
    a, t = _pair()
    with pytest.raises(RuntimeError):
        t.grad.clamp_()
    with pytest.raises(RuntimeError, match="at least one"):
        a.grad.clamp_()
    with pytest.raises(RuntimeError):
        t.grad.t().view(-1)
    with pytest.raises(RuntimeError, match="without a copy"):
        a.grad.T.view(-1)
    with pytest.raises(RuntimeError, match="cannot require grad"):
        a.grad.requires_grad_()
    with pytest.raises(ValueError, match="cuda"):
        a.grad.to("cuda")


def test_numpy_sees_a_plain_ndarray():
    a, _ = _pair()
    g = a.grad
    plain = np.array(g)
    assert isinstance(g, np.ndarray) and g is a.grad
    assert repr(g) == repr(plain) and str(g) == str(plain) and repr(g).startswith("array(")
    assert type(g.sum()) is np.float64 and type(np.mean(g)) is np.float64
    for out in (
        np.sin(g),
        np.zeros_like(g),
        np.concatenate([g, g]),
        np.expand_dims(g, 0),
        g.copy(),
        g.astype(np.float32),
    ):
        assert type(out) is np.ndarray
    assert all(type(p) is np.ndarray for p in np.split(g, 3, axis=1))
    assert type(g == plain) is np.ndarray and (g == plain).all()
    assert np.clip(g, 0, 1, out=g) is g  # numpy's out= returns the caller's array
    loaded = pickle.loads(pickle.dumps(g))
    assert type(loaded) is np.ndarray and np.array_equal(loaded, g)
    buf = io.BytesIO()
    np.save(buf, g)
    buf.seek(0)
    assert type(np.load(buf)) is np.ndarray
    assert type(memoryview(g)) is memoryview and bytes(g.data) == g.tobytes()


def test_a_tensor_operand_still_makes_a_tensor():
    a, _ = _pair()
    w = Tensor(OTHER, requires_grad=True)
    out = a.grad * w  # numpy defers to the Tensor, as it does for a plain array
    assert isinstance(out, Tensor) and out.requires_grad
    out.sum().backward()
    np.testing.assert_allclose(w.grad, a.grad)


def test_grad_set_by_hand_to_a_plain_array_or_none():
    a, t = _pair()
    mine = np.ones((2, 3))
    a.grad = mine
    t.grad = torch.ones(2, 3, dtype=torch.float64)
    assert isinstance(a.grad, np.ndarray) and hasattr(a.grad, "zero_")
    _loss(a).backward()
    _loss(t).backward()
    _close(a.grad, t.grad)
    np.testing.assert_array_equal(mine, a.grad)  # backward adds into the array given, as before
    a.grad = None
    assert a.grad is None
    del a.grad
    assert a.grad is None
    _loss(a).backward()
    t.grad = None
    _loss(t).backward()
    _close(a.grad, t.grad)


def test_inplace_operators_keep_the_object_and_backward_adds_into_it():
    a, t = _pair()
    g = a.grad
    g += 1.0
    a.grad *= 2.0
    t.grad += 1.0
    t.grad *= 2.0
    assert a.grad is g
    _loss(a).backward()
    _loss(t).backward()
    _close(g, t.grad)


def test_float32_stays_float32():
    a, t = _pair(np.float32)
    assert a.grad.dtype == np.float32
    a.grad.add_(OTHER)  # a float64 operand, cast into the buffer as torch's in-place ops do
    t.grad.add_(torch.tensor(OTHER))
    assert a.grad.dtype == np.float32 and t.grad.dtype == torch.float32
    _close(a.grad, t.grad, rtol=1e-6)
    assert (a.grad * 2.0).dtype == np.float32 and a.grad.norm().dtype == np.float32
    _loss(a).backward()
    assert a.grad.dtype == np.float32


def test_create_graph_still_leaves_a_tensor():
    a = Tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (a**3).sum().backward(create_graph=True)
    (t**3).sum().backward(create_graph=True)
    assert type(a.grad) is Tensor and a.grad.requires_grad
    g2 = autobp.grad(a.grad.sum(), a)[0]
    (t2,) = torch.autograd.grad(t.grad.sum(), t)
    _close(g2, t2)


def test_zero_grad_keeps_the_object_user_code_holds_and_optimisers_step_as_torch():
    a, t = _pair()
    held = a.grad
    opt, topt = autobp.optim.SGD([a], lr=0.1, momentum=0.9), torch.optim.SGD([t], lr=0.1, momentum=0.9)
    for _ in range(3):
        opt.step()
        topt.step()
        opt.zero_grad(set_to_none=False)
        topt.zero_grad(set_to_none=False)
        assert a.grad is held and not held.any()
        _loss(a).backward()
        _loss(t).backward()
        assert a.grad is held
    _close(a.data, t)
    _close(a.grad, t.grad)


def test_clip_grad_norm_writes_into_the_gradient_user_code_holds():
    a, t = _pair()
    held = a.grad
    total = nn.utils.clip_grad_norm_([a], max_norm=1.0)
    ttotal = torch.nn.utils.clip_grad_norm_([t], max_norm=1.0)
    _close(total, ttotal)
    assert a.grad is held
    _close(held, t.grad)


def test_hooks_and_values_are_untouched():
    seen = []
    a = Tensor([1.0, 2.0], requires_grad=True)
    a.register_hook(lambda g: seen.append(type(g)))
    (a * a).sum().backward()
    assert seen == [Tensor]  # a hook sees the gradient as a Tensor, as PyTorch's do (not a GradArray)
    v = Value(3.0)
    (v * v).backward()
    assert type(v.grad) is float and v.grad == 6.0


def test_reductions_take_pytorchs_dim_and_keepdim_beside_numpys_axis():
    a, t = _pair()
    g, tg = a.grad, t.grad
    np.testing.assert_allclose(g.sum(0, keepdim=True), tg.sum(0, keepdim=True).numpy(), rtol=1e-6)
    np.testing.assert_allclose(g.prod(dim=-1), tg.prod(dim=-1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(g.mean(dim=1, keepdim=False), tg.mean(dim=1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(g.data.sum(axis=1, keepdims=True), np.asarray(g).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(np.sum(g, axis=0), np.asarray(g).sum(axis=0))  # numpy's own call path
    with pytest.raises(TypeError, match="not both"):
        g.sum(0, dim=1)
    chained = g.prod(dim=-1).sum(dim=0)  # PyTorch's spelling keeps PyTorch's methods on the result
    assert chained == pytest.approx(tg.prod(dim=-1).sum(dim=0).item(), rel=1e-6)
