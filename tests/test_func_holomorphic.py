"""func.grad's output check (a real scalar, TypeError otherwise as JAX's) and holomorphic=True
(JAX's): the complex derivative f'(z) of a holomorphic f, checked against central differences
along the real and the imaginary axis (equal for a holomorphic f: the Cauchy-Riemann equations)."""

import numpy as np
import pytest

import autobp
from autobp import func

FUNCTIONS = [
    (lambda m: lambda z: z * z * (1 + 0.2j) + m.sin(z)),
    (lambda m: lambda z: m.exp(z) / (z + 2.0)),
    (lambda m: lambda z: (m.log(z) * m.tanh(z)).sum()),
]


@pytest.mark.parametrize("make", FUNCTIONS)
@pytest.mark.parametrize("z0", [0.3 + 0.7j, -1.1 + 0.2j])
def test_holomorphic_grad_is_the_complex_derivative(make, z0):
    f_ab, f_np = make(autobp), make(np)
    got = func.grad(f_ab, holomorphic=True)(z0)
    h = 1e-6
    along_real = (f_np(z0 + h) - f_np(z0 - h)) / (2 * h)
    along_imag = (f_np(z0 + 1j * h) - f_np(z0 - 1j * h)) / (2j * h)
    np.testing.assert_allclose(got, along_real, rtol=1e-7)
    np.testing.assert_allclose(got, along_imag, rtol=1e-7)


def test_second_complex_derivative():
    f = FUNCTIONS[0](autobp)
    z0 = 0.3 + 0.7j
    second = func.grad(func.grad(f, holomorphic=True), holomorphic=True)(z0)
    np.testing.assert_allclose(second, 2 * (1 + 0.2j) - np.sin(z0), rtol=1e-12)


def test_holomorphic_needs_complex_arguments():
    with pytest.raises(TypeError, match=r"holomorphic=True\) needs complex arguments, got float64"):
        func.grad(lambda z: z * z, holomorphic=True)(1.0)


def test_a_complex_output_without_holomorphic_is_a_type_error():
    with pytest.raises(TypeError, match="real scalar outputs"):
        func.grad(lambda x: x * (1 + 0.2j))(1.0)


@pytest.mark.parametrize(
    "fn, got",
    [
        (lambda x: np.allclose(x, (x * 3.0) / 3.0), "got True"),
        (lambda x: x * 2.0, r"got shape \(2,\) float64"),
        (lambda x: (x > 0).sum(), "got shape"),
    ],
)
def test_a_non_scalar_or_non_float_output_is_a_type_error(fn, got):
    with pytest.raises(TypeError, match="fn must return a single-element float Tensor, " + got):
        func.grad(fn)(np.array([1.0, 2.0]))
