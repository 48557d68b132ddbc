"""The tight numpy floor: each training step written as a skilled engineer writes it by hand.

All parameters live in one flat buffer (per-layer views into it), gradients in one flat buffer of
the same layout, so the momentum update is four ufunc calls for the whole net. Activations, deltas
and temporaries are allocated once and reused with ``out=``; ``np.dot(..., out=)`` (less dispatch
than ``matmul``) does the small products, transposes of buffers are taken once, bias gradients are
``np.dot(ones, delta)``, the sigmoid and its derivative are computed in place, and a training step
that needs only the gradient computes no loss value (``next_loss()`` gives it, outside the timed step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .mlp_problem import MlpProblem
    from .sigmoid_nets import NetProblem


def _flat_views(shapes: list[tuple[int, ...]], dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """One zeroed buffer and a C-contiguous view into it per shape, in order."""
    flat = np.zeros(sum(int(np.prod(s)) for s in shapes), dtype)
    views, at = [], 0
    for s in shapes:
        n = int(np.prod(s))
        views.append(flat[at : at + n].reshape(s))
        at += n
    return flat, views


def _sigmoid_(z: np.ndarray) -> None:
    """z <- 1 / (1 + exp(-z)), in place."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    np.reciprocal(z, out=z)


class TightNet:
    """The sigmoid nets (symmetry, family), E = 1/2 sum (y - t)^2, momentum SGD.

    Several first-layer input groups (family: person, relation) are one block-diagonal layer over
    the concatenated inputs: one product instead of a product per group and a copy into the
    concatenation. Its off-diagonal blocks are zero weights whose gradient is masked to zero, so
    they stay exactly zero (their velocity and update are zero too); ``params()`` returns only the
    diagonal blocks, in the problem's layout.
    """

    def __init__(self, pb: NetProblem) -> None:
        n = len(pb.target)
        self.x = np.ascontiguousarray(np.concatenate(pb.inputs, axis=1))
        self.t = pb.target
        self.lr, self.m = pb.lr, pb.momentum
        n_in = [x.shape[1] for x in pb.inputs]
        n_first = [W.shape[1] for W, _ in pb.first]
        layers = [(sum(n_in), sum(n_first))] + [W.shape for W, _ in pb.rest]
        shapes = [s for k_in, k_out in layers for s in ((k_in, k_out), (k_out,))]
        self.flat, self.views = _flat_views(shapes, np.float64)
        self.gflat, self.gviews = _flat_views(shapes, np.float64)
        self.vel = np.zeros_like(self.flat)
        self.Ws, self.bs = self.views[0::2], self.views[1::2]
        self.gWs, self.gbs = self.gviews[0::2], self.gviews[1::2]
        # first layer: the groups' weights on the diagonal of one (sum n_in, sum n_first) block
        rows, cols = np.cumsum([0] + n_in), np.cumsum([0] + n_first)
        self.first = [
            (self.Ws[0][r0:r1, c0:c1], self.bs[0][c0:c1])
            for r0, r1, c0, c1 in zip(rows, rows[1:], cols, cols[1:])
        ]
        for (W, b), (W0, b0) in zip(self.first, pb.first):
            W[...], b[...] = W0, b0
        for W, b, (W0, b0) in zip(self.Ws[1:], self.bs[1:], pb.rest):
            W[...], b[...] = W0, b0
        self.mask = None
        if len(pb.inputs) > 1:
            self.mask = np.zeros(layers[0])
            for r0, r1, c0, c1 in zip(rows, rows[1:], cols, cols[1:]):
                self.mask[r0:r1, c0:c1] = 1.0
        self.acts = [np.empty((n, k_out)) for _, k_out in layers]
        self.deltas = [np.empty((n, k_out)) for _, k_out in layers]
        self.ins_T = [self.x.T] + [a.T for a in self.acts[:-1]]  # transposed views, taken once
        self.Ws_T = [W.T for W in self.Ws]  # views of the flat buffer: they follow every update
        self.ones = np.ones(n)

    def params(self) -> list[np.ndarray]:
        rest = [a for W, b in zip(self.Ws[1:], self.bs[1:]) for a in (W, b)]
        return [a for pair in self.first for a in pair] + rest

    def _forward(self) -> np.ndarray:
        h = self.x
        for W, b, a in zip(self.Ws, self.bs, self.acts):
            np.dot(h, W, out=a)
            a += b
            _sigmoid_(a)
            h = a
        return h

    def next_loss(self) -> float:
        """E at the current weights (a forward pass; not part of the timed step)."""
        r = self._forward() - self.t
        return 0.5 * float(np.vdot(r, r))

    def step(self) -> None:
        self._forward()
        acts, deltas = self.acts, self.deltas
        last = len(acts) - 1
        # output delta dE/dz = (y - t) y (1 - y); each sigmoid derivative y (1 - y) is formed in
        # y's own buffer, which the backward pass no longer needs once its delta is taken
        d, y = deltas[last], acts[last]
        np.subtract(y, self.t, out=d)
        for k in range(last, -1, -1):
            d, y = deltas[k], acts[k]
            if k < last:
                np.dot(deltas[k + 1], self.Ws_T[k + 1], out=d)
            d *= y
            np.subtract(1.0, y, out=y)
            d *= y
            np.dot(self.ins_T[k], d, out=self.gWs[k])
            np.dot(self.ones, d, out=self.gbs[k])
        if self.mask is not None:
            self.gWs[0] *= self.mask
        # momentum update for the whole net at once: v = m v + g; w -= lr v
        v, g = self.vel, self.gflat
        v *= self.m
        v += g
        np.multiply(v, self.lr, out=g)  # g is scratch from here on
        self.flat -= g


