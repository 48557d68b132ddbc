"""``autobp.cpu``: PyTorch's ``torch.cpu`` namespace as far as ported training loops use it: the older
``torch.cpu.amp.autocast`` and ``torch.cpu.amp.GradScaler`` spellings (``autobp.amp`` has the current
ones)."""

from . import amp

__all__ = ["amp"]
