"""Sweeps: batched runs equal looped runs and autobp's engine, the JSONL rows, resuming without
recomputation (also after a kill), identical numbers on any number of Dask workers, and clear errors."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from autobp.cli import main
from autobp.paper import _batched, family_trees, symmetry
from autobp.paper import sweep as engine
from autobp.paper import sweep_family as SF
from autobp.paper import sweep_nets as SN
from autobp.paper import sweep_report as R
from autobp.paper import sweep_tasks as T
from autobp.paper.family_data import patterns

ROOT = Path(__file__).resolve().parents[1]


def _task(experiment, settings, runs):
    return {"id": "t", "experiment": experiment, "settings": settings, "runs": runs}


def test_a_batch_of_symmetry_runs_equals_each_run_alone():
    settings = T.EXPERIMENTS["symmetry"].defaults | {"max_sweeps": 1500}
    runs = [(s, 0) for s in range(8)]
    batched = T.run_task(_task("symmetry", settings, runs))
    alone = [T.run_task(_task("symmetry", settings, [r]))[0] for r in runs]
    assert batched == alone  # every number, exactly (runs leave the batch as they solve)
    assert 0 < sum(r["solved"] for r in batched) < 8  # both kinds of run are in the batch


def test_numpy_runner_makes_the_same_changes_as_autobps_engine():
    """sweep_nets.train_small against _batched.train (autobp Tensors and SGD) from the same weights."""
    x, d = symmetry.patterns()
    seeds = range(4)
    inits = [_batched.init_weights(s, (6, 2, 1)) for s in seeds]
    w = {
        k: np.stack([i[k].T if k[0] == "W" else i[k][None] for i in inits]) for k in ("W1", "b1", "W2", "b2")
    }
    mine = SN.train_small(x, d, w, 0.1, 0.9, 2000)
    theirs = _batched.train(x, d, 2, seeds, 0.1, 0.9, 2000)
    assert [r.solved_at for r in theirs] == [None if s < 0 else int(s) for s in mine.solved_at]
    for i, run in enumerate(theirs):
        np.testing.assert_allclose(mine.weights["W1"][i], run.weights["W1"].T, atol=1e-9)


def test_family_runner_matches_family_trees_train():
    """The batched family-trees runner against autobp's engine (family_trees.train), same start."""
    names = {"Wp": "person", "Wr": "relation", "Wc": "central", "Wq": "penultimate", "Wo": "output"}
    net = family_trees.FamilyNet(0.3, rng=3)
    w = {}
    for k, layer in names.items():
        mod = getattr(net, layer)
        w[k], w["b" + k[1]] = mod.weight.data.T[None].copy(), mod.bias.data[None, None].copy()
    _, test = family_trees.split(patterns(), 3)
    run = family_trees.train(3, sweeps=60, output_error="logistic")
    mine = SF.train_family(w, test[None], {"sweeps": 60, "output_error": "no_deriv"})
    np.testing.assert_allclose(mine.person_weights[0], run.net.person.weight.data.T, atol=1e-12)
    assert not np.array_equal(mine.person_weights[0], w["Wp"][0])  # training moved them


@pytest.mark.parametrize(
    "knobs", [{"output_error": "no_deriv", "decay": 0.0}, {"updates": "case", "sweeps": 4}]
)
def test_a_batch_of_family_runs_equals_each_run_alone(knobs):
    rng = np.random.default_rng(0)
    w = SF.init_family(rng.random((3, SF.N_PARAMS)), 0.5)
    tests = np.stack([T.held_out("family-trees", k) for k in range(3)])
    settings = {"sweeps": 25, "flat_spot": 0.1, "biases": False} | knobs
    batched = SF.train_family(w, tests, settings)
    for i in range(3):
        alone = SF.train_family({k: v[i : i + 1] for k, v in w.items()}, tests[i : i + 1], settings)
        assert np.array_equal(alone.person_weights[0], batched.person_weights[i])
        assert alone.error[0] == batched.error[i]


