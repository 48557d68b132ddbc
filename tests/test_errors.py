"""The error catalogue: each public API driven with bad input raises the documented exception type with a
message naming the op and the shapes or values involved, so a user can act on it without a debugger."""

import json
import zipfile

import numpy as np
import pytest

import autobp
from autobp import CheckpointError, Function, GraphReleasedError, Tensor, Value, nn, optim
from autobp.nn import functional as F


def ones(*shape, grad=True):
    return Tensor(np.ones(shape), requires_grad=grad)


def raises(exc, fn, *words):
    """Run ``fn``, demand ``exc``, and demand every word in its message; returns the message."""
    with pytest.raises(exc) as info:
        fn()
    msg = str(info.value)
    assert type(info.value).__module__.split(".")[0] in ("autobp", "builtins"), type(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in message: {msg}"
    return msg


# --- shape mismatches: every binary op, every operand kind on either side ------------------------
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "maximum": autobp.maximum,
    "minimum": autobp.minimum,
    "where": lambda a, b: autobp.where(np.ones((2, 3), dtype=bool), a, b),
}
SIDES = {
    "tensor-tensor": lambda a, b: (a, b),
    "tensor-array": lambda a, b: (a, b.data.copy()),
    "array-tensor": lambda a, b: (a.data.copy(), b),
}


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("op", BINARY)
def test_binary_shape_mismatch_names_both_shapes(op, side):
    a, b = SIDES[side](ones(2, 3), ones(4))
    if op in ("<", "<=", ">", ">=", "==", "!=") and side == "array-tensor":
        a, b = b, a.T  # numpy takes over a reflected comparison with an array on the left; test the other way
        raises(ValueError, lambda: BINARY[op](a, b), "(4,)", "(3, 2)")
        return
    raises(ValueError, lambda: BINARY[op](a, b), op, "(2, 3)", "(4,)")


@pytest.mark.parametrize(
    "sa, sb, words",
    [
        ((2, 3), (4, 2), ["(2, 3)", "(4, 2)", "3 != 4"]),
        ((3,), (4,), ["(3,)", "(4,)", "3 != 4"]),
        ((2, 3), (2,), ["(2, 3)", "(2,)", "3 != 2"]),
        ((3,), (4, 2), ["(3,)", "(4, 2)", "3 != 4"]),
        ((2, 3, 4), (3, 4, 5), ["(2, 3, 4)", "(3, 4, 5)", "batch"]),
        ((), (3,), ["1-D", "()", "(3,)"]),
        ((3,), (), ["1-D", "()", "(3,)"]),
    ],
)
@pytest.mark.parametrize("form", ["@", "autobp.matmul", "array @ tensor", "tensor @ array"])
def test_matmul_mismatch_names_shapes_and_inner_sizes(sa, sb, words, form):
    a, b = ones(*sa), ones(*sb)
    call = {
        "@": lambda: a @ b,
        "autobp.matmul": lambda: autobp.matmul(a, b),
        "array @ tensor": lambda: a.data.copy() @ b,
        "tensor @ array": lambda: a @ b.data.copy(),
    }[form]
    raises(ValueError, call, "matmul", *words)


def test_join_and_shape_ops_name_the_offending_tensor_and_shapes():
    raises(ValueError, lambda: autobp.concatenate([ones(2, 3), ones(2, 4)]), "tensor 1", "(2, 4)", "(2, 3)")
    raises(ValueError, lambda: autobp.concatenate([ones(2, 3), ones(3)]), "tensor 1", "(3,)")
    raises(ValueError, lambda: autobp.concatenate([ones(), ones()]), "zero-dimensional")
    raises(ValueError, lambda: autobp.concatenate([]), "non-empty")
    raises(ValueError, lambda: autobp.stack([ones(2), ones(3)]), "tensor 1", "(3,)", "(2,)")
    raises(ValueError, lambda: ones(2, 3).reshape(4, 2), "(2, 3)", "(4, 2)")
    raises(ValueError, lambda: ones(2, 3).broadcast_to((4, 4)), "(2, 3)", "(4, 4)")
    raises(ValueError, lambda: ones(2, 3).transpose(0, 0), "(0, 0)", "(2, 3)")
    out = autobp.ones(2, requires_grad=True) * 2  # an op's output: its rule expects its shape (a leaf may
    raises(ValueError, lambda: setattr(out, "data", np.ones(3)), "(3,)", "(2,)", "mul")  # change, as torch's)
    raises(ValueError, lambda: ones(2, 3).item(), "(2, 3)", "6 elements")
    raises(ValueError, lambda: bool(ones(2)), "(2,)", "ambiguous")
    raises(ValueError, lambda: ones(0, 3).max(axis=0), "(0, 3)", "axis 0")


