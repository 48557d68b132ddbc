"""The MLP step in hand-written numpy other than the tight floor (``tight.TightMlp``): ``numpy.simple``,
the floor before issue 19, and ``numpy.eager``, numpy doing an eager autodiff step's memory work."""

from __future__ import annotations

import numpy as np

from .mlp_problem import MlpProblem


# --- hand-written numpy, written plainly (``numpy.simple``; the floor is tight.TightMlp) ----------
class NumpyMlp:
    """The floor before issue 19: buffers preallocated per batch size, in-place ufuncs, fused
    softmax-CE gradient, no dx; but a list of arrays, ``matmul``, ``sum(axis=0)``, the loss every step."""

    def __init__(self, pb: MlpProblem) -> None:
        self.ws = [a.copy() for a in pb.weights]
        self.grads = [np.empty_like(a) for a in self.ws]
        self.vel = [np.zeros_like(a) for a in self.ws] if pb.momentum else None
        self.batches, self.lr, self.m, self.i = pb.batches, pb.lr, pb.momentum, 0
        self.sigmoid = pb.act == "sigmoid"
        self.bufs: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}
        self.tmps: dict[int, list[np.ndarray]] = {}

    def params(self) -> list[np.ndarray]:
        return self.ws

    def _buffers(self, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        if n not in self.bufs:
            dt = self.ws[0].dtype
            acts = [np.empty((n, W.shape[1]), dt) for W in self.ws[::2]]
            deltas = [np.empty((n, W.shape[1]), dt) for W in self.ws[::2]]
            self.bufs[n] = acts, deltas
            self.tmps[n] = [np.empty_like(a) for a in acts]
        return self.bufs[n]

    def _forward(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Activations (the last one holds softmax probabilities) and the mean cross-entropy."""
        acts, _ = self._buffers(len(x))
        h = x
        last = len(acts) - 1
        for k, a in enumerate(acts):
            np.matmul(h, self.ws[2 * k], out=a)
            a += self.ws[2 * k + 1]
            if k < last and self.sigmoid:
                np.negative(a, out=a)
                np.exp(a, out=a)
                a += 1.0
                np.reciprocal(a, out=a)
            elif k < last:
                np.maximum(a, 0, out=a)
            h = a
        z = acts[-1]
        z -= z.max(axis=1, keepdims=True)
        picked = z[np.arange(len(y)), y]
        np.exp(z, out=z)
        s = z.sum(axis=1, keepdims=True)
        loss = float(np.log(s).mean() - picked.mean())
        z /= s
        return loss, acts

    def forward(self) -> float:
        x, y = self.batches[self.i]
        return self._forward(x, y)[0]

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        loss, acts = self._forward(x, y)
        _, deltas = self._buffers(len(x))
        n = len(x)
        d = deltas[-1]
        np.copyto(d, acts[-1])  # dL/dz = (softmax - onehot) / n
        d[np.arange(n), y] -= 1.0
        d *= 1.0 / n
        for k in range(len(acts) - 1, -1, -1):
            d = deltas[k]
            if k < len(acts) - 1 and self.sigmoid:
                tmp = self.tmps[n][k]
                np.subtract(1.0, acts[k], out=tmp)
                tmp *= acts[k]
                d *= tmp
            elif k < len(acts) - 1:
                np.multiply(d, acts[k] > 0, out=d)
            h = acts[k - 1] if k else x
            np.matmul(h.T, d, out=self.grads[2 * k])
            np.sum(d, axis=0, out=self.grads[2 * k + 1])
            if k:
                np.matmul(d, self.ws[2 * k].T, out=deltas[k - 1])
        if self.vel is None:
            for w, g in zip(self.ws, self.grads):
                g *= self.lr
                w -= g
            return loss
        for w, v, g in zip(self.ws, self.vel, self.grads):
            v *= self.m
            v += g
            np.multiply(v, self.lr, out=g)
            w -= g
        return loss

    def epoch(self) -> float:
        return sum(self.step() for _ in self.batches) / len(self.batches)


class NumpyEagerMlp:
    """numpy doing the memory work of an eager autodiff step and nothing else: every op writes a
    fresh array, every intermediate stays alive until the backward pass is over, gradients are fresh
    arrays, and the update takes a temporary for lr * grad. Between ``numpy`` and this row is what
    eager semantics cost in memory traffic; between this row and ``autobp``, autobp's own work."""

    def __init__(self, pb: MlpProblem) -> None:
        self.ws = [a.copy() for a in pb.weights]
        self.vel = [np.zeros_like(a) for a in self.ws] if pb.momentum else None
        self.batches, self.lr, self.m, self.i = pb.batches, pb.lr, pb.momentum, 0
        self.sigmoid = pb.act == "sigmoid"
        self.grads: list[np.ndarray] = []

    def params(self) -> list[np.ndarray]:
        return self.ws

    def _forward(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list, np.ndarray]:
        """The mean cross-entropy, every layer's (input, product, sum, activation) and softmax(z)."""
        layers, h = [], x
        last = len(self.ws) // 2 - 1
        for k in range(last + 1):
            prod = h @ self.ws[2 * k]
            s = prod + self.ws[2 * k + 1]
            a = None
            if k < last:
                a = 1.0 / (1.0 + np.exp(-s)) if self.sigmoid else np.maximum(s, 0)
            layers.append((h, prod, s, a))
            h = a
        z = s - s.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -logp[np.arange(len(y)), y].mean()
        return float(loss), layers, np.exp(logp)

    def forward(self) -> float:
        x, y = self.batches[self.i]
        return self._forward(x, y)[0]

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        loss, layers, p = self._forward(x, y)
        self.grads = []  # last step's gradients are dropped after the forward pass, as zero_grad does
        n = len(y)
        g = p * (1.0 / n)
        g[np.arange(n), y] -= 1.0 / n
        grads = [None] * len(self.ws)
        for k in range(len(layers) - 1, -1, -1):
            h, _, s, a = layers[k]
            if a is not None:
                g = g * (a * (1.0 - a)) if self.sigmoid else g * (a > 0)
            grads[2 * k + 1] = g.sum(axis=0)
            grads[2 * k] = h.T @ g
            if k:
                g = g @ self.ws[2 * k].T
        del layers, h, s, a
        self.grads = grads
        if self.vel is None:
            for w, gr in zip(self.ws, grads):
                w -= gr * self.lr
            return loss
        for w, v, gr in zip(self.ws, self.vel, grads):
            v *= self.m
            v += gr
            w -= v * self.lr
        return loss

    def epoch(self) -> float:
        return sum(self.step() for _ in self.batches) / len(self.batches)
