"""Write docs/reference/ops.md, the op table, from the op declarations (autobp/ops/_decl.py), so
the table cannot drift from the code: ``python docs/make_op_table.py`` (tests/test_docs_tables.py
fails when the committed file differs from what this writes)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import autobp  # noqa: E402, F401  (registers every family, linalg and nn included)
from autobp.ops import DECLS  # noqa: E402

OUT = HERE / "reference" / "ops.md"


def _numpy_names(d) -> str:
    names = []
    for f in d.numpy:
        module = getattr(f, "__module__", "") or ""
        prefix = "np.linalg." if "linalg" in module else "np.fft." if "fft" in module else "np."
        names.append(f"`{prefix}{f.__name__}`")
    return ", ".join(dict.fromkeys(names)) or "—"


def render() -> str:
    """The op table as Markdown: one row per declared op, grouped by family."""
    lines = [
        "# Op table",
        "",
        "Generated from the op declarations by `docs/make_op_table.py`; do not edit by hand.",
        f"{len(DECLS)} ops. *Gradient*: yes, or no for integer and boolean results. *2nd order*: the rule is",
        "written with differentiable ops, so `create_graph=True` works through it. *PyTorch*: spellings",
        "accepted besides the numpy name.",
        "",
    ]
    families: dict = {}
    for d in DECLS.values():
        families.setdefault(d.family, []).append(d)
    for family in sorted(families):
        lines += [f"## {family}", "", "| op | numpy | PyTorch | gradient | 2nd order | notes |"]
        lines += ["|---|---|---|---|---|---|"]
        for d in sorted(families[family], key=lambda d: d.name):
            name = f"`{d.namespace}.{d.name}`"
            torch = ", ".join(f"`{t}`" for t in d.torch) or "—"
            grad = "yes" if d.differentiable else "no"
            second = ("yes" if d.second_order else "no") if d.differentiable else "—"
            note = d.doc.replace("|", "\\|")
            if d.differs:
                note += f" **PyTorch differs:** {d.differs.replace('|', chr(92) + '|')}"
            lines.append(f"| {name} | {_numpy_names(d)} | {torch} | {grad} | {second} | {note} |")
        lines.append("")
    differ = [d for d in DECLS.values() if d.differs]
    lines += ["## Names that differ from PyTorch", ""]
    lines += ["Where one name means different things, numpy's meaning wins:", ""]
    lines += [f"- `{d.name}`: {d.differs}" for d in sorted(differ, key=lambda d: d.name)] or ["- none"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    print(f"wrote {OUT.relative_to(HERE.parent)} ({len(DECLS)} ops)")
