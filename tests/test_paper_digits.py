"""Digits: the IDX reader on files written here, MNIST discovery, the sklearn split, standardizing."""

import gzip
import struct

import numpy as np
import pytest

from autobp.paper import digits


def _write_idx(path, array: np.ndarray, code: int = 0x08) -> None:
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    data = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    if str(path).endswith(".gz"):
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


def test_load_idx_reads_images_labels_and_gzip(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    _write_idx(tmp_path / "img", images)
    _write_idx(tmp_path / "lab.gz", np.array([7, 1], dtype=np.uint8))
    _write_idx(tmp_path / "f", np.array([[1.5, -2.0]], dtype=np.float32), code=0x0D)
    assert np.array_equal(digits.load_idx(tmp_path / "img"), images)
    assert digits.load_idx(tmp_path / "lab.gz").tolist() == [7, 1]
    assert digits.load_idx(tmp_path / "f").tolist() == [[1.5, -2.0]]


def test_load_idx_rejects_bad_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"PK\x03\x04junk")
    with pytest.raises(ValueError, match="not an IDX file"):
        digits.load_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 5) + b"\x01\x02")
    with pytest.raises(ValueError, match=r"shape \(5,\).*2 bytes"):
        digits.load_idx(tmp_path / "short")


def test_load_mnist_finds_the_four_files_and_scales(tmp_path):
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 5), ("t10k", 3)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        _write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", images)
        _write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, n, dtype=np.uint8))
    xtr, ytr, xte, yte = digits.load_mnist(tmp_path)
    assert xtr.shape == (5, 784) and xte.shape == (3, 784) and ytr.shape == (5,) and yte.dtype == np.int64
    assert 0 <= xtr.min() and xtr.max() <= 1 and xtr.max() > 0.9
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        digits.load_mnist(tmp_path)


def test_sklearn_split_is_stratified_and_seeded():
    xtr, ytr, xte, yte = digits.load_sklearn_digits(seed=0)
    assert xtr.shape == (1347, 64) and xte.shape == (450, 64)
    assert 0 <= xtr.min() and xtr.max() <= 1
    per_class = np.bincount(np.concatenate([ytr, yte]))
    assert np.all(np.abs(np.bincount(yte) - per_class / 4) <= 1)  # each digit a quarter in the test set
    assert np.array_equal(digits.load_sklearn_digits(seed=0)[3], yte)
    assert not np.array_equal(digits.load_sklearn_digits(seed=1)[3], yte)


def test_standardize_uses_training_statistics_only():
    xtr, xte = np.array([[0.0, 1.0], [2.0, 1.0]]), np.array([[1.0, 5.0]])
    a, b = digits.standardize(xtr, xte)
    np.testing.assert_allclose(a.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(b, [[0.0, 4.0 / 0.1]])


def test_short_training_on_a_subset_beats_chance_by_far():
    # 300 training digits, 15 epochs: a stated fast bar (>= 80%); the full run's >= 97% is in test_cli.
    xtr, ytr, xte, yte = digits.load_sklearn_digits(seed=0)
    run = digits.train(xtr[:300], ytr[:300], xte, yte, epochs=15, seed=0)
    assert run.test_accuracy >= 0.8 and run.n_train == 300
    assert run.losses[-1] < run.losses[0]
