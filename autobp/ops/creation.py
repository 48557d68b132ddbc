"""Creating tensors from others: zeros_like, ones_like, full_like, full, meshgrid, diag, tril, triu,
one_hot."""

from __future__ import annotations
