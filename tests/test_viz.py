"""autobp.draw: node and edge counts, rendered SVG from real dot, truncation, clusters, NaN, renderers."""

import importlib.util
import os
import re
import shutil
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import numpy as np
import pytest
from hypothesis import given, settings

import autobp
from autobp import GraphReleasedError, Value, viz
from autobp.viz import RendererNotFoundError, draw

from .test_graph import expected_graph, programs, run_program, tensor_leaf, value_leaf

# Without dot these skip on a developer machine; under CI (which installs graphviz) they must run.
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"), reason="Graphviz `dot` not installed"
)
SVG = "{http://www.w3.org/2000/svg}"


# --- helpers reading the DOT source and the SVG ---------------------------------
def dot_nodes(g):
    """Node statements of the DOT body: ``{name: attribute text}``."""
    out = {}
    for line in g.body:
        m = re.match(r'\s*("?[\w.]+"?) \[(.*)\]$', line.rstrip())
        if m and not line.strip().startswith(("graph", "node", "edge")):
            out[m.group(1).strip('"')] = m.group(2)
    return out


def dot_edges(g):
    return [tuple(re.findall(r"\w+", line.split("[")[0])) for line in g.body if " -> " in line]


def svg_groups(svg, cls):
    root = ET.fromstring(svg)
    return [el for el in root.iter(f"{SVG}g") if el.get("class") == cls]


def texts(el):
    return [t.text for t in el.iter(f"{SVG}text") if t.text]


