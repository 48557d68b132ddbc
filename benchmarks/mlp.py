"""MLPs with softmax cross-entropy and SGD: the ``mlp`` step and forward, and ``digits``.

``mlp`` is 784-256-256-10, batch 256, float32, one SGD step (and the forward
pass alone, so the step/forward cost ratio can be read off). ``digits`` is one
training epoch of ``autobp.paper.digits``' net (64-64-10, logistic hidden units,
minibatches of 32, momentum 0.9, float64) on scikit-learn's 8x8 digits. Every
implementation keeps weights as (n_in, n_out) and computes z = x @ W + b, and
the loss as the batch mean of -log softmax(z)[label].
"""

from __future__ import annotations

import numpy as np

from ._harness import Workload
from ._machine import tinygrad_cpu, torch_compile, torch_matched
from .mlp_numpy import NumpyEagerMlp, NumpyMlp
from .mlp_problem import MlpProblem, digits_problem, mlp_problem, tiny_mlp_problem
from .sigmoid_nets import autobp_sgd
from .tight import TightMlp


# --- autobp, as a user writes it -----------------------------------------------------------------
class _EagerMlp:
    """The net and training loop shared by the autograd libraries whose API is PyTorch's
    (loss.backward(), opt.zero_grad(), opt.step()): subclasses set ps, batches, act,
    cross_entropy, i and opt (or their own ``step``)."""

    def _loss(self, x, y):
        h = x
        last = len(self.ps) // 2 - 1
        for k in range(last + 1):
            h = h @ self.ps[2 * k] + self.ps[2 * k + 1]
            if k < last:
                h = h.sigmoid() if self.act == "sigmoid" else h.relu()
        return self.cross_entropy(h, y)

    def forward(self) -> float:
        return self._loss(*self.batches[self.i]).item()

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        loss = self._loss(x, y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()

    def epoch(self) -> float:
        return sum(self.step() for _ in self.batches) / len(self.batches)


class AutobpMlp(_EagerMlp):
    def __init__(self, pb: MlpProblem) -> None:
        import autobp
        from autobp.nn.functional import cross_entropy

        self.cross_entropy = cross_entropy
        self.ps = [autobp.tensor(a, requires_grad=True) for a in pb.weights]
        self.batches = [(autobp.tensor(x), y) for x, y in pb.batches]
        self.opt = autobp_sgd(self.ps, pb.lr, pb.momentum)
        self.act = pb.act
        self.i = 0

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.ps]


class AutobpTraceMlp(AutobpMlp):
    """The autobp step recorded once by ``autobp.trace`` and replayed (one fixed batch: ``mlp`` only)."""

    def __init__(self, pb: MlpProblem) -> None:
        super().__init__(pb)
        if len(self.batches) != 1:
            raise ValueError("AutobpTraceMlp replays one fixed batch")
        import autobp

        self.replay = autobp.trace(lambda: self._loss(*self.batches[0]))

    forward = None  # a replay is forward and backward together: no forward-only phase

    def step(self) -> float:
        self.opt.zero_grad()
        loss = self.replay()
        self.opt.step()
        return loss.item()


class AutobpNnMlp(AutobpMlp):
    """The same net as nn.Sequential of nn.Linear layers (weights stored (out, in))."""

    def __init__(self, pb: MlpProblem) -> None:
        import autobp
        from autobp import nn
        from autobp.optim import SGD

        from .sigmoid_nets import _linear

        self.cross_entropy = nn.functional.cross_entropy
        layers = []
        for k in range(0, len(pb.weights), 2):
            if layers:
                layers.append(nn.Sigmoid() if pb.act == "sigmoid" else nn.ReLU())
            layers.append(_linear(nn, pb.weights[k], pb.weights[k + 1]))
        self.net = nn.Sequential(*layers)
        self.ps = list(self.net.parameters())
        self.batches = [(autobp.tensor(x), y) for x, y in pb.batches]
        self.opt = SGD(self.ps, lr=pb.lr, momentum=pb.momentum)
        self.i = 0

    def params(self) -> list[np.ndarray]:
        return [p.data.T if p.ndim == 2 else p.data for p in self.ps]

    def _loss(self, x, y):
        return self.cross_entropy(self.net(x), y)


