"""Gather and scatter: take, take_along_axis, gather, scatter, scatter_add, scatter_reduce, index_add,
index put, masked ops."""

from __future__ import annotations
