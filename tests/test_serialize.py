"""save/load: round trips (models, optimisers, nested values), atomic writes, hostile and corrupt files."""

import json
import os
import pickle
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Tensor, nn, optim
from autobp.serialize import CheckpointError
from autobp.testing import arrays


def _same(a, b):
    """Deep equality that also checks container and array types, dtypes and NaN positions."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    arrays(),
    arrays(dtype=np.int64, elements=st.integers(-(2**40), 2**40)),
    arrays(dtype=np.bool_, elements=st.booleans()),
    arrays(dtype=np.float32),
)
_trees = st.recursive(
    _leaves,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3),
        st.lists(kids, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(-5, 5)), kids, max_size=3),
    ),
    max_leaves=8,
)


@given(_trees)
def test_nested_values_round_trip_exactly(obj):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.npz")
        autobp.save(obj, path)
        _same(autobp.load(path), obj)


def test_model_and_optimizer_resume_from_a_checkpoint(tmp_path):
    x = np.random.default_rng(0).standard_normal((8, 3))
    y = np.random.default_rng(1).standard_normal((8, 1))

    def make():
        net = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
        return net, optim.Adam(net.parameters(), lr=0.01, amsgrad=True)

    def train(net, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            nn.functional.mse_loss(net(x), y).backward()
            opt.step()

    net, opt = make()
    train(net, opt, 3)
    autobp.save({"model": net.state_dict(), "optim": opt.state_dict(), "step": 3}, tmp_path / "c.npz")
    train(net, opt, 4)
    net2, opt2 = make()
    ckpt = autobp.load(tmp_path / "c.npz")
    net2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["optim"])
    assert ckpt["step"] == 3 and isinstance(list(ckpt["optim"]["state"])[0], int)
    train(net2, opt2, 4)
    np.testing.assert_array_equal(net2(x).data, net(x).data)


def test_tensors_keep_dtype_and_requires_grad(tmp_path):
    obj = {"w": nn.Parameter(np.ones(2, dtype=np.float32)), "c": Tensor([1.0, 2.0])}
    autobp.save(obj, tmp_path / "t.npz")
    back = autobp.load(tmp_path / "t.npz")
    assert back["w"].requires_grad and back["w"].dtype == np.float32
    assert not back["c"].requires_grad and back["c"].tolist() == [1.0, 2.0]


def test_save_rejects_what_it_cannot_store_without_pickle(tmp_path):
    with pytest.raises(TypeError, match=r"obj\['a'\]\[1\] is a set"):
        autobp.save({"a": [1, {2}]}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dtype object"):
        autobp.save({"a": np.array([None])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="key True"):
        autobp.save({True: 1}, tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())  # nothing written, no temp files


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    autobp.save({"v": np.arange(3.0)}, path)
    original = path.read_bytes()

    def crash(f, **members):
        f.write(b"PK\x03\x04 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        autobp.save({"v": np.zeros(1000)}, path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["c.npz"]


# --- hostile and corrupt files ------------------------------------------------------------------------
class _Payload:
    """Unpickling this calls open(marker, 'w'): proof that code from the file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _structure(root):
    text = json.dumps({"format": "autobp-checkpoint", "version": 1, "root": root})
    return np.frombuffer(text.encode(), dtype=np.uint8)


def test_pickled_object_array_in_checkpoint_is_rejected_without_running_it(tmp_path):
    marker, path = tmp_path / "PWNED", tmp_path / "evil.npz"
    np.savez(path, __autobp_structure__=_structure({"__array__": "a0"}), a0=np.array([_Payload(marker)]))
    with np.load(path, allow_pickle=True) as z:  # the payload is live: unsafe loading runs it
        z["a0"]
    assert marker.exists()
    marker.unlink()
    with pytest.raises(CheckpointError, match="evil.npz"):
        autobp.load(path)
    assert not marker.exists()


@pytest.mark.parametrize("kind", ["pickle", "npy", "structure_pickled"])
def test_other_pickle_carriers_are_rejected_without_running_them(tmp_path, kind):
    marker, path = tmp_path / "PWNED", tmp_path / "evil.npz"
    payload = _Payload(marker)
    if kind == "pickle":
        path.write_bytes(pickle.dumps({"weight": payload}))
    elif kind == "npy":
        with open(path, "wb") as f:
            np.save(f, np.array([payload]), allow_pickle=True)
    else:
        np.savez(path, __autobp_structure__=np.array([payload]))
    with pytest.raises(CheckpointError, match="not a valid autobp checkpoint"):
        autobp.load(path)
    assert not marker.exists()


def _valid(tmp_path):
    path = tmp_path / "c.npz"
    autobp.save({"w": np.arange(64.0), "n": 1}, path)
    return path, path.read_bytes()


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_checkpoints_are_rejected(tmp_path, cut):
    path, data = _valid(tmp_path)
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(CheckpointError, match="c.npz"):
        autobp.load(path)


def test_flipped_bytes_in_array_data_fail_the_checksum(tmp_path):
    path, data = _valid(tmp_path)
    i = data.index(np.arange(64.0).tobytes()) + 100
    path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :])
    with pytest.raises(CheckpointError, match="could not be read"):
        autobp.load(path)


def test_declared_size_mismatch_and_compressed_members_are_rejected(tmp_path):
    path, data = _valid(tmp_path)
    cd = data.rindex(b"PK\x01\x02")  # last central-directory entry: claim a huge uncompressed size
    path.write_bytes(data[: cd + 24] + (2**31).to_bytes(4, "little") + data[cd + 28 :])
    with pytest.raises(CheckpointError, match="declares 2147483648 bytes"):
        autobp.load(path)
    np.savez_compressed(path, __autobp_structure__=_structure(1))
    with pytest.raises(CheckpointError, match="compressed"):
        autobp.load(path)


@pytest.mark.parametrize(
    "members, match",
    [
        ({"__autobp_structure__": np.frombuffer(b"{not json", dtype=np.uint8)}, "not valid JSON"),
        ({"__autobp_structure__": np.frombuffer(b"[" * 100000, dtype=np.uint8)}, "not valid JSON"),
        ({"__autobp_structure__": np.zeros(3)}, "not a byte string"),
        ({"__autobp_structure__": _structure({"__array__": "a9"})}, "missing or malformed array"),
        ({"__autobp_structure__": _structure({"__code__": "os.system"})}, "unknown entry"),
        ({"__autobp_structure__": _structure([1])}, "unexpected entry of type list"),
        ({"__autobp_structure__": _structure(1), "a0": np.ones(2)}, "does not mention"),
        ({"__autobp_structure__": _structure({"__array__": "a0"}), "a0": np.array(["x"])}, "dtype <U1"),
        ({"w": np.ones(2)}, "plain numpy .npz"),
    ],
)
def test_malformed_structures_are_rejected(tmp_path, members, match):
    path = tmp_path / "bad.npz"
    np.savez(path, **members)
    with pytest.raises(CheckpointError, match=match):
        autobp.load(path)


def test_wrong_header_and_stray_members_are_rejected(tmp_path):
    path = tmp_path / "bad.npz"
    bad = np.frombuffer(
        json.dumps({"format": "autobp-checkpoint", "version": 99, "root": 1}).encode(), np.uint8
    )
    np.savez(path, __autobp_structure__=bad)
    with pytest.raises(CheckpointError, match="version 99"):
        autobp.load(path)
    autobp.save(1, path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("../escape.txt", b"x")
    with pytest.raises(CheckpointError, match="unexpected archive member"):
        autobp.load(path)
    with pytest.raises(FileNotFoundError):
        autobp.load(tmp_path / "absent.npz")