# --- bad axes, for every op that takes one ---------------------------------------------------------
AXIS_OPS = {
    "sum": lambda t, a: t.sum(axis=a),
    "mean": lambda t, a: t.mean(axis=a),
    "max": lambda t, a: t.max(axis=a),
    "min": lambda t, a: t.min(axis=a),
    "logsumexp": lambda t, a: t.logsumexp(axis=a),
    "softmax": lambda t, a: t.softmax(axis=a),
    "log_softmax": lambda t, a: t.log_softmax(axis=a),
    "squeeze": lambda t, a: t.squeeze(a),
    "swapaxes": lambda t, a: t.swapaxes(0, a),
    "concatenate": lambda t, a: autobp.concatenate([t, t], axis=a),
    "stack": lambda t, a: autobp.stack([t, t], axis=a),
    "expand_dims": lambda t, a: t.expand_dims(a),
}


@pytest.mark.parametrize("op", AXIS_OPS)
@pytest.mark.parametrize("axis", [5, -6])
def test_out_of_range_axis_names_op_axis_and_shape(op, axis):
    raises(ValueError, lambda: AXIS_OPS[op](ones(2, 1, 3), axis), op, str(axis), "(2, 1, 3)")


@pytest.mark.parametrize("op", ["sum", "mean", "max", "min", "logsumexp"])
def test_repeated_and_non_integer_axes_are_named(op):
    raises(ValueError, lambda: AXIS_OPS[op](ones(2, 3), (1, -1)), op, "repeated", "(1, -1)")
    raises(TypeError, lambda: AXIS_OPS[op](ones(2, 3), 1.0), op, "1.0")
    raises(TypeError, lambda: AXIS_OPS[op](ones(2, 3), "0"), op, "'0'")


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_needs_exactly_one_axis(op):
    raises(ValueError, lambda: AXIS_OPS[op](ones(2, 3), (0, 1)), op, "single axis", "(0, 1)", "(2, 3)")


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize(("shape", "axis"), [((2, 0), 1), ((0,), 0), ((2, 0), 0), ((0, 3), 1)])
def test_softmax_over_an_empty_axis_is_empty_as_in_torch(op, shape, axis):
    # numpy's max has no identity for an empty axis (found by test_fuzz); PyTorch gives an empty result
    torch = pytest.importorskip("torch")
    x = Tensor(np.ones(shape), requires_grad=True)
    y = AXIS_OPS[op](x, axis)
    y.sum().backward()
    tx = torch.ones(shape, dtype=torch.float64, requires_grad=True)
    ty = getattr(torch, op)(tx, axis)
    ty.sum().backward()
    assert y.shape == tuple(ty.shape) and y.dtype == np.float64 and x.grad.shape == tuple(tx.grad.shape)


def test_logsumexp_over_an_empty_axis_is_minus_infinity_as_in_numpy():
    x = Tensor(np.ones((2, 0)), requires_grad=True)
    y = x.logsumexp(axis=1)
    np.testing.assert_array_equal(y.data, [-np.inf, -np.inf])
    y.sum().backward()
    assert x.grad.shape == (2, 0)
    assert x.logsumexp(axis=1, keepdims=True).shape == (2, 1)


def test_transpose_refuses_out_of_range_axes_instead_of_wrapping_them():
    raises(ValueError, lambda: ones(2, 3).transpose(0, 3), "(0, 3)", "(2, 3)")
    raises(ValueError, lambda: ones(2, 3).transpose(-3, 1), "(-3, 1)", "(2, 3)")
    assert ones(2, 3).transpose(-1, 0).shape == (3, 2)


