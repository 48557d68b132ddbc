"""The character-level language models (autobp.examples.charlm, ``autobp charlm``): short runs beat
the unigram entropy on the held-out tail, sampling is reproducible, the transformer is causal."""

import json
import math

import numpy as np
import pytest

from autobp.cli import main
from autobp.examples import charlm as L
from autobp.examples.charlm_models import TransformerLM


def test_the_shipped_text_loads_through_importlib_resources():
    text = L.load_text()
    assert len(text) > 30_000 and text.startswith("First Citizen:")
    vocab = L.Vocab(text)
    assert vocab.decode(vocab.encode(text[:500])) == text[:500]
    with pytest.raises(ValueError, match=r"characters \['K', '~'\] do not occur"):
        vocab.encode("KING~")
    head, tail = L.split(vocab.encode(text))
    assert len(head) + len(tail) == len(text) and abs(len(tail) / len(text) - 0.1) < 1e-3


def test_unigram_bits_is_the_cross_entropy_of_the_training_frequencies():
    train, test = np.array([0, 0, 0, 1]), np.array([0, 1, 2])
    p = np.array([4, 2, 1]) / 7  # counts + 1 over 4 + 3
    assert L.unigram_bits(train, test, 3) == pytest.approx(-np.mean(np.log2(p)))


@pytest.mark.parametrize("kind, size", [("lstm", {"hidden": 64}), ("transformer", {"d_model": 32})])
def test_a_short_run_beats_the_unigram_entropy_on_held_out_text(kind, size):
    run = L.train(kind, steps=60, seq=32, evals=2, sample_length=20, show_progress=False, **size)
    assert run.bits_per_char < run.unigram_bits - 0.3, (run.bits_per_char, run.unigram_bits)
    assert run.unigram_bits == pytest.approx(4.68, abs=0.05)  # the text's character frequencies
    assert np.mean(run.train_bits[-10:]) < np.mean(run.train_bits[:10]) - 0.5
    assert [s for s, _ in run.held_out_curve] == [30, 60]
    assert len(run.sample) == 20 and set(run.sample) <= set(run.vocab.chars)


def test_bits_per_char_scores_every_held_out_character_after_the_first():
    # a model that ignores its input and outputs fixed logits: bits/char is the mean of -log2 p[target]
    class Fixed:
        logits = np.log(np.array([0.5, 0.25, 0.25]))

        def __call__(self, x, state=None):
            from autobp import tensor

            return tensor(np.broadcast_to(self.logits, np.shape(x) + (3,)).copy()), None

        def eval(self):
            pass

        def train(self):
            pass

    ids = np.array([0, 1, 2, 0, 0, 1, 1])  # 7 ids, windows of 4: [0:5] and the short tail [4:7]
    expected = -np.mean(np.log2(np.array([0.5, 0.25, 0.25])[ids[1:]]))
    assert L.bits_per_char(Fixed(), ids, seq=4) == pytest.approx(expected)


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_sampling_is_deterministic_for_a_seed(kind):
    vocab = L.Vocab(L.load_text())
    model = L.build(
        kind, len(vocab), rng=0, seq=32, **({"hidden": 32} if kind == "lstm" else {"d_model": 16})
    )
    a = L.sample(model, vocab, "ROMEO:", 40, temperature=1.0, seed=5)
    assert a == L.sample(model, vocab, "ROMEO:", 40, temperature=1.0, seed=5)
    assert a != L.sample(model, vocab, "ROMEO:", 40, temperature=1.0, seed=6)
    with pytest.raises(ValueError, match="temperature"):
        L.sample(model, vocab, "A", 5, temperature=0.0)


def test_a_near_zero_temperature_samples_the_most_likely_character():
    vocab = L.Vocab(L.load_text())
    model = L.build("lstm", len(vocab), rng=1, hidden=16)
    out = L.sample(model, vocab, "MARCIUS", 3, temperature=1e-6, seed=0)
    ids = list(vocab.encode("MARCIUS"))
    for c in out:  # rerun the whole prefix: the argmax of its last logits is the next character
        logits, _ = model(np.array([ids]))
        assert vocab.chars[int(np.argmax(logits.data[0, -1]))] == c
        ids.append(vocab.index[c])


def test_the_transformer_is_causal_and_refuses_sequences_past_its_context():
    model = TransformerLM(11, d_model=16, nhead=2, context=8, rng=0)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 11, (2, 8))
    y = x.copy()
    y[:, 5:] = (y[:, 5:] + 1) % 11  # change the future of position 4
    a, b = model(x)[0].data, model(y)[0].data
    np.testing.assert_allclose(a[:, :5], b[:, :5], rtol=1e-5, atol=1e-6)
    assert not np.allclose(a[:, 5:], b[:, 5:])
    with pytest.raises(ValueError, match="9 characters, longer than its context 8"):
        model(np.zeros((1, 9), dtype=int))


def test_the_command_prints_bits_per_char_and_writes_json_and_the_figure(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, fig = tmp_path / "r.json", tmp_path / "f.png"
    argv = ["charlm", "--model", "transformer", "--steps", "25", "--length", "30", "--quiet"]
    assert main(argv + ["--json", str(out), "--plot", str(fig)]) == 0
    (run,) = json.loads(out.read_text())["runs"]
    assert run["model_kind"] == "transformer" and len(run["train_bits"]) == 25
    assert run["bits_per_char"] < run["unigram_bits"]
    assert run["train_bits"][0] == pytest.approx(math.log2(58), abs=1.5)  # starts near uniform over 58 chars
    printed = capsys.readouterr().out
    assert f"held-out bits/char {run['bits_per_char']:.3f}" in printed and run["sample"] in printed
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(SystemExit):
        main(["charlm", "--model", "gru"])
