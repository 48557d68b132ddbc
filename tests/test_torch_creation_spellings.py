"""PyTorch's creation and shape spellings that its own test files use: ``autobp.device``, ``size=`` on the
factories, ``randint`` with a floating dtype, ``squeeze`` of a 0-d tensor, ``full_like(requires_grad=)``,
``linspace``/``logspace`` with ``end=``/``steps=``, ``eye(n=, m=)``, ``tril_indices(row, col=)``,
``empty_strided``'s strides and ``tensor(ints, requires_grad=True)`` refused; torch is the oracle."""

import copy
import pickle

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _same(ours, theirs):
    """Values, shape and dtype of an autobp result equal torch's (float64 torch results: autobp's default)."""
    want = theirs.detach().numpy()
    got = np.asarray(ours.detach().numpy() if isinstance(ours, autobp.Tensor) else ours)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.dtype, want.dtype, got.shape)
    np.testing.assert_array_equal(got, want)


# --- autobp.device ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, kwargs",
    [(("cpu",), {}), (("cpu", 0), {}), (("cpu:0",), {}), ((), {"type": "cpu", "index": 1}), (("cuda",), {}),
     (("cuda:1",), {}), (("meta",), {}), (("cpu", None), {})],
)  # fmt: skip
def test_device_type_index_str_repr_as_torch(args, kwargs):
    ours, theirs = autobp.device(*args, **kwargs), torch.device(*args, **kwargs)
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert str(ours) == str(theirs) and repr(ours) == repr(theirs)
    assert autobp.device(theirs) == ours  # a torch.device is read too
    assert pickle.loads(pickle.dumps(ours)) == ours and repr(copy.deepcopy(ours)) == repr(theirs)


def test_device_equality_and_a_tensors_device():
    t = autobp.ones(2)
    assert isinstance(t.device, autobp.device) and repr(t.device) == repr(torch.ones(2).device)
    assert t.device == autobp.device("cpu") and t.device == "cpu"  # numpy's string stays
    # devices compare among themselves as torch's do
    pairs = [("cpu", "cpu:0"), ("cpu:0", "cpu:0"), ("cpu", "cpu"), ("cuda:0", "cuda:1")]
    for a, b in pairs:
        assert (autobp.device(a) == autobp.device(b)) == (torch.device(a) == torch.device(b))
    assert autobp.device("cpu", 0) == autobp.device("cpu:0")
    assert hash(autobp.device("cpu")) == hash(t.device)
    assert t.grad is None
    x = autobp.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    assert x.grad.device == autobp.device("cpu")


@pytest.mark.parametrize(
    "args, kwargs",
    [(("gpu",), {}), (("cpu:x",), {}), (("cpu:-1",), {}), (("cpu", -1), {}), (("cpu:0", 0), {}),
     (("CPU",), {}), (("cuda", "0"), {}), ((1.5,), {})],
)  # fmt: skip
def test_device_bad_input_raises_torchs_error_type(args, kwargs):
    with pytest.raises(Exception) as theirs:
        torch.device(*args, **kwargs)
    with pytest.raises(type(theirs.value)):
        autobp.device(*args, **kwargs)


def test_device_objects_are_taken_by_factories_layers_and_to():
    cpu = autobp.device("cpu")
    _same(autobp.zeros(2, device=cpu), torch.zeros(2, device=torch.device("cpu"), dtype=torch.float64))
    _same(autobp.arange(3, device=autobp.device("cpu", 0)), torch.arange(3, device=torch.device("cpu", 0)))
    _same(autobp.tensor([1, 2], device=cpu), torch.tensor([1, 2], device=torch.device("cpu")))
    assert autobp.ones(2).to(cpu).shape == (2,)
    layer = autobp.nn.Linear(2, 3, device=cpu)
    assert layer.to(cpu) is layer and layer.weight.device == cpu
    with cpu:
        assert autobp.zeros(1).device == cpu
    cuda = autobp.device("cuda")  # made, as torch makes it without a GPU ...
    for use in (
        lambda: autobp.zeros(2, device=cuda),
        lambda: autobp.ones(2).to(cuda),
        lambda: autobp.nn.Linear(2, 3, device=cuda),
        lambda: layer.to(cuda),
    ):
        with pytest.raises(ValueError, match="not available"):  # ... and refused when used
            use()


# --- size= on the factories -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, kwargs",
    [("zeros", {}), ("ones", {}), ("zeros", {"dtype": "int64"}), ("ones", {"dtype": "float32"}),
     ("full", {"fill_value": 1.5}), ("full", {"fill_value": 3, "dtype": "float32"}),
     ("full", {"fill_value": 2})],
)  # fmt: skip
@pytest.mark.parametrize("size", [(2, 3), [4], ()])
def test_size_keyword_as_torch(name, kwargs, size):
    theirs_kw = {k: getattr(torch, v) if k == "dtype" else v for k, v in kwargs.items()}
    ours_kw = {k: getattr(np, v) if k == "dtype" else v for k, v in kwargs.items()}
    if "dtype" not in kwargs and not (name == "full" and isinstance(kwargs["fill_value"], int)):
        theirs_kw["dtype"] = torch.float64
    _same(getattr(autobp, name)(size=size, **ours_kw), getattr(torch, name)(size=size, **theirs_kw))


@pytest.mark.parametrize("name", ["empty", "rand", "randn"])
def test_size_keyword_of_uninitialised_and_random(name):
    ours = getattr(autobp, name)(size=(2, 3), dtype=np.float32)
    theirs = getattr(torch, name)(size=(2, 3), dtype=torch.float32)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    with pytest.raises(TypeError, match="size"):
        getattr(autobp, name)(2, size=(2,))


def test_numpys_shape_keyword_and_positional_shape_stay():
    assert autobp.zeros(shape=(2, 3)).shape == (2, 3) and autobp.ones((2, 3)).shape == (2, 3)
    assert autobp.full(shape=(2,), fill_value=1.0).shape == (2,) and autobp.zeros(2, 3).shape == (2, 3)
    with pytest.raises(TypeError):
        autobp.zeros((2,), size=(2,))


def test_layout_and_pin_memory_keywords():
    assert autobp.zeros(2, layout=torch.strided, pin_memory=False).shape == tuple(
        torch.zeros(2, layout=torch.strided, pin_memory=False).shape
    )
    with pytest.raises(ValueError, match="layout"):
        autobp.ones(2, layout=torch.sparse_coo)


# --- randint's dtypes ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int8", "uint8", "int32"])
def test_randint_dtype_as_torch(dtype):
    ours = autobp.randint(3, 10, (50,), dtype=getattr(np, dtype))
    theirs = torch.randint(3, 10, (50,), dtype=getattr(torch, dtype))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    values = ours.numpy().astype(np.float64)
    assert np.all((values >= 3) & (values < 10)) and np.all(values == np.round(values))


def test_randint_bool_complex_and_requires_grad_as_torch():
    assert autobp.randint(0, 2, (5,), dtype=bool).dtype == np.bool_
    assert torch.randint(0, 2, (5,), dtype=torch.bool).dtype == torch.bool
    with pytest.raises(RuntimeError):
        torch.randint(0, 2, (3,), dtype=torch.complex64)
    with pytest.raises(TypeError, match="check_random_bounds"):
        autobp.randint(0, 2, (3,), dtype=np.complex64)
    ours = autobp.randint(0, 5, size=(3,), dtype=np.float64, requires_grad=True)
    theirs = torch.randint(0, 5, size=(3,), dtype=torch.float64, requires_grad=True)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        torch.randint(0, 5, (3,), requires_grad=True)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        autobp.randint(0, 5, (3,), requires_grad=True)


def test_randint_size_keyword_forms():
    for args, kw in (((0, 5), {"size": (2, 3)}), ((5,), {"size": (4,)}), ((), {"high": 5, "size": (2,)})):
        assert autobp.randint(*args, **kw).shape == tuple(torch.randint(*args, **kw).shape)


# --- squeeze / unsqueeze of a 0-d tensor -------------------------------------------------------------
@pytest.mark.parametrize("dim", [0, -1, (0,), (-1,), ()])
def test_squeeze_of_a_0d_tensor_as_torch(dim):
    x, tx = autobp.tensor(2.5, requires_grad=True), torch.tensor(2.5, dtype=torch.float64, requires_grad=True)
    for ours, theirs in (
        (x.squeeze(dim), tx.squeeze(dim)),
        (autobp.squeeze(x, dim=dim), torch.squeeze(tx, dim)),
    ):
        _same(ours, theirs)
    (x.squeeze(dim) * 3).backward()
    (tx.squeeze(dim) * 3).backward()
    assert float(x.grad) == float(tx.grad)
    if not isinstance(dim, tuple):  # numpy's int axis: the same
        assert autobp.squeeze(x, axis=dim).shape == np.squeeze(np.array(2.5), axis=dim).shape


