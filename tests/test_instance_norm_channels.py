"""InstanceNorm without affine weights or running statistics normalises whatever number of channels it
gets, with PyTorch's warning that ``num_features`` is unused; with affine weights a mismatch is PyTorch's
ValueError. Values and gradients compared with torch."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

X = np.array([[[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]]])  # (1, 1, 2, 3): one channel


def run(lib):
    x = lib.tensor(X.copy(), requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = lib.nn.InstanceNorm2d(3)(x)
    (y * lib.tensor(np.arange(6.0).reshape(1, 1, 2, 3))).sum().backward()
    said = [str(w.message) for w in caught if "num_features" in str(w.message)]
    return (
        said,
        np.asarray(y.detach().numpy() if lib is torch else y.detach()),
        np.asarray(x.grad.numpy() if lib is torch else x.grad),
    )


def test_channels_other_than_num_features_without_affine():
    mine, theirs = run(autobp), run(torch)
    assert mine[0] == theirs[0] and len(mine[0]) == 1
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-5, atol=1e-6)


def test_gradient_of_the_mismatched_layer():
    layer = autobp.nn.InstanceNorm2d(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        autobp.gradcheck(lambda x: layer(x), (autobp.tensor(X.copy(), requires_grad=True),))


def test_affine_mismatch_refused_as_torch():
    for lib in (autobp, torch):
        with pytest.raises(
            ValueError, match=r"expected input's size at dim=1 to match num_features \(3\), but got: 1"
        ):
            lib.nn.InstanceNorm2d(3, affine=True)(lib.tensor(X.copy()))
