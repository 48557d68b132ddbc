"""Character-level language models on ~32 KB of Shakespeare shipped with autobp: train an LSTM or a
2-layer causal transformer on random windows of the first 90%, report bits per character on the
held-out last 10% (against the unigram entropy), and sample text (seeded, with a temperature)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from .._graph import no_grad
from ..nn import functional as F
from ..nn.utils import clip_grad_norm_
from ..optim import Adam, lr_scheduler
from ..paper._progress import progress
from ._blas import blas_threads
from .charlm_models import LSTMLM, TransformerLM

# Per model: constructor options and training defaults that finish in about a minute on 2 cores. The
# text is small (28,600 training characters): held-out bits/char was lowest near 300 steps (LSTM) and
# 600 (transformer) in 1,500-step runs, and rose after as the models memorised the training text.
DEFAULTS = {
    "lstm": {"steps": 400, "lr": 3e-3, "seq": 64, "batch": 32, "size": {"embed": 32, "hidden": 256}},
    "transformer": {"steps": 600, "lr": 2e-3, "seq": 64, "batch": 32, "size": {"d_model": 64, "layers": 2}},
}
HELD_OUT = 0.1  # the last tenth of the text


def load_text() -> str:
    """The shipped text (tiny-shakespeare's first ~32 KB; see autobp/examples/data/README.md)."""
    return (resources.files("autobp.examples") / "data" / "shakespeare.txt").read_text(encoding="utf-8")


class Vocab:
    """The text's distinct characters, sorted; ``encode`` maps a string to their indices."""

    def __init__(self, text: str) -> None:
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, s: str) -> np.ndarray:
        unknown = sorted(set(s) - self.index.keys())
        if unknown:
            raise ValueError(
                f"Vocab: characters {unknown} do not occur in the text; known: {''.join(self.chars)!r}"
            )
        return np.array([self.index[c] for c in s], dtype=np.int64)

    def decode(self, idx: Any) -> str:
        return "".join(self.chars[i] for i in np.asarray(idx).ravel())


def split(ids: np.ndarray, held_out: float = HELD_OUT) -> tuple[np.ndarray, np.ndarray]:
    """(training head, held-out tail): a contiguous tail, so no held-out window overlaps training text."""
    cut = int(round(len(ids) * (1 - held_out)))
    return ids[:cut], ids[cut:]


def unigram_bits(train: np.ndarray, test: np.ndarray, vocab: int) -> float:
    """Bits per character of ``test`` under the training text's character frequencies (add-one
    smoothing, so a character unseen in training costs finite bits): what a model with no context gets."""
    p = (np.bincount(train, minlength=vocab) + 1.0) / (len(train) + vocab)
    return float(-np.mean(np.log2(p[test])))


def build(kind: str, vocab: int, rng: Any = None, seq: int = 64, **size: Any) -> Any:
    """An ``"lstm"`` or ``"transformer"`` model over ``vocab`` characters (context ``seq`` for the
    transformer), float32, initialised from ``rng``."""
    if kind == "lstm":
        return LSTMLM(vocab, rng=rng, **size)
    if kind == "transformer":
        return TransformerLM(vocab, context=seq, rng=rng, **size)
    raise ValueError(f"charlm: model must be 'lstm' or 'transformer', got {kind!r}")


