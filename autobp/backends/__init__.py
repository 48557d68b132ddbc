"""PyTorch's ``torch.backends``: the switches ported code sets (``cudnn.benchmark = True``) and the
questions it asks (``mps.is_available()``). autobp computes with numpy on the CPU: the switches are kept
as set and read back, change none of its results, and the questions are answered for autobp's own
backend (numpy), not for a PyTorch build."""

from __future__ import annotations

from . import cuda, cudnn, mkl, mkldnn, mps, openmp

__all__ = ["cuda", "cudnn", "mkl", "mkldnn", "mps", "openmp"]
