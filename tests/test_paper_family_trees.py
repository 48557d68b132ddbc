"""Family trees: the net of Fig. 3, the held-out draw, the criteria, the features, and the plateau."""

import numpy as np
import pytest

from autobp import Tensor
from autobp.nn import functional as F
from autobp.paper import family_plateau, family_trees
from autobp.paper.family_data import patterns


def test_net_has_fig_3_layers_and_the_paper_initial_range():
    net = family_trees.FamilyNet(init=0.3, rng=0)
    shapes = {name: tuple(p.shape) for name, p in net.named_parameters()}
    assert shapes["person.weight"] == (6, 24) and shapes["relation.weight"] == (6, 12)
    assert shapes["central.weight"] == (12, 12) and shapes["penultimate.weight"] == (6, 12)
    assert shapes["output.weight"] == (24, 6) and shapes["output.bias"] == (24,)
    values = np.concatenate([p.data.ravel() for p in net.parameters()])
    assert np.all(np.abs(values) <= 0.3) and np.abs(values).max() > 0.25
    p, r = patterns().inputs()
    y = net(Tensor(p), Tensor(r)).data
    assert y.shape == (104, 24) and np.all((y > 0) & (y < 1))


def test_held_out_draw_is_four_single_answer_patterns_by_seed():
    data = patterns()
    train, test = family_trees.split(data, seed=5)
    assert len(train) == 100 and len(test) == 4 and not set(train) & set(test)
    assert np.all(data.targets[test].sum(axis=1) == 1)
    assert np.array_equal(test, family_trees.split(data, seed=5)[1])
    draws = {tuple(family_trees.split(data, seed=s)[1]) for s in range(10)}
    assert len(draws) > 5


def test_criteria_on_hand_made_outputs():
    targets = np.array([[1.0, 0, 0], [0, 1, 1]])
    outputs = np.array([[0.6, 0.1, 0.4], [0.1, 0.85, 0.81]])
    assert family_trees.correct(outputs, targets).tolist() == [True, True]
    assert family_trees.within_margin(outputs, targets).tolist() == [False, True]
    assert family_trees.correct(np.array([[0.6, 0.55, 0.0]]), targets[:1]).tolist() == [False]


def test_features_finds_planted_units():
    net = family_trees.FamilyNet(rng=0)
    codes = family_trees._FEATURES
    w = np.random.default_rng(0).normal(0, 0.05, (6, 24))
    w[2], w[4], w[0] = -2 * codes["nationality"], codes["generation"], 3 * codes["branch"]
    net.person.weight.data[...] = w
    found = family_trees.features(net)
    assert (found["nationality"], found["generation"], found["branch"]) == (3, 5, 1)
    assert found["r_nationality"] < -0.95 and found["r_generation"] > 0.95


def test_logistic_output_error_has_gradient_y_minus_edge_outside_the_margin():
    rng = np.random.default_rng(1)
    z = Tensor(rng.normal(0, 2, (5, 24)), requires_grad=True)
    targets = patterns().targets[:5]
    loss, paper_error = family_trees._logistic_loss(z, targets)
    loss.backward()
    y = 1 / (1 + np.exp(-z.data))
    on = targets > 0.5
    edge = np.where(on, 0.8, 0.2)
    outside = np.where(on, y < 0.8, y > 0.2)
    np.testing.assert_allclose(z.grad, np.where(outside, y - edge, 0.0), atol=1e-12)
    assert paper_error == pytest.approx(F.sse_loss(Tensor(y), targets, tolerance=0.2).item())


def test_paper_schedule_sits_on_the_base_rate_plateau():
    run = family_trees.train(0, sweeps=200)
    assert run.errors[-1] == pytest.approx(run.errors[100], abs=0.05)
    assert 17 < run.errors[-1] < 20 and run.train_correct == 0
    spread = family_plateau.activity_spread(run.net)
    values = list(spread.values())
    assert values[-1] < 1e-3 < values[0]  # the input barely reaches the outputs
    assert values[2] > values[3] > values[4]  # and fades layer by layer


def test_net_fits_its_training_set_with_a_faster_start():
    # seed 0 first gets every training pattern right near sweep 500; lr 0.1 with momentum then
    # wobbles for a while, so judge the end of a longer run
    run = family_trees.train(0, sweeps=1000, lr=0.1, init=1.0, decay=0.0)
    assert run.train_correct == 1.0
    assert family_plateau.fit_sweep(run.train_right) is not None
    assert family_plateau.escape_sweep(run.errors) < family_plateau.fit_sweep(run.train_right)
    assert len(run.test_cases) == 4 and 0 <= run.test_correct <= 4


def test_escape_and_fit_sweeps():
    assert family_plateau.escape_sweep([20, 18.4, 14.9, 3]) == 2
    assert family_plateau.escape_sweep([18.4, 18.4]) is None
    assert family_plateau.fit_sweep([0, 99, 100, 100]) == 2 and family_plateau.fit_sweep([99]) is None


def test_bad_output_error_name_is_rejected():
    with pytest.raises(ValueError, match="output_error"):
        family_trees.train(0, sweeps=1, output_error="mse")
