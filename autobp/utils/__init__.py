"""PyTorch's ``torch.utils`` spellings for code ported from PyTorch: ``autobp.utils.data`` is the module
``autobp.data`` itself (``from autobp.utils.data import DataLoader``), ``autobp.utils.checkpoint`` the
module ``autobp.checkpoint`` (``checkpoint``, ``set_checkpoint_early_stop``), and ``autobp.utils.hooks``
holds ``RemovableHandle``."""

import importlib
import sys

from .. import data
from . import hooks

checkpoint = importlib.import_module("autobp.checkpoint")  # the module (autobp.checkpoint: its function)
sys.modules[f"{__name__}.checkpoint"] = checkpoint

# ``import autobp.utils.data.sampler`` and friends find the same module objects as autobp.data's
for _name, _module in [("data", data)] + [(f"data.{m}", getattr(data, m)) for m in data.SUBMODULES]:
    sys.modules[f"{__name__}.{_name}"] = _module

__all__ = ["checkpoint", "data", "hooks"]
