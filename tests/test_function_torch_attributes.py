"""PyTorch's smaller custom-Function attributes on autobp.Function, compared with torch:
``output_nr`` of each output, ``ctx.saved_variables`` (deprecated) and the vmap flags."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def three_outputs(lib):
    class Three(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3, x * 4

        @staticmethod
        def backward(ctx, g1, g2, g3):
            return g1 * 2 + g2 * 3 + g3 * 4

    return Three


def test_output_nr_of_each_output():
    for_lib = {}
    for lib in (autobp, torch):
        outs = three_outputs(lib).apply(lib.tensor([1.0, 2.0], requires_grad=True))
        for_lib[lib] = [t.output_nr for t in outs]
    assert for_lib[autobp] == for_lib[torch] == [0, 1, 2]


def test_saved_variables_warns_and_gives_the_saved_tensors():
    got = {}
    for lib in (autobp, torch):

        class Mul(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.save_for_backward(a, b)
                return a * b

            @staticmethod
            def backward(ctx, g):
                a, b = ctx.saved_variables
                return g * b, g * a

        a = lib.tensor([1.0, -2.0], requires_grad=True)
        b = lib.tensor([3.0, 0.5], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Mul.apply(a, b).sum().backward()
        kinds = {w.category for w in caught if "saved_variables" in str(w.message)}
        got[lib] = (kinds, np.asarray(a.grad.detach()), np.asarray(b.grad.detach()))
    assert got[autobp][0] == got[torch][0] == {DeprecationWarning}
    np.testing.assert_allclose(got[autobp][1], got[torch][1])
    np.testing.assert_allclose(got[autobp][2], got[torch][2])


def test_vmap_flags():
    for lib in (autobp, torch):
        cls = three_outputs(lib)
        assert cls.generate_vmap_rule is False
        with pytest.raises(NotImplementedError, match="override the vmap staticmethod"):
            cls.vmap(None, (0,), None)


def test_inplace_function():
    got = {}
    for lib in (autobp, torch):

        class Double(lib.autograd.function.InplaceFunction):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        with pytest.warns(DeprecationWarning):  # instances are deprecated, as any Function's
            flag = Double(inplace=True).inplace
        x = lib.tensor([1.0, -3.0], requires_grad=True)
        y = Double.apply(x.clone())
        (y * y).sum().backward()
        got[lib] = (flag, np.asarray(y.detach()), np.asarray(x.grad.detach()))
        with pytest.raises(RuntimeError):  # forward not overridden: NotImplementedError
            lib.autograd.function.InplaceFunction.apply(x)
    assert got[autobp][0] is got[torch][0] is True
    np.testing.assert_allclose(got[autobp][1], got[torch][1])
    np.testing.assert_allclose(got[autobp][2], got[torch][2])
