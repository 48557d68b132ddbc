"""A synchronous iterative net run for T steps (Nature 1986, Fig. 5), trained as its unrolled layered net.

The state update is s(t+1) = sigmoid(s(t) @ W + b), one shared W and b for every step. Using the same
Tensor at every step makes autobp add the per-step gradients, which is exactly the gradient of the shared
weight; the paper's rule (average dE/dw over the corresponding weights) is that sum divided by T, a
constant factor that the learning rate absorbs. ``unrolled_gradients`` checks this against a copy whose
layers have separate weights.

The task is PDP ch. 8's shift register (p. 357): n fully connected units, no hidden units, started from
each n-bit pattern and run for 2 steps; the target after step 2 is the pattern rotated 2 places left.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn import functional as F
from ..optim import SGD
from ..tensor import Tensor
from ._progress import progress

PAPER = {"sweeps": 200, "lr": 0.25, "units": 3, "steps": 2}  # PDP p. 357: "< 200 sweeps" at eta 0.25


def run(w: Tensor, b: Tensor, s0: Tensor, steps: int) -> list[Tensor]:
    """States s(0..steps) of the iterative net; row i of ``s0`` is one start pattern."""
    states = [s0]
    for _ in range(steps):
        states.append((states[-1] @ w + b).sigmoid())
    return states


def unrolled_gradients(
    w: np.ndarray, b: np.ndarray, s0: np.ndarray, target: np.ndarray, steps: int
) -> tuple[np.ndarray, list[np.ndarray]]:
    """dE/dW of the shared-weight net, and dE/dW_t of each layer of the unrolled copy with untied weights.

    E = 1/2 sum (s(steps) - target)^2. The first result equals the sum of the list (the identity the
    paper's training of iterative nets rests on); the paper's averaged gradient is that sum / steps.
    """
    shared = Tensor(w, requires_grad=True)
    bias = Tensor(b, requires_grad=True)
    F.sse_loss(run(shared, bias, Tensor(s0), steps)[-1], target).backward()
    layers = [Tensor(w.copy(), requires_grad=True) for _ in range(steps)]
    s = Tensor(s0)
    for layer in layers:
        s = (s @ layer + Tensor(b)).sigmoid()
    F.sse_loss(s, target).backward()
    return shared.grad, [layer.grad for layer in layers]


def shift_patterns(units: int, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """Every ``units``-bit start pattern (2^units, units) and its rotation ``shift`` places left."""
    x = ((np.arange(2**units)[:, None] >> np.arange(units - 1, -1, -1)) & 1).astype(np.float64)
    return x, np.roll(x, -shift, axis=1)


@dataclass
class RecurrentRun:
    """Outcome of training the shift register: sweeps to all bits right (None if never), weights, errors."""

    seed: int
    solved_at: int | None
    w: np.ndarray
    b: np.ndarray
    errors: list[float] = field(default_factory=list)
    one_step_shift: bool = False  # after 1 step, is every bit already the 1-place rotation (threshold 0.5)?


def train_shift_register(
    units: int = 3,
    steps: int = 2,
    seed: int = 0,
    lr: float = 0.25,
    momentum: float = 0.9,
    max_sweeps: int = 2000,
    negative_bias: bool = True,
    show_progress: bool = False,
) -> RecurrentRun:
    """Full-batch training over all start patterns until every bit of s(steps) is on its target's side of 0.5.

    Weights start from U(-0.3, 0.3) with ``default_rng(seed)``, biases at -1. With ``negative_bias`` the
    biases are clipped to <= 0 after each step, PDP's constraint under which the net "always" became a
    1-step shift register; without it, other 2-step solutions appear.
    """
    rng = np.random.default_rng(seed)
    x, target = shift_patterns(units, steps)
    w = Tensor(rng.uniform(-0.3, 0.3, (units, units)), requires_grad=True)
    b = Tensor(np.full(units, -1.0), requires_grad=True)
    opt = SGD([w, b], lr=lr, momentum=momentum, momentum_form="paper")
    errors: list[float] = []
    solved_at = None
    bar = progress(max_sweeps, "shift register", show_progress)
    for t in range(max_sweeps + 1):
        out = run(w, b, Tensor(x), steps)[-1]
        loss = F.sse_loss(out, target)
        errors.append(loss.item())
        if np.all(np.abs(out.data - target) < 0.2):
            solved_at = t
            break
        if t == max_sweeps:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        if negative_bias:
            np.minimum(b.data, 0.0, out=b.data)
        bar.update()
    bar.close()
    one = run(Tensor(w.data), Tensor(b.data), Tensor(x), 1)[-1].data
    one_step = bool(np.all((one > 0.5) == (np.roll(x, -1, axis=1) > 0.5)))
    return RecurrentRun(seed, solved_at, w.data.copy(), b.data.copy(), errors, one_step)
