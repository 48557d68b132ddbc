"""The 1986 paper's tiny sigmoid nets: ``symmetry`` (6-2-1) and ``family`` (36 -> 6+6 -> 12 -> 6 -> 24).

Both are one full-batch sweep: forward, E = 1/2 sum (y - t)^2, backward, and
the momentum update, written as PyTorch's SGD does it (v = m v + g; w -= lr v,
which is the paper's dw = -eps g + alpha dw with eps = lr, alpha = m).
The first layer may be split into input groups (family: person 24 -> 6 and
relation 12 -> 6) whose outputs are concatenated. Tensors are tiny, so these
workloads measure per-op overhead, not arithmetic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ._harness import Workload
from ._machine import torch_compile, torch_matched
from .sigmoid_nets_peers import HipsNet, MygradNet, TinygradJitNet, TinygradNet
from .tight import TightNet


@dataclass
class NetProblem:
    inputs: list[np.ndarray]  # one (cases, n_in) array per first-layer group
    target: np.ndarray  # (cases, n_out)
    first: list[tuple[np.ndarray, np.ndarray]]  # (W, b) per group
    rest: list[tuple[np.ndarray, np.ndarray]]  # later layers, in order
    lr: float
    momentum: float

    def weights(self) -> list[np.ndarray]:
        return [a for pair in self.first + self.rest for a in pair]


def _layer(rng: np.random.Generator, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform(-0.3, 0.3) weights and biases, as in the paper's runs."""
    return rng.uniform(-0.3, 0.3, (n_in, n_out)), rng.uniform(-0.3, 0.3, n_out)


def symmetry_problem() -> NetProblem:
    """All 64 binary 6-vectors; the target is 1 for palindromes."""
    rng = np.random.default_rng(1986)
    x = np.array(list(itertools.product((0.0, 1.0), repeat=6)))
    t = np.all(x == x[:, ::-1], axis=1).astype(np.float64)[:, None]
    return NetProblem([x], t, [_layer(rng, 6, 2)], [_layer(rng, 2, 1)], lr=0.1, momentum=0.9)


def family_problem(cases: int = 104) -> NetProblem:
    """104 (person, relation) one-hot pairs with 24-unit binary targets, the family-trees shapes.

    Values are drawn at random (seeded): the cost depends only on the shapes.
    """
    rng = np.random.default_rng(1986)
    person = np.eye(24)[rng.integers(0, 24, cases)]
    relation = np.eye(12)[rng.integers(0, 12, cases)]
    target = (rng.random((cases, 24)) < 0.08).astype(np.float64)
    first = [_layer(rng, 24, 6), _layer(rng, 12, 6)]
    rest = [_layer(rng, 12, 12), _layer(rng, 12, 6), _layer(rng, 6, 24)]
    return NetProblem([person, relation], target, first, rest, lr=0.005, momentum=0.5)


