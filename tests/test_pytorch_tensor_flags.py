"""The Tensor attributes ported PyTorch code tests or calls that had no autobp name: the layout and
device flags (False, as torch's dense CPU tensors answer), the device moves (refused: no such
device), and ``nextafter`` as a method and in place."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

FLAGS = "is_sparse is_sparse_csr is_quantized is_mkldnn is_nested is_meta is_mps is_xpu".split()


@pytest.mark.parametrize("flag", FLAGS)
def test_flags_answer_as_a_dense_cpu_torch_tensor(flag):
    assert getattr(autobp.ones(2), flag) is False
    assert getattr(torch.ones(2), flag) is False


@pytest.mark.parametrize("device", ["cuda", "xpu", "mps"])
def test_moving_to_a_device_autobp_lacks_is_refused_by_name(device):
    with pytest.raises(RuntimeError, match=f"no {device} device"):
        getattr(autobp.ones(2), device)()


def test_nextafter_method_and_in_place_match_torch():
    a, b = np.array([1.0, 2.0, -0.0, 5.0]), np.array([2.0, 0.0, 1.0, 5.0])
    got = autobp.tensor(a).nextafter(autobp.tensor(b)).numpy()
    want = torch.tensor(a).nextafter(torch.tensor(b)).numpy()
    np.testing.assert_array_equal(got, want)
    t = autobp.tensor(a)
    t.nextafter_(autobp.tensor(b))
    np.testing.assert_array_equal(t.numpy(), want)
