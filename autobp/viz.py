"""``draw(root)``: the computation graph of a Value or Tensor as a ``graphviz.Digraph``.

Built on ``autobp.graph.nodes``. Building the drawing needs no Graphviz program; rendering
uses ``dot`` and, when it is missing, the pip-installable ``graphviz-pure`` if present.
"""

from __future__ import annotations

import html
import math
import os
import shutil
import subprocess
import sysconfig
from collections import deque
from typing import Any

import graphviz
import numpy as np

from .graph import GraphReleasedError, NodeInfo, as_roots, nodes, released_message

__all__ = ["draw", "Drawing", "RendererNotFoundError", "INSTALL_HELP"]

SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "neg": "neg", "pow": "**", "matmul": "@"}
_SCALAR_FORMS = {"add_scalar": "+{:g}", "sub_scalar": "-{:g}", "rsub_scalar": "{:g}-", "mul_scalar": "*{:g}"}
_SCALAR_FORMS.update(div_scalar="/{:g}", rdiv_scalar="{:g}/")
_REDUCTIONS = ("sum", "mean", "max", "min", "logsumexp")

# fill colours by role; a node holding NaN/inf gets a red border and red text instead
_FILL = {"op": "white", "input": "#dbeafe", "param": "#fde68a", "const": "#f3f4f6", "root": "#bbf7d0"}
_BAD_FILL, _BAD = "#fee2e2", "red"

INSTALL_HELP = """\
no Graphviz renderer found: the `dot` program is not on PATH and `graphviz-pure` is not installed.
Get one of:
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  conda:          conda install -c conda-forge graphviz
  Windows:        winget install graphviz   (then open a new terminal)
  pip only:       pip install "autobp[render]"   (that is, pip install graphviz-pure: a port of dot)
Building the drawing needs none of these: its DOT text is in `.source`."""


class RendererNotFoundError(graphviz.ExecutableNotFound):
    """Rendering was asked for but neither ``dot`` nor ``graphviz-pure`` is available."""

    def __init__(self, message: str = INSTALL_HELP) -> None:
        RuntimeError.__init__(self, message)


def _find_pure() -> str | None:
    """The ``graphviz-pure`` program: on PATH, or beside this Python (a venv not activated)."""
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    found = shutil.which(exe)
    if found:
        return found
    beside = os.path.join(sysconfig.get_path("scripts"), exe)
    return beside if os.access(beside, os.X_OK) else None


