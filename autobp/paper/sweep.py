"""The sweep engine: plan the runs of an experiment over seeds, splits and a grid of settings, skip those
already in ``runs.jsonl``, run the rest as batched tasks on Dask (a local cluster of processes by default,
or any scheduler by address), and append each task's rows as it finishes, so a killed sweep resumes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._progress import progress
from .sweep_tasks import EXPERIMENTS, run_key, run_task, settings_list

INLINE = "inline"  # --scheduler value: run the tasks in this process, no Dask


class RunStore:
    """Rows of finished runs, one JSON object a line. A task's rows are appended with one write and an
    fsync, so a kill can at worst cut the last write short: its whole lines are kept, the torn one dropped."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows: list[dict[str, Any]] = []
        if self.path.exists():
            data, good = self.path.read_bytes(), 0
            for line in data.splitlines(keepends=True):
                try:  # a whole line ends in a newline and parses; the first that does not was torn by a kill
                    if not line.endswith(b"\n"):
                        raise ValueError
                    self.rows.append(json.loads(line))
                except ValueError:
                    break
                good += len(line)
            if good < len(data):  # cut the torn tail so that appends start on a fresh line
                with open(self.path, "r+b") as f:
                    f.truncate(good)
        self.done = {r["key"] for r in self.rows}

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Write ``rows`` durably and remember them."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a") as f:
            f.write("".join(json.dumps(r) + "\n" for r in rows))
            f.flush()
            os.fsync(f.fileno())
        self.rows.extend(rows)
        self.done.update(r["key"] for r in rows)


@dataclass
class Plan:
    """Every run of a sweep, and the tasks (chunks of one setting's runs) still to do."""

    total: int
    tasks: list[dict[str, Any]]


def plan(
    experiment: str,
    seeds: int,
    splits: int,
    grid: dict[str, list[Any]],
    done: set[str] = frozenset(),
    first_seed: int = 0,
    chunk: int | None = None,
) -> Plan:
    """Runs = settings x splits x seeds (seeds ``first_seed`` ...); those whose key is in ``done`` are
    dropped and the rest grouped, per setting, into tasks of at most ``chunk`` runs."""
    exp = EXPERIMENTS[experiment]
    if seeds < 1 or splits < 1:
        raise ValueError(f"sweep: --seeds and --splits must be >= 1, got {seeds} and {splits}")
    if splits > 1 and not exp.has_splits:
        raise ValueError(f"sweep: {experiment} trains on all its patterns; --splits applies to family-trees")
    chunk = chunk or exp.chunk
    total, tasks = 0, []
    for settings in settings_list(experiment, grid):
        pending = []
        for split in range(splits):
            for seed in range(first_seed, first_seed + seeds):
                total += 1
                if run_key(experiment, settings, seed, split) not in done:
                    pending.append((seed, split))
        for at in range(0, len(pending), chunk):
            runs = pending[at : at + chunk]
            tid = run_key(experiment, settings, *runs[0]) + f"+{len(runs)}"
            tasks.append({"id": tid, "experiment": experiment, "settings": settings, "runs": runs})
    return Plan(total, tasks)


def run_sweep(
    experiment: str,
    out: str | Path,
    seeds: int = 100,
    splits: int = 1,
    grid: dict[str, list[Any]] | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    first_seed: int = 0,
    chunk: int | None = None,
    show_progress: bool = True,
    on_rows: Callable[[list[dict]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run (or resume) a sweep whose rows live in ``out/runs.jsonl`` and return all of this sweep's rows.

    ``scheduler``: None starts a ``LocalCluster`` of ``workers`` single-threaded processes; an address
    (``tcp://host:8786``) uses that running scheduler; ``"inline"`` runs the tasks here, without Dask.
    """
    store = RunStore(Path(out) / "runs.jsonl")
    p = plan(experiment, seeds, splits, grid or {}, store.done, first_seed, chunk)
    bar = progress(p.total, f"{experiment} runs", show_progress)
    bar.update(p.total - sum(len(t["runs"]) for t in p.tasks))

    def finished(rows: list[dict[str, Any]]) -> None:
        store.append(rows)
        bar.update(len(rows))
        if on_rows:
            on_rows(rows)

    if scheduler == INLINE:
        for task in p.tasks:
            finished(run_task(task))
    elif p.tasks:
        _run_on_dask(p.tasks, scheduler, workers, finished)
    bar.close()
    keys = {
        run_key(experiment, s, seed, split)
        for s in settings_list(experiment, grid or {})
        for split in range(splits)
        for seed in range(first_seed, first_seed + seeds)
    }
    return [r for r in store.rows if r["key"] in keys]


def _run_on_dask(tasks, scheduler, workers, finished) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ImportError(
            'autobp sweep runs its tasks on Dask: pip install "autobp[scale]" (or use --scheduler inline)'
        ) from None
    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        if workers < 1:
            raise ValueError(f"sweep: --workers must be >= 1, got {workers}")
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    try:
        futures = [client.submit(run_task, t, pure=False) for t in tasks]
        for future in as_completed(futures):
            finished(future.result())
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
