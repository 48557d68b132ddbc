"""``autobp.compile``: a training step recorded once and turned into straight-line numpy source.
calls.py and record.py: the tape (nodes and the op calls that made them) and its graph; emitters.py:
per-op lines; rerun.py: an op call made again on new values; builder.py and codegen.py: the
generator; flat.py and optimizers.py: flat buffers and the inline update; api.py: guards, cache and
the eager fallback."""

from .api import CompiledStep, compile
from .emitters import BACKWARD_EMIT, FORWARD_EMIT
from .record import CompileError

__all__ = ["compile", "CompiledStep", "CompileError", "FORWARD_EMIT", "BACKWARD_EMIT"]
