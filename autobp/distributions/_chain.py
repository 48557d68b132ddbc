"""The domain and codomain of a chain of transforms (ComposeTransform's), kept apart from
transforms.py for its size."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import constraints


def _np_of(v: Any) -> Any:
    """A Tensor's array; anything else as it is."""
    return v._data if isinstance(v, Tensor) else v


def _chain_constraints(parts: list) -> tuple:
    """A chain's domain and codomain: a part acting on events of more axes than its neighbours makes
    the whole chain act on those (the domain of [Affine(event_dim=1), Exp] has event_dim 1 and so
    does its codomain), as PyTorch's ComposeTransform reckons them."""
    if not parts:
        return constraints.real, constraints.real
    domain, dim = parts[0].domain, parts[-1].codomain.event_dim
    for p in reversed(parts):
        dim = max(dim + p.domain.event_dim - p.codomain.event_dim, p.domain.event_dim)
    if dim > domain.event_dim:
        domain = constraints.independent(domain, dim - domain.event_dim)
    codomain, dim = parts[-1].codomain, parts[0].domain.event_dim
    for p in parts:
        dim = max(dim + p.codomain.event_dim - p.domain.event_dim, p.codomain.event_dim)
    if dim > codomain.event_dim:
        codomain = constraints.independent(codomain, dim - codomain.event_dim)
    return domain, codomain