class TightMlp:
    """The softmax cross-entropy MLPs (mlp: ReLU, SGD; digits: sigmoid, momentum), minibatches.

    ``step`` computes no loss: dL/dz = (softmax(z) - onehot) / n needs only the softmax. ``epoch``
    reports the epoch's mean loss, as every implementation's epoch does, so there each step also
    takes log(sum exp) and the picked logit.
    """

    def __init__(self, pb: MlpProblem) -> None:
        dt = pb.weights[0].dtype
        shapes = [w.shape for w in pb.weights]
        self.flat, self.ws = _flat_views(shapes, dt)
        self.gflat, self.gs = _flat_views(shapes, dt)
        for w, w0 in zip(self.ws, pb.weights):
            w[...] = w0
        self.vel = np.zeros_like(self.flat) if pb.momentum else None
        self.lr, self.m, self.i = pb.lr, pb.momentum, 0
        self.sigmoid = pb.act == "sigmoid"
        self.Ws, self.bs, self.gWs, self.gbs = self.ws[0::2], self.ws[1::2], self.gs[0::2], self.gs[1::2]
        self.Ws_T = [W.T for W in self.Ws]
        self.batches = [self._batch(x, y) for x, y in pb.batches]
        self._bufs: dict[int, dict] = {}

    def _batch(self, x: np.ndarray, y: np.ndarray) -> tuple:
        """The batch with what its steps reuse: x^T, and the flat positions of the labels' logits."""
        x = np.ascontiguousarray(x)
        k = self.Ws[-1].shape[1]
        return x, x.T, np.arange(len(y)) * k + y

    def params(self) -> list[np.ndarray]:
        return self.ws

    def _buffers(self, n: int) -> dict:
        if n not in self._bufs:
            dt = self.flat.dtype
            acts = [np.empty((n, W.shape[1]), dt) for W in self.Ws]
            self._bufs[n] = {
                "acts": acts,
                "acts_T": [a.T for a in acts],
                "deltas": [np.empty_like(a) for a in acts],
                "masks": [np.empty(a.shape, bool) for a in acts],
                "col": np.empty((n, 1), dt),
                "ones": np.ones(n, dt),
            }
        return self._bufs[n]

    def _forward(self, x: np.ndarray, buf: dict) -> np.ndarray:
        """Hidden activations into buf["acts"]; the last holds exp(z - max z) (unnormalised)."""
        acts, last = buf["acts"], len(self.Ws) - 1
        h = x
        for k, (W, b, a) in enumerate(zip(self.Ws, self.bs, acts)):
            np.dot(h, W, out=a)
            a += b
            if k == last:
                break
            if self.sigmoid:
                _sigmoid_(a)
            else:
                np.maximum(a, 0.0, out=a)
            h = a
        z, col = acts[-1], buf["col"]
        np.max(z, axis=1, keepdims=True, out=col)
        z -= col
        return z

    def _loss(self, z: np.ndarray, picks: np.ndarray, buf: dict) -> float:
        """Mean of log(sum exp z) - z[label], from z = logits - max before exponentiation."""
        picked = z.reshape(-1)[picks]
        np.exp(z, out=z)
        col = buf["col"]
        np.sum(z, axis=1, keepdims=True, out=col)
        return float(np.log(col).mean() - picked.mean())

    def next_loss(self) -> float:
        """The mean cross-entropy on the batch the next step trains on (not part of the step)."""
        x, _, picks = self.batches[self.i]
        buf = self._buffers(len(x))
        return self._loss(self._forward(x, buf), picks, buf)

    def forward(self) -> float:
        return self.next_loss()

    def _step(self, with_loss: bool) -> float | None:
        x, x_T, picks = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        n = len(x)
        buf = self._buffers(n)
        acts, deltas = buf["acts"], buf["deltas"]
        z, col, loss = self._forward(x, buf), buf["col"], None
        if with_loss:
            loss = self._loss(z, picks, buf)
        else:
            np.exp(z, out=z)
            np.sum(z, axis=1, keepdims=True, out=col)
        col *= n  # dL/dz = (softmax - onehot) / n, formed in z's buffer, which is its delta
        z /= col
        z.reshape(-1)[picks] -= 1.0 / n
        last = len(acts) - 1
        d = z
        for k in range(last, -1, -1):
            if k < last:
                d = deltas[k]
                np.dot(deltas[k + 1] if k + 1 < last else z, self.Ws_T[k + 1], out=d)
                a = acts[k]
                if self.sigmoid:  # d *= a (1 - a), formed in a's buffer
                    d *= a
                    np.subtract(1.0, a, out=a)
                    d *= a
                else:  # relu: pass where the unit was active
                    np.greater(a, 0.0, out=buf["masks"][k])
                    d *= buf["masks"][k]
            np.dot(buf["acts_T"][k - 1] if k else x_T, d, out=self.gWs[k])
            np.dot(buf["ones"], d, out=self.gbs[k])
        g = self.gflat
        if self.vel is None:
            g *= self.lr
            self.flat -= g
            return loss
        v = self.vel
        v *= self.m
        v += g
        np.multiply(v, self.lr, out=g)
        self.flat -= g
        return loss

    def step(self) -> None:
        self._step(False)

    def epoch(self) -> float:
        return sum(self._step(True) for _ in self.batches) / len(self.batches)
