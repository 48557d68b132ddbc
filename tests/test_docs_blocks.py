"""Every ```python block of README.md and docs/**/*.md runs, in order, in one namespace per page, in a
temporary directory: no example can rot. A block right after a ``<!-- no-test: REASON -->`` line is
skipped on purpose; the page's test id counts those, and an empty REASON fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_TEST = re.compile(r"^<!--\s*no-test:(.*?)-->\s*$")


def pages() -> list[Path]:
    """README.md and every Markdown page under docs/ (not the intros under ``_``-prefixed folders, which
    the generated reference pages include, and not the notebooks' folder, which has no Markdown)."""
    found = sorted(p for p in (ROOT / "docs").rglob("*.md") if not any(s.startswith("_") for s in p.parts))
    return [ROOT / "README.md", *found]


def blocks(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The page's python blocks as (first line number, code), and the reasons of the skipped ones.

    A skipped block is one whose nearest non-blank line before the opening fence is a no-test marker."""
    lines = text.split("\n")
    run: list[tuple[int, str]] = []
    skipped: list[str] = []
    k = 0
    while k < len(lines):
        if lines[k].strip() == "```python":
            end = next(j for j in range(k + 1, len(lines)) if lines[j].strip() == "```")
            before = next((lines[j] for j in range(k - 1, -1, -1) if lines[j].strip()), "")
            marker = NO_TEST.match(before.strip())
            if marker:
                skipped.append(marker.group(1).strip())
            else:
                run.append((k + 2, "\n".join(lines[k + 1 : end]) + "\n"))
            k = end
        k += 1
    return run, skipped


def _cases():
    cases = []
    for page in pages():
        run, skipped = blocks(page.read_text())
        if not run and not skipped:
            continue
        name = str(page.relative_to(ROOT))
        cases.append(pytest.param(page, id=f"{name} ({len(run)} run, {len(skipped)} skipped)"))
    return cases


def test_the_collector_reads_fences_and_markers():
    text = (
        "x\n```python\na = 1\n```\n<!-- no-test: needs a GPU -->\n\n```python\nb = 2\n```\n```bash\nc\n```\n"
    )
    run, skipped = blocks(text)
    assert run == [(3, "a = 1\n")]
    assert skipped == ["needs a GPU"]


def test_every_page_with_code_is_collected():
    ids = [c.id for c in _cases()]
    assert any(i.startswith("README.md ") for i in ids)
    assert any(i.startswith("docs/howto/gaussian-process.md ") for i in ids)


@pytest.mark.parametrize("page", _cases())
def test_page_code_runs(page, tmp_path, monkeypatch):
    run, skipped = blocks(page.read_text())
    empty = [k for k, reason in enumerate(skipped) if not reason]
    assert not empty, f"{page.name}: a no-test marker must give its reason"
    if "import torch" in "".join(code for _, code in run):
        pytest.importorskip("torch")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        pass
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    rel = page.relative_to(ROOT)
    for line, code in run:  # padded so that a traceback's line numbers are the page's
        exec(compile("\n" * (line - 1) + code, str(rel), "exec"), namespace)  # noqa: S102  the docs' own code