def _render_without_dot(source: str, fmt: str, engine: str) -> bytes:
    """Render with graphviz-pure (dot's command line, pip-installable) or raise the install help."""
    exe = _find_pure()
    if exe is None:
        raise RendererNotFoundError()
    done = subprocess.run([exe, f"-K{engine}", f"-T{fmt}"], input=source.encode(), capture_output=True)
    if done.returncode != 0:
        raise graphviz.CalledProcessError(done.returncode, [exe], output=done.stdout, stderr=done.stderr)
    return done.stdout


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering falls back to ``graphviz-pure`` when ``dot`` is missing,
    and otherwise fails with ``RendererNotFoundError`` saying how to install a renderer."""

    def pipe(
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: Any = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        try:
            return super().pipe(
                format,
                renderer=renderer,
                formatter=formatter,
                neato_no_op=neato_no_op,
                quiet=quiet,
                engine=engine,
                encoding=encoding,
            )
        except RendererNotFoundError:
            raise
        except graphviz.ExecutableNotFound:
            data = _render_without_dot(self.source, format or self.format, engine or self.engine)
            return data.decode(encoding) if encoding else data

    def render(self, filename: Any = None, directory: Any = None, **kwargs: Any) -> str:
        """``graphviz.Digraph.render``; without ``dot`` writes ``outfile`` (or ``<source>.<format>``)."""
        try:
            return super().render(filename, directory=directory, **kwargs)
        except RendererNotFoundError:
            raise
        except graphviz.ExecutableNotFound:
            outfile = kwargs.get("outfile")
            fmt = kwargs.get("format") or (os.path.splitext(str(outfile))[1][1:] if outfile else self.format)
            data = _render_without_dot(self.source, fmt, kwargs.get("engine") or self.engine)
            if outfile is not None:
                target = str(outfile) if directory is None else os.path.join(str(directory), str(outfile))
            else:
                target = f"{self.save(filename, directory=directory)}.{fmt}"
            with open(target, "wb") as f:
                f.write(data)
            return target


def draw(
    root: Any,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int = 500,
    params: Any = None,
    cluster_modules: bool = False,
    max_values: int = 6,
) -> Drawing:
    """Draw the graph behind ``root`` (a Value, a Tensor, or a list of them) with data and grads.

    Value graphs get a record per value (label | data | grad) and a node per op; Tensor graphs
    get one node per op or leaf showing shape, dtype and values (or min/mean/max past
    ``max_values`` elements). ``params`` (mapping name -> Tensor, or an object with
    ``named_parameters()``) names and colours parameters; ``cluster_modules`` boxes each
    parameter into its module (``a.b.weight`` -> ``a.b``, nested in ``a``), with every op that
    reads it directly or through values computed from that module's parameters alone (``w.T``).
    At most ``max_nodes`` Values/Tensors are drawn, nearest the root first; the rest become
    one note. NaN/inf are red. Returns a Digraph: ``.source``, ``.render()``, inline in Jupyter.

    >>> x = Value(2.0, label="x"); y = (x * x).tanh(); y.backward()
    >>> g = draw(y)                         # g.render("y", format="svg")
    """
    if max_nodes < 1:
        raise ValueError(f"autobp.draw: max_nodes must be at least 1, got {max_nodes}")
    as_roots(root, "autobp.draw")
    try:
        recs = nodes(root, params=params)
    except GraphReleasedError as e:
        raise GraphReleasedError(released_message("autobp.draw")) from e.__cause__
    shown = _select(recs, max_nodes)
    modules = _modules(recs, shown) if cluster_modules else {}
    g = Drawing(graph_attr={"rankdir": rankdir}, node_attr={"fontname": "Helvetica", "fontsize": "11"})
    g.edge_attr.update(color="gray30", arrowsize="0.7")
    decls: dict[str | None, list] = {}
    edges: list[tuple[str, str, dict]] = []
    hidden = len(recs) - len(shown)
    note = "truncated"
    for i in sorted(shown):
        r = recs[i]
        where = modules.get(i)
        if r.kind == "value":
            decls.setdefault(where, []).append((f"n{i}", _value_attrs(r, show_data, show_grad)))
            head = f"n{i}"
            if r.op is not None:
                decls[where].append((f"n{i}op", {"label": _op_label(r, recs), "shape": "ellipse"}))
                edges.append((f"n{i}op", head, {}))
                head = f"n{i}op"
        else:
            decls.setdefault(where, []).append(
                (f"n{i}", _tensor_attrs(r, show_data, show_grad, max_values, recs))
            )
            head = f"n{i}"
        if any(p not in shown for p in r.parents):
            edges.append((note, head, {"style": "dashed"}))
        edges.extend((f"n{p}", head, {}) for p in r.parents if p in shown)
    if hidden:
        text = f"... {hidden} more node{'s' * (hidden != 1)} not drawn (max_nodes={max_nodes})"
        decls.setdefault(None, []).append(
            (note, {"label": text, "shape": "note", "style": "dashed", "fontcolor": "gray30"})
        )
    for name, attrs in decls.pop(None, []):
        g.node(name, **attrs)
    _emit_clusters(g, decls)
    for tail, head, attrs in edges:
        g.edge(tail, head, **attrs)
    return g


def _select(recs: list[NodeInfo], max_nodes: int) -> set[int]:
    """Indices of the nodes to draw: all of them, or the ``max_nodes`` nearest a root (breadth first)."""
    if len(recs) <= max_nodes:
        return set(range(len(recs)))
    queue = deque(r.index for r in recs if r.is_root)
    seen = set(queue)
    kept: set[int] = set()
    while queue and len(kept) < max_nodes:
        i = queue.popleft()
        kept.add(i)
        for p in recs[i].parents:
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return kept


def _module_of(name: str | None) -> str | None:
    return name.rsplit(".", 1)[0] if name and "." in name else None


def _modules(recs: list[NodeInfo], shown: set[int]) -> dict[int, str]:
    """Module path per drawn node (see ``draw``): a parameter's prefix; for an op, the module of the
    parameters it reads directly or through values computed from them alone (``weight.T``)."""
    owner: dict[int, str] = {}  # parameters, and values computed from one module's parameters only
    out: dict[int, str] = {}
    for r in recs:  # topological order: parents are settled first
        m = None
        if r.is_param:
            m = _module_of(r.name)
            if m:
                owner[r.index] = m
        elif r.op is not None:
            found = {owner[p] for p in r.parents if p in owner}
            m = _common_prefix(found) if found else None
            if len(found) == 1 and all(p in owner for p in r.parents):
                owner[r.index] = m
        if m and r.index in shown:
            out[r.index] = m
    return out


def _common_prefix(paths: set) -> str | None:
    parts = [p.split(".") for p in paths]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common) or None


def _emit_clusters(g: graphviz.Digraph, decls: dict[str, list]) -> None:
    """Nested ``cluster_`` subgraphs: ``a.b`` is drawn inside ``a``."""
    paths = set()
    for path in decls:
        parts = path.split(".")
        paths.update(".".join(parts[: k + 1]) for k in range(len(parts)))

    def emit(parent: graphviz.Digraph, path: str) -> None:
        with parent.subgraph(name=f"cluster_{path}") as c:
            c.attr(label=path, labeljust="l", style="rounded,dashed", color="gray50")
            c.attr(fontname="Helvetica", fontsize="10")
            for name, attrs in decls.get(path, []):
                c.node(name, **attrs)
            for child in sorted(p for p in paths if p.rsplit(".", 1)[0] == path and "." in p):
                emit(c, child)

    for top in sorted(p for p in paths if "." not in p):
        emit(g, top)


# --- labels ------------------------------------------------------------------
def _op_label(r: NodeInfo, recs: list[NodeInfo]) -> str:
    """A short op name: symbols for arithmetic, the axes of reductions, a custom function's class."""
    op, ctx = r.op, r.obj._ctx
    if r.function:
        return r.function
    if op == "pow_scalar":
        return f"**{ctx:g}" if isinstance(ctx, (int, float)) else "**"
    if op in _SCALAR_FORMS and isinstance(ctx, float):  # an operator with a Python number c (ctx)
        return _SCALAR_FORMS[op].format(ctx)
    if op in SYMBOLS:
        return SYMBOLS[op]
    axes = ctx[0] if isinstance(ctx, tuple) and ctx and isinstance(ctx[0], tuple) else None
    if op in _REDUCTIONS and axes is not None and r.parents:
        ndim = len(recs[r.parents[0]].shape)
        keepdims = len(r.shape) == ndim and ndim > 0  # read from the shapes, not from ctx's layout
        if tuple(axes) == tuple(range(ndim)) and not keepdims:
            return op
        shown = axes[0] if len(axes) == 1 else tuple(axes)
        return f"{op}(axis={shown}{', keepdims' if keepdims else ''})"
    if op in ("softmax", "log_softmax") and isinstance(ctx, int):
        return f"{op}(axis={ctx})"
    if op == "transpose" and isinstance(ctx, tuple):
        return f"transpose{ctx}"
    return str(op)


