"""The ``flags(...)`` context manager of ``autobp.backends.cudnn`` and ``.mkldnn``: set module-level
switches for a block and put the old values back after it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any


@contextlib.contextmanager
def switched(module: ModuleType, values: dict[str, Any]) -> Iterator[None]:
    """Set ``module.<name> = value`` for each item during the block; restore the old values after."""
    old = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(module, name, value)