# --- hand-written numpy, written plainly (``numpy.simple``; the floor is tight.TightNet) -----------
class NumpyNet:
    """Preallocated buffers and in-place ufuncs, but a list of arrays per layer, ``matmul`` and
    ``sum(axis=0)``, an update per parameter and the loss on every step: the floor before issue 19."""

    def __init__(self, pb: NetProblem) -> None:
        self.xs, self.t = pb.inputs, pb.target
        self.lr, self.m = pb.lr, pb.momentum
        n = len(self.t)
        self.first = [(W.copy(), b.copy()) for W, b in pb.first]
        self.rest = [(W.copy(), b.copy()) for W, b in pb.rest]
        self.vel = [np.zeros_like(a) for a in self.params()]
        self.grads = [np.zeros_like(a) for a in self.params()]
        widths = [W.shape[1] for W, _ in self.first]
        self.group_out = [np.empty((n, w)) for w in widths]  # only used when there are several groups
        self.edges = np.cumsum([0] + widths)
        sizes = [sum(widths)] + [W.shape[1] for W, _ in self.rest]
        self.acts = [np.empty((n, k)) for k in sizes]  # output of each layer after the first
        self.deltas = [np.empty((n, k)) for k in sizes]
        self.tmp = [np.empty((n, k)) for k in sizes]

    def params(self) -> list[np.ndarray]:
        return [a for pair in self.first + self.rest for a in pair]

    @staticmethod
    def _sigmoid_layer(x: np.ndarray, W: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
        np.matmul(x, W, out=out)
        out += b
        np.negative(out, out=out)
        np.exp(out, out=out)
        out += 1.0
        np.reciprocal(out, out=out)

    def step(self) -> float:
        # forward
        if len(self.first) == 1:
            W, b = self.first[0]
            self._sigmoid_layer(self.xs[0], W, b, self.acts[0])
        else:
            for x, (W, b), o, lo, hi in zip(self.xs, self.first, self.group_out, self.edges, self.edges[1:]):
                self._sigmoid_layer(x, W, b, o)
                self.acts[0][:, lo:hi] = o
        for (W, b), x, o in zip(self.rest, self.acts, self.acts[1:]):
            self._sigmoid_layer(x, W, b, o)
        # backward: delta = dE/dz = (y - t) y (1 - y), then back through each layer
        y, d, tmp = self.acts[-1], self.deltas[-1], self.tmp[-1]
        np.subtract(y, self.t, out=d)
        loss = 0.5 * float(np.vdot(d, d))
        grads = self.grads
        gi = len(grads)
        for k in range(len(self.rest) - 1, -1, -1):
            W, _ = self.rest[k]
            a, d, tmp = self.acts[k + 1], self.deltas[k + 1], self.tmp[k + 1]
            np.subtract(1.0, a, out=tmp)
            tmp *= a
            d *= tmp
            gi -= 2
            np.matmul(self.acts[k].T, d, out=grads[gi])
            np.sum(d, axis=0, out=grads[gi + 1])
            np.matmul(d, W.T, out=self.deltas[k])
        a, d, tmp = self.acts[0], self.deltas[0], self.tmp[0]
        np.subtract(1.0, a, out=tmp)
        tmp *= a
        d *= tmp
        for j, (x, lo, hi) in enumerate(zip(self.xs, self.edges, self.edges[1:])):
            dj = d[:, lo:hi]
            np.matmul(x.T, dj, out=grads[2 * j])
            np.sum(dj, axis=0, out=grads[2 * j + 1])
        # momentum update: v = m v + g; w -= lr v
        lr, m = self.lr, self.m
        for w, v, g in zip(self.params(), self.vel, grads):
            v *= m
            v += g
            np.multiply(v, lr, out=g)  # g is scratch from here on
            w -= g
        return loss


# --- autobp, written as a user would ------------------------------------------------------------
class AutobpNet:
    def __init__(self, pb: NetProblem) -> None:
        import autobp

        self.ab = autobp
        T = autobp.tensor
        self.xs = [T(x) for x in pb.inputs]
        self.t = T(pb.target)
        self.first = [(T(W, requires_grad=True), T(b, requires_grad=True)) for W, b in pb.first]
        self.rest = [(T(W, requires_grad=True), T(b, requires_grad=True)) for W, b in pb.rest]
        self.opt = autobp_sgd(self.parameters(), pb.lr, pb.momentum)

    def parameters(self) -> list:
        return [p for pair in self.first + self.rest for p in pair]

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.parameters()]

    def _loss(self):
        hs = [(x @ W + b).sigmoid() for x, (W, b) in zip(self.xs, self.first)]
        h = hs[0] if len(hs) == 1 else self.ab.concatenate(hs, axis=1)
        for W, b in self.rest:
            h = (h @ W + b).sigmoid()
        return 0.5 * ((h - self.t) ** 2).sum()

    def step(self) -> float:
        loss = self._loss()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


class AutobpNnNet:
    """The same net with autobp.nn layers (weights stored (out, in), as nn.Linear keeps them)."""

    def __init__(self, pb: NetProblem) -> None:
        import autobp
        from autobp import nn
        from autobp.optim import SGD

        self.ab, self.sse = autobp, nn.functional.sse_loss
        self.xs = [autobp.tensor(x) for x in pb.inputs]
        self.t = autobp.tensor(pb.target)
        self.groups = [_linear(nn, W, b) for W, b in pb.first]
        layers = []
        for W, b in pb.rest:
            layers += [_linear(nn, W, b), nn.Sigmoid()]
        self.rest = nn.Sequential(*layers)
        self.opt = SGD(self.parameters(), lr=pb.lr, momentum=pb.momentum)

    def parameters(self) -> list:
        return [p for m in self.groups for p in m.parameters()] + list(self.rest.parameters())

    def params(self) -> list[np.ndarray]:
        """In the problem's (in, out) layout, to compare with the other implementations."""
        return [p.data.T if p.ndim == 2 else p.data for p in self.parameters()]

    def step(self) -> float:
        hs = [layer(x).sigmoid() for layer, x in zip(self.groups, self.xs)]
        h = hs[0] if len(hs) == 1 else self.ab.concatenate(hs, axis=1)
        loss = self.sse(self.rest(h), self.t)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


class AutobpTraceNet(AutobpNet):
    """The autobp step with the loss recorded once by ``autobp.trace`` and replayed every sweep."""

    def __init__(self, pb: NetProblem) -> None:
        super().__init__(pb)
        self.replay = self.ab.trace(self._loss)

    def step(self) -> float:
        self.opt.zero_grad()
        loss = self.replay()  # forward and backward, gradients into .grad
        self.opt.step()
        return loss.item()