def neuron():
    """tanh(x1*w1 + x2*w2 + b) after backward, as in micrograd's lecture."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    o.backward()
    return o


def mlp(with_backward=True):
    """A two-layer net with named parameters; returns (loss, params)."""
    rng = np.random.default_rng(0)
    params = {
        "enc.l1.weight": autobp.tensor(rng.standard_normal((3, 4)), requires_grad=True),
        "enc.l1.bias": autobp.tensor(np.zeros(4), requires_grad=True),
        "dec.weight": autobp.tensor(rng.standard_normal((4, 2)), requires_grad=True),
    }
    x = autobp.tensor(rng.standard_normal((5, 3)))
    x.name = "x"
    h = (x @ params["enc.l1.weight"] + params["enc.l1.bias"]).tanh()
    loss = (h @ params["dec.weight"]).sum()
    if with_backward:
        loss.backward(retain_graph=True)
    return loss, params


# --- counts: one node per value and op, one edge per dependency ------------------
@settings(max_examples=30)
@given(program=programs())
def test_value_graph_counts(program):
    values = run_program(program, value_leaf)
    reach, ops = expected_graph(program)
    g = draw(values[-1])
    assert len(dot_nodes(g)) == len(reach) + len(ops)  # a record per value, a node per op
    assert len(dot_edges(g)) == sum(len(args) for _, args in ops.values()) + len(ops)


@settings(max_examples=30)
@given(program=programs())
def test_tensor_graph_counts(program):
    values = run_program(program, tensor_leaf)
    reach, ops = expected_graph(program)
    g = draw(values[-1])
    assert len(dot_nodes(g)) == len(reach)  # one node per op result or leaf
    assert len(dot_edges(g)) == sum(len(args) for _, args in ops.values())


def test_reused_value_is_one_node_with_two_edges():
    x = Value(3.0, label="x")
    g = draw(x * x)
    assert set(dot_nodes(g)) == {"n0", "n1", "n1op"}
    assert sorted(dot_edges(g)) == [("n0", "n1op"), ("n0", "n1op"), ("n1op", "n1")]


def test_tensor_diamond():
    x = autobp.tensor([0.5, -0.5], requires_grad=True)
    a = x.tanh()
    y = a.exp() + a.sigmoid()
    g = draw(y)
    assert len(dot_nodes(g)) == 5
    edges = dot_edges(g)
    assert len(edges) == 5
    (tanh_id,) = [n for n, attrs in dot_nodes(g).items() if "<b>tanh</b>" in attrs]
    assert sum(tail == tanh_id for tail, _ in edges) == 2  # one node, two out-edges


# --- rendered by real dot -----------------------------------------------------------
@needs_dot
def test_neuron_svg_shows_ops_data_and_grads():
    svg = draw(neuron()).pipe(format="svg")
    nodes = svg_groups(svg, "node")
    assert len(nodes) == 10 + 5  # 5 leaves + 5 results, 5 op nodes
    assert len(svg_groups(svg, "edge")) == 4 * 2 + 1 + 5
    by_name = {texts(n)[0]: texts(n) for n in nodes}
    # o = tanh(0.8814) = 1/sqrt(2); do/dn = 1 - o^2 = 1/2; dx1 = w1/2, dw1 = x1/2
    assert by_name["o"] == ["o", "data 0.7071", "grad 1.0000"]
    assert by_name["x1"] == ["x1", "data 2.0000", "grad -1.5000"]
    assert by_name["w1"] == ["w1", "data -3.0000", "grad 1.0000"]
    assert by_name["x2"] == ["x2", "data 0.0000", "grad 0.5000"]
    ops = sorted(texts(n)[0] for n in nodes if len(texts(n)) == 1)
    assert ops == ["*", "*", "+", "+", "tanh"]


@needs_dot
def test_tensor_svg_shows_names_shapes_and_grads():
    loss, params = mlp()
    svg = draw(loss, params=params).pipe(format="svg")
    nodes = svg_groups(svg, "node")
    assert len(nodes) == len(autobp.graph.nodes(loss))
    by_title = {n.find(f"{SVG}title").text: texts(n) for n in nodes}
    weight = next(t for t in by_title.values() if t[0] == "enc.l1.weight")
    assert weight[1] == "(3, 4) float64" and any(line.startswith("grad ") for line in weight)
    firsts = sorted(t[0] for t in by_title.values())
    assert firsts == sorted(["x", "enc.l1.weight", "enc.l1.bias", "dec.weight", "@", "+", "tanh", "@", "sum"])
    root = next(t for t in by_title.values() if t[0] == "sum")
    assert root[1] == "scalar float64" and root[2] == f"{loss.item():.4f}"


@needs_dot
@pytest.mark.parametrize("make", [neuron, lambda: mlp()[0]], ids=["Value", "Tensor"])
def test_jupyter_gets_an_svg_mimebundle(make):
    root = make()
    bundle = draw(root)._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    svg = bundle["image/svg+xml"]
    assert isinstance(svg, str) and "<svg" in svg
    assert len(svg_groups(svg.encode(), "node")) == len(dot_nodes(draw(root)))


# --- truncation ----------------------------------------------------------------------
def chain(n, make):
    y = make()
    for _ in range(n):
        y = y.tanh()
    return y


def test_truncation_keeps_the_nodes_nearest_the_root_and_a_note():
    y = chain(50, lambda: autobp.tensor([0.1, 0.2], requires_grad=True))  # 51 tensors
    g = draw(y, max_nodes=10)
    drawn = dot_nodes(g)
    assert set(drawn) == {f"n{i}" for i in range(41, 51)} | {"truncated"}
    assert "41 more nodes not drawn (max_nodes=10)" in drawn["truncated"]
    assert ("truncated", "n41") in dot_edges(g)  # the cut is marked where it happens
    assert len(dot_edges(g)) == 9 + 1


def test_truncation_of_a_value_graph_counts_values_not_op_nodes():
    g = draw(chain(30, lambda: Value(0.5)), max_nodes=5)
    drawn = dot_nodes(g)
    assert len([n for n in drawn if n.endswith("op")]) == 5
    assert len(drawn) == 5 + 5 + 1
    assert "26 more nodes" in drawn["truncated"]


def test_no_note_when_the_graph_fits():
    y = chain(9, lambda: autobp.tensor([0.1], requires_grad=True))
    assert "truncated" not in dot_nodes(draw(y, max_nodes=10))
    with pytest.raises(ValueError, match="max_nodes must be at least 1, got 0"):
        draw(y, max_nodes=0)


@needs_dot
def test_truncation_note_is_rendered():
    svg = draw(chain(20, lambda: Value(0.5)), max_nodes=3).pipe(format="svg")
    assert "... 18 more nodes not drawn (max_nodes=3)" in [
        t for n in svg_groups(svg, "node") for t in texts(n)
    ]


# --- clusters ------------------------------------------------------------------------
def cluster_of_each_node(source):
    """Parse DOT text: the innermost cluster path each node is declared in (None outside)."""
    stack, where = [], {}
    for line in source.splitlines():
        s = line.strip()
        m = re.match(r'subgraph "?cluster_([\w.]+)"? \{', s)
        if m:
            stack.append(m.group(1))
        elif s == "}":
            if stack:
                stack.pop()
        else:
            n = re.match(r"(\w+) \[", s)
            if n and n.group(1) not in ("graph", "node", "edge"):
                where[n.group(1)] = stack[-1] if stack else None
    return where


def test_cluster_modules_groups_parameters_and_the_ops_that_read_them():
    loss, params = mlp()
    g = draw(loss, params=params, cluster_modules=True)
    where = cluster_of_each_node(g.source)
    recs = autobp.graph.nodes(loss, params=params)
    label = {f"n{r.index}": r.name or r.op for r in recs}
    placed = {label[n]: c for n, c in where.items()}
    assert placed["enc.l1.weight"] == placed["enc.l1.bias"] == "enc.l1"
    assert placed["dec.weight"] == "dec"
    ops = {(r.op, tuple(label[f"n{p}"] for p in r.parents)): where[f"n{r.index}"] for r in recs if r.op}
    assert ops[("matmul", ("x", "enc.l1.weight"))] == "enc.l1"
    assert ops[("add", ("matmul", "enc.l1.bias"))] == "enc.l1"
    assert ops[("tanh", ("add",))] is None  # reads no parameter directly
    assert ops[("matmul", ("tanh", "dec.weight"))] == "dec"
    assert ops[("sum", ("matmul",))] is None
    assert placed["x"] is None
    assert re.search(r'subgraph "?cluster_enc"? \{[^}]*subgraph "?cluster_enc\.l1"? \{', g.source)


def test_an_op_reading_a_value_computed_from_parameters_alone_joins_their_module():
    w = autobp.tensor(np.ones((2, 3)), requires_grad=True)
    x = autobp.tensor(np.ones((4, 3)), requires_grad=True)
    y = x @ w.T  # matmul reads transpose(w), not w
    loss = (y * 2.0).tanh().sum()
    recs = autobp.graph.nodes(loss, params={"lin.weight": w})
    where = cluster_of_each_node(draw(loss, params={"lin.weight": w}, cluster_modules=True).source)
    placed = {r.op: where[f"n{r.index}"] for r in recs if r.op}
    assert placed == {"transpose": "lin", "matmul": "lin", "mul_scalar": None, "tanh": None, "sum": None}


def test_clusters_only_when_asked():
    loss, params = mlp()
    assert "subgraph" not in draw(loss, params=params).source


# --- NaN / inf and options -------------------------------------------------------------
def test_nonfinite_data_and_grads_are_red():
    x = autobp.tensor([1.0, -1.0, 0.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = x.sqrt()  # nan at -1; its gradient is inf at 0 and nan at -1
        loss = y.sum()
        loss.backward(retain_graph=True)
    g = draw(loss)
    recs = autobp.graph.nodes(loss)
    red = {n for n, attrs in dot_nodes(g).items() if "color=red" in attrs}
    leaf = next(r for r in recs if r.is_leaf)  # finite data, non-finite grad
    assert red == {f"n{r.index}" for r in recs}
    assert '<font color="red">grad [0.5, nan, inf]</font>' in dot_nodes(g)[f"n{leaf.index}"]


def test_finite_graph_has_no_red():
    assert "red" not in draw(neuron()).source


def test_nonfinite_value_is_red():
    x = Value(1e308, label="x")
    y = x * 10.0
    g = draw(y)
    assert "red" in dot_nodes(g)["n2"] and "red" not in dot_nodes(g)["n0"]
    assert "data inf" in dot_nodes(g)["n2"]


def test_large_tensors_show_min_mean_max_and_nonfinite_counts():
    a = np.arange(10.0)
    a[[3, 4]] = np.nan
    a[5] = -np.inf
    leaf = dot_nodes(draw(autobp.tensor(a, requires_grad=True)))["n0"]
    # finite elements are 0 1 2 6 7 8 9: min 0, mean 33/7, max 9
    assert f"min 0.0000  mean {33 / 7:.4f}  max 9.0000" in leaf
    assert "2 nan, 1 -inf" in leaf


def test_show_data_and_show_grad_switch_lines_off():
    o = neuron()
    assert "grad " in draw(o).source and "data " in draw(o).source
    assert "grad " not in draw(o, show_grad=False).source
    assert "data " not in draw(o, show_data=False).source


@pytest.mark.parametrize(
    "fn, label",
    [
        (lambda x: x**2, "**2"),
        (lambda x: x.sum(axis=1), "sum(axis=1)"),
        (lambda x: x.mean(axis=0, keepdims=True), "mean(axis=0, keepdims)"),
        (lambda x: x.max(), "max"),
        (lambda x: x.softmax(axis=1), "softmax(axis=1)"),
        (lambda x: x @ x.T, "@"),
        (lambda x: x / 2, "/2"),
        (lambda x: 1 - x, "1-"),
        (lambda x: x * x, "*"),
        (lambda x: x.T, "transpose(1, 0)"),
    ],
)
def test_op_labels(fn, label):
    x = autobp.tensor(np.ones((2, 3)), requires_grad=True)
    root = fn(x)
    (rec,) = [r for r in autobp.graph.nodes(root) if r.is_root]
    assert f"<b>{label}</b>" in dot_nodes(draw(root))[f"n{rec.index}"]


def test_named_tensor_shows_its_name():
    x = autobp.tensor([1.0], requires_grad=True)
    y = x.exp()
    y.name = "activation"
    assert '<b>activation</b></td></tr><tr><td align="left">exp' in draw(y).source


# --- errors -----------------------------------------------------------------------------
def test_draw_after_backward_says_how_to_keep_the_graph():
    loss, _ = mlp(with_backward=False)
    loss.backward()
    with pytest.raises(GraphReleasedError, match=r"autobp.draw: .*backward\(retain_graph=True\)"):
        draw(loss)


def test_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match="autobp.draw: expected a Value or Tensor .* got float"):
        draw(2.0)


def test_without_any_renderer_the_error_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, no graphviz-pure on PATH
    monkeypatch.setattr(viz, "_find_pure", lambda: None)
    g = draw(neuron())
    assert g.source.startswith("digraph")  # building needs no renderer
    for attempt in (lambda: g.pipe(format="svg"), g._repr_mimebundle_, lambda: g.render(tmp_path / "n")):
        with pytest.raises(RendererNotFoundError) as err:
            attempt()
        msg = str(err.value)
        for how in (
            "apt-get install graphviz",
            "brew install graphviz",
            "conda install",
            "pip install graphviz-pure",
            'pip install "autobp[render]"',
        ):
            assert how in msg
        assert isinstance(err.value, graphviz.ExecutableNotFound)  # old except clauses still catch it


def test_graphviz_pure_renders_when_dot_is_missing(tmp_path, monkeypatch):
    exe = viz._find_pure()
    if exe is None:
        pytest.skip("graphviz-pure not installed (pip install graphviz-pure)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(exe, bin_dir / "graphviz-pure")
    monkeypatch.setenv("PATH", str(bin_dir))  # graphviz-pure only: dot is gone
    loss, params = mlp()
    g = draw(loss, params=params)
    svg = g.pipe(format="svg")
    assert b"graphviz-pure" in svg
    assert len(svg_groups(svg, "node")) == len(dot_nodes(g))
    assert "enc.l1.weight" in [t for n in svg_groups(svg, "node") for t in texts(n)]
    out = g.render(outfile=tmp_path / "mlp.svg")
    assert len(svg_groups(open(out, "rb").read(), "node")) == len(dot_nodes(g))


@needs_dot
def test_readme_figure_matches_what_the_script_draws():
    docs = Path(__file__).resolve().parents[1] / "docs"
    spec = importlib.util.spec_from_file_location("make_figures", docs / "make_figures.py")
    make_figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_figures)

    def labels(svg):
        return sorted(tuple(texts(n)) for n in svg_groups(svg, "node"))

    committed = (docs / "neuron.svg").read_bytes()
    assert labels(committed) == labels(make_figures.neuron_drawing().pipe(format="svg"))
    assert ("x1", "data 2.0000", "grad -1.5000") in labels(committed)
