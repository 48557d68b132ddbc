"""The ``autobp`` command: each experiment runs in a fast version and reports real outcomes."""

import json
import math
import os
import shutil
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest

from autobp.cli import format_table, main

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"), reason="graphviz 'dot' not installed"
)


def test_neuron_prints_the_gradients(capsys):
    assert main(["neuron"]) == 0
    out = capsys.readouterr().out
    o = math.tanh(2 * -3 + 6.881373587)
    assert f"{o:.4f}" in out
    assert f"do/dw1 = {2 * (1 - o * o):+.4f}" in out  # d tanh(u)/dw1 = x1 (1 - o^2)


def test_python_dash_m_runs_the_same_cli():
    done = subprocess.run([sys.executable, "-m", "autobp", "neuron"], capture_output=True, text=True)
    assert done.returncode == 0 and "do/dx1" in done.stdout


def test_version_is_the_installed_packages(capsys):
    """``autobp --version`` and ``autobp.__version__`` name the version pyproject.toml installs."""
    import autobp

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"autobp {autobp.__version__}"
    try:
        installed = metadata.version("autobp")
    except metadata.PackageNotFoundError:  # run from a source tree that was never pip-installed
        if os.environ.get("CI"):
            raise
        return
    assert installed == autobp.__version__


def test_bad_arguments_exit_with_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["symmetry", "--seeds", "many"])
    assert e.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_format_table_aligns_columns():
    text = format_table([("a", "1", "22"), ("long name", "333", "4")]).splitlines()
    assert text[0].split() == ["paper", "autobp"]
    assert len({line.index(col) for line, col in zip(text[2:], ("1", "333"))}) == 1


def test_symmetry_solves_and_the_json_shows_opposite_mirror_weights(tmp_path, capsys):
    path = tmp_path / "sym.json"
    main(["symmetry", "--seeds", "1", "--seed", "1", "--max-sweeps", "1500", "--quiet", "--json", str(path)])
    out = capsys.readouterr().out
    assert "1,425" in out and "1/1 within 1,500 sweeps" in out
    (run,) = json.loads(path.read_text())["runs"]
    assert run["solved"] and run["sweeps"] <= 1500 and run["correct"] == 64
    w1 = np.array(run["weights"]["W1"])
    assert np.all(np.sign(w1) == -np.sign(w1[:, ::-1]))  # mirror weights opposite in sign
    assert np.allclose(np.abs(w1), np.abs(w1[:, ::-1]), rtol=0.05)  # and nearly equal in size


def test_family_trees_reports_held_out_cases_and_draws_fig_4(tmp_path, capsys):
    path, png = tmp_path / "fam.json", tmp_path / "fam.png"
    args = ["--seeds", "1", "--sweeps", "30", "--quiet", "--json", str(path), "--plot", str(png)]
    main(["family-trees", *args])
    assert "7/8" in capsys.readouterr().out  # the paper's column
    (run,) = json.loads(path.read_text())["runs"]
    assert len(run["held_out"]) == 4 and 0 <= run["test_correct"] <= 4
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_recurrent_identity_and_learning(tmp_path):
    path = tmp_path / "rec.json"
    main(["recurrent", "--seeds", "2", "--quiet", "--json", str(path)])
    data = json.loads(path.read_text())
    assert data["identity_max_abs_difference"] < 1e-10
    assert all(r["solved"] and r["sweeps"] < 200 for r in data["runs"])


def test_xor_and_encoder_solve(tmp_path):
    path = tmp_path / "xor.json"
    main(["xor", "--seeds", "5", "--quiet", "--json", str(path)])
    assert sum(r["solved"] for r in json.loads(path.read_text())["runs"]) >= 4
    main(["encoder", "--seeds", "2", "--quiet", "--json", str(path)])
    assert all(r["solved"] and r["correct"] == 8 for r in json.loads(path.read_text())["runs"])


def test_digits_reaches_97_percent_on_the_held_out_quarter(tmp_path):
    # Seed 3's stratified 75/25 split of sklearn's 1,797 digits; the full 40-epoch run (~2 s).
    path = tmp_path / "digits.json"
    main(["digits", "--seed", "3", "--quiet", "--json", str(path)])
    data = json.loads(path.read_text())
    assert data["test_accuracy"] >= 0.97
    assert "450" in data["source"]


@needs_dot
def test_graph_option_writes_an_svg_of_the_network(tmp_path):
    svg = tmp_path / "xor.svg"
    main(["xor", "--seeds", "1", "--max-sweeps", "10", "--quiet", "--graph", str(svg)])
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert text.count(">sigmoid<") == 2  # the hidden and the output layer
    assert ">0.weight<" in text and ">2.bias<" in text  # parameters named after the nn.Sequential


def test_family_trees_paper_exact_overrides_every_setting(tmp_path):
    path = tmp_path / "exact.json"
    main(
        [
            "family-trees",
            "--seeds",
            "1",
            "--paper-exact",
            "--lr",
            "0.5",
            "--init",
            "1.0",
            "--quiet",
            "--json",
            str(path),
        ]
    )
    settings = json.loads(path.read_text())["settings"]
    assert (settings["sweeps"], settings["lr"], settings["decay"], settings["init"]) == (
        1500,
        0.01,
        0.002,
        0.3,
    )
