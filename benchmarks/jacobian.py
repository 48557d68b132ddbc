"""``jacobian``: the full Jacobian of a 64 -> 64 -> 64 tanh MLP at one point; ``per_example``: the
gradients of 64 examples' losses, each separately, for a 16 -> 32 -> 1 tanh net. One backward per
row (``vectorize=False``, ``vmap(grad)``) against one batched backward, PyTorch's both ways, and the
closed form in numpy as the base."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._harness import Workload


def jacobian_problem(n: int = 64, dtype: type = np.float64) -> dict:
    rng = np.random.default_rng(0)
    s = 1.0 / np.sqrt(n)
    return {
        "x": rng.standard_normal(n).astype(dtype),
        "W1": (rng.standard_normal((n, n)) * s).astype(dtype),
        "b1": (rng.standard_normal(n) * s).astype(dtype),
        "W2": (rng.standard_normal((n, n)) * s).astype(dtype),
        "probe": rng.standard_normal((n, n)).astype(dtype),  # the reported number: <J, probe>
    }


class _Jac:
    """A runner: ``step()`` computes the Jacobian and returns <J, probe>; ``params()`` is [J]."""

    def __init__(self, pb: dict) -> None:
        self.pb, self.J = pb, None

    def params(self) -> list:
        return [] if self.J is None else [self.J]

    def step(self) -> float:
        self.J = np.asarray(self.jacobian())
        return float(np.sum(self.J * self.pb["probe"]))


class NumpyJac(_Jac):
    def jacobian(self) -> np.ndarray:  # J = diag(1 - y^2) W2 diag(1 - h^2) W1
        p = self.pb
        h = np.tanh(p["W1"] @ p["x"] + p["b1"])
        y = np.tanh(p["W2"] @ h)
        return ((1 - y * y)[:, None] * p["W2"]) @ ((1 - h * h)[:, None] * p["W1"])


def _autobp_jac(vectorize: bool) -> Any:
    import autobp
    from autobp.functional import jacobian

    class AutobpJac(_Jac):
        def jacobian(self) -> np.ndarray:
            p = self.pb
            f = lambda x: autobp.tanh(p["W2"] @ autobp.tanh(p["W1"] @ x + p["b1"]))  # noqa: E731
            return jacobian(f, autobp.Tensor(p["x"]), vectorize=vectorize).data

    return AutobpJac


def _torch_jac(vectorize: bool) -> Any:
    import torch

    class TorchJac(_Jac):
        def __init__(self, pb: dict) -> None:
            super().__init__(pb)
            self.t = {k: torch.from_numpy(v) for k, v in pb.items()}

        def jacobian(self) -> np.ndarray:
            t = self.t
            f = lambda x: torch.tanh(t["W2"] @ torch.tanh(t["W1"] @ x + t["b1"]))  # noqa: E731
            return torch.autograd.functional.jacobian(f, t["x"], vectorize=vectorize).numpy()

    return TorchJac


JAC_IMPLS = {
    "numpy": NumpyJac,
    "autobp-batched": lambda pb: _autobp_jac(True)(pb),
    "autobp-loop": lambda pb: _autobp_jac(False)(pb),
    "torch-vectorize": lambda pb: _torch_jac(True)(pb),
    "torch-loop": lambda pb: _torch_jac(False)(pb),
}

JACOBIAN = Workload(
    "jacobian",
    "Jacobian of a 64 -> 64 -> 64 tanh MLP (64 x 64): one backward per row vs one batched backward",
    jacobian_problem,
    lambda: jacobian_problem(n=5),
    JAC_IMPLS,
    phases=("step",),
    rtol=1e-9,
)


# --- per-example gradients --------------------------------------------------------------------
def per_example_problem(n: int = 64, d: int = 16, h: int = 32, dtype: type = np.float64) -> dict:
    rng = np.random.default_rng(1)
    return {
        "X": rng.standard_normal((n, d)).astype(dtype),
        "Y": rng.standard_normal(n).astype(dtype),
        "W1": (rng.standard_normal((d, h)) / np.sqrt(d)).astype(dtype),
        "w2": (rng.standard_normal(h) / np.sqrt(h)).astype(dtype),
    }


class _PerExample:
    """``step()`` computes each example's gradient of (W1, w2); returns the sum of their squares."""

    def __init__(self, pb: dict) -> None:
        self.pb, self.gs = pb, None

    def params(self) -> list:
        return [] if self.gs is None else list(self.gs)

    def step(self) -> float:
        self.gs = [np.asarray(g) for g in self.grads_per_example()]
        return float(sum(np.sum(g * g) for g in self.gs))


class NumpyPerExample(_PerExample):
    def grads_per_example(self) -> tuple:  # loss_n = (tanh(x_n W1) w2 - y_n)^2
        p = self.pb
        a = np.tanh(p["X"] @ p["W1"])
        r = 2.0 * (a @ p["w2"] - p["Y"])
        delta = r[:, None] * p["w2"] * (1 - a * a)  # (N, h)
        return p["X"][:, :, None] * delta[:, None, :], r[:, None] * a


def _autobp_per_example(batched: bool) -> Any:
    import autobp
    from autobp import func

    def losses(W1, w2, X, Y):  # written for the batch: one loss per row
        return (autobp.tanh(X @ W1) @ w2 - Y) ** 2

    def loss(W1, w2, x, y):  # written for one example
        return (autobp.tanh(x @ W1) @ w2 - y) ** 2

    class AutobpPerExample(_PerExample):
        def grads_per_example(self) -> tuple:
            p = self.pb
            args = (p["W1"], p["w2"], p["X"], p["Y"])
            if batched:
                return tuple(g.data for g in func.per_example_grad(losses, argnums=(0, 1))(*args))
            gs = func.vmap(func.grad(loss, argnums=(0, 1)), in_axes=(None, None, 0, 0))(*args)
            return tuple(g.data for g in gs)

    return AutobpPerExample


def _torch_per_example(pb: dict) -> Any:
    import torch

    class TorchPerExample(_PerExample):
        def __init__(self, pb: dict) -> None:
            super().__init__(pb)
            self.t = {k: torch.from_numpy(v) for k, v in pb.items()}

        def grads_per_example(self) -> tuple:
            t = self.t
            loss = lambda W1, w2, x, y: (torch.tanh(x @ W1) @ w2 - y) ** 2  # noqa: E731
            fn = torch.func.vmap(torch.func.grad(loss, argnums=(0, 1)), in_dims=(None, None, 0, 0))
            return tuple(g.numpy() for g in fn(t["W1"], t["w2"], t["X"], t["Y"]))

    return TorchPerExample(pb)


PER_EXAMPLE = Workload(
    "per_example",
    "per-example gradients of 64 examples, 16 -> 32 -> 1 tanh net: vmap(grad) loop vs one batched backward",
    per_example_problem,
    lambda: per_example_problem(n=4, d=3, h=5),
    {
        "numpy": NumpyPerExample,
        "autobp-batched": lambda pb: _autobp_per_example(True)(pb),
        "autobp-vmap-loop": lambda pb: _autobp_per_example(False)(pb),
        "torch-func-vmap": _torch_per_example,
    },
    phases=("step",),
    rtol=1e-9,
)