def _nonfinite(x: Any) -> bool:
    if x is None:
        return False
    if isinstance(x, float):
        return not math.isfinite(x)
    a = np.asarray(x)
    return a.dtype.kind in "fc" and not bool(np.isfinite(a).all())


def _num(x: Any) -> str:
    """Four decimals like micrograd's drawings, switching to 4 significant digits for tiny or huge values."""
    x = float(x)
    return f"{x:.4f}" if x == 0 or 1e-3 <= abs(x) < 1e5 else f"{x:.4g}"


def _summary(a: Any, max_values: int) -> list[str]:
    """Small arrays in full (4 significant digits), larger ones as min/mean/max plus NaN/inf counts."""
    a = np.asarray(a)
    if a.size == 0:
        return ["empty"]
    if a.ndim == 0:
        return [_num(a)]
    if a.size <= max_values:
        opts = {"precision": 4, "separator": ", ", "max_line_width": 50}
        return np.array2string(a, **opts).split("\n")
    a = a.astype(np.float64, copy=False)
    finite = a[np.isfinite(a)]
    lines = []
    if finite.size:
        lines.append(f"min {_num(finite.min())}  mean {_num(finite.mean())}  max {_num(finite.max())}")
    bad = [
        (int(np.isnan(a).sum()), "nan"),
        (int(np.isposinf(a).sum()), "+inf"),
        (int(np.isneginf(a).sum()), "-inf"),
    ]
    if any(n for n, _ in bad):
        lines.append(", ".join(f"{n} {what}" for n, what in bad if n))
    return lines


