"""A LeNet-style convnet on scikit-learn's bundled 8x8 digits (no download): ``autobp.nn`` layers, Adam
under a one-cycle schedule, label smoothing, ``autobp.data.DataLoader`` batches, one-pixel shifts as
augmentation; about 99% on a fixed held-out quarter of the data in well under a minute."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import nn
from .._graph import no_grad
from ..data import DataLoader, TensorDataset
from ..nn import functional as F
from ..optim import Adam, lr_scheduler
from ..paper._progress import progress
from ..tensor import Tensor
from ._blas import blas_threads

DEFAULTS = {"epochs": 40, "batch_size": 32, "lr": 3e-3, "channels": (16, 32), "hidden": 64}


@dataclass
class ConvnetRun:
    """One training run: held-out accuracy, its confusion matrix (rows: true digit, columns:
    predicted), the mean training loss of each epoch, the wall time and the trained net."""

    seed: int
    accuracy: float
    confusion: np.ndarray
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    n_train: int = 0
    n_test: int = 0
    net: nn.Module | None = None


def load_images(split_seed: int = 0, test_size: float = 0.25) -> tuple[np.ndarray, ...]:
    """The 1,797 digits as float32 images (N, 1, 8, 8), standardized with the training set's mean and
    standard deviation, split stratified by ``split_seed``: (x_train, y_train, x_test, y_test)."""
    from ..paper.digits import load_sklearn_digits

    xtr, ytr, xte, yte = load_sklearn_digits(split_seed, test_size)
    mean, std = xtr.mean(), xtr.std()
    as_images = lambda x: ((x - mean) / std).reshape(-1, 1, 8, 8).astype(np.float32)  # noqa: E731
    return as_images(xtr), ytr, as_images(xte), yte


def build(rng: Any = None, channels: tuple[int, int] = (16, 32), hidden: int = 64, dropout: float = 0.25):
    """conv3x3 (1->a) - ReLU - conv3x3 (a->a) - ReLU - maxpool 2 - conv3x3 (a->b) - ReLU - maxpool 2 -
    dropout - linear 4b->hidden - ReLU - linear hidden->10 (logits), float32, initialised from ``rng``.

    >>> build(rng=0)(np.zeros((2, 1, 8, 8), np.float32)).shape
    (2, 10)
    """
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    a, b = channels
    return nn.Sequential(
        nn.Conv2d(1, a, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.Conv2d(a, a, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 8x8 -> 4x4
        nn.Conv2d(a, b, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 4x4 -> 2x2
        nn.Flatten(),
        nn.Dropout(dropout, rng=rng),
        nn.Linear(4 * b, hidden, rng=rng),
        nn.ReLU(),
        nn.Linear(hidden, 10, rng=rng),
    ).float()


def shift(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each image (N, C, H, W) moved by -1, 0 or +1 pixel along each axis at random (zeros come in):
    the digits are centred only roughly, so the net should not care about one pixel."""
    n, (h, w) = len(x), x.shape[2:]
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=x.min())
    dy, dx = rng.integers(0, 3, n), rng.integers(0, 3, n)
    out = np.empty_like(x)
    for a in range(3):
        for b in range(3):
            m = (dy == a) & (dx == b)
            out[m] = padded[m, :, a : a + h, b : b + w]
    return out


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """counts[i, j] = how many samples of class i were predicted as j."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def predict(net: nn.Module, x: np.ndarray) -> np.ndarray:
    """The most likely class of each image, in eval mode (dropout off), without recording a graph."""
    net.eval()
    with no_grad():
        return np.argmax(net(Tensor(x)).data, axis=1)


def train(
    epochs: int = DEFAULTS["epochs"],
    seed: int = 0,
    batch_size: int = DEFAULTS["batch_size"],
    lr: float = DEFAULTS["lr"],
    channels: tuple[int, int] = DEFAULTS["channels"],
    hidden: int = DEFAULTS["hidden"],
    augment: bool = True,
    label_smoothing: float = 0.1,
    split_seed: int = 0,
    threads: int | None = 1,
    show_progress: bool = True,
) -> ConvnetRun:
    """Train the convnet from ``seed`` (weights, dropout, batch order, shifts) on the split fixed by
    ``split_seed``: Adam under OneCycleLR peaking at ``lr``, softmax cross-entropy with ``label_smoothing``
    (0.1 measured better than none: 98.9-99.1% against 98.4% for seeds 0 and 3). ``threads`` caps
    numpy's BLAS threads (None: as configured); one is fastest for these small matrices.

    >>> run = train(epochs=2, show_progress=False)   # doctest: +SKIP
    >>> run.accuracy, run.confusion.sum()            # doctest: +SKIP
    (0.93..., 450)
    """
    xtr, ytr, xte, yte = load_images(split_seed)
    rng = np.random.default_rng(seed)
    net = build(rng, channels, hidden)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=batch_size, shuffle=True, generator=rng)
    opt = Adam(net.parameters(), lr=lr)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * len(loader))
    losses: list[float] = []
    bar = progress(epochs, f"convnet seed {seed}", show_progress)
    start = time.perf_counter()
    with blas_threads(threads):
        for _ in range(epochs):
            net.train()
            total = 0.0
            for xb, yb in loader:
                x = Tensor(shift(xb.data, rng)) if augment else xb
                loss = F.cross_entropy(net(x), yb.data, label_smoothing=label_smoothing)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(yb)
            losses.append(total / len(xtr))
            bar.update()
            bar.set_postfix_str(f"loss {losses[-1]:.3f}")
        pred = predict(net, xte)
    bar.close()
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(pred == yte))
    return ConvnetRun(seed, accuracy, confusion_matrix(yte, pred), losses, seconds, len(xtr), len(xte), net)


def figure(run: ConvnetRun) -> Any:
    """Training loss per epoch, the first layer's learned 3x3 filters, and the confusion matrix."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(12, 4))
    grid = fig.add_gridspec(1, 3, width_ratios=[1.1, 1, 1.1])
    ax = fig.add_subplot(grid[0])
    ax.plot(np.arange(1, len(run.losses) + 1), run.losses)
    ax.set(xlabel="epoch", ylabel="training cross-entropy", yscale="log", title="loss")
    filters = run.net[0].weight.data[:, 0]  # (a, 3, 3)
    cols = int(np.ceil(np.sqrt(len(filters))))
    rows = -(-len(filters) // cols)
    sub = grid[1].subgridspec(rows, cols, wspace=0.1, hspace=0.1)
    lim = float(np.abs(filters).max())
    for i, f in enumerate(filters):
        a = fig.add_subplot(sub[i // cols, i % cols])
        a.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
        a.set_xticks([])
        a.set_yticks([])
        if i == cols // 2:
            a.set_title("first-layer filters (red +, blue -)")
    ax = fig.add_subplot(grid[2])
    ax.imshow(np.log1p(run.confusion), cmap="Blues")
    for (i, j), c in np.ndenumerate(run.confusion):
        if c:
            ax.text(j, i, str(c), ha="center", va="center", fontsize=7, color="white" if i == j else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true digit")
    ax.set_title(f"held-out confusion, accuracy {run.accuracy:.1%}")
    fig.tight_layout()
    return fig
