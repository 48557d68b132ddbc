"""What the tenth session's re-run of HIPS autograd's own tests found (test_systematic's test_max/test_min
on complex input): ordering ops that refuse complex Tensors give numpy's answer on complex numpy arrays."""

import numpy as np
import pytest

import autobp

Z = np.array([[1 + 2j, 3 + 0j, 3 - 1j], [0.5j, -1 + 0j, 2 + 0j]])
W = np.array([[1 + 1j, 3 - 2j, 3 - 1j], [0.5j, -1 + 1j, 1 + 9j]])

CASES = [
    ("max", lambda m, z: m.max(z)),
    ("max axis", lambda m, z: m.max(z, axis=0)),
    ("max keepdims", lambda m, z: m.max(z, 1, keepdims=True)),
    ("max keepdims only", lambda m, z: m.max(z, keepdims=True)),
    ("min", lambda m, z: m.min(z, axis=1)),
    ("amax", lambda m, z: m.amax(z)),
    ("amin", lambda m, z: m.amin(z, axis=(0, 1))),
    ("nanmax", lambda m, z: m.nanmax(z, axis=0)),
    ("nanmin", lambda m, z: m.nanmin(z)),
    ("argmax", lambda m, z: m.argmax(z, axis=1)),
    ("argmin", lambda m, z: m.argmin(z)),
    ("sort", lambda m, z: m.sort(z)),
    ("sort axis 0", lambda m, z: m.sort(z, 0)),
    ("sort flat", lambda m, z: m.sort(z, axis=None)),
    ("argsort", lambda m, z: m.argsort(z, axis=0)),
    ("median", lambda m, z: m.median(z, axis=0)),
    ("ptp", lambda m, z: m.ptp(z, axis=1)),
    ("maximum", lambda m, z: m.maximum(z, W)),
    ("minimum", lambda m, z: m.minimum(z, 1.0)),
    ("fmax", lambda m, z: m.fmax(z, W)),
    ("clip", lambda m, z: m.clip(z, 0.5, 2.0)),
    ("greater", lambda m, z: m.greater(z, W)),
    ("less_equal", lambda m, z: m.less_equal(z, W)),
]


@pytest.mark.parametrize("name, call", CASES, ids=[c[0] for c in CASES])
def test_ordering_ops_of_complex_arrays_are_numpys(name, call):
    """Constants in, constants out (docs/concepts/names.md): numpy orders complex numbers by real part,
    then imaginary part, and autobp called with numpy arrays only gives numpy's result."""
    got, want = call(autobp, Z), call(np, Z)
    assert type(got) is type(want)
    np.testing.assert_array_equal(got, want)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype


@pytest.mark.parametrize("name, call", CASES[:3] + CASES[11:12], ids=[c[0] for c in CASES[:3] + CASES[11:12]])
def test_ordering_ops_still_refuse_complex_tensors(name, call):
    """On a Tensor the refusal stays, as PyTorch's (no order, and none for a gradient either)."""
    with pytest.raises(TypeError, match=r"not defined for complex tensors .*complex128"):
        call(autobp, autobp.tensor(Z))


def test_a_pytorch_keyword_on_complex_arrays_keeps_autobps_words():
    """numpy has no ``dim=``: the call is refused with autobp's message naming the op and the dtype."""
    with pytest.raises(TypeError, match=r"max: not defined for complex tensors \(dtype complex128"):
        autobp.max(Z, dim=0)


def test_complex_arrays_numpy_also_refuses_keep_autobps_words():
    """floor has no meaning for complex numbers in numpy either: autobp's refusal, naming the op."""
    with np.testing.assert_raises(TypeError):
        np.floor(Z)
    with pytest.raises(TypeError, match=r"floor: not defined for complex"):
        autobp.floor(Z)
