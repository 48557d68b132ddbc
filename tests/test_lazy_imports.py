"""``import autobp`` leaves scipy's slow submodules alone until a function needs one."""

import subprocess
import sys

import numpy as np

import autobp

HEAVY = ("scipy.signal", "scipy.stats", "scipy.integrate", "scipy.optimize")


def test_import_does_not_load_heavy_scipy_modules():
    code = f"import sys, autobp; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_convolve_imports_scipy_signal_when_called():
    scipy_signal = __import__("scipy.signal", fromlist=["convolve"])
    a, b = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0])
    x = autobp.tensor(a, requires_grad=True)
    y = autobp.signal.convolve(x, autobp.tensor(b))
    np.testing.assert_allclose(y.detach().numpy(), scipy_signal.convolve(a, b))
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.full(3, b.sum()))
