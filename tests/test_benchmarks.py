"""The benchmark suite compares like with like: every implementation of a workload computes the same
losses, gradients and updates as the hand-written numpy floor, which itself matches finite differences.

Runs on tiny instances of each workload (about 10 s in all); speed is never asserted.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package

from autobp._numeric import numerical_gradients  # noqa: E402
from benchmarks import _harness, _report  # noqa: E402
from benchmarks.__main__ import WORKLOADS, main  # noqa: E402
from benchmarks._timing import interleave  # noqa: E402
from benchmarks.mlp import NumpyMlp, digits_problem, tiny_mlp_problem  # noqa: E402
from benchmarks.scalar import run_chain  # noqa: E402
from benchmarks.sigmoid_nets import NetProblem, NumpyNet, family_problem, symmetry_problem  # noqa: E402
from benchmarks.tight import TightMlp, TightNet  # noqa: E402

CASES = [(w.name, impl) for w in WORKLOADS.values() if w.custom is None for impl in w.impls if impl != w.base]


def _runner(factory, problem):
    try:
        return factory(problem)
    except ImportError as e:  # optional libraries (the 'bench' extra; tinygrad also needs clang)
        if os.environ.get("CI"):  # CI installs them all: a missing one is a broken setup, not a skip
            raise
        pytest.skip(f"{e.name or e} not installed")


def _snapshot(runner) -> list[np.ndarray]:
    return [np.array(p, copy=True) for p in runner.params()]


def _assert_arrays_close(got, want, rtol, what):
    assert len(got) == len(want), f"{what}: {len(got)} arrays, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, f"{what}[{i}]: shape {g.shape} != {w.shape}"
        scale = max(float(np.max(np.abs(w))), 1e-30)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol * scale, err_msg=f"{what}[{i}]")


def _compare_runs(wl, impl, problem, rtol):
    """Run every phase three times on the base and on ``impl``; losses and weight changes must agree."""
    base = _runner(wl.impls[wl.base], problem)
    other = _runner(wl.impls[impl], problem)
    for phase in wl.phases:
        if getattr(other, phase, None) is None:
            continue
        for call in range(3):  # tinygrad.jit runs, captures, then replays from the third call
            before_b, before_o = _snapshot(base), _snapshot(other)
            loss_b, loss_o = _harness.first_loss(base, phase), _harness.first_loss(other, phase)
            assert loss_o == pytest.approx(loss_b, rel=rtol), f"{phase} call {call}: loss"
            after_b, after_o = _snapshot(base), _snapshot(other)
            if before_b:  # weights: compare the change, which is lr * (gradient with momentum)
                delta_b = [a - b for a, b in zip(after_b, before_b)]
                delta_o = [a - b for a, b in zip(after_o, before_o)]
                _assert_arrays_close(delta_o, delta_b, rtol, f"{wl.name}/{impl} {phase} call {call}: update")
                for p, q in zip(after_o, before_b):
                    assert p.dtype == q.dtype, f"{impl}: a {q.dtype} weight became {p.dtype}"
            else:  # overhead: params() are the gradients of the last forward_backward
                _assert_arrays_close(after_o, after_b, rtol, f"{wl.name}/{impl} {phase}: gradients")


@pytest.mark.parametrize("workload, impl", CASES)
def test_implementation_matches_base_on_tiny_instance(workload, impl):
    wl = WORKLOADS[workload]
    _compare_runs(wl, impl, wl.tiny(), rtol=1e-8)


@pytest.mark.parametrize("impl", [i for i in WORKLOADS["mlp"].impls if i != "numpy"])
def test_mlp_float32_stays_float32_and_agrees(impl):
    _compare_runs(WORKLOADS["mlp"], impl, tiny_mlp_problem(np.float32), rtol=2e-3)


def _first_step_gradient(runner_cls, problem, lr) -> tuple[float, list[np.ndarray]]:
    """Loss and gradient from one step of a fresh runner: the first update is exactly -lr * gradient."""
    r = runner_cls(problem)
    before = _snapshot(r)
    loss = _harness.first_loss(r, "step")
    return loss, [(b - a) / lr for a, b in zip(r.params(), before)]


def _with_weights(problem, ws):
    if isinstance(problem, NetProblem):
        it = iter(ws)
        first = [(next(it), next(it)) for _ in problem.first]
        rest = [(next(it), next(it)) for _ in problem.rest]
        return NetProblem(problem.inputs, problem.target, first, rest, problem.lr, problem.momentum)
    return type(problem)(list(ws), problem.batches, problem.lr, problem.momentum, problem.act)


def _tiny_digits():
    return digits_problem(hidden=8, batch=16, limit=16)  # one batch: the first step's gradient is FD's


FLOORS = {  # every hand-written numpy runner, on each problem it runs
    f"{cls.__name__}-{name}": (cls, make)
    for classes, problems in [
        ((TightNet, NumpyNet), {"symmetry": symmetry_problem, "family": lambda: family_problem(cases=5)}),
        ((TightMlp, NumpyMlp), {"mlp": tiny_mlp_problem, "digits": _tiny_digits}),
    ]
    for cls in classes
    for name, make in problems.items()
}


@pytest.mark.parametrize("runner_cls, make", FLOORS.values(), ids=FLOORS.keys())
def test_numpy_floor_gradients_match_finite_differences(runner_cls, make):
    problem = make()
    weights = problem.weights() if isinstance(problem, NetProblem) else problem.weights
    loss, grads = _first_step_gradient(runner_cls, problem, problem.lr)
    want = numerical_gradients(lambda *ws: _loss_at(runner_cls(_with_weights(problem, ws))), weights)
    assert np.isfinite(loss)
    _assert_arrays_close(grads, want, 1e-5, f"{runner_cls.__name__} gradient")


def _loss_at(runner) -> float:
    """The loss at the runner's initial weights."""
    return runner.next_loss() if hasattr(runner, "next_loss") else runner.step()