def test_held_out_splits_are_four_single_answer_cases_fixed_by_the_split():
    single = patterns().targets.sum(axis=1) == 1
    draws = [T.held_out("family-trees", k) for k in range(20)]
    assert all(len(set(d)) == 4 and single[d].all() for d in draws)
    assert np.array_equal(draws[7], T.held_out("family-trees", 7))
    assert len({tuple(d) for d in draws}) > 15


def test_rows_follow_the_schema(tmp_path):
    rows = engine.run_sweep("family-trees", tmp_path, seeds=2, splits=2, grid={"variant": ["paper"],
                            "sweeps": [5]}, scheduler="inline", show_progress=False)  # fmt: skip
    lines = (tmp_path / "runs.jsonl").read_text().splitlines()
    assert len(lines) == len(rows) == 4 and [json.loads(x) for x in lines] == rows
    for r in rows:
        assert r["experiment"] == "family-trees" and r["settings"]["variant"] == "paper"
        assert r["settings"]["sweeps"] == 5 and r["settings"]["decay"] == 0.002
        assert isinstance(r["seed"], int) and r["split"] in (0, 1)
        assert r["solved"] == (r["sweeps"] is not None)
        assert 0 <= r["train_score"] <= 1 and r["held_out_score"] == r["held_out_right"] / 4
        assert r["final_error"] > 0 and len(r["held_out"]) == 4
    assert {(r["seed"], r["split"]) for r in rows} == {(0, 0), (1, 0), (0, 1), (1, 1)}


def _trace(tmp_path, monkeypatch):
    path = tmp_path / "trace.txt"
    monkeypatch.setenv("AUTOBP_SWEEP_TRACE", str(path))
    return lambda: path.read_text().splitlines() if path.exists() else []


def test_resume_runs_only_what_is_missing(tmp_path, monkeypatch):
    trace = _trace(tmp_path, monkeypatch)
    opts = {"scheduler": "inline", "chunk": 2, "show_progress": False}
    first = engine.run_sweep("xor", tmp_path / "out", seeds=6, **opts)
    assert len(trace()) == 3
    again = engine.run_sweep("xor", tmp_path / "out", seeds=6, **opts)
    assert len(trace()) == 3 and again == first  # nothing recomputed, nothing lost
    more = engine.run_sweep("xor", tmp_path / "out", seeds=10, **opts)
    assert len(trace()) == 5 and more[:6] == first and len(more) == 10


def test_a_torn_last_line_is_dropped_and_its_run_redone(tmp_path, monkeypatch):
    opts = {"scheduler": "inline", "chunk": 1, "show_progress": False}
    full = engine.run_sweep("xor", tmp_path / "a", seeds=3, **opts)
    path = tmp_path / "a" / "runs.jsonl"
    text = path.read_text()
    path.write_text(text[: len(text) - 25])  # a kill in the middle of writing the last row
    trace = _trace(tmp_path, monkeypatch)
    again = engine.run_sweep("xor", tmp_path / "a", seeds=3, **opts)
    assert len(trace()) == 1 and again == full
    assert path.read_text() == text
    path.write_text(text[:-1])  # the last row whole but for its newline: still torn
    assert engine.run_sweep("xor", tmp_path / "a", seeds=3, **opts) == full
    assert len(trace()) == 2 and path.read_text() == text