@pytest.mark.parametrize("dim", [1, -2, (0, 1)])
def test_squeeze_of_a_0d_tensor_out_of_range_as_torch(dim):
    with pytest.raises(IndexError, match=r"\[-1, 0\]"):
        torch.tensor(1.0).squeeze(dim)
    with pytest.raises(IndexError, match=r"\[-1, 0\]"):
        autobp.tensor(1.0).squeeze(dim)


def test_squeeze_of_a_0d_tensor_repeated_dim_refused_as_torch():
    with pytest.raises(RuntimeError):
        torch.tensor(1.0).squeeze((0, -1))
    with pytest.raises(ValueError, match="repeated"):
        autobp.tensor(1.0).squeeze((0, -1))


@pytest.mark.parametrize("dim", [0, -1])
def test_unsqueeze_of_a_0d_tensor_as_torch(dim):
    _same(autobp.tensor(1.0).unsqueeze(dim), torch.tensor(1.0, dtype=torch.float64).unsqueeze(dim))


# --- the rest of the survey -------------------------------------------------------------------------
def test_full_like_requires_grad_and_dtype_as_torch():
    ours = autobp.full_like(autobp.ones(2), 3.0, requires_grad=True)
    theirs = torch.full_like(torch.ones(2, dtype=torch.float64), 3.0, requires_grad=True)
    _same(ours, theirs)
    assert ours.requires_grad and ours.is_leaf
    _same(
        autobp.full_like(autobp.ones(2), 3, dtype=np.int64),
        torch.full_like(torch.ones(2), 3, dtype=torch.int64),
    )
    with pytest.raises(RuntimeError):
        torch.full_like(torch.ones(2), 3, dtype=torch.int64, requires_grad=True)
    with pytest.raises(RuntimeError):
        autobp.full_like(autobp.ones(2), 3, dtype=np.int64, requires_grad=True)


@pytest.mark.parametrize(
    "name, kwargs",
    [("linspace", {"start": 0, "end": 1, "steps": 5}), ("linspace", {"start": -2.0, "end": 3.0, "steps": 1}),
     ("logspace", {"start": 0, "end": 2, "steps": 3}),
     ("logspace", {"start": 0, "end": 3, "steps": 4, "base": 2})],
)  # fmt: skip
def test_grids_with_torchs_keywords(name, kwargs):
    theirs = getattr(torch, name)(**kwargs, dtype=torch.float64)
    np.testing.assert_allclose(getattr(autobp, name)(**kwargs).numpy(), theirs.numpy(), rtol=1e-14)
    np.testing.assert_allclose(
        getattr(autobp, name)(
            kwargs["start"], kwargs["end"], steps=kwargs["steps"], base=kwargs.get("base", 10.0)
        )
        if name == "logspace"
        else autobp.linspace(kwargs["start"], kwargs["end"], steps=kwargs["steps"]),
        theirs.numpy(),
        rtol=1e-14,
    )
    with pytest.raises(TypeError, match="end"):
        getattr(autobp, name)(0, 1, end=2)


@pytest.mark.parametrize("kwargs", [{"n": 2, "m": 3}, {"n": 3}, {"n": 2, "m": 3, "dtype": "int64"}])
def test_eye_with_torchs_keywords(kwargs):
    ours = autobp.eye(**{k: getattr(np, v) if k == "dtype" else v for k, v in kwargs.items()})
    theirs_kw = {"dtype": torch.float64} | {
        k: getattr(torch, v) if k == "dtype" else v for k, v in kwargs.items()
    }
    theirs = torch.eye(**theirs_kw)
    _same(ours, theirs)


@pytest.mark.parametrize(
    "row, col, offset", [(3, 3, 0), (3, 4, 1), (4, 3, -1), (2, 3, -1), (0, 3, 0), (3, 3, 5)]
)
def test_tril_triu_indices_with_torchs_keywords(row, col, offset):
    for name in ("tril_indices", "triu_indices"):
        theirs = getattr(torch, name)(row, col, offset)
        _same(getattr(autobp, name)(row, col=col, offset=offset), theirs)
        _same(getattr(autobp, name)(row=row, col=col, offset=offset), theirs)
    ours = autobp.tril_indices(3, col=3, dtype=np.int32)
    assert ours.dtype == np.int32 and torch.tril_indices(3, 3, dtype=torch.int32).dtype == torch.int32


