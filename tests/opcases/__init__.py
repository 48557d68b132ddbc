"""The op test table, one module per op family; importing this package fills ``tests.optable.CASES``."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
