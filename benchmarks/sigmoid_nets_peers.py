"""The other autodiff libraries' rows of the sigmoid-net workloads (benchmarks/sigmoid_nets.py): tinygrad
(eager and TinyJit), MyGrad and HIPS autograd, each the same full-batch sweep with momentum as the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._machine import tinygrad_cpu

if TYPE_CHECKING:
    from .sigmoid_nets import NetProblem


# --- tinygrad (lazy: each step is scheduled, compiled once per kernel, and run on realize) -------------
class TinygradNet:
    """The same step in tinygrad on its CPU device: the gradient by ``loss.gradient(*params)`` and the
    momentum update written out (tinygrad's own SGD keeps its momentum in float32)."""

    memory = None  # tinygrad's own buffers: tracemalloc cannot see them

    jit = False

    def __init__(self, pb: NetProblem) -> None:
        tinygrad = tinygrad_cpu()
        T = self.T = tinygrad.Tensor
        self.xs = [T(x) for x in pb.inputs]
        self.t = T(pb.target)
        self.first = [(T(W), T(b)) for W, b in pb.first]
        self.rest = [(T(W), T(b)) for W, b in pb.rest]
        self.vel = [T(np.zeros_like(a)) for a in pb.weights()]
        self.lr, self.m = pb.lr, pb.momentum
        T.realize(*self.xs, self.t, *self.parameters(), *self.vel)
        self._sweep = tinygrad.TinyJit(self._update) if self.jit else self._update

    def parameters(self) -> list:
        return [p for pair in self.first + self.rest for p in pair]

    def params(self) -> list[np.ndarray]:
        return [p.numpy() for p in self.parameters()]

    def _update(self):
        hs = [(x @ W + b).sigmoid() for x, (W, b) in zip(self.xs, self.first)]
        h = hs[0] if len(hs) == 1 else hs[0].cat(*hs[1:], dim=1)
        for W, b in self.rest:
            h = (h @ W + b).sigmoid()
        loss = 0.5 * ((h - self.t) ** 2).sum()
        ps = self.parameters()
        for p, v, g in zip(ps, self.vel, loss.gradient(*ps)):
            v.assign(v * self.m + g)
            p.assign(p - v * self.lr)
        self.T.realize(loss, *ps, *self.vel)
        return loss

    def step(self) -> float:
        return self._sweep().item()


class TinygradJitNet(TinygradNet):
    """The same step captured by ``tinygrad.TinyJit`` and replayed: tinygrad's own trace-and-replay."""

    jit = True


# --- MyGrad ------------------------------------------------------------------------------------
class MygradNet:
    def __init__(self, pb: NetProblem) -> None:
        import mygrad as mg
        from mygrad.nnet.activations import sigmoid

        self.mg, self.sigmoid = mg, sigmoid
        self.xs = [np.array(x) for x in pb.inputs]
        self.t = np.array(pb.target)
        self.first = [(mg.tensor(W), mg.tensor(b)) for W, b in pb.first]
        self.rest = [(mg.tensor(W), mg.tensor(b)) for W, b in pb.rest]
        self.lr, self.m = pb.lr, pb.momentum
        self.vel = [np.zeros_like(p.data) for p in self.parameters()]

    def parameters(self) -> list:
        return [p for pair in self.first + self.rest for p in pair]

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.parameters()]

    def step(self) -> float:
        sig = self.sigmoid
        hs = [sig(x @ W + b) for x, (W, b) in zip(self.xs, self.first)]
        h = hs[0] if len(hs) == 1 else self.mg.concatenate(hs, axis=1)
        for W, b in self.rest:
            h = sig(h @ W + b)
        loss = 0.5 * ((h - self.t) ** 2).sum()
        loss.backward()
        for p, v in zip(self.parameters(), self.vel):
            v *= self.m
            v += p.grad
            p.data -= self.lr * v
        return loss.item()


# --- HIPS autograd (functional) ----------------------------------------------------------------
class HipsNet:
    def __init__(self, pb: NetProblem) -> None:
        import autograd
        import autograd.numpy as anp

        n_first = len(pb.first)
        xs, t = pb.inputs, pb.target

        def sigmoid(z):
            return 1.0 / (1.0 + anp.exp(-z))

        def loss(ws):
            hs = [sigmoid(x @ ws[2 * i] + ws[2 * i + 1]) for i, x in enumerate(xs)]
            h = hs[0] if n_first == 1 else anp.concatenate(hs, axis=1)
            for i in range(2 * n_first, len(ws), 2):
                h = sigmoid(h @ ws[i] + ws[i + 1])
            return 0.5 * anp.sum((h - t) ** 2)

        self.vg = autograd.value_and_grad(loss)
        self.ws = [a.copy() for a in pb.weights()]
        self.vel = [np.zeros_like(a) for a in self.ws]
        self.lr, self.m = pb.lr, pb.momentum

    def params(self) -> list[np.ndarray]:
        return self.ws

    def step(self) -> float:
        value, grads = self.vg(self.ws)
        for w, v, g in zip(self.ws, self.vel, grads):
            v *= self.m
            v += g
            w -= self.lr * v
        return float(value)
