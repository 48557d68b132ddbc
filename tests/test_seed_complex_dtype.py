"""A ``gradient=``/``grad_outputs`` that is complex for a real output, or real for a complex one, is
refused as PyTorch refuses it (casting dropped the imaginary part, or invented a zero one, silently);
a real seed of another float dtype is still cast. Compared with torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

CASES = {
    "complex seed, real output": (np.float64, np.complex64),
    "real seed, complex output": (np.complex128, np.float64),
    "float32 seed, float64 output": (np.float64, np.float32),
    "complex64 seed, complex128 output": (np.complex128, np.complex64),
}


def run(lib, out_dtype, seed_dtype, how):
    x = lib.tensor(np.array([1.0, -2.0]), requires_grad=True)
    y = x * (2 + 1j) if np.dtype(out_dtype).kind == "c" else x * 2
    seed = lib.tensor(
        np.array([1 + 0.5j, 2 - 1j]).astype(seed_dtype)
        if np.dtype(seed_dtype).kind == "c"
        else np.array([1.0, 2.0], dtype=seed_dtype)
    )
    if how == "grad":
        (g,) = lib.autograd.grad(y, x, seed)
    else:
        y.backward(seed)
        g = x.grad
    return np.asarray(g.detach().numpy() if lib is torch else g)


@pytest.mark.parametrize("how", ["grad", "backward"])
@pytest.mark.parametrize("case", list(CASES))
def test_seed_dtype_against_torch(case, how):
    out_dtype, seed_dtype = CASES[case]
    try:
        theirs = run(torch, out_dtype, seed_dtype, how)
    except RuntimeError as err:
        assert "same dtype" in str(err)
        with pytest.raises(RuntimeError, match="required to have the same dtype"):
            run(autobp, out_dtype, seed_dtype, how)
        return
    np.testing.assert_allclose(run(autobp, out_dtype, seed_dtype, how), theirs, rtol=1e-6)
