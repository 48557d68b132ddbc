"""The digits convnet example (autobp.examples.convnet, ``autobp convnet``): short runs learn far
above chance (10%), the command writes its files; the augmentation and confusion matrix by hand."""

import json

import numpy as np
import pytest

pytest.importorskip("sklearn")
from autobp.cli import main  # noqa: E402
from autobp.examples import convnet as C  # noqa: E402


def test_a_short_run_learns_far_above_chance_and_counts_every_held_out_image():
    run = C.train(epochs=2, seed=3, show_progress=False)
    assert run.accuracy > 0.6, run.accuracy  # chance is 0.1; the full run reaches ~0.99
    assert run.confusion.shape == (10, 10) and run.confusion.sum() == run.n_test == 450
    assert run.accuracy == pytest.approx(np.trace(run.confusion) / run.n_test)
    assert run.losses[1] < run.losses[0] < np.log(10) + 0.1  # starts near uniform, then falls
    assert run.net[0].weight.dtype == np.float32


def test_the_command_prints_the_accuracy_and_writes_json_and_the_figure(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, fig = tmp_path / "r.json", tmp_path / "f.png"
    assert main(["convnet", "--epochs", "2", "--quiet", "--json", str(out), "--plot", str(fig)]) == 0
    data = json.loads(out.read_text())
    (run,) = data["runs"]
    assert run["accuracy"] > 0.6 and np.asarray(run["confusion"]).sum() == 450
    assert f"{run['accuracy']:.2%}" in capsys.readouterr().out
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_shift_moves_each_image_by_at_most_one_pixel_and_keeps_its_pixels():
    rng = np.random.default_rng(0)
    x = rng.random((50, 1, 8, 8)).astype(np.float32) + 1  # background (min) is below every pixel
    x[:, :, 0, :] = x[:, :, -1, :] = x[:, :, :, 0] = x[:, :, :, -1] = 0.5  # a border, so no pixel is lost
    out = C.shift(x, np.random.default_rng(1))
    moved = set()
    for a, b in zip(x, out):
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if np.array_equal(np.roll(a, (dy, dx), axis=(1, 2))[:, 1:-1, 1:-1], b[:, 1:-1, 1:-1])
        ]
        assert matches, "not a shift by at most one pixel"
        moved.update(matches)
    assert len(moved) == 9  # every shift, including none, occurs among 50 images


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    m = C.confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), classes=3)
    np.testing.assert_array_equal(m, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
