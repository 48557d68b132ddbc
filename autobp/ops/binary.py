"""Elementwise functions of two tensors beyond + - * /: arctan2, hypot, logaddexp, copysign, fmod,
remainder, floor_divide, lerp, xlogy."""

from __future__ import annotations
