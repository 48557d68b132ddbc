"""The ``autobp.compile`` rows: the same nets as the ``autobp`` rows, the step compiled once by
``autobp.compile`` (forward, backward and the optimiser's update as generated straight-line numpy).
Like the tight floor, the timed step computes no loss value; ``next_loss()`` gives it, untimed."""

from __future__ import annotations

from typing import Any

from .mlp import AutobpMlp
from .sigmoid_nets import AutobpNet


class AutobpCompileNet(AutobpNet):
    """symmetry / family: ``autobp.compile(loss, optimizer=SGD)``."""

    def __init__(self, pb: Any) -> None:
        super().__init__(pb)
        self.compiled = self.ab.compile(self._loss, optimizer=self.opt, return_loss=False)

    def next_loss(self) -> float:
        with self.ab.no_grad():
            return self._loss().item()

    def step(self) -> None:
        self.compiled()


class AutobpCompileMlp(AutobpMlp):
    """mlp: one fixed batch, ``autobp.compile(lambda: loss(x, y), optimizer=SGD)``."""

    def __init__(self, pb: Any) -> None:
        super().__init__(pb)
        if len(self.batches) != 1:
            raise ValueError("AutobpCompileMlp compiles the step on one fixed batch")
        import autobp

        self.ab = autobp
        self.compiled = autobp.compile(
            lambda: self._loss(*self.batches[0]), optimizer=self.opt, return_loss=False
        )

    forward = None  # the compiled step is forward, backward and update together

    def next_loss(self) -> float:
        with self.ab.no_grad():
            return self._loss(*self.batches[0]).item()

    def step(self) -> None:
        self.compiled()
