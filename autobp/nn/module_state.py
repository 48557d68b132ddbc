"""A Module's state: ``state_dict`` (parameters and persistent buffers by dotted name, PyTorch's keys) and
``load_state_dict`` (copy arrays back in place), with ``LoadResult``.

Written as functions of the module (``self``) and set as ``Module``'s methods in its class body
(module.py), where they are documented and called as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from ..tensor import Tensor
from .parameter import Parameter


class LoadResult(NamedTuple):
    """What ``load_state_dict(strict=False)`` did not match (both empty after a strict load)."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def _state_items(self) -> Iterator[tuple[str, Tensor]]:
    """Every parameter, then every persistent buffer, module by module (PyTorch's key order);
    a shared tensor appears under each of its names, as in PyTorch."""
    for mod_name, mod in self.named_modules():
        pre = f"{mod_name}." if mod_name else ""
        for name, p in mod._parameters.items():
            if p is not None:
                yield pre + name, p
        for name, b in mod._buffers.items():
            if b is not None and name not in mod._non_persistent:
                yield pre + name, b


def state_dict(self) -> OrderedDict[str, np.ndarray]:
    """Dotted name -> a copy of its array, parameters and persistent buffers, with PyTorch's keys
    (``0.weight``, ``bn.running_mean``, ``bn.num_batches_tracked``); copies, so later training
    does not change it."""
    return OrderedDict((name, t._data.copy()) for name, t in self._state_items())


def load_state_dict(self, state_dict: dict, strict: bool = True) -> LoadResult:
    """Copy arrays (numpy arrays, Tensors, or anything ``np.asarray`` takes) into the parameters
    and buffers in place (optimisers keep working on the same objects).

    Every shape must match; with ``strict`` the keys must match exactly as well. The error names
    the missing, unexpected and mis-shaped keys; nothing is changed unless the whole load succeeds.
    ``model.load_state_dict({k: v.numpy() for k, v in torch_model.state_dict().items()})`` loads
    a PyTorch model's weights.
    """
    if not hasattr(state_dict, "items"):
        raise TypeError(f"load_state_dict: expected a dict of arrays, got {type(state_dict).__name__}")
    own = dict(self._state_items())
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    problems, pending = [], []
    for name, t in own.items():
        if name not in state_dict:
            continue
        value = state_dict[name]
        arr = value._data if isinstance(value, Tensor) else np.asarray(value)
        if arr.dtype.kind not in "biuf":
            problems.append(f"{name}: dtype {arr.dtype} is not numeric")
        elif arr.shape != t._data.shape:
            problems.append(
                f"{name}: shape {tuple(arr.shape)} in the state dict, {tuple(t._data.shape)} in the model"
            )
        else:
            pending.append((t, arr))
    if strict:
        if missing:
            problems.append("missing key(s): " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected key(s): " + ", ".join(map(str, unexpected)))
    if problems:
        raise RuntimeError(
            f"error(s) loading state dict into {type(self).__name__}:\n  " + "\n  ".join(problems)
        )
    for t, arr in pending:
        if isinstance(t, Parameter):
            t.data[...] = arr  # counts as an in-place change of the parameter
        else:
            t._data[...] = arr  # buffers: never part of a graph that needs them unchanged
    return LoadResult(missing, unexpected)
