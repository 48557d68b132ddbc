"""Swapping tensors into a module for one call (what ``functional_call`` does), with PyTorch's rules:
dotted paths are walked attribute by attribute, a name that is no parameter or buffer becomes a plain
attribute for the call (and is removed after it), tied tensors are replaced under every name, and what
the module holds when the call ends (a buffer reassigned in ``forward``) is written back into the
caller's dict."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from .tensor import Tensor

_MISSING = object()  # "the module had no such attribute": removed again when the call ends


def _module_name(m: Any) -> str:
    return type(m).__name__


def _submodule(module: Any, path: str, cache: dict) -> Any:
    """The module at dotted ``path`` below ``module`` (``""`` is ``module``), found by attribute access."""
    if not path:
        return module
    if path in cache:
        return cache[path]
    from .nn.module import Module

    prefix, _, attr = path.rpartition(".")
    parent = _submodule(module, prefix, cache)
    try:
        sub = getattr(parent, attr)
    except AttributeError:
        raise AttributeError(f"{_module_name(parent)} has no attribute `{attr}`") from None
    if not isinstance(sub, Module):
        raise TypeError(f"submodule `{path}`: {sub} is not an instance of torch.nn.Module (an autobp Module)")
    cache[path] = sub
    return sub


def _swap_one(m: Any, name: str, value: Any) -> Any:
    """Put ``value`` (a Tensor, None, or _MISSING to delete) under ``name`` of module ``m``; returns what
    was there (_MISSING when nothing was)."""
    if value is not _MISSING and value is not None and not isinstance(value, Tensor):
        raise TypeError(f"{value} is not an instance of torch.Tensor (an autobp Tensor)")
    d = m.__dict__
    for registry in (d["_parameters"], d["_buffers"]):
        if name in registry:
            old = registry[name]
            if value is _MISSING:
                del registry[name]
                d.pop(name, None)
            else:
                registry[name] = value
                if name in d:
                    d[name] = value
            return old
    old = getattr(m, name) if hasattr(m, name) else _MISSING
    if old is not _MISSING and old is not None and not isinstance(old, Tensor):
        raise TypeError(f"attribute `{name}`: {old} is not an instance of torch.Tensor (an autobp Tensor)")
    if value is not _MISSING:
        setattr(m, name, value)  # the module's own rules: a Parameter given for a new name registers
    elif hasattr(m, name):
        delattr(m, name)
    return old


def _all_names(module: Any) -> dict[str, Any]:
    """Every parameter and buffer, by every path that reaches it (tied ones under each name)."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    return named


def untie(module: Any, given: dict) -> dict:
    """``given`` with each value also under the other names of a tensor tied to its name; two different
    values for one tied tensor raise a ValueError (PyTorch's)."""
    groups: dict[int, set] = {}
    for name, t in _all_names(module).items():
        groups.setdefault(id(t), set()).add(name)
    tied = {n: g for g in groups.values() if len(g) > 1 for n in g}
    out = dict(given)
    for name in [n for n in given if n in tied]:
        names = tied[name]
        values = {id(given[n]) for n in names if n in given}
        if len(values) > 1:
            raise ValueError(
                f"functional_call got multiple values for keys {sorted(names)}, which are tied. "
                "Consider using tie_weights=False"
            )
        for other in names:
            out[other] = given[name]
    return out


def check_strict(module: Any, given: dict) -> None:
    """``strict=True``: every parameter and buffer given, nothing else (PyTorch's RuntimeError)."""
    names = set(_all_names(module))
    missing, unexpected = sorted(names - set(given)), sorted(set(given) - names)
    msgs = []
    if unexpected:
        msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if msgs:
        raise RuntimeError(f"Error(s) in reparametrizing for {_module_name(module)}:\n\t" + "\n\t".join(msgs))


@contextlib.contextmanager
def reparametrized(module: Any, given: dict, *, tie_weights: bool, strict: bool) -> Iterator[None]:
    """``module`` with the tensors of ``given`` swapped in while the block runs; afterwards the old ones
    are put back and each key of ``given`` is set to what the module then held under it."""
    values = untie(module, given) if tie_weights else given
    if strict:
        check_strict(module, values)
    cache: dict = {}
    originals: list = []
    try:
        for path, value in values.items():
            prefix, _, attr = path.rpartition(".")
            m = _submodule(module, prefix, cache)
            originals.append((path, m, attr, _swap_one(m, attr, value)))
        yield
    finally:
        final = {}
        for path, m, attr, old in reversed(originals):
            final[path] = _swap_one(m, attr, old)
        for key in given:
            if key in final and final[key] is not _MISSING:
                given[key] = final[key]
