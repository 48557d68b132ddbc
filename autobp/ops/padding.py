"""Padding (constant, reflect, edge/replicate, circular) and rolling, flipping, tiling, repeating."""

from __future__ import annotations
