"""autobp.save/load keep what torch.save/torch.load keep (a tensor saved twice is one object, views of
one tensor share memory, complex tensors), and loading still never runs code from the file."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import autobp as ab
from autobp.serialize import CheckpointError

torch = pytest.importorskip("torch")


def _roundtrip(lib, obj):
    f = io.BytesIO()
    lib.save(obj, f)
    f.seek(0)
    return lib.load(f, weights_only=True)


def test_same_tensor_twice_is_one_object_after_loading():
    for lib in (ab, torch):
        a = lib.ones(2, 3)
        c = _roundtrip(lib, [a, a, lib.zeros(1)])
        assert c[0] is c[1] and c[0] is not c[2], lib.__name__


def test_views_of_one_tensor_share_memory_after_loading():
    x0 = np.arange(20.0).reshape(4, 5)
    for lib in (ab, torch):
        base = lib.tensor(x0)
        got = _roundtrip(lib, {"base": base, "rows": base[1:3], "t": base.T, "col": base[:, 2]})
        np.testing.assert_array_equal(np.asarray(got["rows"]), x0[1:3])
        np.testing.assert_array_equal(np.asarray(got["t"]), x0.T)
        got["base"].fill_(7.0)
        for k in ("rows", "t", "col"):
            assert float(got[k].max()) == 7.0 and float(got[k].min()) == 7.0, (lib.__name__, k)


def test_a_view_alone_and_unrelated_tensors_are_independent():
    base = ab.tensor(np.arange(6.0))
    got = _roundtrip(ab, {"piece": base[2:4], "other": ab.ones(2)})
    np.testing.assert_array_equal(got["piece"].data, [2.0, 3.0])
    ref = _roundtrip(torch, {"piece": torch.arange(6.0)[2:4]})
    np.testing.assert_array_equal(got["piece"].data, ref["piece"].numpy())


def test_complex_and_requires_grad_round_trip_as_torch():
    z0 = np.array([1 + 2j, -0.5j, 3.0])
    got = _roundtrip(ab, {"z": ab.tensor(z0), "w": ab.tensor(z0.real, requires_grad=True)})
    ref = _roundtrip(torch, {"z": torch.tensor(z0), "w": torch.tensor(z0.real, requires_grad=True)})
    np.testing.assert_array_equal(got["z"].data, ref["z"].numpy())
    assert got["z"].dtype == np.complex128 and ref["z"].dtype == torch.complex128
    assert got["w"].requires_grad and ref["w"].requires_grad and got["w"].is_leaf


def _tamper(path, change):
    """Rewrite the checkpoint's JSON structure with ``change(header)``."""
    with np.load(path) as npz:
        members = {k: npz[k] for k in npz.files}
    header = json.loads(members["__autobp_structure__"].tobytes())
    change(header)
    members["__autobp_structure__"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, **members)


@pytest.mark.parametrize(
    "bad_view",
    [
        [0, [100], [1]],
        [15, [2], [1]],
        [0, [4], [-1]],
        [0, [2, 2], [1]],
        ["0", [2], [1]],
        [0, [2], [1.5]],
        [0, [1], [10**30]],
        [0, [2**60], [0]],
        [True, [2], [1]],
    ],
)
def test_hostile_views_are_refused(tmp_path, bad_view):
    base = ab.tensor(np.arange(16.0))
    path = tmp_path / "c.npz"
    ab.save([base, base[2:4]], path)

    def change(h):
        h["root"]["__list__"][1]["view"] = bad_view

    _tamper(path, change)
    with pytest.raises(CheckpointError):
        ab.load(path)


def test_hostile_repeat_entry_refused(tmp_path):
    path = tmp_path / "c.npz"
    ab.save([ab.ones(2), ab.ones(2)], path)

    def change(h):
        h["root"]["__list__"][1] = {"__same__": 5}

    _tamper(path, change)
    with pytest.raises(CheckpointError):
        ab.load(path)


class _Evil:
    def __reduce__(self):
        return (os.system, ("touch " + os.environ.get("AUTOBP_EVIL_MARK", "/nonexistent/mark"),))


def test_pickles_and_torch_files_are_refused_without_running_code(tmp_path, monkeypatch):
    mark = tmp_path / "ran"
    monkeypatch.setenv("AUTOBP_EVIL_MARK", str(mark))
    payloads = [pickle.dumps(_Evil())]
    f = io.BytesIO()
    torch.save(_Evil(), f)  # torch's zip format with a data.pkl inside
    payloads.append(f.getvalue())
    arr = tmp_path / "obj.npz"
    np.savez(arr, __autobp_structure__=np.frombuffer(b"{}", np.uint8), a0=np.array([_Evil()], dtype=object))
    payloads.append(arr.read_bytes())
    for data in payloads:
        with pytest.raises(CheckpointError):
            ab.load(io.BytesIO(data), weights_only=False)
    assert not mark.exists()
    with pytest.raises(pickle.UnpicklingError):  # torch's weights_only refuses it too
        torch.load(io.BytesIO(payloads[1]), weights_only=True)
    assert zipfile.is_zipfile(io.BytesIO(payloads[1]))


def test_parameters_ordered_dicts_and_map_location_as_torch():
    for lib in (ab, torch):
        m = lib.nn.Linear(2, 3)
        f = io.BytesIO()
        lib.save({"sd": m.state_dict(), "w": m.weight, "plain": {"a": 1}}, f)
        for loc in ("cpu", None, {"cuda:0": "cpu"}, lambda storage, where: storage):
            f.seek(0)
            got = lib.load(f, map_location=loc, weights_only=True)
            assert type(got["sd"]).__name__ == "OrderedDict" and type(got["plain"]) is dict, lib.__name__
            assert type(got["w"]).__name__ == "Parameter" and got["w"].requires_grad
            assert list(got["sd"]) == ["weight", "bias"]
            np.testing.assert_array_equal(np.asarray(got["w"].detach()), np.asarray(m.weight.detach()))
    f = io.BytesIO()
    ab.save(ab.ones(2), f)
    f.seek(0)
    with pytest.raises(ValueError, match="cuda"):
        ab.load(f, map_location="cuda")


def test_loaded_state_dict_restores_a_module():
    m = ab.nn.Sequential(ab.nn.Linear(3, 4), ab.nn.BatchNorm1d(4))
    m(ab.randn(8, 3))  # running statistics move
    got = _roundtrip(ab, m.state_dict())
    fresh = ab.nn.Sequential(ab.nn.Linear(3, 4), ab.nn.BatchNorm1d(4))
    fresh.load_state_dict(got)
    x = ab.randn(5, 3)
    m.eval(), fresh.eval()
    np.testing.assert_array_equal(fresh(x).data, m(x).data)
