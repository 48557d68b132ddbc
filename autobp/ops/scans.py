"""Scans along an axis: cumsum, cumprod, logcumsumexp, cummax, cummin."""

from __future__ import annotations
