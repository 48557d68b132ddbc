"""Vector and matrix norms."""

from __future__ import annotations
