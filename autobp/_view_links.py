"""PyTorch's view introspection on Tensor: ``_is_view()`` and ``_base``.

A view here is a tensor made by a view op (basic indexing, reshape/view, transpose, diagonal,
expand, real/imag...) sharing its input's memory (``_source``, set by ``_views.link_view``); a
detached tensor shares memory too but, as in PyTorch, is not a view (``_is_view()`` is False)."""

from __future__ import annotations

from typing import Any


def _is_detached(t: Any) -> bool:
    spec = t.__dict__.get("_view_op")
    return spec is not None and spec[0] == "detach"


def is_view(self: Any) -> bool:
    """True when this tensor is a view of another one (PyTorch's ``Tensor._is_view()``): it was made
    by a view op and shares that tensor's memory; False for a detached tensor or a copy."""
    return self._source is not None and not _is_detached(self)


def view_base(self: Any) -> Any:
    """The tensor this view ultimately looks into (PyTorch's ``Tensor._base``: the first tensor up the
    chain of views that is not itself a view), or None when this tensor is not a view."""
    if not is_view(self):
        return None
    base = self._source
    while base._source is not None and not _is_detached(base):
        base = base._source
    return base


def attach(cls: Any) -> None:
    """Put ``_is_view`` and ``_base`` on ``cls`` (Tensor) where it has no such name yet."""
    if not hasattr(cls, "_is_view"):
        cls._is_view = is_view
    if not hasattr(cls, "_base"):
        cls._base = property(view_base, doc=view_base.__doc__)
