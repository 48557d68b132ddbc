"""Benchmark suite: autobp against hand-written numpy, PyTorch and other autodiff libraries."""
