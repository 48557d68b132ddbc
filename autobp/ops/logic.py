"""Predicates and logical/bitwise ops (isclose, isnan, logical_and, bitwise_and, ...): boolean or
integer results, no gradient."""

from __future__ import annotations
