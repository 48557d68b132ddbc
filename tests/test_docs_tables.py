"""The docs' generated tables match the code: regenerate them and compare with the committed files."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_op_table_is_generated_from_the_declarations():
    table = _load("make_op_table")
    committed = (DOCS / "reference" / "ops.md").read_text()
    assert committed == table.render(), "docs/reference/ops.md is stale: run python docs/make_op_table.py"


def test_op_table_lists_every_declared_op():
    from autobp.ops import DECLS

    text = (DOCS / "reference" / "ops.md").read_text()
    missing = [n for n, d in DECLS.items() if f"`{d.namespace}.{n}`" not in text]
    assert not missing, missing


def test_semantics_table_is_current_and_matches_pytorch_in_every_row():
    import numpy as np
    import pytest

    pytest.importorskip("torch")
    table = _load("make_semantics_table")
    rows = table.compute()
    assert len(rows) >= 10
    for op, point, _, ours, theirs, note in rows:
        if note.startswith(table.DIFFERS):  # a deliberate difference, explained in the note
            continue
        for k, (a, t) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(a, t, rtol=1e-12, atol=0, err_msg=f"{op} at {point}, input {k}")
    committed = (DOCS / "concepts" / "semantics.md").read_text()
    assert committed == table.render(rows), (
        "docs/concepts/semantics.md is stale: run python docs/make_semantics_table.py"
    )


def test_benchmark_table_is_generated_from_the_latest_run():
    plots = _load("make_benchmark_plots")
    record = plots.load(plots.DEFAULT)
    committed = (DOCS / "benchmarks" / "latest-table.md").read_text()
    expected = plots.render_table(record, "benchmarks/results/latest-threads1-cpu.json")
    assert committed == expected, (
        "docs/benchmarks/latest-table.md is stale: run python docs/make_benchmark_plots.py"
    )
    for row in record["rows"]:  # every row of the run is in the table
        assert f"| {row.workload} | {row.phase} | {row.impl} |" in committed


def test_benchmark_plots_work_on_any_run_record(tmp_path):
    import pytest

    pytest.importorskip("matplotlib")
    plots = _load("make_benchmark_plots")
    older = DOCS.parent / "benchmarks" / "results" / "2026-11-30-wall-before-issue19.json"
    plots.main([str(older), "--out", str(tmp_path)])
    record = plots.load(older)
    timed = {r.workload for r in record["rows"] if r.ratio is not None}
    assert timed and {p.stem for p in tmp_path.glob("*.png")} == timed
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in tmp_path.glob("*.png"))
    assert "| workload | phase | impl |" in (tmp_path / "latest-table.md").read_text()
