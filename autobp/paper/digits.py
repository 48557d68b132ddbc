"""A one-hidden-layer MLP on handwritten digits: scikit-learn's bundled 8x8 set (no download), or MNIST
from IDX files the user already has (``load_idx``; nothing is ever fetched).

The lecture notes' MNIST demonstration is a backprop-trained one-hidden-layer perceptron; here the hidden
units are logistic as in 1986, the outputs a softmax trained with cross-entropy.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import nn
from ..nn import functional as F
from ..optim import SGD
from ..tensor import Tensor
from ._progress import progress

PAPER = {"test_accuracy": 0.953, "note": "LeCun's table: 2-layer NN, 300 HU, MSE on MNIST, 4.7% error"}
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (MNIST's format; ``.gz`` is opened transparently) into an ndarray.

    The header is two zero bytes, a type code, the number of dimensions, then one big-endian uint32 per
    dimension; the data follow in C order.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"load_idx: {path} is not an IDX file (header bytes {raw[:4]!r})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    body = raw[4 + 4 * ndim :]
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(body) != expected:
        raise ValueError(
            f"load_idx: {path} header says shape {shape} ({expected} bytes), file has {len(body)} bytes"
        )
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def load_mnist(directory: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST from the four standard IDX files in ``directory`` (optionally gzipped): images flattened
    to floats in [0, 1], labels as ints. Raises FileNotFoundError naming the missing file."""
    names = (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    )
    arrays = []
    for name in names:
        found = [
            Path(directory) / (name + ext) for ext in ("", ".gz") if (Path(directory) / (name + ext)).exists()
        ]
        if not found:
            raise FileNotFoundError(f"load_mnist: no {name}[.gz] in {directory}")
        arrays.append(load_idx(found[0]))
    xtr, ytr, xte, yte = arrays
    flat = lambda a: a.reshape(len(a), -1).astype(np.float64) / 255.0  # noqa: E731
    return flat(xtr), ytr.astype(np.int64), flat(xte), yte.astype(np.int64)


def load_sklearn_digits(seed: int = 0, test_size: float = 0.25) -> tuple[np.ndarray, ...]:
    """scikit-learn's 1,797 8x8 digits scaled to [0, 1], split stratified (``test_size``,
    ``random_state=seed``), returned as (x_train, y_train, x_test, y_test)."""
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as e:
        raise ImportError("the digits data need scikit-learn: pip install 'autobp[examples]'") from e

    x, y = load_digits(return_X_y=True)
    xtr, xte, ytr, yte = train_test_split(x / 16.0, y, test_size=test_size, stratify=y, random_state=seed)
    return xtr, ytr, xte, yte


def standardize(x_train: np.ndarray, x_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centre and scale each pixel by the training set's mean and (std + 0.1); the 0.1 keeps the
    nearly constant border pixels from being blown up."""
    mean, scale = x_train.mean(axis=0), x_train.std(axis=0) + 0.1
    return (x_train - mean) / scale, (x_test - mean) / scale


@dataclass
class DigitsRun:
    """Outcome: test accuracy, train accuracy, the split sizes, and the mean loss per epoch."""

    seed: int
    test_accuracy: float
    train_accuracy: float
    n_train: int
    n_test: int
    losses: list[float] = field(default_factory=list)
    net: nn.Module | None = None


def train(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    hidden: int = 64,
    epochs: int = 40,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.9,
    seed: int = 0,
    show_progress: bool = False,
) -> DigitsRun:
    """Mini-batch SGD (eq. 9 momentum) on a (features)-``hidden``-10 net, logistic hidden units, softmax
    cross-entropy; inputs are standardized with the training set's statistics first."""
    x_train, x_test = standardize(x_train, x_test)
    rng = np.random.default_rng(seed)
    net = nn.Sequential(
        nn.Linear(x_train.shape[1], hidden, rng=rng), nn.Sigmoid(), nn.Linear(hidden, 10, rng=rng)
    )
    opt = SGD(net.parameters(), lr=lr, momentum=momentum, momentum_form="paper")
    losses = []
    bar = progress(epochs, "digits epochs", show_progress)
    for _ in range(epochs):
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            loss = F.cross_entropy(net(Tensor(x_train[idx])), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x_train))
        bar.update()
        bar.set_postfix_str(f"loss {losses[-1]:.3f}")
    bar.close()
    accuracy = lambda x, y: float(np.mean(np.argmax(net(Tensor(x)).data, axis=1) == y))  # noqa: E731
    return DigitsRun(
        seed, accuracy(x_test, y_test), accuracy(x_train, y_train), len(x_train), len(x_test), losses, net
    )