# --- PyTorch eager -------------------------------------------------------------------------------
class TorchMlp(_EagerMlp):
    """PyTorch eager, with SGD's per-parameter loop (foreach=False, PyTorch's default on CPU)."""

    foreach = False
    memory = "torch"  # torch's allocator: measured with torch.profiler (see _memory)

    def __init__(self, pb: MlpProblem) -> None:
        torch = torch_matched()
        self.torch, self.cross_entropy = torch, torch.nn.functional.cross_entropy
        self.ps = [torch.tensor(a, requires_grad=True) for a in pb.weights]
        self.batches = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in pb.batches]
        self.opt = torch.optim.SGD(self.ps, lr=pb.lr, momentum=pb.momentum, foreach=self.foreach)
        self.act = pb.act
        self.i = 0

    def params(self) -> list[np.ndarray]:
        return [p.detach().numpy() for p in self.ps]

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        loss = self._loss(x, y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


class TorchForeachMlp(TorchMlp):
    """The same with SGD's multi-tensor (foreach) update."""

    foreach = True


class TorchInferenceMlp(TorchMlp):
    """The forward pass alone under ``torch.inference_mode()``: no graph, no version counters.
    (The ``forward`` rows of the other implementations record the graph, as their step does.)"""

    step = None

    def forward(self) -> float:
        with self.torch.inference_mode():
            return self._loss(*self.batches[self.i]).item()


class TorchCompileMlp(TorchMlp):
    """The loss compiled by ``torch.compile`` (inductor; backward by AOTAutograd), the optimiser eager;
    one fixed batch (``mlp`` only)."""

    def __init__(self, pb: MlpProblem) -> None:
        super().__init__(pb)
        if len(self.batches) != 1:
            raise ValueError("TorchCompileMlp compiles for one fixed batch")
        compiled, seconds = torch_compile(lambda: _EagerMlp._loss(self, *self.batches[0]))
        self._loss = lambda x, y: compiled()
        self.note = f"torch.compile(loss); compiling took {seconds:.1f} s"


# --- tinygrad ------------------------------------------------------------------------------------
class TinygradMlp(_EagerMlp):
    """tinygrad on its CPU device, lazy: each step is scheduled and run when the loss and the new
    weights are realized. Cross-entropy is tinygrad's ``sparse_categorical_crossentropy`` (batch mean)."""

    memory = None  # tinygrad's own buffers: tracemalloc cannot see them

    jit = False

    def __init__(self, pb: MlpProblem) -> None:
        tinygrad = tinygrad_cpu()
        T = self.T = tinygrad.Tensor
        self.ps = [T(a) for a in pb.weights]
        self.batches = [(T(x), T(y)) for x, y in pb.batches]
        self.vel = [T(np.zeros_like(a)) for a in pb.weights] if pb.momentum else []
        self.act, self.lr, self.m, self.i = pb.act, pb.lr, pb.momentum, 0
        T.realize(*self.ps, *self.vel, *(t for batch in self.batches for t in batch))
        self._step = tinygrad.TinyJit(self._update) if self.jit else self._update

    def params(self) -> list[np.ndarray]:
        return [p.numpy() for p in self.ps]

    @staticmethod
    def cross_entropy(logits, labels):
        return logits.sparse_categorical_crossentropy(labels)

    def _update(self, x, y):
        loss = self._loss(x, y)
        grads = loss.gradient(*self.ps)
        if self.m:
            for p, v, g in zip(self.ps, self.vel, grads):
                v.assign(v * self.m + g)
                p.assign(p - v * self.lr)
        else:
            for p, g in zip(self.ps, grads):
                p.assign(p - g * self.lr)
        self.T.realize(loss, *self.ps, *self.vel)
        return loss

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        return self._step(x, y).item()


class TinygradJitMlp(TinygradMlp):
    """The step captured by ``tinygrad.TinyJit`` and replayed (one fixed batch shape: ``mlp`` only)."""

    jit = True
    forward = None  # the captured function is the whole step

    def __init__(self, pb: MlpProblem) -> None:
        if len({x.shape for x, _ in pb.batches}) != 1:
            raise ValueError("TinygradJitMlp replays one batch shape")
        super().__init__(pb)


# --- MyGrad ------------------------------------------------------------------------------------
class MygradMlp:
    def __init__(self, pb: MlpProblem) -> None:
        import mygrad as mg
        from mygrad.nnet.activations import relu, sigmoid
        from mygrad.nnet.losses import softmax_crossentropy

        self.act, self.ce = (sigmoid if pb.act == "sigmoid" else relu), softmax_crossentropy
        self.ps = [mg.tensor(a) for a in pb.weights]
        self.batches, self.lr, self.m, self.i = pb.batches, pb.lr, pb.momentum, 0
        self.vel = [np.zeros_like(a) for a in pb.weights]

    def params(self) -> list[np.ndarray]:
        return [p.data for p in self.ps]

    def _loss(self, x, y):
        h = x
        last = len(self.ps) // 2 - 1
        for k in range(last + 1):
            h = h @ self.ps[2 * k] + self.ps[2 * k + 1]
            if k < last:
                h = self.act(h)
        return self.ce(h, y)

    def forward(self) -> float:
        return float(self._loss(*self.batches[self.i]).item())

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        loss = self._loss(x, y)
        loss.backward()
        for p, v in zip(self.ps, self.vel):
            v *= self.m
            v += p.grad
            p.data -= self.lr * v
        return loss.item()

    def epoch(self) -> float:
        return sum(self.step() for _ in self.batches) / len(self.batches)


# --- HIPS autograd ---------------------------------------------------------------------------
class HipsMlp:
    def __init__(self, pb: MlpProblem) -> None:
        import autograd
        import autograd.numpy as anp

        sigmoid = pb.act == "sigmoid"

        def loss(ws, x, y):
            h = x
            last = len(ws) // 2 - 1
            for k in range(last + 1):
                h = h @ ws[2 * k] + ws[2 * k + 1]
                if k < last:
                    h = 1.0 / (1.0 + anp.exp(-h)) if sigmoid else anp.maximum(h, 0)
            z = h - anp.max(h, axis=1, keepdims=True)
            logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
            return -anp.mean(logp[anp.arange(len(y)), y])

        self.loss, self.vg = loss, autograd.value_and_grad(loss)
        self.ws = [a.copy() for a in pb.weights]
        self.batches, self.lr, self.m, self.i = pb.batches, pb.lr, pb.momentum, 0
        self.vel = [np.zeros_like(a) for a in self.ws]

    def params(self) -> list[np.ndarray]:
        return self.ws

    def forward(self) -> float:
        return float(self.loss(self.ws, *self.batches[self.i]))

    def step(self) -> float:
        x, y = self.batches[self.i]
        self.i = (self.i + 1) % len(self.batches)
        value, grads = self.vg(self.ws, x, y)
        for w, v, g in zip(self.ws, self.vel, grads):
            v *= self.m
            v += g
            w -= self.lr * v
        return float(value)

    def epoch(self) -> float:
        return sum(self.step() for _ in self.batches) / len(self.batches)


def _compiled(pb):
    """The ``autobp.compile`` row (benchmarks/compiled.py, imported here when used)."""
    from .compiled import AutobpCompileMlp

    return AutobpCompileMlp(pb)


IMPLS = {
    "numpy": TightMlp,
    "numpy.simple": NumpyMlp,
    "autobp": AutobpMlp,
    "autobp.nn": AutobpNnMlp,
    "torch": TorchMlp,
    "mygrad": MygradMlp,
    "autograd": HipsMlp,
}

MLP = Workload(
    "mlp",
    "784-256-256-10 ReLU, softmax cross-entropy, batch 256, float32: one SGD step; "
    "the same forward alone (graph recorded, as in the step)",
    mlp_problem,
    tiny_mlp_problem,
    {
        "numpy": TightMlp,
        "numpy.simple": NumpyMlp,
        "numpy.eager": NumpyEagerMlp,
        **IMPLS,
        "autobp.trace": AutobpTraceMlp,
        "autobp.compile": _compiled,
        "torch.foreach": TorchForeachMlp,
        "torch.inference_mode": TorchInferenceMlp,
        "torch.compile": TorchCompileMlp,
        "tinygrad": TinygradMlp,
        "tinygrad.jit": TinygradJitMlp,
    },
    phases=("step", "forward"),
    rtol=1e-5,
    min_sample_s=0.05,
)
DIGITS = Workload(
    "digits",
    "autobp.paper.digits' net: 64-64-10 sigmoid MLP, softmax CE, one epoch over 1347 8x8 digits, "
    "batches of 32, momentum 0.9, float64",
    digits_problem,
    lambda: digits_problem(hidden=8, batch=16, limit=40),
    IMPLS,
    phases=("epoch",),
    rtol=1e-5,
    min_sample_s=0.05,
)
