"""Where one pytree fails to be a prefix of another (JAX's ``prefix_errors``), and the functions that
need a prefix: ``tree_broadcast``/``broadcast_prefix``. A prefix's leaf stands for a whole subtree."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from ._keys import keystr
from ._registry import node_of


def _node(x: Any, is_leaf: Callable[[Any], bool] | None) -> tuple | None:
    if is_leaf is not None and is_leaf(x):
        return None
    return node_of(x, with_keys=True)


def _simple_keys(keys: list) -> str:
    return " ".join(keystr((k,), simple=True) for k in keys)


_NAME = "\x00name\x00"  # where the caller's name for the prefix tree goes (no str.format on user text)


def _error(head: str, path: tuple, body: str) -> Callable[[str], ValueError]:
    def make(name: str) -> ValueError:
        text = f"pytree structure error: {head} at key path\n    {_NAME}{keystr(path)}\n{body}"
        return ValueError(text.replace(_NAME, name))

    return make


def _errors(prefix: Any, full: Any, path: tuple, is_leaf: Any, out: list) -> None:
    p = _node(prefix, is_leaf)
    if p is None:
        return  # a leaf of the prefix matches any subtree
    f = _node(full, is_leaf)
    tp, tf = type(prefix), type(full)
    at = f"At that key path, the prefix pytree {_NAME} has a subtree of type"
    if f is None or tp is not tf:
        body = f"{at}\n    {tp}\nbut at the same key path the full pytree has a subtree of different type"
        body += f"\n    {tf}."
        out.append(_error("different types", path, body))
        return
    (_, pmeta, pch, pkeys), (_, fmeta, fch, fkeys) = p, f
    if tp in (list, tuple) and len(pch) != len(fch):
        word = tp.__name__
        body = (
            f"{at} {word} of length {len(pch)}, but the full pytree has a subtree of the same type but of "
            f"length {len(fch)}."
        )
        out.append(_error(f"different lengths of {word}", path, body))
        return
    if len(pch) != len(fch):
        diff = [k for k in pkeys if k not in fkeys] + [k for k in fkeys if k not in pkeys]
        body = (
            f"{at}\n    {tp}\nwith {len(pch)} child keys\n    {_simple_keys(pkeys)}\nbut at the same key "
            f"path the full pytree has a subtree of the same type but with {len(fch)} child keys\n    "
            f"{_simple_keys(fkeys)}\nso the symmetric difference on key sets is\n    {_simple_keys(diff)}"
        )
        out.append(_error("different numbers of pytree children", path, body))
        return
    pdata = pmeta[1] if isinstance(pmeta, tuple) else None  # dict keys, a custom node's aux data
    fdata = fmeta[1] if isinstance(fmeta, tuple) else None
    if not (pkeys == fkeys if isinstance(prefix, dict) else _equal(pdata, fdata)):
        body = (
            f"{at}\n    {tp}\nwith metadata\n    {pdata!r}\nbut at the same key path the full pytree has a "
            f"subtree of the same type but with metadata\n    {fdata!r}\nso the diff in the metadata at "
            f"these pytree nodes is\n{_diff(pdata, fdata)}"
        )
        out.append(_error("different pytree metadata", path, body))
        return
    for pc, fc, key in zip(pch, fch, pkeys):
        _errors(pc, fc, path + (key,), is_leaf, out)


def _diff(a: Any, b: Any) -> str:
    return "".join(f"    {line}\n" for line in difflib.ndiff([repr(a)], [repr(b)]))


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def prefix_errors(
    prefix_tree: Any, full_tree: Any, is_leaf: Callable[[Any], bool] | None = None
) -> list[Callable[[str], ValueError]]:
    """Every place where ``prefix_tree`` is not a prefix of ``full_tree`` (a leaf of the prefix matches
    any subtree), as functions ``name -> ValueError`` whose message gives the key path (after ``name``),
    the kind of difference (types, lengths, numbers of children, metadata) and both sides."""
    out: list = []
    _errors(prefix_tree, full_tree, (), is_leaf, out)
    return out


def broadcast_prefix(prefix_tree: Any, full_tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    """One leaf of ``prefix_tree`` per leaf of ``full_tree``: each prefix leaf repeated for the leaves of
    the subtree of ``full_tree`` it stands for."""
    from ._treedef import flatten

    leaves, treedef = flatten(prefix_tree, is_leaf)
    try:
        subtrees = treedef.flatten_up_to(full_tree)
    except ValueError:
        errors = prefix_errors(prefix_tree, full_tree, is_leaf)
        raise (errors[0] if errors else _error("mismatch", (), ""))("broadcast_prefix prefix_tree") from None
    out: list = []
    for leaf, sub in zip(leaves, subtrees):
        out.extend([leaf] * flatten(sub, is_leaf)[1].num_leaves)
    return out


def tree_broadcast(prefix_tree: Any, full_tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``full_tree``'s structure with each leaf of ``prefix_tree`` copied to every leaf of the subtree
    it stands for (a ValueError, "pytree structure error", when ``prefix_tree`` is not a prefix).

    >>> tree_broadcast((1, 2), (0, {"a": 0, "b": 0}))
    (1, {'a': 2, 'b': 2})
    """
    from ._treedef import flatten

    return flatten(full_tree, is_leaf)[1].unflatten(broadcast_prefix(prefix_tree, full_tree, is_leaf))
