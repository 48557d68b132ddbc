"""Elementwise math of one tensor: trigonometric, hyperbolic, exponential and logarithmic variants,
rounding, sign, erf."""

from __future__ import annotations
