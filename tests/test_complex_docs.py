"""docs/concepts/complex.md lists exactly the ops the op table checks on complex input."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_supported_list_is_generated_from_the_op_table():
    spec = importlib.util.spec_from_file_location("make_complex_list", DOCS / "make_complex_list.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = module.PAGE.read_text()
    assert committed == module.page_text(), "complex.md's list is stale: run python docs/make_complex_list.py"
    assert "`logsumexp`" in committed and "`nn.functional.conv2d`" in committed
