"""What an ``autobp`` experiment command returns: a table (quantity, paper, autobp), a JSON-able dict,
and builders for the ``--plot`` figure and the ``--graph`` network; plus the table's number formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import nn
from ..nn import functional as F
from ..tensor import Tensor


@dataclass
class Report:
    """One experiment's results: ``rows`` of (quantity, paper, autobp), data for ``--json``, and
    zero-argument builders for the figure and for (loss, params) whose graph ``--graph`` draws."""

    title: str
    rows: list[tuple[str, str, str]]
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    figure: Callable[[], Any] | None = None
    graph: Callable[[], tuple[Tensor, Any]] | None = None


def sequential(sizes: tuple[int, ...], weights: dict[str, np.ndarray]) -> nn.Sequential:
    """An nn.Sequential sigmoid net holding the given W1, b1, W2, b2 (for drawing its graph)."""
    net = nn.Sequential(
        nn.Linear(sizes[0], sizes[1]), nn.Sigmoid(), nn.Linear(sizes[1], sizes[2]), nn.Sigmoid()
    )
    for p, name in zip(net.parameters(), ("W1", "b1", "W2", "b2")):
        p.data[...] = weights[name]
    return net


def sse_graph(sizes: tuple[int, ...], weights: dict, x: np.ndarray, d: np.ndarray) -> tuple[Tensor, Any]:
    net = sequential(sizes, weights)
    return F.sse_loss(net(x), d), net


def sweeps_text(rows: list[dict], key: str) -> str:
    return ", ".join("-" if r[key] is None else f"{r[key]:,}" for r in rows)


def num(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def med(xs: list[float]) -> str:
    return f"{np.median(xs):+.1f}" if xs else "-"


def sweep_range(stats: dict) -> str:
    if stats.get("min_sweeps") is None:
        return "-"
    return f"{stats['min_sweeps']:,}-{stats['max_sweeps']:,}"
