"""PyTorch's ``torch.Generator``: a random generator object that ``manual_seed`` reseeds in place. It is
a numpy ``Generator`` (PCG64), so every autobp function taking ``generator=`` (or ``rng=``) draws from
it; seeded with s it gives the draws the global generator gives after ``autobp.manual_seed(s)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._device import check_device

_DEFAULT_SEED = 67280421310721  # PyTorch's default seed of a new Generator


class Generator(np.random.Generator):
    """``Generator(device="cpu")``: PyTorch's generator object (``manual_seed``, ``seed``,
    ``initial_seed``, ``get_state``/``set_state``) as a numpy Generator."""

    def __init__(self, device: Any = None) -> None:
        check_device(device, "Generator")
        super().__init__(np.random.PCG64(_DEFAULT_SEED))
        self._initial_seed = _DEFAULT_SEED

    @property
    def device(self) -> str:
        """'cpu': autobp's arrays live in host memory."""
        return "cpu"

    def manual_seed(self, seed: int) -> Generator:
        """Reseed in place (the same stream as ``autobp.manual_seed(seed)`` gives); returns ``self``."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"manual_seed expected an int, got {type(seed).__name__}")
        seed = int(seed) % 2**64
        self.bit_generator.state = np.random.PCG64(seed).state
        self._initial_seed = seed
        return self

    def seed(self) -> int:
        """Reseed from fresh entropy; returns the seed used."""
        s = int(np.random.SeedSequence().entropy) % 2**63
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._initial_seed

    def get_state(self) -> dict:
        """The bit generator's state (for ``set_state``)."""
        return self.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        """Restore a state from ``get_state``; the draws that followed it repeat. Returns ``self``."""
        self.bit_generator.state = state
        return self


__all__ = ["Generator"]
