"""Activation functions (gelu, silu, elu, softplus, ...) as ops with their rules; nn.functional re-
exports them."""

from __future__ import annotations
