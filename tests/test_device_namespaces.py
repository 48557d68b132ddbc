"""autobp.cuda, .cpu, .backends, .accelerator, the default device and the layouts, against the
CPU-only PyTorch build (torch.cuda.is_available() is False there): each call returns what torch's
returns, or raises where torch's raises (the same exception type, unless torch's is an accident)."""

import pickle

import numpy as np
import pytest

import autobp
import autobp.backends.cudnn
from autobp._device import DeviceError
from autobp.cuda import NoCudaError

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _torch_has_no_cuda():
    if torch.cuda.is_available():
        pytest.skip("these tests compare with a PyTorch build without CUDA")


def outcome(call):
    """('ok', value) or ('raises', exception)."""
    try:
        return "ok", call()
    except Exception as exc:  # noqa: BLE001  the exception is what is compared
        return "raises", exc


def same(ours, theirs, exact_type=True):
    a, b = outcome(ours), outcome(theirs)
    assert a[0] == b[0], (a, b)
    if a[0] == "ok":
        assert a[1] == b[1] and type(a[1]) is type(b[1]), (a, b)
    elif exact_type:
        assert isinstance(a[1], type(b[1])), (a, b)


# (call on a namespace, same exception type as torch's) for torch.cuda and autobp.cuda
CUDA_CALLS = [
    (lambda m: m.is_available(), True),
    (lambda m: m.device_count(), True),
    (lambda m: m.is_initialized(), True),
    (lambda m: m.init(), True),
    (lambda m: m.manual_seed(0), True),
    (lambda m: m.manual_seed(2**70), True),
    (lambda m: m.manual_seed(-1), True),
    (lambda m: m.manual_seed("x"), True),
    (lambda m: m.manual_seed(None), True),
    (lambda m: m.manual_seed_all(1234), True),
    (lambda m: m.seed(), True),
    (lambda m: m.seed_all(), True),
    (lambda m: m.initial_seed(), True),
    (lambda m: m.get_rng_state(), True),
    (lambda m: m.get_rng_state_all(), True),
    (lambda m: m.set_rng_state_all([]), True),
    (lambda m: m.empty_cache(), True),
    (lambda m: m.synchronize(), True),
    (lambda m: m.current_device(), True),
    (lambda m: m.get_device_name(), True),
    (lambda m: m.get_device_name(0), True),
    (lambda m: m.get_device_properties(0), True),
    (lambda m: m.get_device_capability(), True),
    (lambda m: m.mem_get_info(), True),
    (lambda m: m.ipc_collect(), True),
    (lambda m: m.memory_allocated(), True),
    (lambda m: m.memory_allocated("cuda:3"), True),
    (lambda m: m.max_memory_allocated(), True),
    (lambda m: m.memory_reserved(), True),
    (lambda m: m.max_memory_reserved(), True),
    (lambda m: m.reset_peak_memory_stats(), False),  # torch: an AttributeError of its missing bindings
    (lambda m: m.reset_max_memory_allocated(), False),
    (lambda m: m.set_device(0), False),
    (lambda m: m.set_device("cuda:0"), False),
    (lambda m: m.set_device(-1), True),
    (lambda m: m.set_device("cpu"), True),
    (lambda m: m.set_device("cuda"), True),
    (lambda m: m.set_device(None), True),
    (lambda m: m.set_device(1.5), True),
    (lambda m: m.is_bf16_supported(), True),
    (lambda m: m.is_bf16_supported(including_emulation=False), True),
    (lambda m: m.is_tf32_supported(), True),
    (lambda m: m.get_arch_list(), True),
    (lambda m: m.Event(), True),
    (lambda m: m.Event(enable_timing=True), True),
    (lambda m: m.Stream(), True),
    (lambda m: m.current_stream(), True),
    (lambda m: m.stream(None).__enter__(), True),
    (lambda m: m.device(-1).__enter__(), True),
    (lambda m: m.device(0).__enter__(), True),
    (lambda m: m.device("cuda:1").__enter__(), True),
    (lambda m: m.device("cpu"), True),
    (lambda m: m.FloatTensor(), True),
    (lambda m: m.LongTensor([1, 2]), True),
    (lambda m: m.DoubleTensor(2, 3), True),
    (lambda m: m.FloatTensor.is_cuda, True),
    (lambda m: str(m.HalfTensor.dtype).rsplit(".")[-1], True),
]


