"""Generate the API reference (docs/reference/*.md) from the modules' ``__all__``:
``python docs/make_reference.py``.

Every public name gets one mkdocstrings entry (``::: module.path``) under the name users call it by, so a
page cannot drift from the code: tests/test_docs_reference.py regenerates the pages and compares them.
A page's prose introduction lives in docs/reference/_intros/<page>.md (optional) and is copied in.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

DOCS = Path(__file__).resolve().parent
REFERENCE = DOCS / "reference"
INTROS = REFERENCE / "_intros"


class Page(NamedTuple):
    """One reference page: its file stem, title, one-line summary and the modules it documents."""

    stem: str
    title: str
    summary: str
    modules: tuple[str, ...]


PAGES = (
    Page(
        "autobp",
        "autobp",
        "Value, Tensor, grad modes, gradcheck, draw, save/load: the core names.",
        ("autobp",),
    ),
    Page("functions", "autobp.* functions", "Every op as a function of the autobp namespace.", ("autobp",)),
    Page("nn", "autobp.nn", "Modules: layers, activations, losses, containers.", ("autobp.nn",)),
    Page(
        "scalar-nn",
        "autobp.scalar_nn",
        "micrograd's Neuron, Layer and MLP of scalar Values, for teaching.",
        ("autobp.scalar_nn",),
    ),
    Page(
        "nn-functional", "autobp.nn.functional", "Layers and losses as functions.", ("autobp.nn.functional",)
    ),
    Page(
        "nn-init-utils",
        "autobp.nn.init, autobp.nn.utils",
        "Initialisers, gradient utilities, parametrizations, pruning, padded and packed sequences.",
        (
            "autobp.nn.init",
            "autobp.nn.grad",
            "autobp.nn.utils",
            "autobp.nn.utils.rnn",
            "autobp.nn.parametrize",
            "autobp.nn.parametrizations",
            "autobp.nn.utils.prune",
            "autobp.nn.utils.stateless",
            "autobp.nn.modules.module",
            "autobp.nn.modules.utils",
        ),
    ),
    Page(
        "optim",
        "autobp.optim",
        "Optimisers, learning-rate schedules and weight averaging (SWA, EMA).",
        ("autobp.optim", "autobp.optim.lr_scheduler", "autobp.optim.functional", "autobp.optim.swa_utils"),
    ),
    Page(
        "amp",
        "autobp.amp, autobp.cpu.amp, autobp.cuda.amp",
        "Mixed precision: autocast (float16 matmuls and convs, float32 losses) and GradScaler.",
        ("autobp.amp", "autobp.cpu.amp", "autobp.cuda.amp"),
    ),
    Page(
        "functional",
        "autobp.functional, autobp.func, autobp.extend",
        "Jacobians, Hessians, vjp/jvp; grad, vmap and fixed_point; custom gradients (primitive, defvjp).",
        (
            "autobp.functional",
            "autobp.autograd_functional",
            "autobp.func",
            "autobp.fixed_point",
            "autobp.extend",
        ),
    ),
    Page(
        "pytree",
        "autobp.pytree, autobp.tree",
        "Pytrees as jax.tree_util: flatten, tree_map, registered node types, key paths, ravel_pytree.",
        ("autobp.pytree", "autobp.tree"),
    ),
    Page("linalg", "autobp.linalg", "Linear algebra with gradients.", ("autobp.linalg",)),
    Page("fft", "autobp.fft", "Discrete Fourier transforms with gradients.", ("autobp.fft",)),
    Page("special", "autobp.special", "Special functions.", ("autobp.special",)),
    Page(
        "emath",
        "autobp.emath",
        "numpy.emath: sqrt, log, power, arccos, ... with complex results out of the real domain, recorded.",
        ("autobp.emath",),
    ),
    Page(
        "masked",
        "autobp.masked",
        "torch.masked's reductions and softmaxes of a Tensor with a boolean mask.",
        ("autobp.masked",),
    ),
    Page(
        "return-types",
        "autobp.return_types",
        "torch.return_types: the named tuples (values, indices), (Q, R), ... that functions return.",
        ("autobp.return_types",),
    ),
    Page("stats", "autobp.stats", "Probability distributions' log densities.", ("autobp.stats",)),
    Page(
        "distributions",
        "autobp.distributions",
        "torch.distributions: sample/rsample, log_prob, entropy, kl_divergence, transforms, biject_to.",
        (
            "autobp.distributions",
            "autobp.distributions.transforms",
            "autobp.distributions.constraint_registry",
            "autobp.distributions.utils",
        ),
    ),
    Page(
        "signal-integrate",
        "autobp.signal, autobp.integrate",
        "Convolution of sequences, window functions; ODE solving with the adjoint.",
        ("autobp.signal", "autobp.signal.windows", "autobp.integrate"),
    ),
    Page(
        "random",
        "autobp.random",
        "Random tensors (randn, rand, randint, normal, ...) and the global generator manual_seed seeds.",
        ("autobp.random",),
    ),
    Page(
        "devices",
        "autobp.cuda, autobp.cpu, autobp.backends, autobp.accelerator",
        "PyTorch's device and backend namespaces, answered as a CPU-only PyTorch build answers them.",
        (
            "autobp.cuda",
            "autobp.cpu",
            "autobp.accelerator",
            "autobp.backends",
            "autobp.backends.cudnn",
            "autobp.backends.cuda",
            "autobp.backends.mps",
            "autobp.backends.mkl",
            "autobp.backends.mkldnn",
            "autobp.backends.openmp",
        ),
    ),
    Page(
        "data",
        "autobp.data (autobp.utils.data)",
        "torch.utils.data: datasets, samplers, DataLoader, collate functions; torch.utils.hooks' name.",
        ("autobp.data", "autobp.utils.hooks"),
    ),
    Page("testing", "autobp.testing", "Hypothesis strategies and gradient assertions.", ("autobp.testing",)),
    Page(
        "gradcheck",
        "autobp.gradcheck, autobp.anomaly",
        "Finite-difference checks and anomaly mode.",
        ("autobp.gradcheck", "autobp.anomaly"),
    ),
    Page(
        "graph-viz", "autobp.graph, autobp.viz", "Walking and drawing graphs.", ("autobp.graph", "autobp.viz")
    ),
    Page(
        "checkpoint-save-load",
        "autobp.checkpoint, autobp.replay, autobp.serialize",
        "Recomputing activations, trace and replay, checkpoints on disk.",
        ("autobp.checkpoint", "autobp.replay", "autobp.serialize"),
    ),
)


def public_names(module: ModuleType) -> list[str]:
    """A module's public names: its ``__all__`` (first occurrence of each), else the classes and
    functions it defines itself without a leading underscore."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(dict.fromkeys(names))
    own = (n for n, v in vars(module).items() if not n.startswith("_"))
    return [
        n
        for n in own
        if (inspect.isclass(v := vars(module)[n]) or inspect.isfunction(v))
        and v.__module__ == module.__name__
    ]