def test_complex_operands_promote_and_are_never_silently_made_real():
    """Complex tensors are supported (docs/concepts/complex.md): a complex operand promotes the result
    as in numpy; what would drop an imaginary part (a real dtype, a real-only loss) refuses."""
    assert (ones(2) + np.complex128(1j)).dtype == np.complex128
    assert (ones(2) * [1j, 2.0]).dtype == np.complex128
    raises(TypeError, lambda: F.mse_loss(ones(1), 1j), "complex")
    raises(TypeError, lambda: Tensor([1j], dtype=np.float64), "complex")


def test_casting_to_integers_gives_a_constant_not_a_gradient_path():
    x = ones(3)
    k = x.astype(np.int64)
    assert k.dtype == np.int64 and not k.requires_grad
    raises(TypeError, lambda: x.astype("not a dtype"), "astype", "'not a dtype'")


def test_squeeze_of_a_wide_axis_names_it():
    raises(ValueError, lambda: ones(2, 3).squeeze(1), "axis 1", "(2, 3)", "size 1")


# --- indexing ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "index, words",
    [
        ((slice(None), 7), ["7", "(2, 3)", "axis 1"]),
        ((0, 0, 0), ["(2, 3)", "too many"]),
        ((1.5,), ["1.5", "(2, 3)"]),
        ((np.array([0.0, 1.0]),), ["float64"]),
        ((np.ones(3, dtype=bool),), ["(2, 3)", "boolean", "shape=(3,)"]),
        (([0, 5],), ["5", "(2, 3)"]),
    ],
)
def test_bad_index_is_an_index_error_naming_index_and_shape(index, words):
    raises(IndexError, lambda: ones(2, 3)[index if len(index) > 1 else index[0]], *words)


# --- operands and construction -----------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["x", None, {"a": 1}, object()])
def test_unsupported_operands_name_their_type(bad):
    kind = type(bad).__name__
    for op in (lambda: ones(2) + bad, lambda: bad * ones(2), lambda: ones(2) @ bad, lambda: ones(2) ** bad):
        raises(TypeError, op, kind)


@pytest.mark.parametrize(
    "data, words",
    [
        ("abc", ["str"]),
        ([object()], ["not numeric"]),
        ([[1.0, 2.0], [3.0]], ["inhomogeneous"]),
        (np.array(["a"]), ["<U1"]),
    ],
)
def test_non_numeric_data_is_a_type_error(data, words):
    raises(TypeError, lambda: Tensor(data), "Tensor", *words)


# --- gradients: requests that cannot be honoured -----------------------------------------------------
def test_non_scalar_backward_names_the_shape():
    y = ones(2, 3) * 2
    raises(RuntimeError, y.backward, "scalar", "(2, 3)", "gradient=")
    raises(ValueError, lambda: y.backward(np.ones(3)), "(3,)", "(2, 3)")
    raises(RuntimeError, lambda: autobp.grad(y, []), "cannot be empty")  # PyTorch checks inputs first


def test_backward_twice_without_retain_graph_says_how_to_fix_it():
    y = (ones(2) * 2).sum()
    y.backward()  # sum saved nothing and keeps its input; x * 2 saved the 2, as in PyTorch
    msg = raises(GraphReleasedError, y.backward, "'mul_scalar'", "second time", "retain_graph=True")
    assert isinstance(GraphReleasedError(msg), RuntimeError)
    x = ones(2)
    z = (x * x).sum()
    autobp.grad(z, x)
    raises(GraphReleasedError, lambda: autobp.grad(z, x), "freed", "retain_graph=True")


