"""Optimisers (``autobp.optim.SGD``, ``Adam``, ...) with PyTorch's constructor arguments, parameter
groups and state_dicts, and the learning-rate schedules of ``autobp.optim.lr_scheduler``."""

from . import functional, lr_scheduler, swa_utils
from .adafactor import Adafactor
from .adam import Adam, Adamax, AdamW, NAdam, RAdam
from .adaptive import Adadelta, Adagrad, RMSprop
from .lamb import LAMB
from .lbfgs import LBFGS
from .muon import Muon
from .optimizer import Optimizer
from .sgd import SGD
from .sign_and_average import ASGD, Rprop

__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "RAdam",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Rprop",
    "ASGD",
    "Muon",
    "LBFGS",
    "LAMB",
    "Adafactor",
    "lr_scheduler",
    "functional",
    "swa_utils",
]