def _is_op(name: str, obj: Any) -> bool:
    """True for an op's function (declared, or PyTorch's spelling of one) in the autobp namespace."""
    from autobp.ops import ALIASES, DECLS

    decl = DECLS.get(ALIASES.get(name, name))
    return decl is not None and decl.fn is obj


def entries(page: Page, modname: str) -> list[tuple[str, Any]]:
    """(public name, object) for every name of ``modname`` the page documents, in ``__all__`` order."""
    from autobp._plain import inner

    module = importlib.import_module(modname)
    out = []
    for name in public_names(module):
        obj = inner(getattr(module, name))  # an op's plain wrapper: the declared function is the source
        if modname == "autobp":  # the namespace is split: modules get pages, ops the functions page
            if inspect.ismodule(obj) or _is_op(name, obj) != (page.stem == "functions"):
                continue
        out.append((name, obj))
    return out


def target(modname: str, name: str, obj: Any) -> str:
    """Where mkdocstrings finds the object's source: its defining module (ops are attached at import
    time, so ``autobp.exp`` only exists for a static reader as ``autobp.ops.elementwise.exp``)."""
    owner = getattr(obj, "__module__", None)
    if not (inspect.isclass(obj) or inspect.isfunction(obj)) or not owner or not owner.startswith("autobp"):
        return f"{modname}.{name}"
    qualname = obj.__qualname__
    return f"{owner}.{name if '<' in qualname else qualname}"  # a decorator's closure: the source name