def _linear(nn, W: np.ndarray, b: np.ndarray):
    """An nn.Linear holding the given (in, out) weights and bias."""
    layer = nn.Linear(W.shape[0], W.shape[1], dtype=W.dtype)
    layer.weight.data[...] = W.T
    layer.bias.data[...] = b
    return layer


def autobp_sgd(params: list, lr: float, momentum: float = 0.0):
    """autobp.optim.SGD when it exists, else the same update written by hand under no_grad."""
    try:
        from autobp.optim import SGD

        return SGD(params, lr=lr, momentum=momentum)
    except ImportError:
        return _ManualSGD(params, lr, momentum)


class _ManualSGD:
    """v = m v + g; p -= lr v (PyTorch's SGD), on the arrays behind the Tensors."""

    def __init__(self, params: list, lr: float, momentum: float) -> None:
        self.params, self.lr, self.m = params, lr, momentum
        self.vel = [np.zeros_like(p.data) for p in params] if momentum else None

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        import autobp

        with autobp.no_grad():
            if self.vel is None:
                for p in self.params:
                    p.data -= self.lr * p.grad
                return
            for p, v in zip(self.params, self.vel):
                v *= self.m
                v += p.grad
                p.data -= self.lr * v


# --- PyTorch eager -----------------------------------------------------------------------------
class TorchNet:
    """PyTorch eager, with SGD's per-parameter loop (foreach=False, PyTorch's default on CPU)."""

    foreach = False
    memory = "torch"  # torch's allocator: measured with torch.profiler (see _memory)

    def __init__(self, pb: NetProblem) -> None:
        torch = torch_matched()
        self.torch = torch
        T = torch.tensor
        self.xs = [T(x) for x in pb.inputs]
        self.t = T(pb.target)
        self.first = [(T(W, requires_grad=True), T(b, requires_grad=True)) for W, b in pb.first]
        self.rest = [(T(W, requires_grad=True), T(b, requires_grad=True)) for W, b in pb.rest]
        self.opt = torch.optim.SGD(self.parameters(), lr=pb.lr, momentum=pb.momentum, foreach=self.foreach)
        self.loss_fn = self._loss

    def parameters(self) -> list:
        return [p for pair in self.first + self.rest for p in pair]

    def params(self) -> list[np.ndarray]:
        return [p.detach().numpy() for p in self.parameters()]

    def _loss(self):
        hs = [(x @ W + b).sigmoid() for x, (W, b) in zip(self.xs, self.first)]
        h = hs[0] if len(hs) == 1 else self.torch.cat(hs, dim=1)
        for W, b in self.rest:
            h = (h @ W + b).sigmoid()
        return 0.5 * ((h - self.t) ** 2).sum()

    def step(self) -> float:
        loss = self.loss_fn()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


class TorchForeachNet(TorchNet):
    """The same with SGD's multi-tensor (foreach) update."""

    foreach = True


class TorchCompileNet(TorchNet):
    """The loss compiled by ``torch.compile`` (inductor; backward by AOTAutograd), the optimiser eager."""

    def __init__(self, pb: NetProblem) -> None:
        super().__init__(pb)
        self.loss_fn, seconds = torch_compile(self._loss)
        self.note = f"torch.compile(loss); compiling took {seconds:.1f} s"


def _compiled(pb):
    """The ``autobp.compile`` row (benchmarks/compiled.py, imported here when used)."""
    from .compiled import AutobpCompileNet

    return AutobpCompileNet(pb)


IMPLS = {
    "numpy": TightNet,
    "numpy.simple": NumpyNet,
    "autobp": AutobpNet,
    "autobp.nn": AutobpNnNet,
    "autobp.trace": AutobpTraceNet,
    "autobp.compile": _compiled,
    "torch": TorchNet,
    "torch.foreach": TorchForeachNet,
    "torch.compile": TorchCompileNet,
    "tinygrad": TinygradNet,
    "tinygrad.jit": TinygradJitNet,
    "mygrad": MygradNet,
    "autograd": HipsNet,
}

SYMMETRY = Workload(
    "symmetry",
    "6-2-1 sigmoid, 64 patterns, float64: forward, SSE, backward, momentum update",
    symmetry_problem,
    symmetry_problem,
    IMPLS,
    unit="us",
    repeat_factor=3,
)
FAMILY = Workload(
    "family",
    "36 -> 6+6 -> 12 -> 6 -> 24 sigmoid, 104 cases, float64: one sweep with momentum",
    family_problem,
    lambda: family_problem(cases=10),
    IMPLS,
    unit="us",
    repeat_factor=3,
)
