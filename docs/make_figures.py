"""Regenerate the README's figures: ``python docs/make_figures.py`` (needs Graphviz's dot or graphviz-pure).

docs/neuron.svg is the graph of one tanh neuron, tanh(x1*w1 + x2*w2 + b), drawn after backward().
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import autobp  # noqa: E402
from autobp import Value  # noqa: E402

DOCS = Path(__file__).resolve().parent


def neuron_drawing() -> autobp.viz.Drawing:
    """The neuron of micrograd's lecture, with weights chosen so that n = 0.8814 and o = tanh(n) = 0.7071."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return autobp.draw(o)


def main() -> None:
    out = DOCS / "neuron.svg"
    out.write_bytes(neuron_drawing().pipe(format="svg"))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
