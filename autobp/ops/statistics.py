"""Statistics over axes: prod, var, std, median, quantile, nanmean, nansum, average."""

from __future__ import annotations