@pytest.mark.parametrize("k", range(len(CUDA_CALLS)))
def test_cuda_namespace_answers_as_cpu_only_torch(k):
    call, exact_type = CUDA_CALLS[k]
    same(lambda: call(autobp.cuda), lambda: call(torch.cuda), exact_type)


def test_cuda_device_of_a_tensor_does_nothing_as_torchs():
    with autobp.cuda.device_of(autobp.zeros(2)), torch.cuda.device_of(torch.zeros(2)):
        pass


@pytest.mark.parametrize("name", ["FloatTensor", "DoubleTensor", "LongTensor", "BoolTensor", "ByteTensor"])
def test_no_tensor_is_of_a_cuda_type_and_none_can_be_cast_to_one(name):
    ours, theirs = getattr(autobp.cuda, name), getattr(torch.cuda, name)
    assert isinstance(autobp.ones(2), ours) is isinstance(torch.ones(2), theirs) is False
    for target in (ours, f"autobp.cuda.{name}"):
        same(lambda target=target: autobp.ones(2).type(target), lambda: torch.ones(2).type(theirs))
    same(lambda: autobp.set_default_tensor_type(ours), lambda: torch.set_default_tensor_type(theirs))


def test_cuda_errors_are_assertion_and_runtime_errors_naming_numpy():
    with pytest.raises(AssertionError, match="numpy on the CPU"):
        autobp.cuda.current_device()
    with pytest.raises(RuntimeError, match="no CUDA device"):
        autobp.cuda.synchronize()
    assert issubclass(NoCudaError, AssertionError) and issubclass(NoCudaError, RuntimeError)


def test_cuda_seeding_leaves_autobps_generator_alone():
    autobp.manual_seed(3)
    a = autobp.randn(4)
    autobp.manual_seed(3)
    autobp.cuda.manual_seed_all(99)
    autobp.cuda.seed_all()
    assert np.array_equal(autobp.randn(4).numpy(), a.numpy())


CPU_CALLS = [
    lambda m: m.is_available(),
    lambda m: m.is_initialized(),
    lambda m: m.device_count(),
    lambda m: m.current_device(),
    lambda m: m.synchronize(),
    lambda m: m.synchronize(0),
    lambda m: m.synchronize("cuda"),
    lambda m: m.set_device(0),
    lambda m: m.set_device("cpu"),
    lambda m: m.set_device(None),
    lambda m: m.current_stream() is m.current_stream(),
    lambda m: m.Event().query(),
    lambda m: m.Event().record(),
    lambda m: m.Event().synchronize(),
    lambda m: m.Event().wait(),
    lambda m: m.Stream(priority=3).wait_stream(m.current_stream()),
    lambda m: m.Stream().wait_event(m.Event()),
    lambda m: m.stream(m.Stream()).__enter__(),
    lambda m: m.stream(None).__enter__(),
]


@pytest.mark.parametrize("k", range(len(CPU_CALLS)))
def test_cpu_namespace_answers_as_torchs(k):
    same(lambda: CPU_CALLS[k](autobp.cpu), lambda: CPU_CALLS[k](torch.cpu))


def test_cpu_stream_records_an_event_that_has_finished():
    assert isinstance(autobp.cpu.Stream().record_event(), autobp.cpu.Event)
    assert autobp.cpu.current_stream().record_event().query() is True


ACCELERATOR_CALLS = [
    lambda m: m.is_available(),
    lambda m: m.current_accelerator(),
    lambda m: m.current_accelerator(check_available=True),
    lambda m: m.device_count(),
    lambda m: m.current_device_index(),
    lambda m: m.set_device_index(0),
    lambda m: m.synchronize(),
    lambda m: m.current_stream(),
    lambda m: m.empty_cache(),
    lambda m: m.memory_allocated(),
    lambda m: m.max_memory_allocated(),
    lambda m: m.reset_peak_memory_stats(),
    lambda m: m.device_index(None).__enter__(),
    lambda m: m.device_index(0).__enter__(),
]


@pytest.mark.parametrize("k", range(len(ACCELERATOR_CALLS)))
def test_accelerator_namespace_answers_as_torchs(k):
    same(lambda: ACCELERATOR_CALLS[k](autobp.accelerator), lambda: ACCELERATOR_CALLS[k](torch.accelerator))


