"""PyTorch's top-level queries and settings: finfo/iinfo, dtype and size predicates, inference and
anomaly switches, threads, print options, the deterministic flag, vmap, empty_strided/empty_permuted and
typename."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name):
    a, t = autobp.finfo(getattr(autobp, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        want = getattr(t, attr)  # PyTorch gives Python numbers, numpy values of the dtype
        assert getattr(a, attr) == (want if attr == "bits" else np.dtype(name).type(want)), attr
    assert autobp.finfo().bits == 64  # autobp's default dtype
    with pytest.raises(ValueError):  # numpy's finfo, numpy's error
        autobp.finfo(autobp.int32)
    assert autobp.finfo(np.zeros(2, np.float32)).bits == 32  # numpy's finfo takes arrays too


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name):
    a, t = autobp.iinfo(getattr(autobp, name)), torch.iinfo(getattr(torch, name))
    assert (a.bits, a.min, a.max) == (t.bits, t.min, t.max)
    with pytest.raises(ValueError):
        autobp.iinfo(autobp.float32)


@pytest.mark.parametrize("name", ["uint8", "int8", "int64", "float32", "float64", "complex64", "bool"])
def test_is_signed_matches_torch(name):
    assert autobp.is_signed(autobp.zeros(2, dtype=getattr(autobp, name))) == torch.is_signed(
        torch.zeros(2, dtype=getattr(torch, name))
    )


def test_predicates():
    x = autobp.zeros((2, 3))
    assert autobp.is_same_size(x, autobp.ones((2, 3))) and not autobp.is_same_size(x, autobp.ones(6))
    assert not autobp.is_conj(x) and not autobp.is_neg(x) and not autobp.is_inference(x)
    with pytest.raises(TypeError, match="is_conj"):
        autobp.is_conj(np.zeros(2))


def test_inference_mode_is_reported():
    assert not autobp.is_inference_mode_enabled()
    with autobp.inference_mode():
        assert autobp.is_inference_mode_enabled()
        with autobp.inference_mode(False):
            assert not autobp.is_inference_mode_enabled()
        assert autobp.is_inference_mode_enabled()
    assert not autobp.is_inference_mode_enabled()


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_set_anomaly_enabled_switches_detection_on_and_off():
    assert not autobp.is_anomaly_enabled()
    autobp.set_anomaly_enabled(True)
    try:
        assert autobp.is_anomaly_enabled() and autobp.is_anomaly_check_nan_enabled()
        x = autobp.tensor([-1.0], requires_grad=True)
        with pytest.raises(autobp.AnomalyError):
            autobp.sqrt(x).sum().backward()
        autobp.set_anomaly_enabled(True, check_nan=False)
        assert autobp.is_anomaly_enabled() and not autobp.is_anomaly_check_nan_enabled()
    finally:
        autobp.set_anomaly_enabled(False)
    assert not autobp.is_anomaly_enabled()


def test_threads_are_recorded():
    n = autobp.get_num_threads()
    try:
        autobp.set_num_threads(1)
        assert autobp.get_num_threads() == 1
        autobp.set_num_interop_threads(2)
        assert autobp.get_num_interop_threads() == 2
        with pytest.raises(ValueError, match="positive"):
            autobp.set_num_threads(0)
    finally:
        autobp.set_num_threads(n)


def test_set_printoptions_changes_tensor_reprs():
    x = autobp.tensor([1.123456789, 2.0])
    try:
        autobp.set_printoptions(precision=2)
        assert "1.12" in repr(x) and "1.123" not in repr(x)
        autobp.set_printoptions(sci_mode=True)
        assert "e+00" in repr(x)
        autobp.set_printoptions(threshold=5, edgeitems=1)
        assert "..." in repr(autobp.arange(10.0))
        autobp.set_printoptions(profile="full")
        assert "..." not in repr(autobp.arange(100.0))
        autobp.set_printoptions(3, suppress=True, sign="+")
        text = repr(autobp.tensor([1e-9, 2.0]))
        assert "+2." in text and "e-09" not in text
        with pytest.raises(TypeError):
            autobp.set_printoptions(nanstr="x")
        with pytest.raises(ValueError, match="profile"):
            autobp.set_printoptions(profile="long")
    finally:
        autobp.set_printoptions(profile="default")
    assert repr(x) == "tensor([1.1235, 2.    ])"


def test_deterministic_flag_is_recorded():
    assert not autobp.are_deterministic_algorithms_enabled()
    try:
        autobp.use_deterministic_algorithms(True, warn_only=True)
        assert autobp.are_deterministic_algorithms_enabled()
        assert autobp.is_deterministic_algorithms_warn_only_enabled()
    finally:
        autobp.use_deterministic_algorithms(False)


def test_vmap_is_func_vmap():
    assert autobp.vmap is autobp.func.vmap
    out = autobp.vmap(lambda v: (v * v).sum())(autobp.tensor(np.arange(6.0).reshape(3, 2)))
    np.testing.assert_allclose(out.data, [1.0, 13.0, 41.0])


def test_empty_strided_and_permuted():
    e = autobp.empty_strided((2, 3), (1, 2), dtype=autobp.float32)
    assert e.shape == (2, 3) and e.dtype == np.float32
    assert autobp.empty_permuted((2, 3, 4), (0, 2, 1)).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="same length"):
        autobp.empty_strided((2, 3), (1,))
    with pytest.raises(ValueError, match="permute"):
        autobp.empty_permuted((2, 3), (0, 0))


def test_typename_follows_torch():
    assert autobp.typename(autobp.zeros(2)) == "autobp.DoubleTensor"
    assert autobp.typename(autobp.zeros(2, dtype=autobp.float32)) == "autobp.FloatTensor"
    for obj in (3, np.zeros(2), [1], len, np.ndarray):
        assert autobp.typename(obj) == torch.typename(obj)
    assert autobp.typename("d") == np.typename("d")  # numpy's meaning for type characters
