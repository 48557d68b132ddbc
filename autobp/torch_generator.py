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


class DefaultGenerator:
    """``torch.default_generator``: the global generator (the one ``autobp.manual_seed`` seeds and every
    function draws from without ``generator=``) as one object with ``Generator``'s methods
    (``manual_seed``, ``seed``, ``initial_seed``, ``get_state``/``set_state``); numpy's draws
    (``.normal``, ``.random``, ...) go to the global generator. It stays the same object across
    ``manual_seed``, so it can be passed as ``generator=``."""

    device = "cpu"

    def manual_seed(self, seed: int) -> DefaultGenerator:
        """``autobp.manual_seed(seed)``; returns ``self``."""
        from .random import manual_seed

        manual_seed(seed)
        return self

    def seed(self) -> int:
        """Reseed the global generator from fresh entropy; returns the seed used."""
        from .random import seed

        return seed()

    def initial_seed(self) -> int | None:
        """``autobp.initial_seed()``: the seed last given (None before any)."""
        from .random import initial_seed

        return initial_seed()

    def get_state(self) -> dict:
        """``autobp.get_rng_state()``."""
        from .random import get_rng_state

        return get_rng_state()

    def set_state(self, state: dict) -> DefaultGenerator:
        """``autobp.set_rng_state(state)``; returns ``self``."""
        from .random import set_rng_state

        set_rng_state(state)
        return self

    def __getattr__(self, name: str) -> Any:  # numpy's drawing methods, from the global generator
        from .random import default_generator

        return getattr(default_generator(), name)

    def __repr__(self) -> str:
        return "autobp.default_generator"


default_generator = DefaultGenerator()

__all__ = ["Generator", "default_generator"]