@pytest.mark.parametrize("runner_cls", [TightNet, NumpyNet])
@pytest.mark.parametrize(
    "make", [symmetry_problem, lambda: family_problem(cases=5)], ids=["symmetry", "family"]
)
def test_numpy_sigmoid_net_applies_momentum(runner_cls, make):
    """Second update = -lr (m g1 + g2): the velocity carries over between steps."""
    problem = make()
    r = runner_cls(problem)
    w0 = _snapshot(r)
    r.step()
    w1 = _snapshot(r)
    _, g2 = _first_step_gradient(runner_cls, _with_weights(problem, w1), problem.lr)
    r.step()
    w2 = _snapshot(r)
    g1 = [(a - b) / problem.lr for a, b in zip(w0, w1)]
    want = [-problem.lr * (problem.momentum * a + b) for a, b in zip(g1, g2)]
    _assert_arrays_close([b - a for a, b in zip(w1, w2)], want, 1e-9, "second update")


@pytest.mark.parametrize(
    "tight, simple, make",
    [
        (TightNet, NumpyNet, lambda: family_problem(cases=7)),
        (TightMlp, NumpyMlp, lambda: digits_problem(hidden=8, batch=16, limit=40)),
    ],
    ids=["family", "digits"],
)
def test_tight_floor_takes_the_simple_floors_updates_step_after_step(tight, simple, make):
    """Five steps (digits: over batches of 16, 16 and 8): every update equals numpy.simple's to
    round-off, so the block-diagonal first layer's zero blocks stay out of the forward pass and the
    buffers for each batch size are right; the tight step itself returns no loss."""
    problem = make()
    a, b = tight(problem), simple(problem)
    for call in range(5):
        before = _snapshot(a)
        assert a.step() is None
        b.step()
        delta = [x - y for x, y in zip(_snapshot(a), before)]
        want = [x - y for x, y in zip(_snapshot(b), before)]
        _assert_arrays_close(delta, want, 1e-9, f"{tight.__name__} update {call}")


def test_chain_backward_completes_with_the_right_gradient():
    (row, *_) = run_chain(n=5000, micrograd_n=10)
    assert row.impl == "autobp" and row.median_s is not None
    assert "x.grad correct" in row.note


def test_agreement_check_rejects_an_implementation_that_computes_something_else():
    class Runner:
        def __init__(self, value):
            self.value = value

        def step(self):
            return self.value

    wl = _harness.Workload("w", "", lambda: None, lambda: None, {}, base="a")
    assert _harness.check_agreement(wl, {"a": Runner(1.0), "b": Runner(1.0)}, "step") == {"a": 1.0, "b": 1.0}
    with pytest.raises(AssertionError, match="disagree"):
        _harness.check_agreement(wl, {"a": Runner(1.0), "b": Runner(1.001)}, "step")