def test_tril_indices_numpys_positional_meaning_stays():
    got = autobp.tril_indices(3, 1, 4)
    for g, w in zip(got, np.tril_indices(3, 1, 4)):
        np.testing.assert_array_equal(np.asarray(g), w)
    with pytest.raises(TypeError, match="mixes"):
        autobp.tril_indices(3, 1, col=3)


@pytest.mark.parametrize(
    "size, stride", [((2, 3), (1, 2)), ((2, 3), (3, 1)), ((2, 3), (0, 1)), ((0, 3), (1, 2))]
)
def test_empty_strided_strides_as_torch(size, stride):
    ours, theirs = autobp.empty_strided(size, stride), torch.empty_strided(size, stride)
    assert ours.shape == tuple(theirs.shape) and ours.stride() == theirs.stride()
    assert ours.is_contiguous() == theirs.is_contiguous()
    if 0 not in stride:
        ours.fill_(2.0)
        assert float(ours.sum()) == 2.0 * ours.numel()


def test_tensor_of_ints_requiring_grad_refused_as_torch():
    for data in ([1, 2], 3, [True]):
        with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
            torch.tensor(data, requires_grad=True)
        with pytest.raises(RuntimeError, match="only Tensors of floating point"):
            autobp.tensor(data, requires_grad=True)
    _same(autobp.tensor([1, 2], dtype=float, requires_grad=True), torch.tensor([1, 2], dtype=torch.float64))
    assert (
        autobp.Tensor([1, 2], requires_grad=True).dtype == np.float64
    )  # the constructor's convenience stays


# --- second survey: methods and shape functions --------------------------------------------------
@pytest.mark.parametrize("name", ["new_zeros", "new_ones", "new_empty"])
def test_new_factories_take_size_keyword(name):
    ours = getattr(autobp.ones(2, dtype=np.float32), name)(size=(2, 3))
    theirs = getattr(torch.ones(2), name)(size=(2, 3))
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    if name != "new_empty":
        _same(ours, theirs)


@pytest.mark.parametrize("src, dst", [(0, 0), (-1, 0), (0, -1), ((0,), (-1,))])
def test_movedim_of_a_0d_tensor_as_torch(src, dst):
    x, tx = autobp.tensor(1.5, requires_grad=True), torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    _same(x.movedim(src, dst), tx.movedim(src, dst))
    (x.movedim(src, dst) * 2).backward()
    (tx.movedim(src, dst) * 2).backward()
    assert float(x.grad) == float(tx.grad)
    with pytest.raises(IndexError):
        torch.tensor(1.0).movedim(1, 0)
    with pytest.raises(IndexError):
        autobp.tensor(1.0).movedim(1, 0)