def _cell(text: str, bad: bool = False, bold: bool = False) -> str:
    s = html.escape(text)
    if bold:
        s = f"<b>{s}</b>"
    return f'<font color="{_BAD}">{s}</font>' if bad else s


def _role(r: NodeInfo) -> str:
    if r.is_root:
        return "root"
    if r.is_param:
        return "param"
    if r.op is not None:
        return "op"
    return "input" if r.requires_grad else "const"


def _value_attrs(r: NodeInfo, show_data: bool, show_grad: bool) -> dict:
    """A one-row table, micrograd style: label | data | grad."""
    bad_data, bad_grad = _nonfinite(r.data), _nonfinite(r.grad)
    cells = [_cell(r.name, bold=True)] if r.name else []
    if show_data:
        cells.append(_cell(f"data {_num(r.data)}", bad_data))
    if show_grad:
        cells.append(_cell(f"grad {_num(r.grad)}", bad_grad))
    bad = bad_data or bad_grad
    fill = _BAD_FILL if bad else _FILL[_role(r)]
    tds = "".join(f"<td>{c}</td>" for c in cells) or "<td> </td>"
    table = (
        f'<table border="{1 if bad or r.is_root else 0}" cellborder="1" cellspacing="0" cellpadding="4" '
        f'bgcolor="{fill}" color="{_BAD if bad else "black"}"><tr>{tds}</tr></table>'
    )
    return {"label": f"<{table}>", "shape": "plain"}


def _tensor_attrs(r: NodeInfo, show_data: bool, show_grad: bool, max_values: int, recs: list) -> dict:
    """One box per Tensor: name, op, shape and dtype, values, grad."""
    role = _role(r)
    rows = []
    if r.name:
        rows.append(_cell(r.name, bold=True))
    if r.op is not None:
        rows.append(_cell(_op_label(r, recs), bold=not r.name))
    elif not r.name:
        rows.append(_cell("input" if r.requires_grad else "constant", bold=True))
    rows.append(_cell(f"{r.shape if r.shape else 'scalar'} {r.dtype}"))
    bad_data, bad_grad = _nonfinite(r.data), _nonfinite(r.grad)
    if show_data:
        rows += [_cell(line, bad_data) for line in _summary(r.data, max_values)]
    if show_grad and r.grad is not None:
        lines = _summary(r.grad, max_values)
        rows += [_cell(("grad " if k == 0 else "     ") + line, bad_grad) for k, line in enumerate(lines)]
    bad = bad_data or bad_grad
    body = "".join(f'<tr><td align="left">{row}</td></tr>' for row in rows)
    attrs = {
        "label": f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{body}</table>>',
        "shape": "box",
        "style": "rounded,filled" + (",dashed" if role == "const" else ""),
        "fillcolor": _BAD_FILL if bad else _FILL[role],
    }
    if bad:
        attrs.update(color=_BAD, penwidth="2")
    elif role == "root":
        attrs["penwidth"] = "2"
    return attrs
