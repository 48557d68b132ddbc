"""The ``autobp`` command: small demos now, the 1986 experiments as they land."""

from __future__ import annotations

import argparse
import sys

from .value import Value


def neuron(args: argparse.Namespace) -> int:
    """One tanh neuron, its gradients by backprop."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587, label="b")
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()
    print(f"o = tanh(x1*w1 + x2*w2 + b) = {out.data:.4f}")
    for v in (x1, w1, x2, w2, b):
        print(f"  do/d{v.label} = {v.grad:+.4f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autobp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("neuron", help=neuron.__doc__).set_defaults(run=neuron)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