def test_tinygrad_without_its_compiler_is_skipped_with_the_reason(monkeypatch):
    """tinygrad's CPU device compiles kernels with clang: without one the suite says so and goes on,
    instead of failing at the first kernel or calling it 'not installed'."""
    monkeypatch.setenv("CC", "no-such-compiler-here")
    wl = WORKLOADS["symmetry"]
    runners, skipped = _harness.build_runners(wl, wl.tiny(), ["tinygrad", "tinygrad.jit"])
    assert set(runners) == {"numpy"}
    assert set(skipped) == {"tinygrad", "tinygrad.jit"}
    for why in skipped.values():
        assert "no-such-compiler-here" in why and "apt-get install clang" in why
        assert "not installed" not in why  # it is installed: pip would not help


def test_interleave_rotates_the_order_and_takes_every_sample():
    calls: list[str] = []
    fns = {name: (lambda n=name: calls.append(n)) for name in "abc"}
    times = interleave(fns, repeats=3, warmup=1, min_sample_s=0.0)
    assert {k: len(v) for k, v in times.items()} == {"a": 3, "b": 3, "c": 3}
    assert calls[:3] == ["a", "b", "c"]  # warm-up
    # after warm-up and one calibration call each: rounds a b c, then b c a, then c a b
    assert calls[6:] == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]


def test_bars_compare_the_right_rows():
    def row(w, p, impl, s, peak=None):
        return _harness.Row(w, p, impl, s, peak_bytes=peak)

    rows = [
        row("mlp", "step", "numpy", 1.0),
        row("mlp", "step", "numpy.simple", 1.05),
        row("mlp", "step", "autobp", 1.10),
        row("mlp", "forward", "autobp", 0.5),
        row("symmetry", "step", "autobp", 2.0),
        row("symmetry", "step", "torch", 1.0),
        row("checkpoint", "step", "autobp", 1.0, peak=900),
        row("checkpoint", "step", "autobp.checkpoint", 1.3, peak=310),
    ]
    rows[-1].identical = False
    verdicts = {c["bar"]: (c["value"], c["met"]) for c in _report.bars(rows)}
    assert verdicts["issue 19: mlp step autobp/numpy <= 1.05"] == (pytest.approx(1.10), False)
    assert verdicts["issue 3: mlp step autobp/numpy.simple <= 1.15"] == (pytest.approx(1.10 / 1.05), True)
    assert verdicts["issue 8: mlp step autobp/numpy.simple <= 1.05"] == (pytest.approx(1.10 / 1.05), True)
    assert verdicts["issue 8: mlp step/forward autobp <= 2.5"] == (pytest.approx(2.2), True)
    assert verdicts["issues 3, 8: symmetry autobp/torch <= 1"] == (pytest.approx(2.0), False)
    assert verdicts["issue 19: checkpoint time autobp.checkpoint/autobp <= 1.4"] == (pytest.approx(1.3), True)
    # 900 / 310 = 2.9: less than the 3x saving asked for
    assert verdicts["issue 19: checkpoint peak memory autobp/autobp.checkpoint >= 3"] == (
        pytest.approx(900 / 310),
        False,
    )
    assert verdicts["issue 19: checkpoint autobp.checkpoint gradients bit-identical"] == (None, False)
    assert not any("family" in bar for bar in verdicts)  # not measured, so not judged


def test_bars_pair_the_samples_of_each_round():
    # the load rose from round to round, and a burst hit autobp's sample in round 0: the quotients
    # are 3.0, 1.2 and 1.1, so the paired figure is 1.2 where the medians' quotient is 1.5
    numpy = [1.0, 2.0, 3.0]
    autobp = [3.0, 2.4, 3.3]
    rows = [
        _harness.Row("mlp", "step", "numpy", statistics.median(numpy), samples=numpy),
        _harness.Row("mlp", "step", "autobp", statistics.median(autobp), samples=autobp),
    ]
    assert rows[1].median_s / rows[0].median_s == pytest.approx(1.5)
    verdicts = {c["bar"]: c["value"] for c in _report.bars(rows)}
    assert verdicts["issue 19: mlp step autobp/numpy <= 1.05"] == pytest.approx(1.2)


