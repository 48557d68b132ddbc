"""save / load for state dicts: an uncompressed .npz of arrays plus a JSON map of the nesting. No pickle.

Loading never unpickles (``allow_pickle=False``) and checks the archive before reading it, so a corrupt,
truncated or hostile file raises ``CheckpointError`` naming the file and runs no code from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from typing import Any

import numpy as np

from .tensor import Tensor

FORMAT = "autobp-checkpoint"
VERSION = 1
_STRUCTURE = "__autobp_structure__"  # archive member holding the JSON map, as uint8 bytes
_ARRAY_KINDS = "biuf"  # bool, int, uint, float: nothing that numpy would need pickle for
_MAX_DEPTH = 64


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
    if hasattr(path, "write"):
        with tempfile.TemporaryDirectory() as d:
            save(obj, os.path.join(d, "checkpoint.npz"))
            with open(os.path.join(d, "checkpoint.npz"), "rb") as f:
                path.write(f.read())
        return
    arrays: dict[str, np.ndarray] = {}
    root = _encode(obj, arrays, "obj", 0)
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


def _encode(x: Any, arrays: dict, where: str, depth: int) -> Any:
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
    if isinstance(x, Tensor):
        return {"__tensor__": _store(x.data, arrays, where), "requires_grad": x.requires_grad}
    if isinstance(x, np.ndarray):
        return {"__array__": _store(x, arrays, where)}
    if isinstance(x, dict):
        items = []
        for k, v in x.items():
            if isinstance(k, (bool, np.bool_)) or not isinstance(k, (str, int, np.integer)):
                raise TypeError(f"save: key {k!r} in {where} must be a str or int, not {type(k).__name__}")
            k = k if isinstance(k, str) else int(k)
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]", depth + 1)])
        return {"__dict__": items}
    if isinstance(x, (list, tuple)):
        tag = "__list__" if isinstance(x, list) else "__tuple__"
        return {tag: [_encode(v, arrays, f"{where}[{i}]", depth + 1) for i, v in enumerate(x)]}
    raise TypeError(
        f"save: {where} is a {type(x).__name__}; only dicts, lists, tuples, arrays, Tensors, numbers, "
        "strings and None can be saved"
    )


def _store(a: np.ndarray, arrays: dict, where: str) -> str:
    if a.dtype.kind not in _ARRAY_KINDS:
        raise TypeError(f"save: array {where} has dtype {a.dtype}; only bool, int and float arrays are saved")
    key = f"a{len(arrays)}"
    arrays[key] = a
    return key


# --- load ---------------------------------------------------------------------------------------
def load(path: str | os.PathLike | Any, max_bytes: int = 2**32, *, weights_only: bool | None = None) -> Any:
    """Read a checkpoint written by ``save``; arrays come back as writeable numpy arrays, Tensors as Tensors.

    ``path`` may also be an open binary file (anything with ``read``), read from its current position.
    ``weights_only`` is accepted for ``torch.load`` code and changes nothing: autobp never unpickles, so
    every load is already restricted to data.

    Raises ``CheckpointError`` (a ValueError) naming ``path`` when the file is not a well-formed
    checkpoint: not a zip, truncated, a bad checksum, compressed or oversized members, object arrays or
    pickled data, malformed JSON, or a map that does not match the arrays. ``max_bytes`` caps the total
    array size accepted.
    """
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
    obj = _decode(header["root"], members, used, path, 0)
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


def _decode(node: Any, members: dict, used: set, path: str, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise _bad(path, f"the structure is nested more than {_MAX_DEPTH} levels deep")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict) or not node:
        raise _bad(path, f"unexpected entry of type {type(node).__name__} in the structure")
    tag = next(iter(node))
    if tag in ("__array__", "__tensor__"):
        allowed = {"__array__"} if tag == "__array__" else {"__tensor__", "requires_grad"}
        key = node[tag]
        if set(node) != allowed or not isinstance(key, str) or key == _STRUCTURE or key not in members:
            raise _bad(path, f"the structure refers to a missing or malformed array entry {node!r:.80}")
        arr = members[key]
        if arr.dtype.kind not in _ARRAY_KINDS:
            raise _bad(path, f"array {key!r} has dtype {arr.dtype}, which checkpoints never hold")
        used.add(key)
        if tag == "__array__":
            return arr
        if not isinstance(node["requires_grad"], bool) or (node["requires_grad"] and arr.dtype.kind != "f"):
            raise _bad(path, f"tensor entry {key!r} has a bad requires_grad flag")
        return Tensor(arr, requires_grad=node["requires_grad"], dtype=arr.dtype)
    if len(node) != 1 or not isinstance(node[tag], list):
        raise _bad(path, f"unknown entry {tag!r} in the structure")
    items = node[tag]
    if tag == "__dict__":
        out = {}
        for item in items:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) in (str, int)):
                raise _bad(path, "a dict entry in the structure is not a [str-or-int key, value] pair")
            out[item[0]] = _decode(item[1], members, used, path, depth + 1)
        return out
    if tag in ("__list__", "__tuple__"):
        seq = [_decode(v, members, used, path, depth + 1) for v in items]
        return seq if tag == "__list__" else tuple(seq)
    raise _bad(path, f"unknown entry {tag!r} in the structure")


__all__ = ["save", "load", "CheckpointError"]
