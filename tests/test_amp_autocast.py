"""autobp.autocast's region against torch.autocast's: nesting, enabled=False, the decorator, thread-local
state, bad arguments (bfloat16, float32/float64, devices) and the older autobp.cpu.amp spellings. (The ops
it casts: test_amp_autocast_ops.py.)"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import autobp
from autobp.nn import functional as F

torch = pytest.importorskip("torch")

F16, F32 = autobp.float16, autobp.float32


# --- the region: nesting, enabled=False, decorator, threads ------------------------------------------------
def _mm_dtype():
    a = autobp.ones((2, 2), dtype=F32)
    return (a @ a).dtype


def test_outside_a_region_nothing_changes():
    assert not autobp.is_autocast_enabled() and not autobp.is_autocast_enabled("cpu")
    assert autobp.get_autocast_dtype("cpu") is None
    assert _mm_dtype() == np.float32
    with autobp.autocast("cpu", dtype=F16):
        assert autobp.is_autocast_enabled("cpu") and autobp.get_autocast_dtype("cpu") is F16
    assert _mm_dtype() == np.float32 and not autobp.is_autocast_enabled()
    assert autobp.get_autocast_dtype("cpu") is None


def test_nesting_and_enabled_false_match_torch():
    def states(lib, dtype):
        seen = []
        with lib.autocast("cpu", dtype=dtype):
            seen.append(lib.is_autocast_enabled("cpu"))
            with lib.autocast("cpu", enabled=False):
                seen.append(lib.is_autocast_enabled("cpu"))
                with lib.autocast("cpu"):  # no dtype: the enclosing one
                    seen.append(lib.is_autocast_enabled("cpu"))
                    seen.append(str(lib.get_autocast_dtype("cpu")).split(".")[-1].strip("'>"))
                seen.append(lib.is_autocast_enabled("cpu"))
            seen.append(lib.is_autocast_enabled("cpu"))
        seen.append(lib.is_autocast_enabled("cpu"))
        return seen

    assert states(autobp, F16) == states(torch, torch.float16)
    with autobp.autocast("cpu", dtype=F16):
        with autobp.autocast("cpu", enabled=False):
            assert _mm_dtype() == np.float32
        assert _mm_dtype() == np.float16


def test_region_is_restored_after_an_exception():
    with pytest.raises(KeyError):
        with autobp.autocast("cpu", dtype=F16):
            raise KeyError("x")
    assert not autobp.is_autocast_enabled() and _mm_dtype() == np.float32


def test_decorator():
    @autobp.autocast("cpu", dtype=F16)
    def forward(x):
        """doc"""
        return x @ x, autobp.is_autocast_enabled()

    out, on = forward(autobp.ones((2, 2), dtype=F32))
    assert out.dtype == np.float16 and on and forward.__doc__ == "doc"
    assert not autobp.is_autocast_enabled()
    with pytest.raises(TypeError, match="requires a callable"):
        autobp.autocast("cpu", dtype=F16)(3)


def test_state_is_thread_local():
    seen = {}

    def worker():
        seen["enabled"] = autobp.is_autocast_enabled("cpu")
        seen["dtype"] = _mm_dtype()

    with autobp.autocast("cpu", dtype=F16):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert _mm_dtype() == np.float16
    assert seen == {"enabled": False, "dtype": np.float32}


def test_other_threads_region_does_not_leak_in():
    entered, release = threading.Event(), threading.Event()

    def worker():
        with autobp.autocast("cpu", dtype=F16):
            entered.set()
            release.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    entered.wait(5)
    try:
        assert _mm_dtype() == np.float32 and not autobp.is_autocast_enabled()
    finally:
        release.set()
        t.join()


def test_backward_outside_the_region_gives_leaf_dtypes():
    w = autobp.tensor(np.ones((3, 3), np.float32), requires_grad=True)
    x = autobp.tensor(np.ones((2, 3), np.float64), requires_grad=True)
    with autobp.autocast("cpu", dtype=F16):
        y = F.linear(x.astype(np.float32), w)
    y.sum().backward()
    assert (y.dtype, w.grad.dtype, x.grad.dtype) == (np.float16, np.float32, np.float64)


def test_integer_inputs_are_not_cast():
    a = autobp.tensor(np.arange(6).reshape(2, 3))
    with autobp.autocast("cpu", dtype=F16):
        assert (a @ a.T).dtype == a.dtype


# --- arguments ------------------------------------------------------------------------------------------
def test_default_dtype_is_refused_as_numpy_has_no_bfloat16():
    with pytest.raises(TypeError, match="bfloat16.*numpy has not.*dtype=autobp.float16"):
        autobp.autocast("cpu")
    with pytest.raises(TypeError, match="bfloat16"):
        autobp.autocast("cpu", dtype="bfloat16")
    with pytest.raises(TypeError, match="bfloat16"):
        autobp.autocast("cpu", dtype=torch.bfloat16)
    with autobp.autocast("cpu", enabled=False):  # nothing to cast: no dtype needed
        assert not autobp.is_autocast_enabled()


def test_set_autocast_dtype_gives_the_default():
    autobp.set_autocast_dtype("cpu", F16)
    try:
        with autobp.autocast("cpu"):
            assert _mm_dtype() == np.float16
        autobp.set_autocast_enabled("cpu", True)
        assert _mm_dtype() == np.float16
        autobp.set_autocast_enabled("cpu", False)
        assert _mm_dtype() == np.float32
    finally:
        from autobp import _autocast

        _autocast.state.dtype = None  # this thread's default again (no public way back to "none")
    with pytest.raises(TypeError, match="bfloat16"):
        autobp.set_autocast_enabled("cpu", True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_and_float64_warn_and_disable_as_torch(dtype):
    tdtype = torch.float32 if dtype is np.float32 else torch.float64
    with pytest.warns(UserWarning, match="target dtype is not supported. Disabling autocast"):
        with torch.autocast("cpu", dtype=tdtype):
            t_on = torch.is_autocast_enabled("cpu")
    with pytest.warns(UserWarning, match="target dtype is not supported. Disabling autocast"):
        with autobp.autocast("cpu", dtype=dtype):
            a_on = autobp.is_autocast_enabled("cpu")
            assert _mm_dtype() == np.float32
    assert a_on == t_on is False


def test_devices():
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        autobp.autocast(3, dtype=F16)
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        autobp.autocast("foo", dtype=F16)
    with pytest.raises(ValueError, match="no xpu device.*device_type='cpu'"):
        autobp.autocast("xpu", dtype=F16)
    assert autobp.amp.is_autocast_available("cpu") and not autobp.amp.is_autocast_available("cuda")
    assert not autobp.is_autocast_enabled("cuda")


def test_cuda_regions_and_scalers_do_nothing_as_in_pytorch_without_cuda():
    """Ported loops written for CUDA (autocast("cuda"), GradScaler(), torch.cuda.amp.*) run: a PyTorch
    build without CUDA warns and disables them, and so does autobp (compared with this CPU-only torch)."""
    torch = pytest.importorskip("torch")
    assert not torch.cuda.is_available()
    x = autobp.ones((2, 2), dtype=autobp.float32, requires_grad=True)
    tx = torch.ones((2, 2), dtype=torch.float32, requires_grad=True)
    with pytest.warns(UserWarning, match="CUDA is not available"):
        with torch.autocast("cuda"):
            t_dtype, t_on = (tx @ tx).dtype, torch.is_autocast_enabled("cpu")
    with pytest.warns(UserWarning, match="CUDA is not available.*Disabling autocast"):
        with autobp.autocast("cuda"):
            a_dtype, a_on = (x @ x).dtype, autobp.is_autocast_enabled("cpu")
    assert (str(t_dtype), t_on) == ("torch.float32", False) and (a_dtype, a_on) == (np.float32, False)
    with autobp.autocast("cpu", dtype=F16):  # a CUDA region inside a CPU one leaves the CPU's on
        with pytest.warns(UserWarning):
            with autobp.autocast("cuda"):
                assert (x @ x).dtype == np.float16
    with pytest.warns(UserWarning, match="CUDA is not available"):
        t_scaler = torch.amp.GradScaler("cuda")
    with pytest.warns(UserWarning, match="CUDA is not available.*Disabling"):
        a_scaler = autobp.amp.GradScaler("cuda")
    assert a_scaler.is_enabled() == t_scaler.is_enabled() is False
    with pytest.warns(FutureWarning), pytest.warns(UserWarning):
        old_scaler = autobp.cuda.amp.GradScaler()
    with pytest.warns(FutureWarning), pytest.warns(UserWarning):
        old_region = autobp.cuda.amp.autocast()
    with old_region:
        assert (x @ x).dtype == np.float32
    loss = (x @ x).sum()
    assert old_scaler.scale(loss) is loss  # disabled: a pass-through, as torch's
    loss.backward()
    opt = autobp.optim.SGD([x], lr=0.5)
    old_scaler.step(opt)
    old_scaler.update()
    assert np.array_equal(x.data, np.full((2, 2), 1 - 0.5 * 4, np.float32))
    from autobp.cuda.amp import GradScaler, autocast  # the import line ported code has

    assert GradScaler is autobp.cuda.amp.GradScaler and autocast is autobp.cuda.amp.autocast


def test_top_level_names():
    assert autobp.autocast is autobp.amp.autocast
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with autobp.amp.autocast(device_type="cpu", dtype=F16, cache_enabled=False):
            assert _mm_dtype() == np.float16


def test_older_cpu_amp_spellings_warn_as_torchs():
    x = np.ones((2, 2), np.float32)
    with pytest.warns(FutureWarning, match="deprecated"):
        with torch.cpu.amp.autocast(dtype=torch.float16):
            t_dtype = (torch.tensor(x) @ torch.tensor(x)).dtype
    with pytest.warns(FutureWarning, match="autobp.amp.autocast\\('cpu'"):
        with autobp.cpu.amp.autocast(dtype=F16):
            a_dtype = (autobp.tensor(x) @ autobp.tensor(x)).dtype
    assert str(a_dtype) == str(t_dtype).removeprefix("torch.") == "float16"
    with pytest.warns(FutureWarning, match="deprecated"):
        t_scaler = torch.cpu.amp.GradScaler(init_scale=8.0, growth_interval=3)
    with pytest.warns(FutureWarning, match="autobp.amp.GradScaler\\('cpu'"):
        a_scaler = autobp.cpu.amp.GradScaler(init_scale=8.0, growth_interval=3)
    assert a_scaler.state_dict() == t_scaler.state_dict()
    with pytest.warns(FutureWarning), pytest.raises(TypeError, match="bfloat16"):
        autobp.cpu.amp.autocast()  # PyTorch's default dtype there is bfloat16