def windows(ids: np.ndarray, starts: np.ndarray, seq: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ids[s : s + seq] and targets ids[s + 1 : s + seq + 1] for each start s: (B, seq) each."""
    rows = starts[:, None] + np.arange(seq + 1)
    w = ids[rows]
    return w[:, :-1], w[:, 1:]


def bits_per_char(model: Any, ids: np.ndarray, seq: int, batch: int = 64) -> float:
    """Mean cross-entropy, in bits, of predicting ids[1:] from what precedes, over consecutive windows
    of ``seq`` characters (each starts with empty context; the first character of the text is not
    predicted). Evaluated in eval mode without recording a graph."""
    model.eval()
    starts = np.arange(0, len(ids) - 1, seq)
    total, count = 0.0, 0
    with no_grad():
        for i in range(0, len(starts), batch):
            chunk = starts[i : i + batch]
            if chunk[-1] + seq + 1 > len(ids):  # the short last window, alone
                total, count = _add(model, ids[chunk[-1] :], total, count)
                chunk = chunk[:-1]
            if len(chunk):
                x, y = windows(ids, chunk, seq)
                logits, _ = model(x)
                total += F.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), y.ravel(), reduction="sum"
                ).item()
                count += y.size
    model.train()
    return total / count / math.log(2)


def _add(model: Any, tail: np.ndarray, total: float, count: int) -> tuple[float, int]:
    if len(tail) < 2:
        return total, count
    logits, _ = model(tail[None, :-1])
    total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tail[1:], reduction="sum").item()
    return total, count + len(tail) - 1


def sample(
    model: Any, vocab: Vocab, prompt: str = "\n", length: int = 300, temperature: float = 0.8, seed: int = 0
) -> str:
    """``length`` characters after ``prompt``, each drawn from softmax(logits / temperature) with a
    generator seeded by ``seed`` (same seed, same text). The LSTM carries its state; the transformer
    rereads its last ``context`` characters."""
    if temperature <= 0:
        raise ValueError(f"sample: temperature must be > 0, got {temperature}")
    rng = np.random.default_rng(seed)
    ids = list(vocab.encode(prompt))
    model.eval()
    state, feed = None, np.array(ids)
    with no_grad():
        for _ in range(length):
            if isinstance(model, TransformerLM):
                feed, state = np.array(ids[-model.context :]), None
            logits, state = model(feed[None, :], state)
            z = logits.data[0, -1].astype(np.float64) / temperature
            p = np.exp(z - z.max())
            nxt = int(rng.choice(len(p), p=p / p.sum()))
            ids.append(nxt)
            feed = np.array([nxt])
    model.train()
    return vocab.decode(ids[len(prompt) :])


@dataclass
class CharLMRun:
    """One training run: held-out bits/char (and the unigram baseline), the training loss per step in
    bits/char, the held-out curve as (step, bits/char), a sample, the wall time and the model."""

    model_kind: str
    steps: int
    bits_per_char: float
    unigram_bits: float
    train_bits: list[float] = field(default_factory=list)
    held_out_curve: list[tuple[int, float]] = field(default_factory=list)
    sample: str = ""
    seconds: float = 0.0
    model: Any = None
    vocab: Any = None


def train(
    model: str = "lstm",
    steps: int | None = None,
    seed: int = 0,
    lr: float | None = None,
    seq: int | None = None,
    batch: int | None = None,
    evals: int = 10,
    temperature: float = 0.8,
    sample_length: int = 300,
    threads: int | None = 1,
    show_progress: bool = True,
    **size: Any,
) -> CharLMRun:
    """Train ``model`` ("lstm" or "transformer") for ``steps`` Adam steps (cosine-annealed lr, gradient
    norm clipped at 1) on random ``seq``-character windows of the training text, ``batch`` at a time;
    measure held-out bits/char ``evals`` times along the way. None takes the model's default
    (``DEFAULTS``); ``size`` overrides its layer sizes.

    >>> run = train("lstm", steps=200, show_progress=False)   # doctest: +SKIP
    >>> run.bits_per_char < run.unigram_bits                  # doctest: +SKIP
    True
    """
    d = DEFAULTS.get(model) or build(model, 1)  # build raises the error naming the choices
    steps, lr, seq, batch = (
        v if v is not None else d[k] for k, v in zip(("steps", "lr", "seq", "batch"), (steps, lr, seq, batch))
    )
    text = load_text()
    vocab = Vocab(text)
    head, tail = split(vocab.encode(text))
    rng = np.random.default_rng(seed)
    net = build(model, len(vocab), rng, seq, **(d["size"] | size))
    opt = Adam(net.parameters(), lr=lr)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=lr / 20)
    train_bits: list[float] = []
    curve: list[tuple[int, float]] = []
    every = max(1, steps // max(evals, 1))
    bar = progress(steps, f"charlm {model}", show_progress)
    start = time.perf_counter()
    with blas_threads(threads):
        for step in range(1, steps + 1):
            x, y = windows(head, rng.integers(0, len(head) - seq - 1, batch), seq)
            logits, _ = net(x)
            loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.ravel())
            opt.zero_grad()
            loss.backward()
            clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            train_bits.append(loss.item() / math.log(2))
            if step % every == 0 or step == steps:
                curve.append((step, bits_per_char(net, tail, seq)))
                bar.set_postfix_str(f"held-out {curve[-1][1]:.2f} bits/char")
            bar.update()
        text_out = sample(net, vocab, "\n", sample_length, temperature, seed)
    bar.close()
    return CharLMRun(
        model, steps, curve[-1][1], unigram_bits(head, tail, len(vocab)), train_bits, curve, text_out,
        time.perf_counter() - start, net, vocab,
    )  # fmt: skip


def figure(runs: list[CharLMRun]) -> Any:
    """Training bits/char per step (smoothed over 50 steps) and held-out bits/char, one colour per run,
    with the unigram entropy for reference."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for i, run in enumerate(runs):
        c = f"C{i}"
        k = min(50, len(run.train_bits))
        smooth = np.convolve(run.train_bits, np.ones(k) / k, mode="valid")
        ax.plot(
            np.arange(k, len(run.train_bits) + 1),
            smooth,
            color=c,
            alpha=0.6,
            label=f"{run.model_kind} training",
        )
        s, b = zip(*run.held_out_curve)
        ax.plot(s, b, "o-", color=c, label=f"{run.model_kind} held-out ({run.bits_per_char:.2f})")
    ax.axhline(
        runs[0].unigram_bits, color="gray", ls="--", label=f"unigram entropy ({runs[0].unigram_bits:.2f})"
    )
    ax.set(xlabel="step", ylabel="bits per character", title="character-level language models")
    ax.legend()
    fig.tight_layout()
    return fig