def test_cli_writes_a_json_record_with_one_row_per_implementation(tmp_path, capsys):
    out = tmp_path / "run.json"
    assert main(["overhead", "--repeats", "2", "--impl", "autobp", "--json", str(out)]) == 0
    record = json.loads(out.read_text())
    got = {(r["phase"], r["impl"]) for r in record["rows"]}
    assert got == {(p, i) for p in ("forward", "forward_backward") for i in ("numpy", "autobp")}
    for r in record["rows"]:
        assert len(r["samples"]) == 2 * WORKLOADS["overhead"].repeat_factor and r["median_s"] > 0
        if r["impl"] == "numpy":
            assert r["ratio"] == 1.0
    assert record["machine"]["numpy_blas"], "the BLAS numpy uses is recorded"
    assert "| overhead | forward | autobp |" in capsys.readouterr().out


class _Allocates:
    """A runner holding ``held`` bytes and allocating ``transient`` more, then freeing them, per step."""

    def __init__(self, sizes):
        held, self.transient = sizes
        self.state = np.ones(held // 8)

    def step(self):
        tmp = np.ones(self.transient // 8)
        return float(tmp[0])


def test_peak_memory_counts_what_the_runner_holds_and_what_its_step_allocates():
    from benchmarks import _memory

    peak = _memory.peak_bytes(_Allocates, (2_000_000, 8_000_000), "step")
    assert 10_000_000 <= peak < 10_100_000


def test_peak_memory_of_torch_rows_comes_from_the_profiler():
    torch = pytest.importorskip("torch")
    from benchmarks import _memory

    class TorchAllocates:
        memory = "torch"

        def __init__(self, sizes):
            held, self.transient = sizes
            self.state = torch.ones(held // 4)

        def step(self):
            return float(torch.ones(self.transient // 4)[0])

    assert _memory.how(TorchAllocates) == "torch"
    peak = _memory.peak_bytes(TorchAllocates, (2_000_000, 8_000_000), "step")
    assert 10_000_000 <= peak < 10_100_000


def test_checkpoint_workload_reports_identical_gradients_and_peaks(monkeypatch):
    import dataclasses

    wl = dataclasses.replace(WORKLOADS["checkpoint"], problem=WORKLOADS["checkpoint"].tiny)
    rows = _harness.time_workload(wl, repeats=1, only=["autobp.checkpoint"])
    by_impl = {r.impl: r for r in rows}
    assert set(by_impl) == {"autobp", "autobp.checkpoint"}
    assert by_impl["autobp.checkpoint"].identical is True
    assert "bit-identical to autobp" in by_impl["autobp.checkpoint"].note
    for r in rows:
        assert r.memory == "tracemalloc" and r.peak_bytes > 0
    assert by_impl["autobp"].peak_ratio == 1.0


def test_same_gradients_notices_a_difference_in_the_last_bit():
    class R:
        def __init__(self, g):
            self.g = g

        def grads(self):
            return [self.g]

    g = np.array([1.0, 2.0], np.float32)
    assert _harness.same_gradients({"a": R(g), "b": R(g.copy())}, "a", "b")
    assert not _harness.same_gradients({"a": R(g), "b": R(np.nextafter(g, 3.0))}, "a", "b")
    assert not _harness.same_gradients({"a": R(g), "b": R(g.astype(np.float64))}, "a", "b")


def test_count_reads_valgrinds_total_and_says_when_it_is_missing():
    from benchmarks import _count

    assert _count.refs("==7== \n==7== I   refs:      3,288,066,244\n") == 3_288_066_244
    with pytest.raises(RuntimeError, match="(?s)no 'I refs' line.*Killed"):
        _count.refs("==7== Memcheck\nKilled\n")


def test_count_is_the_difference_of_two_children_per_call_and_per_op(tmp_path):
    """A stand-in for valgrind reports 5,000 set-up instructions plus 700 per call: the count per op
    must cancel the set-up and divide by the calls and by the workload's ops per call."""
    from benchmarks import _count

    fake = tmp_path / "fake_valgrind.py"
    fake.write_text(
        "import sys\nn = int(sys.argv[-1])\nprint(f'==1== I   refs:  {5000 + 700 * n:,}', file=sys.stderr)\n"
    )
    rows = _count.count_workload(WORKLOADS["overhead"], ["numpy"], command=[sys.executable, str(fake)])
    assert [(r.phase, r.impl) for r in rows] == [("forward", "numpy"), ("forward_backward", "numpy")]
    per = WORKLOADS["overhead"].per
    for r in rows:
        assert r.per_call == pytest.approx(700 / per) and r.ratio == 1.0 and r.calls >= 1
    assert "| overhead | forward | numpy | 0.01 | x1.000 |" in _count.table(rows)