def test_gradients_of_things_that_do_not_require_grad():
    raises(RuntimeError, lambda: Tensor([1.0, 2.0]).sum().backward(), "does not require grad", "shape ()")
    x, c = ones(2), Tensor(np.ones(3))
    raises(RuntimeError, lambda: autobp.grad((x * 2).sum(), c), "inputs[0]", "(3,)", "does not require grad")
    raises(RuntimeError, lambda: autobp.grad((c * 2).sum(), x), "outputs[0]", "does not require grad")
    unused = ones(4)
    raises(RuntimeError, lambda: autobp.grad((x * 2).sum(), [x, unused]), "inputs[1]", "(4,)", "allow_unused")
    raises(RuntimeError, lambda: Tensor([1.0]).retain_grad(), "does not require grad")
    with autobp.no_grad():
        y = (x * 2).sum()
    raises(RuntimeError, y.backward, "no_grad")
    raises(TypeError, lambda: autobp.grad((x * 2).sum(), [x, 3.0]), "inputs[1]", "float")


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool])
def test_integer_and_boolean_tensors_cannot_ask_for_grad(dtype):
    name = np.dtype(dtype).name
    raises(TypeError, lambda: Tensor(np.arange(3), dtype=dtype, requires_grad=True), name, "floating")
    raises(TypeError, lambda: Tensor(np.arange(3), dtype=dtype).requires_grad_(), name, "floating")
    raises(TypeError, lambda: nn.Parameter(np.arange(3), dtype=dtype), name, "floating")


def test_requires_grad_of_an_interior_tensor_cannot_change():
    y = ones(2) * 2
    raises(RuntimeError, lambda: y.requires_grad_(False), "leaves", "mul")


