"""A tqdm progress bar when tqdm is installed and wanted, else a silent stand-in with the same calls."""

from __future__ import annotations

from typing import Any


class _Silent:
    """Accepts the tqdm calls the experiments make and does nothing."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass


def progress(total: int, desc: str, enabled: bool = True) -> Any:
    """A bar over ``total`` steps (tqdm, to stderr) if ``enabled`` and tqdm is importable."""
    if not enabled:
        return _Silent()
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in the "examples" extra; the experiments run without it
        return _Silent()
    return tqdm(total=total, desc=desc, leave=False, mininterval=0.2)
