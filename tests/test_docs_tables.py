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
    for op, point, _, ours, theirs, _ in rows:
        for k, (a, t) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(a, t, rtol=1e-12, atol=0, err_msg=f"{op} at {point}, input {k}")
    committed = (DOCS / "concepts" / "semantics.md").read_text()
    assert committed == table.render(rows), (
        "docs/concepts/semantics.md is stale: run python docs/make_semantics_table.py"
    )