BACKEND_QUERIES = [
    lambda b: b.cudnn.is_available(),
    lambda b: b.cudnn.version(),
    lambda b: b.mps.is_available(),
    lambda b: b.mps.is_built(),
    lambda b: b.mps.is_macos_or_newer(13, 0),
    lambda b: b.cuda.is_built(),
    lambda b: b.cuda.flash_sdp_enabled(),
    lambda b: b.cuda.mem_efficient_sdp_enabled(),
    lambda b: b.cuda.math_sdp_enabled(),
    lambda b: b.cuda.cudnn_sdp_enabled(),
]


@pytest.mark.parametrize("k", range(len(BACKEND_QUERIES)))
def test_backend_queries_answer_as_torchs(k):
    same(lambda: BACKEND_QUERIES[k](autobp.backends), lambda: BACKEND_QUERIES[k](torch.backends))


SWITCHES = [
    ("cudnn", "enabled"),
    ("cudnn", "benchmark"),
    ("cudnn", "benchmark_limit"),
    ("cudnn", "deterministic"),
    ("cudnn", "allow_tf32"),
    ("cudnn", "fp32_precision"),
    ("mkldnn", "enabled"),
    ("mkldnn", "deterministic"),
    ("mkldnn", "allow_tf32"),
    ("cuda.matmul", "allow_tf32"),
    ("cuda.matmul", "allow_fp16_reduced_precision_reduction"),
    ("cuda.matmul", "allow_bf16_reduced_precision_reduction"),
    ("cuda.matmul", "fp32_precision"),
]


def _owner(root, path):
    for part in path.split("."):
        root = getattr(root, part)
    return root


@pytest.mark.parametrize(("where", "name"), SWITCHES)
def test_switches_start_at_torchs_defaults_and_keep_what_is_set(where, name):
    ours, theirs = _owner(autobp.backends, where), _owner(torch.backends, where)
    default = getattr(ours, name)
    assert default == getattr(theirs, name) and type(default) is type(getattr(theirs, name))
    new = "tf32" if isinstance(default, str) else 7 if default is None else not default
    try:
        setattr(ours, name, new)
        assert getattr(ours, name) == new
        assert getattr(_owner(autobp.backends, where), name) == new
    finally:
        setattr(ours, name, default)


def test_cudnn_submodule_imported_by_name_is_the_same_switchboard():
    import autobp.backends.cudnn as cudnn

    cudnn.benchmark = True
    try:
        assert autobp.backends.cudnn.benchmark is True
    finally:
        cudnn.benchmark = False


def test_matmul_refuses_an_unknown_switch_as_torchs():
    for namespace in (autobp.backends.cuda.matmul, torch.backends.cuda.matmul):
        with pytest.raises(AttributeError):
            namespace.allow_tf33 = True


@pytest.mark.parametrize(
    "kwargs", [{}, {"enabled": True}, {"benchmark": True, "deterministic": True}, {"allow_tf32": False}]
)
def test_cudnn_flags_set_every_switch_in_the_block_and_restore_after(kwargs):
    names = ("enabled", "benchmark", "deterministic", "allow_tf32")
    before = {n: getattr(autobp.backends.cudnn, n) for n in names}
    with autobp.backends.cudnn.flags(**kwargs), torch.backends.cudnn.flags(**kwargs):
        for n in names:
            assert getattr(autobp.backends.cudnn, n) == getattr(torch.backends.cudnn, n), n
    assert {n: getattr(autobp.backends.cudnn, n) for n in names} == before
    with pytest.raises(ZeroDivisionError), autobp.backends.cudnn.flags(benchmark=True):
        raise ZeroDivisionError
    assert autobp.backends.cudnn.benchmark is before["benchmark"]


def test_mkldnn_flags_restore_after():
    with autobp.backends.mkldnn.flags(enabled=False, deterministic=True):
        assert autobp.backends.mkldnn.enabled is False and autobp.backends.mkldnn.deterministic is True
    assert autobp.backends.mkldnn.enabled is True and autobp.backends.mkldnn.deterministic is False


def test_sdp_switches_keep_what_is_set():
    autobp.backends.cuda.enable_flash_sdp(False)
    try:
        assert autobp.backends.cuda.flash_sdp_enabled() is False
    finally:
        autobp.backends.cuda.enable_flash_sdp(True)


def test_cudnn_accepts_no_tensor_as_torchs_without_cudnn():
    assert autobp.backends.cudnn.is_acceptable(autobp.zeros(2)) is torch.backends.cudnn.is_acceptable(
        torch.zeros(2)
    )


def test_mkl_and_openmp_answer_for_numpys_blas():
    config = str(np.show_config(mode="dicts").get("Build Dependencies", {})).lower()
    assert autobp.backends.mkl.is_available() is ("mkl" in config)
    assert autobp.backends.mkldnn.is_available() is False  # numpy does not use oneDNN
    assert isinstance(autobp.backends.openmp.is_available(), bool)


def test_default_device_is_the_cpu_as_torchs():
    d = autobp.get_default_device()
    assert str(d) == str(torch.get_default_device()) == "cpu"
    assert repr(d) == repr(torch.get_default_device())
    assert d == autobp.device("cpu") and d.type == "cpu"
    assert autobp.zeros(2).device == d


@pytest.mark.parametrize("spec", ["cpu", None, "cpu:0"])
def test_set_default_device_accepts_the_cpu(spec):
    assert autobp.set_default_device(spec) is None
    assert torch.set_default_device(spec) is None
    torch.set_default_device(None)
    assert autobp.get_default_device() == "cpu"


def test_set_default_device_accepts_torchs_cpu_device():
    autobp.set_default_device(torch.device("cpu"))


@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "mps", autobp.device("cuda", 1)])
def test_set_default_device_refuses_other_devices(spec):
    with pytest.raises(DeviceError, match="not available"):
        autobp.set_default_device(spec)
    assert autobp.get_default_device() == "cpu"


def test_set_default_tensor_type_as_torchs():
    before = torch.get_default_dtype()
    try:
        for t in ("torch.DoubleTensor", torch.DoubleTensor):
            same(lambda t=t: autobp.set_default_tensor_type(t), lambda t=t: torch.set_default_tensor_type(t))
            assert autobp.get_default_dtype() == np.float64
        autobp.set_default_tensor_type(autobp.DoubleTensor)
        autobp.set_default_tensor_type("autobp.DoubleTensor")
        for t in ("torch.cuda.FloatTensor", torch.IntTensor, torch.float32, torch.cuda.FloatTensor):
            same(lambda t=t: autobp.set_default_tensor_type(t), lambda t=t: torch.set_default_tensor_type(t))
        with pytest.raises(TypeError, match="only floating-point"):
            autobp.set_default_tensor_type(autobp.LongTensor)
        for ours, theirs in ((autobp.FloatTensor, torch.FloatTensor), (autobp.HalfTensor, torch.HalfTensor)):
            autobp.set_default_tensor_type(ours)
            torch.set_default_tensor_type(theirs)
            assert autobp.tensor(1.5).dtype.name == str(torch.tensor(1.5).dtype).removeprefix("torch.")
    finally:
        torch.set_default_dtype(before)
        autobp.set_default_dtype(np.float64)


LAYOUTS = ["strided", "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr", "sparse_bsc", "jagged"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_layouts_are_torchs_names(name):
    ours, theirs = getattr(autobp, name), getattr(torch, name)
    assert isinstance(ours, autobp.layout) and isinstance(theirs, torch.layout)
    assert str(ours) == repr(ours) == str(theirs).replace("torch.", "autobp.")
    assert ours == theirs and ours == name
    assert all((ours == getattr(autobp, other)) is (other == name) for other in LAYOUTS)
    assert pickle.loads(pickle.dumps(ours)) is ours
    assert len({ours, getattr(autobp, name)}) == 1


def test_tensor_layout_is_strided_as_torchs():
    t, tt = autobp.ones(2, 3), torch.ones(2, 3)
    assert (t.layout == autobp.strided) is (tt.layout == torch.strided) is True
    assert (t.layout == autobp.sparse_coo) is (tt.layout == torch.sparse_coo) is False
    assert t.layout is autobp.strided and t.layout == "strided"
    assert autobp.nn.Linear(2, 3).weight.layout is autobp.strided


FACTORIES = [
    lambda m, kw: m.zeros(2, 3, **kw),
    lambda m, kw: m.ones(2, **kw),
    lambda m, kw: m.empty(2, **kw),
    lambda m, kw: m.full((2,), 1.0, **kw),
    lambda m, kw: m.eye(2, **kw),
    lambda m, kw: m.arange(3, **kw),
    lambda m, kw: m.linspace(0, 1, 3, **kw),
    lambda m, kw: m.zeros_like(m.ones(2), **kw),
    lambda m, kw: m.ones_like(m.ones(2), **kw),
    lambda m, kw: m.empty_like(m.ones(2), **kw),
    lambda m, kw: m.full_like(m.ones(2), 3.0, **kw),
    lambda m, kw: m.randn(2, **kw),
    lambda m, kw: m.rand(2, **kw),
    lambda m, kw: m.randint(0, 3, (2,), **kw),
    lambda m, kw: m.randperm(3, **kw),
    lambda m, kw: m.randn_like(m.ones(2), **kw),
    lambda m, kw: m.rand_like(m.ones(2), **kw),
    lambda m, kw: m.randint_like(m.ones(2), 3, **kw),
    lambda m, kw: m.scalar_tensor(1.0, **kw),
    lambda m, kw: m.ones(2).new_zeros(3, **kw),
    lambda m, kw: m.ones(2).new_ones(3, **kw),
    lambda m, kw: m.ones(2).new_empty(3, **kw),
]


@pytest.mark.parametrize("k", range(len(FACTORIES)))
def test_factories_take_layout_strided_as_torchs(k):
    ours = FACTORIES[k](autobp, {"layout": autobp.strided})
    theirs = FACTORIES[k](torch, {"layout": torch.strided})
    assert ours.shape == tuple(theirs.shape) and ours.layout is autobp.strided


@pytest.mark.parametrize("k", range(len(FACTORIES)))
def test_factories_refuse_a_sparse_layout_naming_it(k):
    with pytest.raises(ValueError, match="layout autobp.sparse_coo is not available"):
        FACTORIES[k](autobp, {"layout": autobp.sparse_coo})


def test_factories_take_strided_and_refuse_sparse_layouts():
    assert autobp.zeros(2, layout=autobp.strided).shape == torch.zeros(2, layout=torch.strided).shape
    with pytest.raises(ValueError, match="sparse_coo"):
        autobp.zeros(2, layout=autobp.sparse_coo)
    with pytest.raises(ValueError, match="sparse_csr"):
        autobp.full((2, 2), 1.0, layout=autobp.sparse_csr)


SNIPPET = """
import torch
import torch.backends.cudnn as cudnn
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"
if torch.backends.mps.is_available():
    device = "mps"
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator().type
torch.manual_seed(0)
torch.cuda.manual_seed(0)
torch.cuda.manual_seed_all(0)
cudnn.benchmark = False
cudnn.deterministic = True
torch.backends.cudnn.enabled = True
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.set_default_device(device)
print("gpus:", torch.cuda.device_count(), "default:", torch.get_default_device())

model = nn.Linear(3, 2, dtype=torch.float64).to(device)
with torch.no_grad():
    model.weight.copy_(torch.arange(6.0, dtype=torch.float64).reshape(2, 3) / 10)
    model.bias.fill_(0.1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.linspace(-1, 1, 12, dtype=torch.float64).reshape(4, 3).to(device, non_blocking=True)
y = torch.ones(4, 2, dtype=torch.float64, device=device)
assert x.layout == torch.strided and x.device == torch.device(device)
losses = []
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    if device == "cuda":
        torch.cuda.synchronize()
    losses.append(loss.item())
torch.cuda.empty_cache()
print("peak memory:", torch.cuda.max_memory_allocated())
"""


def _run(source, name):
    scope = {"__name__": name}
    exec(compile(source, name, "exec"), scope)  # noqa: S102  the ported program, run as written
    return scope


def test_ported_training_script_runs_with_torch_renamed_to_autobp(capsys):
    saved = {n: getattr(autobp.backends.cudnn, n) for n in ("benchmark", "deterministic", "allow_tf32")}
    saved_torch = {n: getattr(torch.backends.cudnn, n) for n in ("benchmark", "deterministic", "allow_tf32")}
    try:
        theirs = _run(SNIPPET, "torch_script")
        printed_by_torch = capsys.readouterr().out
        ours = _run(SNIPPET.replace("torch", "autobp"), "autobp_script")
        printed_by_autobp = capsys.readouterr().out
        kept = autobp.backends.cudnn.deterministic, autobp.backends.cuda.matmul.allow_tf32
    finally:
        for n, v in saved.items():
            setattr(autobp.backends.cudnn, n, v)
        for n, v in saved_torch.items():
            setattr(torch.backends.cudnn, n, v)
        torch.set_default_device(None)
    assert ours["device"] == theirs["device"] == "cpu"
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=1e-12)
    assert ours["losses"][2] < ours["losses"][0]
    assert printed_by_autobp == printed_by_torch
    assert ours["cudnn"] is autobp.backends.cudnn and kept == (True, False)
