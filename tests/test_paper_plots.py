"""Plots: Hinton diagrams draw one square per weight, white for positive, area proportional to |w|."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from autobp.paper import plots, symmetry  # noqa: E402


def test_hinton_squares_have_area_proportional_to_magnitude_and_sign_colours():
    fig = plots._figure(3, 2)
    ax = fig.subplots()
    plots.hinton(ax, np.array([[4.0, -1.0], [0.0, -4.0]]))
    patches = ax.patches
    assert len(patches) == 4
    areas = [p.get_width() * p.get_height() for p in patches]
    assert areas[0] == pytest.approx(4 * areas[1]) and areas[0] == pytest.approx(areas[3])
    assert areas[2] == 0
    colours = [p.get_facecolor()[:3] for p in patches]
    assert colours[0] == (1.0, 1.0, 1.0) and colours[1] == (0.0, 0.0, 0.0)


def test_family_figure_has_one_block_per_unit_english_above_italian():
    w = np.arange(6 * 24, dtype=float).reshape(6, 24) - 70
    fig = plots.family_figure(w, errors=[20.0, 10.0, 1.0])
    blocks = [ax for ax in fig.axes if ax.get_title().startswith("unit")]
    assert [ax.get_title() for ax in blocks] == [f"unit {i}" for i in range(1, 7)]
    assert all(len(ax.patches) == 24 for ax in blocks)
    assert [t.get_text() for t in blocks[0].get_yticklabels()] == ["English", "Italian"]


def test_symmetry_figure_shows_curves_and_weights(tmp_path):
    runs = symmetry.train([1], max_sweeps=700)
    fig = plots.symmetry_figure(runs)
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 1
    assert len(fig.axes[1].patches) == 21
    fig.savefig(tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 1000
