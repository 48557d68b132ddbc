"""The machine and library facts a benchmark number depends on; torch and tinygrad set up to match numpy."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from importlib import metadata
from typing import Any

import numpy as np

from ._harness import Unavailable


def blas_info() -> list[dict[str, Any]]:
    """numpy's BLAS (library, kernel architecture, threads) as threadpoolctl reports it, if installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl not installed: BLAS kernel unknown"}]
    keys = ("user_api", "internal_api", "version", "architecture", "num_threads", "threading_layer")
    out = []
    for d in threadpool_info():
        entry = {k: d.get(k) for k in keys}
        entry["library"] = os.path.basename(d.get("filepath") or "")
        entry["numpy"] = f"{os.sep}numpy" in (d.get("filepath") or "")  # numpy's own, not scipy's or torch's
        out.append(entry)
    return out


def _numpy_blas(info: list[dict[str, Any]]) -> dict[str, Any]:
    blas = [d for d in info if d.get("user_api") == "blas"]
    return next((d for d in blas if d.get("numpy")), blas[0] if blas else info[0])


def numpy_threads() -> int:
    """Threads numpy's BLAS uses (the count torch is set to, so both get the same cores)."""
    d = _numpy_blas(blas_info())
    return int(d["num_threads"]) if d.get("num_threads") else os.cpu_count() or 1


TORCH_THREADS: int | None = None  # set by --torch-threads; None means numpy's BLAS thread count


_LIMITS: list = []  # keeps threadpoolctl's limit alive for the whole run


def limit_threads(n: int) -> str:
    """Run numpy's BLAS and torch on ``n`` threads (e.g. 1 on a machine shared with other jobs)."""
    global TORCH_THREADS
    TORCH_THREADS = n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return "threadpoolctl not installed: numpy's BLAS threads left as they are"
    _LIMITS.append(threadpool_limits(limits=n))  # again per workload: later imports load more pools
    return f"numpy BLAS, OpenMP and torch limited to {n} thread(s)"


def torch_matched():
    """Import torch with its intra-op thread count set to numpy's BLAS thread count (or --torch-threads)."""
    import torch

    n = TORCH_THREADS or numpy_threads()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return torch


def torch_compile(fn):
    """``torch.compile(fn)``, called once so that it compiles now (forward and, through AOTAutograd,
    backward); the compiled function and the seconds that took. Raises Unavailable, with the
    reason, where torch.compile does not work (no C++ compiler, unsupported platform ...)."""
    import time

    torch = torch_matched()
    t0 = time.perf_counter()
    try:
        compiled = torch.compile(fn)
        compiled()
    except Exception as e:  # any failure of the compiler stack: report it, run the rest of the suite
        first = (str(e).strip().splitlines() or [""])[0][:160]
        raise Unavailable(f"torch.compile fails here: {type(e).__name__}: {first}") from e
    return compiled, time.perf_counter() - t0


def tinygrad_cpu():
    """Import tinygrad on its CPU device with numpy's BLAS thread count. Its CPU device compiles every
    kernel with clang (or $CC): without one, say so instead of failing at the first kernel."""
    compiler = os.environ.get("CC", "clang")
    if shutil.which(compiler) is None:
        raise Unavailable(
            f"tinygrad's CPU device compiles kernels with {compiler}, not found: apt-get install clang"
        )
    os.environ.setdefault("DEV", "CPU")
    import tinygrad
    from tinygrad import helpers

    helpers.NUM_CPU_THREADS.value = TORCH_THREADS or numpy_threads()
    return tinygrad


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    """Versions of the libraries that took part (those importable here)."""
    out = {"python": sys.version.split()[0], "numpy": np.__version__}
    for mod in ("autobp", "torch", "tinygrad", "mygrad", "autograd", "micrograd", "sklearn"):
        try:
            m = __import__(mod)
        except ImportError:
            continue
        try:
            out[mod] = getattr(m, "__version__", None) or metadata.version(mod)
        except metadata.PackageNotFoundError:  # a source checkout: importable, not installed
            out[mod] = "installed"
    return out


def describe() -> dict[str, Any]:
    """Everything printed above the table and stored in the JSON record."""
    info: dict[str, Any] = {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "versions": versions(),
        "numpy_blas": blas_info(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")},
    }
    try:
        info["torch_threads"] = torch_matched().get_num_threads()
    except ImportError:
        info["torch_threads"] = None
    return info


def summary(info: dict[str, Any]) -> str:
    """Two lines for the top of the printed table."""
    blas = _numpy_blas(info["numpy_blas"])
    kernel = (
        f"{blas.get('internal_api')} {blas.get('version')} kernel {blas.get('architecture')}, "
        f"{blas.get('num_threads')} threads"
        if "internal_api" in blas
        else blas.get("note", "unknown")
    )
    env = ", ".join(f"{k}={v}" for k, v in info["env"].items() if v) or "no OPENBLAS_* overrides"
    v = info["versions"]
    libs = " ".join(f"{k} {val}" for k, val in v.items())
    load = info.get("load_average")
    busy = f"; load average {load[0]:.1f}" if load else ""
    return (
        f"{info['cpu']}, {info['cores']} cores{busy}; numpy BLAS: {kernel} ({env}); "
        f"torch threads: {info['torch_threads']}\n{libs}"
    )