@pytest.mark.parametrize("shape, target", [((3,), (2, -1)), ((1, 3), (2, -1, -1)), ((2, 1), (-1, 4))])
def test_broadcast_to_keeps_a_minus_one_axis_as_torch(shape, target):
    x = autobp.tensor(np.arange(float(np.prod(shape))).reshape(shape), requires_grad=True)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    _same(autobp.broadcast_to(x, target), torch.broadcast_to(tx, target))
    autobp.broadcast_to(x, target).sum().backward()
    torch.broadcast_to(tx, target).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_asarray_memory_copy_and_requires_grad_as_torch():
    for copies in (None, False, True):
        a, b = np.ones(3), np.ones(3)
        autobp.asarray(a, copy=copies)[0] = 5.0
        torch.asarray(b, copy=copies)[0] = 5.0
        np.testing.assert_array_equal(a, b)  # shared unless copy=True, as torch's (and numpy's)
    x, tx = autobp.ones(2), torch.ones(2)
    assert (autobp.asarray(x) is x) == (torch.asarray(tx) is tx)
    assert (autobp.asarray(x, copy=True) is x) == (torch.asarray(tx, copy=True) is tx)
    ours = autobp.asarray([1.0, 2.0], dtype=np.float32, requires_grad=True)
    theirs = torch.asarray([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    assert ours.requires_grad and theirs.requires_grad and ours.dtype == np.float32 and ours.is_leaf
    with pytest.raises(RuntimeError):
        torch.asarray([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        autobp.asarray([1, 2], requires_grad=True)
    with pytest.raises(ValueError):
        torch.asarray(np.ones(2), copy=False, dtype=torch.float32)
    with pytest.raises(ValueError, match="copy=False"):
        autobp.asarray(np.ones(2), copy=False, dtype=np.float32)


@pytest.mark.parametrize(
    "call",
    ["ones(-1)", "zeros(2, -1)", "empty(-2)", "full((-1,), 0.0)", "rand(-1)", "randn(2, -3)",
     "randint(0, 5, (-1,))", "eye(-1)", "eye(2, -3)", "zeros(size=(-1,))"],
)  # fmt: skip
def test_negative_sizes_raise_torchs_runtime_error_and_numpys_value_error(call):
    with pytest.raises(RuntimeError):
        eval("torch." + call)
    with pytest.raises(RuntimeError) as ours:
        eval("autobp." + call)
    assert isinstance(ours.value, ValueError)  # numpy's type too


# --- keyword spellings of the shape functions and methods -------------------------------------------
KEYWORD_CALLS = [
    "ones(6).reshape(shape=(2, 3))",
    "arange(6.0).view(size=(3, 2))",
    "ones(3).expand(size=(2, 3))",
    "arange(6.0).reshape(2, 3).permute(dims=(1, 0))",
    "permute(arange(6.0).reshape(2, 3), dims=[1, 0])",
    "arange(6.0).reshape(2, 3).transpose(dim0=0, dim1=1)",
    "swapaxes(arange(6.0).reshape(2, 3), axis0=0, axis1=1)",
    "swapdims(arange(6.0).reshape(2, 3), dim0=1, dim1=0)",
    "stack(tensors=[ones(2), zeros(2)], dim=1)",
    "cat(tensors=[ones(2), zeros(3)], dim=0)",
    "tensor_split(arange(7.0), sections=3)[0]",
    "tensor_split(arange(7.0), indices=[1, 5])[1]",
    "tensor_split(arange(8.0).reshape(2, 4), 2, dim=1)[1]",
    "arange(8.0).reshape(2, 4).tensor_split(3, dim=1)[2]",
]


@pytest.mark.parametrize("call", KEYWORD_CALLS)
def test_keyword_spellings_as_torch(call):
    with torch.device("cpu"):
        theirs = eval(call, {k: getattr(torch, k) for k in dir(torch)} | {"ones": lambda *s: torch.ones(
            *s, dtype=torch.float64), "zeros": lambda *s: torch.zeros(*s, dtype=torch.float64)})  # fmt: skip
    ours = eval(call, {k: getattr(autobp, k) for k in dir(autobp)})
    assert ours.shape == tuple(theirs.shape)  # torch's arange(6.0) is float32: the values, not the dtype
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_split_and_array_split_take_dim():
    x = autobp.tensor(np.arange(8.0).reshape(2, 4))
    for ours, want in ((autobp.split(x, 2, dim=1), np.split(x.numpy(), 2, axis=1)),
                       (autobp.array_split(x, 3, dim=1), np.array_split(x.numpy(), 3, axis=1))):  # fmt: skip
        assert len(ours) == len(want)
        for o, w in zip(ours, want):
            np.testing.assert_array_equal(o.numpy(), w)


@pytest.mark.parametrize(
    "name", ["zeros_like", "ones_like", "full_like", "empty_like", "rand_like", "randn_like"]
)
def test_like_factories_take_input_keyword(name):
    extra = {"fill_value": 2.5} if name == "full_like" else {}
    ours = getattr(autobp, name)(input=autobp.ones((2, 3), dtype=np.float32), **extra)
    theirs = getattr(torch, name)(input=torch.ones(2, 3), **extra)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    if name in ("zeros_like", "ones_like", "full_like"):
        _same(ours, theirs)
    with pytest.raises(TypeError):
        getattr(autobp, name)(autobp.ones(2), input=autobp.ones(2), **extra)


def test_randint_like_keywords():
    for kw in ({"high": 4}, {"low": 1, "high": 4}):
        ours = autobp.randint_like(input=autobp.ones(5), **kw)
        theirs = torch.randint_like(input=torch.ones(5, dtype=torch.float64), **kw)
        assert ours.shape == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype).replace(
            "torch.", ""
        )
        assert np.all((ours.numpy() >= kw.get("low", 0)) & (ours.numpy() < kw["high"]))
