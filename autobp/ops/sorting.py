"""Sorting and selection: sort, argsort, topk, kthvalue, argmax, argmin."""

from __future__ import annotations
