"""The ``jax.tree`` namespace: the pytree functions of ``autobp.pytree`` under their short names
(``autobp.tree.map`` is ``autobp.pytree.tree_map``, and so on)."""

from __future__ import annotations

from .pytree import (
    tree_all as all,  # noqa: A004  (JAX's name)
)
from .pytree import (
    tree_broadcast as broadcast,
)
from .pytree import (
    tree_flatten as flatten,
)
from .pytree import (
    tree_flatten_with_path as flatten_with_path,
)
from .pytree import (
    tree_leaves as leaves,
)
from .pytree import (
    tree_leaves_with_path as leaves_with_path,
)
from .pytree import (
    tree_map as map,  # noqa: A004  (JAX's name)
)
from .pytree import (
    tree_map_with_path as map_with_path,
)
from .pytree import (
    tree_reduce as reduce,
)
from .pytree import (
    tree_structure as structure,
)
from .pytree import (
    tree_transpose as transpose,
)
from .pytree import (
    tree_unflatten as unflatten,
)

__all__ = [
    "all",
    "broadcast",
    "flatten",
    "flatten_with_path",
    "leaves",
    "leaves_with_path",
    "map",
    "map_with_path",
    "reduce",
    "structure",
    "transpose",
    "unflatten",
]
