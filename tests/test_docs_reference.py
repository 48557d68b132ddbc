"""The API reference (docs/reference/*.md) is what docs/make_reference.py makes from the code: every public
name of the documented modules has an entry, and every one of them has a docstring."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import types
from pathlib import Path

import pytest

import autobp

DOCS = Path(__file__).resolve().parent.parent / "docs"

# The modules issue 21 names; each must be on a reference page.
REQUIRED = (
    "autobp",
    "autobp.nn",
    "autobp.nn.functional",
    "autobp.nn.init",
    "autobp.nn.utils",
    "autobp.optim",
    "autobp.optim.lr_scheduler",
    "autobp.functional",
    "autobp.func",
    "autobp.linalg",
    "autobp.special",
    "autobp.stats",
    "autobp.signal",
    "autobp.integrate",
    "autobp.data",
    "autobp.testing",
    "autobp.checkpoint",
    "autobp.viz",
    "autobp.graph",
    "autobp.gradcheck",
    "autobp.serialize",
    "autobp.replay",
    "autobp.anomaly",
)


@pytest.fixture(scope="module")
def ref():
    spec = importlib.util.spec_from_file_location("make_reference", DOCS / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_pages_are_the_generated_ones(ref):
    for path, text in ref.outputs().items():
        assert path.exists(), f"{path.name} is missing: run python docs/make_reference.py"
        assert path.read_text() == text, (
            f"docs/reference/{path.name} is stale: run python docs/make_reference.py"
        )


def test_every_required_module_and_every_submodule_in_all_has_a_page(ref):
    documented = {m for page in ref.PAGES for m in page.modules}
    assert not set(REQUIRED) - documented
    submodules = [n for n in autobp.__all__ if isinstance(getattr(autobp, n), types.ModuleType)]
    linked = {m for m, _ in ref.SUBMODULE_PAGES}
    assert not set(submodules) - linked, "a submodule in autobp.__all__ has no reference page"


def test_every_public_name_has_an_entry(ref):
    text = "".join((DOCS / "reference" / f"{page.stem}.md").read_text() for page in ref.PAGES)
    missing = []
    for modname in REQUIRED:
        module = importlib.import_module(modname)
        for name in ref.public_names(module):
            if modname == "autobp" and inspect.ismodule(getattr(autobp, name)):
                continue  # a submodule: its own page (checked above)
            if f'<a id="{modname}.{name}"></a>' not in text:
                missing.append(f"{modname}.{name}")
    assert not missing, f"no reference entry (run python docs/make_reference.py): {missing}"


def test_every_public_name_has_a_docstring(ref):
    missing = [name for page in ref.PAGES for name in ref.undocumented(page)]
    assert not missing, f"public names without a docstring: {missing}"


def test_a_name_without_a_docstring_is_caught(ref, monkeypatch):
    module = types.ModuleType("autobp_planted")

    def documented():
        """Has one."""

    def bare():
        pass

    class Bare:
        pass

    class Child(autobp.nn.Module):  # a class does not inherit its base's docstring here
        pass

    module.__all__ = ["documented", "bare", "Bare", "Child"]
    for f in (documented, bare, Bare, Child):
        setattr(module, f.__name__, f)
    monkeypatch.setitem(__import__("sys").modules, "autobp_planted", module)
    page = ref.Page("planted", "planted", "", ("autobp_planted",))
    assert ref.undocumented(page) == ["autobp_planted.bare", "autobp_planted.Bare", "autobp_planted.Child"]


def test_every_entry_points_at_a_definition_a_static_reader_finds(ref):
    """mkdocstrings reads the source without importing it: each ``:::`` target must be a name defined
    or imported where it points (the site build checks the same, this says which name fails)."""
    griffe = pytest.importorskip("griffe")
    package = griffe.load("autobp", search_paths=[str(DOCS.parent)], resolve_aliases=False)
    missing = []
    for page in ref.PAGES:
        for modname in page.modules:
            for name, obj in ref.entries(page, modname):
                path = ref.target(modname, name, obj)
                if (getattr(obj, "__module__", "") or "").startswith("autobp"):
                    try:
                        package[path.removeprefix("autobp.")]
                    except KeyError:
                        missing.append(path)
    assert not missing, missing
