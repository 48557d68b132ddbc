"""XOR and the 8-3-8 encoder: they solve, and the solutions do what they should."""

import numpy as np

from autobp.paper import _batched, xor


def test_xor_solves_for_most_seeds_and_the_solution_computes_xor():
    runs = xor.train_xor(range(10), max_sweeps=3000)
    stats = _batched.sweep_stats(runs)
    assert stats["solved"] >= 8
    x, d = xor.xor_patterns()
    for run in runs:
        _, y = _batched.forward(run.weights, x)
        assert np.all((y > 0.5) == (d > 0.5)) == (run.solved_at is not None)
        assert run.correct == 4 or run.solved_at is None


def test_encoder_solves_and_gives_each_pattern_its_own_hidden_code():
    runs = xor.train_encoder(range(4), max_sweeps=4000)
    assert all(r.solved_at is not None for r in runs)
    x, d = xor.encoder_patterns()
    for run in runs:
        h, y = _batched.forward(run.weights, x)
        assert np.all(np.argmax(y, axis=1) == np.arange(8))
        assert len({tuple(np.round(row, 1)) for row in h}) == 8
        assert xor.hidden_codes(run).shape == (8, 3)