def test_a_killed_sweep_resumes_without_recomputing_finished_runs(tmp_path, monkeypatch):
    out, trace = tmp_path / "out", _trace(tmp_path, monkeypatch)
    args = ["symmetry", "--seeds", "24", "--chunk", "2", "--grid", "max_sweeps=3000"]
    cmd = [
        sys.executable,
        "-m",
        "autobp",
        "sweep",
        *args,
        "--scheduler",
        "inline",
        "--quiet",
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path, deadline = out / "runs.jsonl", time.time() + 60
    while time.time() < deadline and (not path.exists() or len(path.read_text().splitlines()) < 4):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = engine.RunStore(path).rows
    assert 4 <= len(before) < 24, "the kill must land mid-sweep"
    executed_before = set(trace())
    rows = engine.run_sweep("symmetry", out, seeds=24, grid={"max_sweeps": [3000]}, scheduler="inline",
                            chunk=2, show_progress=False)  # fmt: skip
    resumed = trace()[len(executed_before) :]
    finished_before = {r["key"] for r in before}
    assert len(resumed) == 12 - len(before) // 2  # only the chunks with no rows ran again
    assert not any(t.split("+")[0] in finished_before for t in resumed)
    assert rows[: len(before)] == before and len(rows) == 24
    settings = T.EXPERIMENTS["symmetry"].defaults | {"max_sweeps": 3000}
    fresh = T.run_task(_task("symmetry", settings, [(s, 0) for s in range(24)]))
    assert sorted(rows, key=lambda r: r["seed"]) == fresh


def test_same_numbers_on_one_or_two_dask_workers(tmp_path):
    pytest.importorskip("dask.distributed")
    grid = {"max_sweeps": [2000]}
    by = {}
    for workers in (1, 2):
        rows = engine.run_sweep("xor", tmp_path / str(workers), seeds=12, grid=grid, workers=workers,
                                chunk=3, show_progress=False)  # fmt: skip
        by[workers] = sorted(rows, key=lambda r: r["seed"])
    inline = engine.run_sweep(
        "xor", tmp_path / "0", seeds=12, grid=grid, scheduler="inline", show_progress=False
    )
    assert by[1] == by[2] == inline
    assert 0 < sum(r["solved"] for r in inline) <= 12


def test_missing_dask_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ImportError, match=r'pip install "autobp\[scale\]"'):
        engine.run_sweep("xor", tmp_path, seeds=1, show_progress=False)


def test_cli_errors_name_the_valid_choices(tmp_path, capsys):
    assert main(["sweep", "symmetry", "--grid", "eta=0.1", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "'eta'" in err and "valid keys: init, lr, max_sweeps, momentum" in err
    assert main(["sweep", "family-trees", "--grid", "variant=best", "--out", str(tmp_path)]) == 2
    assert "no variant 'best'; valid: paper, no decay" in capsys.readouterr().err
    assert main(["sweep", "symmetry", "--grid", "lr=fast", "--out", str(tmp_path)]) == 2
    assert "'fast' is not a valid float" in capsys.readouterr().err
    assert main(["sweep", "xor", "--splits", "3", "--out", str(tmp_path)]) == 2
    assert "--splits applies to family-trees" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["sweep", "parity"])
    assert "invalid choice: 'parity'" in capsys.readouterr().err


def test_cli_prints_the_distribution_beside_the_paper(tmp_path, capsys):
    args = ["sweep", "symmetry", "--seeds", "30", "--scheduler", "inline", "--quiet", "--out", str(tmp_path)]
    args += ["--grid", "max_sweeps=3000"]
    assert main([*args, "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "solved by 1,425" in out and "N=" in out
    summary = json.loads((tmp_path / "summary.json").read_text())[0]
    assert summary["n"] == 30 and summary["q1_sweeps"] <= summary["median_sweeps"] <= summary["q3_sweeps"]


def test_wilson_interval_and_summary_on_known_numbers():
    lo, hi = R.wilson(5, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.2366, 0.7634)  # textbook value for 5/10
    assert R.wilson(0, 20)[0] == 0 and 0.15 < R.wilson(0, 20)[1] < 0.17
    xor = T.EXPERIMENTS["xor"].defaults
    rows = [
        {"experiment": "xor", "settings": xor, "sweeps": s, "solved": s is not None}
        for s in (100, 200, 300, 400, None)
    ]
    (s,) = R.summarize(rows)
    assert (s["n"], s["solved"], s["median_sweeps"], s["q1_sweeps"], s["q3_sweeps"]) == (5, 4, 250, 175, 325)
    assert s["within_paper"] == 0.8  # 4 of 5 runs solved by PDP's 558 sweeps


def test_autobp_never_imports_dask_until_a_sweep_runs_on_it():
    code = "import sys, autobp, autobp.cli, autobp.paper.sweep\n"
    code += "print(sorted(m for m in sys.modules if 'dask' in m))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr
