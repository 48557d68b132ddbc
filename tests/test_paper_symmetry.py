"""Symmetry (Fig. 1): the patterns, the batched trainer against one nn.Sequential net, and a solved net."""

import numpy as np

from autobp import nn
from autobp.nn import functional as F
from autobp.optim import SGD
from autobp.paper import _batched, symmetry


def test_patterns_are_the_64_inputs_with_8_symmetric():
    x, d = symmetry.patterns()
    assert x.shape == (64, 6) and len({tuple(r) for r in x}) == 64
    assert d.sum() == 8
    for row, target in zip(x, d[:, 0]):
        assert target == float(list(row) == list(row[::-1]))


def _single_net(seed: int, sweeps: int) -> dict[str, np.ndarray]:
    """The same seed trained alone as an nn.Sequential, to check the stacked trainer against it."""
    w = _batched.init_weights(seed, (6, 2, 1))
    net = nn.Sequential(nn.Linear(6, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
    for p, name in zip(net.parameters(), ("W1", "b1", "W2", "b2")):
        p.data[...] = w[name]
    opt = SGD(net.parameters(), lr=0.1, momentum=0.9)
    x, d = symmetry.patterns()
    for _ in range(sweeps):
        opt.zero_grad()
        F.sse_loss(net(x), d).backward()
        opt.step()
    return dict(zip(("W1", "b1", "W2", "b2"), (p.data for p in net.parameters())))


def test_stacked_seeds_train_exactly_like_separate_nets():
    runs = symmetry.train([3, 4, 5], max_sweeps=150)
    assert all(r.solved_at is None for r in runs)  # so the returned weights are those after 150 sweeps
    for run in runs:
        alone = _single_net(run.seed, 150)
        for name in alone:
            np.testing.assert_allclose(run.weights[name], alone[name], rtol=0, atol=1e-10)
    assert len(runs[0].errors) == 151 and runs[0].errors[-1] < runs[0].errors[0]


def test_a_fixed_seed_solves_with_the_papers_structure():
    (run,) = symmetry.train([1], max_sweeps=1500)
    assert run.solved_at is not None and run.solved_at <= 1500
    x, d = symmetry.patterns()
    _, y = _batched.forward(run.weights, x)
    assert np.all((y > 0.5) == (d > 0.5))
    s = symmetry.structure(run.weights)
    assert s["mirror_opposite"] and s["mirror_error"] < 0.05
    assert s["hidden_biases_negative"] and s["output_bias_positive"] and s["output_weights_negative"]
    w1 = run.weights["W1"]
    # Each hidden unit gives a symmetric pattern net input 0 (antisymmetric weights): both units see it alike.
    sym = x[d[:, 0] == 1]
    assert np.allclose(sym @ w1.T, 0, atol=0.05 * np.abs(w1).max() * 3)


def test_structure_detects_a_net_that_is_not_antisymmetric():
    w = {"W1": np.array([[1.0, 2, 4, 4, 2, 1], [-1, -2, -4, 4, 2, 1]]), "b1": np.array([-1.0, 1])}
    w |= {"W2": np.array([[-1.0, 1]]), "b2": np.array([-1.0])}
    s = symmetry.structure(w)
    assert not s["mirror_opposite"] and not s["hidden_biases_negative"] and not s["output_bias_positive"]
    assert s["ratios"][1] == [1.0, 2.0, 4.0]


def test_summary_counts_solved_seeds_and_traits():
    runs = symmetry.train([1, 0], max_sweeps=700)
    summary = symmetry.summary(runs)
    assert summary["seeds"] == 2 and summary["solved"] == sum(r.solved_at is not None for r in runs)
    assert summary["mirror_opposite"] == summary["solved"]


def test_a_margin_stops_later_with_every_output_close_to_its_target():
    (loose,) = symmetry.train([1], max_sweeps=2000)
    (strict,) = symmetry.train([1], max_sweeps=2000, margin=0.1)
    assert strict.solved_at is not None and strict.solved_at > loose.solved_at
    x, d = symmetry.patterns()
    _, y = _batched.forward(strict.weights, x)
    assert np.all(np.abs(y - d) < 0.1)
    _, y = _batched.forward(loose.weights, x)
    assert not np.all(np.abs(y - d) < 0.1)
