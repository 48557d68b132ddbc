"""gradcheck refuses a function whose outputs change shape or dtype when an input is perturbed by eps
(PyTorch's AssertionError, also with raise_exception=False): the difference quotients broadcast the two
shapes and it passed such a function."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def grows(lib):
    def fn(x):
        return lib.cat([x, x]) if bool((x >= 1).all()) else x

    return fn


def narrows(lib):
    def fn(x):
        return x.to(lib.float32) if bool((x >= 1).all()) else x

    return fn


@pytest.mark.parametrize("fast_mode", [False, True])
@pytest.mark.parametrize("raise_exception", [True, False])
@pytest.mark.parametrize("make, what", [(grows, "same shape"), (narrows, "same dtype")])
def test_outputs_changing_under_perturbation(make, what, fast_mode, raise_exception):
    for lib in (torch, autobp):
        a = lib.tensor(np.ones(1), requires_grad=True)
        with pytest.raises(AssertionError, match=f"return outputs with the {what} when inputs are perturbed"):
            lib.autograd.gradcheck(make(lib), (a,), fast_mode=fast_mode, raise_exception=raise_exception)


def test_a_smooth_function_still_passes():
    x = autobp.tensor(np.array([0.5, 1.5, -2.0]), requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.cat([t.sin(), t * t]), (x,))
    assert autobp.gradgradcheck(lambda t: (t**3).sum(), (x,))


@pytest.mark.parametrize("raise_exception", [True, False])
def test_an_error_of_fn_propagates_as_it_is(raise_exception):
    # PyTorch's gradcheck catches only its own comparisons: fn's exception reaches the caller unchanged
    def fn(x):
        raise KeyError("not a gradcheck failure")

    for lib in (torch, autobp):
        x = lib.tensor(np.ones(2), requires_grad=True)
        with pytest.raises(KeyError, match="not a gradcheck failure"):
            lib.autograd.gradcheck(fn, (x,), raise_exception=raise_exception)
