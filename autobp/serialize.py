"""save / load for state dicts: an uncompressed .npz of arrays plus a JSON map of the nesting. No pickle.

Loading never unpickles (``allow_pickle=False``) and checks the archive before reading it, so a corrupt,
truncated or hostile file raises ``CheckpointError`` naming the file and runs no code from it. As with
``torch.save``, a Tensor saved twice loads as one object, and views of one buffer (a tensor and its
slices) load sharing memory again (``_serialize_shared.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from collections import OrderedDict
from typing import Any

import numpy as np

from . import _serialize_shared as _shared
from ._device import check_device
from .tensor import Tensor

FORMAT = "autobp-checkpoint"
VERSION = 1
_STRUCTURE = "__autobp_structure__"  # archive member holding the JSON map, as uint8 bytes
_ARRAY_KINDS = "biufc"  # bool, int, uint, float, complex: nothing that numpy would need pickle for
_MAX_DEPTH = 64


class _TargetError(TypeError, AttributeError):
    """save's destination is neither a path nor writable: numpy's TypeError, PyTorch's AttributeError."""


class CheckpointError(ValueError):
    """A file that is not a valid autobp checkpoint (corrupt, truncated, foreign or hostile)."""


# --- save ---------------------------------------------------------------------------------------
def save(obj: Any, path: str | os.PathLike | Any) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of arrays, Tensors and plain numbers/strings) to ``path``.

    The file is written to a temporary file in the same directory and renamed over ``path``, so a crash
    leaves either the old file or the new one, never half of one. ``path`` may also be an open binary
    file (anything with ``write``, as ``torch.save`` takes): the checkpoint's bytes are written to it.

    >>> autobp.save({"model": net.state_dict(), "epoch": 3}, "ckpt.npz")  # doctest: +SKIP
    """
    if not hasattr(path, "write") and not isinstance(path, (str, bytes, os.PathLike)):
        raise _TargetError(
            f"save: the destination must be a path or a file with write(), got {type(path).__name__}"
        )
    if hasattr(path, "write"):
        with tempfile.TemporaryDirectory() as d:
            save(obj, os.path.join(d, "checkpoint.npz"))
            with open(os.path.join(d, "checkpoint.npz"), "rb") as f:
                path.write(f.read())
        return
    saver = _Saver(obj)
    root = _encode(obj, saver, "obj", 0)
    arrays = saver.arrays
    text = json.dumps({"format": FORMAT, "version": VERSION, "root": root}, allow_nan=True)
    members = {_STRUCTURE: np.frombuffer(text.encode("utf-8"), dtype=np.uint8), **arrays}
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **members)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Saver:
    """What one save has written: the arrays by key, the Tensors and arrays met (by id, for repeats)
    and the buffers that several of them are views of (saved once)."""

    def __init__(self, obj: Any) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.seen: dict[int, int] = {}  # id of a Tensor/ndarray -> its number in encounter order
        self.keep: list = []  # the objects behind those ids, alive until the save ends
        found: list[np.ndarray] = []
        _collect(obj, found, 0)
        self.shared = _shared.shared_roots(found)  # id of a buffer -> the buffer
        self.root_keys: dict[int, str] = {}


def _collect(x: Any, found: list, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(x, Tensor):
        found.append(x._data)
    elif isinstance(x, np.ndarray):
        found.append(x)
    elif isinstance(x, dict):
        for v in x.values():
            _collect(v, found, depth + 1)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _collect(v, found, depth + 1)


def _encode(x: Any, arrays: _Saver, where: str, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError(f"save: {where} is nested more than {_MAX_DEPTH} levels deep")
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)) and not isinstance(x, np.bool_):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, (Tensor, np.ndarray)):
        if id(x) in arrays.seen:  # the same object again: one object after loading, as torch.load's
            return {"__same__": arrays.seen[id(x)]}
        arrays.seen[id(x)] = len(arrays.seen)
        arrays.keep.append(x)
        from .nn.parameter import Parameter  # nn imports this module's package: import at call time

        a = x._data if isinstance(x, Tensor) else x
        node = (
            {"__tensor__": None, "requires_grad": x.requires_grad}
            if isinstance(x, Tensor)
            else {"__array__": None}
        )
        tag = next(iter(node))
        root = _shared.root_of(a)
        spec = _shared.view_spec(a, root) if id(root) in arrays.shared else None
        if spec is None:
            node[tag] = _store(a, arrays, where)
        else:  # a view of a buffer other saved arrays share: the buffer once, this view's layout
            if id(root) not in arrays.root_keys:
                arrays.root_keys[id(root)] = _store(root.reshape(-1), arrays, where)
            node[tag], node["view"] = arrays.root_keys[id(root)], spec
        if isinstance(x, Parameter):
            node["parameter"] = True
        return node
    if isinstance(x, dict):
        items = []
        for k, v in x.items():
            if isinstance(k, (bool, np.bool_)) or not isinstance(k, (str, int, np.integer)):
                raise TypeError(f"save: key {k!r} in {where} must be a str or int, not {type(k).__name__}")
            k = k if isinstance(k, str) else int(k)
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]", depth + 1)])
        return {"__odict__" if isinstance(x, OrderedDict) else "__dict__": items}
    if isinstance(x, (list, tuple)):
        tag = "__list__" if isinstance(x, list) else "__tuple__"
        return {tag: [_encode(v, arrays, f"{where}[{i}]", depth + 1) for i, v in enumerate(x)]}
    raise TypeError(
        f"save: {where} is a {type(x).__name__}; only dicts, lists, tuples, arrays, Tensors, numbers, "
        "strings and None can be saved"
    )


def _store(a: np.ndarray, saver: _Saver, where: str) -> str:
    if a.dtype.kind not in _ARRAY_KINDS:
        raise TypeError(
            f"save: array {where} has dtype {a.dtype}; only bool, int, float and complex arrays are saved"
        )
    key = f"a{len(saver.arrays)}"
    saver.arrays[key] = a
    return key


# --- load ---------------------------------------------------------------------------------------
def load(
    path: str | os.PathLike | Any,
    max_bytes: int = 2**32,
    *,
    weights_only: bool | None = None,
    map_location: Any = None,
    mmap: bool | None = None,
) -> Any:
    """Read a checkpoint written by ``save``; arrays come back as writeable numpy arrays, Tensors as Tensors
    (Parameters as Parameters, OrderedDicts as OrderedDicts).

    ``path`` may also be an open binary file (anything with ``read``), read from its current position.
    ``weights_only`` is accepted for ``torch.load`` code and changes nothing: autobp never unpickles, so
    every load is already restricted to data. ``map_location`` is accepted too: the CPU (``"cpu"``, a cpu
    device, a dict mapping to it, or a function, which has nothing to move) is where everything loads;
    another device raises a ValueError. ``mmap`` changes nothing (the arrays are read into memory).

    Raises ``CheckpointError`` (a ValueError) naming ``path`` when the file is not a well-formed
    checkpoint: not a zip, truncated, a bad checksum, compressed or oversized members, object arrays or
    pickled data, malformed JSON, or a map that does not match the arrays. ``max_bytes`` caps the total
    array size accepted.
    """
    targets = map_location.values() if isinstance(map_location, dict) else [map_location]
    for target in targets:
        if not callable(target) or isinstance(target, str):
            check_device(target, "load(map_location=...)")
    if hasattr(path, "read"):
        data = path.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise CheckpointError(f"{path!r}: not a valid autobp checkpoint: more than max_bytes={max_bytes}")
        with tempfile.TemporaryDirectory() as d:
            tmp = os.path.join(d, "checkpoint.npz")
            with open(tmp, "wb") as f:
                f.write(data)
            return load(tmp, max_bytes)
    path = os.fspath(path)
    names = _check_archive(path, max_bytes)
    try:
        with np.load(path, allow_pickle=False) as npz:
            members = {name: npz[name] for name in npz.files}
    except CheckpointError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as e:  # encrypted
        raise _bad(path, f"an archive member could not be read ({type(e).__name__}: {e})") from None
    if set(members) != names:
        raise _bad(path, "archive members do not match the archive directory")
    header = _read_structure(path, members.pop(_STRUCTURE, None))
    used: set[str] = set()
    obj = _decode(header["root"], members, (used, [], {}), path, 0)
    unused = sorted(set(members) - used)
    if unused:
        raise _bad(path, f"archive holds arrays the structure does not mention: {unused[:5]}")
    return obj


def _bad(path: str, why: str) -> CheckpointError:
    return CheckpointError(f"{path}: not a valid autobp checkpoint: {why}")


def _check_archive(path: str, max_bytes: int) -> set[str]:
    """Validate the zip directory before any member is read; returns the array names (without .npy)."""
    try:
        size = os.path.getsize(path)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as e:  # unsupported version
        raise _bad(path, f"not a readable .npz/zip archive, perhaps truncated or corrupt ({e})") from None
    names, total = set(), 0
    for info in infos:
        name = info.filename
        if not name.endswith(".npy") or "/" in name or "\\" in name or name[:-4] in names:
            raise _bad(path, f"unexpected archive member {name!r}")
        if info.compress_type != zipfile.ZIP_STORED:
            raise _bad(path, f"member {name!r} is compressed; autobp checkpoints are stored uncompressed")
        if info.file_size != info.compress_size:
            raise _bad(
                path, f"member {name!r} declares {info.file_size} bytes but stores {info.compress_size}"
            )
        names.add(name[:-4])
        total += info.file_size
    if total > size or total > max_bytes:
        raise _bad(path, f"members declare {total} bytes in a {size}-byte file (limit {max_bytes})")
    if _STRUCTURE not in names:
        raise _bad(path, f"no {_STRUCTURE!r} member (is this a plain numpy .npz?)")
    return names


def _read_structure(path: str, raw: np.ndarray | None) -> dict:
    if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
        raise _bad(path, "the structure member is not a byte string")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _bad(path, f"the structure is not valid JSON ({type(e).__name__})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT or "root" not in header:
        raise _bad(path, "the structure has no autobp checkpoint header")
    if header.get("version") != VERSION:
        raise _bad(path, f"format version {header.get('version')!r} is not supported (expected {VERSION})")
    return header


def _decode(node: Any, members: dict, state: tuple, path: str, depth: int) -> Any:
    """One entry of the structure; ``state`` is (the array keys used, the Tensors/arrays made so far,
    the Tensor of each buffer that Tensors are views of)."""
    used, made, buffers = state
    if depth > _MAX_DEPTH:
        raise _bad(path, f"the structure is nested more than {_MAX_DEPTH} levels deep")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict) or not node:
        raise _bad(path, f"unexpected entry of type {type(node).__name__} in the structure")
    tag = next(iter(node))
    if tag == "__same__":
        at = node[tag]
        if len(node) != 1 or type(at) is not int or not 0 <= at < len(made):
            raise _bad(path, f"the structure has a malformed repeat entry {node!r:.80}")
        return made[at]
    if tag in ("__array__", "__tensor__"):
        allowed = {"__array__"} if tag == "__array__" else {"__tensor__", "requires_grad"}
        parameter = node.get("parameter", False)
        if tag == "__tensor__" and parameter is True:
            allowed = allowed | {"parameter"}
        key = node[tag]
        if (
            set(node) - {"view"} != allowed
            or not isinstance(key, str)
            or key == _STRUCTURE
            or key not in members
        ):
            raise _bad(path, f"the structure refers to a missing or malformed array entry {node!r:.80}")
        arr = members[key]
        if arr.dtype.kind not in _ARRAY_KINDS:
            raise _bad(path, f"array {key!r} has dtype {arr.dtype}, which checkpoints never hold")
        used.add(key)
        if "view" in node:
            arr = _shared.make_view(arr, node["view"])
            if arr is None:
                raise _bad(path, f"a view of array {key!r} is malformed or reaches outside it")
        if tag == "__array__":
            made.append(arr)
            return arr
        if not isinstance(node["requires_grad"], bool) or (
            node["requires_grad"] and arr.dtype.kind not in "fc"
        ):
            raise _bad(path, f"tensor entry {key!r} has a bad requires_grad flag")
        t = Tensor._const(arr)  # no copy: views of one buffer keep sharing it
        if node["requires_grad"]:
            t.requires_grad_()
        if parameter is True:
            from .nn.parameter import Parameter

            t = Parameter(t, requires_grad=node["requires_grad"])
        if "view" in node:  # views of one buffer share it and its version counter, as PyTorch's storage
            from ._views import link_view

            t._data = arr
            link_view(t, buffers.setdefault(key, Tensor._const(members[key])), "load")
        made.append(t)
        return t
    if len(node) != 1 or not isinstance(node[tag], list):
        raise _bad(path, f"unknown entry {tag!r} in the structure")
    items = node[tag]
    if tag in ("__dict__", "__odict__"):
        out = {} if tag == "__dict__" else OrderedDict()
        for item in items:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) in (str, int)):
                raise _bad(path, "a dict entry in the structure is not a [str-or-int key, value] pair")
            out[item[0]] = _decode(item[1], members, state, path, depth + 1)
        return out
    if tag in ("__list__", "__tuple__"):
        seq = [_decode(v, members, state, path, depth + 1) for v in items]
        return seq if tag == "__list__" else tuple(seq)
    raise _bad(path, f"unknown entry {tag!r} in the structure")


__all__ = ["save", "load", "CheckpointError"]
