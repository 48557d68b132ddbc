"""Custom autobp.Functions shared by the tests: a correct cube and deliberately wrong ones."""

from autobp import Function


class Cube(Function):
    """x**3, with its true derivative 3x**2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x**2


class HalfCube(Cube):
    """Off by a factor: 2x^2 instead of 3x^2."""

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x**2


class DoubleCube(Cube):
    """Off by a factor: 6x^2 instead of 3x^2."""

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 6 * x**2


class DetachedCube(Cube):
    """Right first derivative, but x is cut from the graph: every second derivative in x is 0."""

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x.detach() ** 2