def render(page: Page) -> str:
    """The page's Markdown: title, introduction, then one entry per public name (grouped by module and,
    on the long pages, by the source file that defines it)."""
    lines = [f"# {page.title}", "", page.summary, ""]
    lines += [f"<!-- generated by docs/make_reference.py: edit docs/reference/_intros/{page.stem}.md -->", ""]
    intro = INTROS / f"{page.stem}.md"
    if intro.exists():
        lines += [intro.read_text().rstrip("\n"), ""]
        if len(page.modules) == 1 and page.stem not in GROUPED:
            lines += ["## API", ""]
    if page.stem == "autobp":
        links = ", ".join(f"[`autobp.{m}`]({p}.md)" for m, p in SUBMODULE_PAGES)
        lines += [f"Submodules: {links}.", ""]
    several = len(page.modules) > 1
    seen: dict[int, str] = {}
    for modname in page.modules:
        if several:
            lines += [f"## {modname}", ""]
        source = None
        listed = entries(page, modname)
        if page.stem in GROUPED:  # each defining module's names together, modules in order of first use
            first: dict[str, int] = {}
            for k, (_, obj) in enumerate(listed):
                first.setdefault(getattr(obj, "__module__", None) or modname, k)
            listed.sort(key=lambda e: first[getattr(e[1], "__module__", None) or modname])
        for name, obj in listed:
            public = f"{modname}.{name}"
            owner = getattr(obj, "__module__", None) or modname
            if page.stem in GROUPED and owner != source:
                source = owner
                first = (importlib.import_module(owner).__doc__ or "").strip().split("\n\n")[0]
                first = " ".join(first.split())
                lines += [f"{'###' if several else '##'} {owner}", "", first, ""]
            lines += [f'<a id="{public}"></a>', ""]
            if id(obj) in seen:  # an alias (PyTorch's spelling): one entry, and a link to it
                lines += [f"**`{public}`** is [`{seen[id(obj)]}`](#{seen[id(obj)]}).", ""]
                continue
            seen[id(obj)] = public
            if inspect.ismodule(obj):  # a submodule: its own page
                where = next(f"{q.stem}.md" for q in PAGES if {obj.__name__, public} & set(q.modules))
                lines += [f"**`{public}`**: see [its page]({where}).", ""]
                continue
            if not owner.startswith("autobp"):  # re-exported from numpy: its own docs hold the entry
                lines += [f"**`{public}`** is `{owner}.{obj.__qualname__}`, re-exported.", ""]
                continue
            lines += [f"::: {target(modname, name, obj)}", "    options:", f'      heading: "{public}"', ""]
    return "\n".join(lines).rstrip("\n") + "\n"


GROUPED = ("functions", "nn", "nn-functional")  # long pages: a section per defining module


SUBMODULE_PAGES = (
    ("nn", "nn"),
    ("nn.functional", "nn-functional"),
    ("nn.init", "nn-init-utils"),
    ("optim", "optim"),
    ("amp", "amp"),
    ("functional", "functional"),
    ("func", "functional"),
    ("extend", "functional"),
    ("pytree", "pytree"),
    ("tree", "pytree"),
    ("linalg", "linalg"),
    ("fft", "fft"),
    ("special", "special"),
    ("emath", "emath"),
    ("masked", "masked"),
    ("return_types", "return-types"),
    ("stats", "stats"),
    ("distributions", "distributions"),
    ("signal", "signal-integrate"),
    ("integrate", "signal-integrate"),
    ("random", "random"),
    ("cuda", "devices"),
    ("cpu", "devices"),
    ("accelerator", "devices"),
    ("backends", "devices"),
    ("data", "data"),
    ("utils", "data"),
    ("testing", "testing"),
    ("graph", "graph-viz"),
    ("replay", "checkpoint-save-load"),
    ("ops", "functions"),
)


def undocumented(page: Page) -> list[str]:
    """The page's public names whose object has no docstring of its own (a class's is not inherited)."""
    missing = []
    for modname in page.modules:
        for name, obj in entries(page, modname):
            doc = obj.__doc__ if inspect.isclass(obj) else inspect.getdoc(obj)
            if not (doc or "").strip():
                missing.append(f"{modname}.{name}")
    return missing


def render_index() -> str:
    """docs/reference/index.md: what each page holds."""
    lines = [
        "# Reference",
        "",
        "<!-- generated by docs/make_reference.py: do not edit -->",
        "",
        "The API pages are generated from the docstrings; every public name of every module below has an",
        "entry under the name you call it by. [The op table](ops.md) lists every op with its numpy and",
        "PyTorch names and whether it has a second derivative;",
        "[the semantics table](../concepts/semantics.md) gives the gradient at kinks, ties and zeros;",
        "[When things go wrong](errors.md) lists the common errors and what the tests promise.",
        "",
        "| page | modules | what it holds |",
        "|---|---|---|",
    ]
    for page in PAGES:
        mods = ", ".join(f"`{m}`" for m in page.modules)
        lines.append(f"| [{page.title}]({page.stem}.md) | {mods} | {page.summary} |")
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and its text."""
    files = {REFERENCE / f"{page.stem}.md": render(page) for page in PAGES}
    files[REFERENCE / "index.md"] = render_index()
    return files


def main() -> None:
    for path, text in outputs().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(DOCS.parent)}")


if __name__ == "__main__":
    main()
