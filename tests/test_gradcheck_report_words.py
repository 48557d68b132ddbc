"""gradcheck's report: PyTorch's words for a Jacobian mismatch (compared with torch), and no "constant
factor" hint when analytical and numerical agree to three digits (finite-difference error, not a bug)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("fast_mode", [False, True])
def test_a_mismatch_uses_torch_words(fast_mode):
    def fn(lib):
        def f(x):
            y = x.clone()
            y.register_hook(lambda g: g + 1e-2)  # a backward that adds a constant: wrong
            return y

        return f

    for lib in (torch, autobp):
        x = lib.tensor(np.ones((2, 2)), requires_grad=True)
        with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input 0"):
            lib.autograd.gradcheck(fn(lib), (x,), fast_mode=fast_mode)


def test_rounding_is_not_called_a_constant_factor():
    z = autobp.tensor(np.array([6e-4 + 4e-4j, 7.7e-3 + 8.2e-3j]), requires_grad=True)
    with pytest.raises(autobp.GradcheckError) as info:
        autobp.gradcheck(lambda t: 1.0 / autobp.linalg.norm(t), (z,), atol=1e-9, rtol=1e-12)
    assert "agree to about 3 digits" in info.value.report
    assert "a constant factor is off" not in info.value.report