# --- custom functions whose backward does not fit their forward ----------------------------------------
def custom(backward, forward=lambda ctx, x, y: x * y):
    return type("Custom", (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def test_custom_function_gradient_count_shape_and_type_are_checked():
    x, y = ones(2, 3), ones(2, 3)
    too_few = custom(lambda ctx, g: g)
    raises(
        TypeError, lambda: too_few.apply(x, y).sum().backward(), "Custom.backward", "1 gradient", "2 input"
    )
    wrong_shape = custom(lambda ctx, g: (g.sum(axis=0), g))
    raises(ValueError, lambda: wrong_shape.apply(x, y).sum().backward(), "input 0", "(3,)", "(2, 3)")
    not_array = custom(lambda ctx, g: ("zero", g))
    raises(TypeError, lambda: not_array.apply(x, y).sum().backward(), "input 0", "str")
    extra = custom(lambda ctx, g: (g, np.ones(1)), forward=lambda ctx, x, k: x * k)
    raises(TypeError, lambda: extra.apply(x, 2.0).sum().backward(), "input 1", "not a Tensor", "return None")
    returns_dict = custom(lambda ctx, g: (g, g), forward=lambda ctx, x, y: {"out": x * y})
    raises(TypeError, lambda: returns_dict.apply(x, y), "Custom.forward", "output 0", "dict")
    raises(TypeError, lambda: custom(lambda ctx, g: g).apply(Value(1.0), x), "cannot mix")


# --- modules, optimisers, checkpoints --------------------------------------------------------------------
def test_linear_input_and_state_dict_problems_name_keys_and_shapes():
    net = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    raises(ValueError, lambda: net(np.ones((4, 5))), "in_features=3", "(4, 5)")
    good = net.state_dict()
    before = {k: v.copy() for k, v in good.items()}
    missing = {k: v for k, v in good.items() if k != "2.bias"}
    raises(RuntimeError, lambda: net.load_state_dict(missing), 'Missing key(s) in state_dict: "2.bias"')
    unexpected = {**good, "3.weight": np.ones(2)}
    raises(
        RuntimeError, lambda: net.load_state_dict(unexpected), 'Unexpected key(s) in state_dict: "3.weight"'
    )
    misshaped = {**good, "0.weight": np.zeros((3, 2)), "2.bias": np.zeros(7)}
    raises(
        RuntimeError,
        lambda: net.load_state_dict(misshaped),
        "size mismatch for 0.weight: copying a param with shape (3, 2)",
        "(2, 3)",
        "2.bias",
    )
    wrong_kind = {**good, "0.bias": np.array(["a", "b"])}
    raises(RuntimeError, lambda: net.load_state_dict(wrong_kind), "0.bias", "<U1")
    for k, v in net.state_dict().items():  # nothing changed by any failed load
        np.testing.assert_array_equal(v, before[k])


def test_loss_functions_name_shapes_and_values():
    raises(ValueError, lambda: F.mse_loss(ones(2, 3), np.ones(2)), "(2, 3)", "(2,)")  # (3,) would broadcast
    raises(ValueError, lambda: F.cross_entropy(ones(2, 3), np.array([0, 5])), "[0, 3)", "max 5")
    raises(ValueError, lambda: F.cross_entropy(ones(2, 3), np.array([0, 1, 2])), "(2, 3)", "(2,)", "(3,)")
    raises(TypeError, lambda: F.cross_entropy(ones(2, 3), np.array(["a", "b"])), "<U1")
    raises(ValueError, lambda: F.binary_cross_entropy(Tensor([1.5]), np.ones(1)), "[0, 1]")
    raises(ValueError, lambda: F.mse_loss(ones(2), np.ones(2), reduction="avg"), "'avg'", "'mean'")
    raises(ValueError, lambda: F.sse_loss(ones(2), np.array([0.5, 1.0]), tolerance=0.2), "0 or 1", "0.5")


def test_optimiser_arguments_and_state_are_checked():
    p = nn.Parameter(np.ones(2))
    raises(ValueError, lambda: optim.SGD([p], lr=-1.0), "lr", "-1.0")
    raises(ValueError, lambda: optim.SGD([], lr=0.1), "empty")
    raises(ValueError, lambda: optim.Adam([p], betas=(1.5, 0.9)), "(1.5, 0.9)")
    raises(TypeError, lambda: optim.SGD([p, np.ones(2)], lr=0.1), "params[1]", "ndarray")
    raises(ValueError, lambda: optim.SGD([p * 2], lr=0.1), "params[0]", "leaf")
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.ones(3)
    raises(ValueError, opt.step, "(3,)", "(2,)")


@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / "good.npz"
    autobp.save({"w": np.arange(6.0).reshape(2, 3), "step": 3}, path)
    return path


def test_corrupt_checkpoints_raise_checkpoint_error_naming_the_file(checkpoint, tmp_path):
    raw = checkpoint.read_bytes()
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip file at all" * 10)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(raw[: len(raw) // 2])
    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.ones(2))
    bad_json = tmp_path / "bad_json.npz"
    np.savez(bad_json, __autobp_structure__=np.frombuffer(b"{not json", dtype=np.uint8))
    foreign = tmp_path / "foreign.npz"
    header = {"format": "autobp-checkpoint", "version": 99, "root": None}
    np.savez(foreign, __autobp_structure__=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
    encrypted = tmp_path / "encrypted.npz"
    flagged = bytearray(raw)
    for signature, offset in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):  # central and local headers
        at = flagged.find(signature)
        flagged[at + offset] |= 1  # general-purpose flag bit 0: "encrypted"
    encrypted.write_bytes(bytes(flagged))
    future = tmp_path / "future.npz"
    bumped = bytearray(raw)
    bumped[bumped.find(b"PK\x01\x02") + 6] = 64  # "version needed to extract": 6.4, which zipfile refuses
    future.write_bytes(bytes(bumped))
    for path, words in [
        (encrypted, ["encrypted"]),
        (future, ["version 6.4"]),
        (garbage, ["zip"]),
        (truncated, ["truncated"]),
        (plain, ["__autobp_structure__"]),
        (bad_json, ["JSON"]),
        (foreign, ["version 99"]),
    ]:
        msg = raises(CheckpointError, lambda p=path: autobp.load(p), str(path), *words)
        assert isinstance(CheckpointError(msg), ValueError)
    assert zipfile.is_zipfile(checkpoint)
    raises(FileNotFoundError, lambda: autobp.load(tmp_path / "missing.npz"), "missing.npz")
    raises(TypeError, lambda: autobp.save({"f": lambda: 1}, tmp_path / "x.npz"), "obj['f']", "function")


# --- Value ---------------------------------------------------------------------------------------------
def test_value_errors_name_the_op_and_the_operand():
    raises(ValueError, lambda: Value(-1.0).log(), "log", "-1.0")
    raises(TypeError, lambda: Value(1.0) + "a", "+", "'a'", "str")
    raises(ZeroDivisionError, lambda: Value(1.0) / 0, "1.0", "zero")
    raises(ValueError, lambda: Value(-2.0) ** 0.5, "-2.0", "0.5")
    raises(ValueError, lambda: Value(-2.0) ** Value(2.0), "positive", "-2.0")
    raises(OverflowError, lambda: Value(1000.0).exp(), "exp(1000.0)")
    raises(TypeError, lambda: Value("1"), "'1'", "str")
