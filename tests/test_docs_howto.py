"""Every Python code block of the how-to guides (docs/howto/*.md) runs, in order, in one namespace
per page: no example in the docs can rot."""

import re
from pathlib import Path

import pytest

HOWTO = Path(__file__).resolve().parent.parent / "docs" / "howto"
PAGES = sorted(HOWTO.glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_howto_code_runs(page):
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    assert blocks, f"{page.name} has no python block"
    namespace: dict = {"__name__": f"howto_{page.stem}"}
    for k, block in enumerate(blocks):
        exec(compile(block, f"{page.name} (block {k + 1})", "exec"), namespace)  # noqa: S102
