"""``jacrev``, ``jacfwd`` and ``hessian`` as torch.func and JAX define them: the arguments picked by
``argnums`` and the function's output may be pytrees (nested tuples, lists and dicts of Tensors). The
result has the output's structure, each output Tensor replaced by its Jacobian with respect to the
picked argument (that argument's structure), or to each of them (a tuple, for a tuple ``argnums``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._func_trees import FuncArgumentTypeError, check_argnums, flat_outputs, split_aux, wraps_transformed
from .functional import jacobian as _jacobian
from .pytree import tree_flatten
from .tensor import Tensor


def _wrt(
    fn: Callable[..., Any],
    argnums: int | Sequence[int],
    strategy: str,
    who: str,
    has_aux: bool,
    holomorphic: bool = False,
) -> Callable:
    via = "a vjp of f" if strategy == "reverse-mode" else "a jvp of f"
    out_who = f"{who}(f)(*args) ({via})"

    @wraps_transformed(fn)
    def jac(*args: Any) -> Any:
        nums = check_argnums(argnums, len(args), who)
        main, aux = split_aux(fn, has_aux, f"{who}(f)(*args)")
        flat, defs = [], []
        for i in nums:
            leaves, tdef = tree_flatten(args[i])
            defs.append((tdef, len(flat), len(flat) + len(leaves)))
            flat.extend(leaves)
        if holomorphic:
            _check_complex(flat, who, "inputs")
        else:
            _check_real(flat, who, "inputs")
        plain = not any(isinstance(a, Tensor) for a in flat)  # JAX-style: numbers out are constants
        spec: dict = {}

        def of_flat(*xs: Any) -> tuple:
            full = list(args)
            for i, (tdef, a, b) in zip(nums, defs):
                full[i] = tdef.unflatten(xs[a:b])
            outs, spec["out"] = flat_outputs(main(*full), out_who, numbers_ok=plain)
            if holomorphic:
                _check_complex(outs, who, "outputs")
            else:
                _check_real(outs, who, "outputs")
            return tuple(outs)

        # differentiable when an outer graph needs it (an argument, picked or not, requires grad)
        fresh = [_complex_leaf(a) for a in flat] if holomorphic else flat
        blocks = _jacobian(of_flat, tuple(fresh), strategy=strategy)
        if (
            holomorphic
            and fresh is not flat
            and not any(isinstance(a, Tensor) and a.requires_grad for a in flat)
        ):
            blocks = [[b.detach() for b in row] for row in blocks]  # no outer graph: constants, as otherwise
        if holomorphic and strategy == "reverse-mode":  # rows are conj(df/dz) (PyTorch's convention)
            blocks = [[b.conj() for b in row] for row in blocks]
        if strategy == "reverse-mode":  # a gradient has its input's dtype (the batched pass promotes)
            dts = [_dtype_of(a) for a in flat]
            blocks = [[_as_dtype(b, d) for b, d in zip(row, dts)] for row in blocks]
        per_out = []
        for row in blocks:  # one row per output Tensor: its blocks for every picked leaf
            trees = tuple(tdef.unflatten(row[a:b]) for tdef, a, b in defs)
            per_out.append(trees[0] if isinstance(argnums, int) else trees)
        res = spec["out"].unflatten(per_out)
        return (res, aux[0]) if has_aux else res

    return jac


def _check_real(leaves: list, who: str, what: str) -> None:
    """torch.func's jacrev/jacfwd are for real functions: a complex input or output is refused (a complex
    output's Jacobian came back zero from the reverse pass before)."""
    for k, leaf in enumerate(leaves):
        if np.iscomplexobj(leaf._data if isinstance(leaf, Tensor) else leaf):
            raise FuncArgumentTypeError(
                f"{who}: Expected all {what} to be real but received complex tensor at flattened {what[:-1]} "
                f"idx: {k} (differentiate its real and imaginary parts as two real {what}, or pass "
                f"holomorphic=True: {who} requires real-valued {what} (input dtype that is a sub-dtype of "
                "np.floating), but got complex)"
            )


def _dtype_of(a: Any) -> np.dtype:
    arr = a._data if isinstance(a, Tensor) else np.asarray(a)
    return arr.dtype if arr.dtype.kind in "fc" else np.dtype(np.float64)


def _as_dtype(b: Any, dtype: np.dtype) -> Any:
    if isinstance(b, Tensor) and b.dtype != dtype and b.dtype.kind == dtype.kind:
        return b.astype(dtype)
    return b


def _complex_leaf(a: Any) -> Any:
    """A complex argument as a leaf of its own (``functional.jacobian`` takes real arrays only); a Tensor
    already on a graph stays itself (nesting)."""
    if isinstance(a, Tensor) and a.requires_grad:
        return a
    arr = np.array(a._data if isinstance(a, Tensor) else a)
    return Tensor(arr, requires_grad=True, dtype=arr.dtype)


def _check_complex(leaves: list, who: str, what: str) -> None:
    """JAX's ``holomorphic=True``: inputs and outputs must be complex (a TypeError otherwise, as JAX's)."""
    for leaf in leaves:
        if not np.iscomplexobj(leaf._data if isinstance(leaf, Tensor) else leaf):
            dtype = leaf.dtype if isinstance(leaf, Tensor) else np.asarray(leaf).dtype
            raise TypeError(
                f"{who} with holomorphic=True requires {what} with complex dtype, but got {dtype} "
                "(a real value has no complex derivative: pass it as complex, x + 0j)"
            )


def _check_chunk_size(chunk_size: Any, who: str) -> None:
    bad = isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    if chunk_size is not None and bad:
        raise ValueError(f"{who}: `chunk_size` should be greater than 0. Got {chunk_size!r}")


def jacrev(
    fn: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: bool = False,
    chunk_size: int | None = None,
    holomorphic: bool = False,
) -> Callable:
    """The Jacobian of ``fn`` with respect to argument(s) ``argnums``, as a function: all rows from
    one batched reverse pass (``functional.jacobian``); shape ``out.shape + arg.shape``. Arguments and
    output may be pytrees (see the module). With ``has_aux``, ``fn`` returns ``(output, aux)`` and the
    result is ``(jacobian, aux)``; ``chunk_size`` (torch.func's; None or a positive int) is checked and
    accepted, and the rows still come from one pass. Complex inputs or outputs are refused (torch.func's),
    unless ``holomorphic=True`` (JAX's): then both must be complex and the result is df/dz.

    >>> jacrev(lambda x: x * x)(Tensor([1.0, 2.0])).data
    array([[2., 0.],
           [0., 4.]])
    """
    _check_chunk_size(chunk_size, "jacrev")
    return _wrt(fn, argnums, "reverse-mode", "jacrev", has_aux, holomorphic)


def jacfwd(
    fn: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: bool = False,
    randomness: str = "error",
    holomorphic: bool = False,
) -> Callable:
    """``jacrev``'s result column by column (one batched pass over unit tangents): cheaper when the
    arguments have fewer elements than the outputs. ``randomness`` is accepted for torch.func's
    signature (``fn`` runs once); ``holomorphic`` as ``jacrev``'s."""
    if randomness not in ("different", "same", "error"):
        raise ValueError(f"jacfwd: randomness must be 'different', 'same' or 'error', got {randomness!r}")
    return _wrt(fn, argnums, "forward-mode", "jacfwd", has_aux, holomorphic)


def hessian(
    fn: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
) -> Callable:
    """The Hessian of a scalar ``fn`` with respect to ``argnums``, as a function: ``jacfwd(jacrev(fn))``
    as torch.func and JAX define it; shape ``arg.shape + arg.shape`` (nested tuples for several). JAX's
    ``has_aux`` (``fn`` returns ``(output, aux)``; the result is ``(hessian, aux)``) and ``holomorphic``
    (complex ``fn`` of complex arguments: the second complex derivative) are accepted.

    >>> hessian(lambda x: (x ** 3).sum())(Tensor([1.0, 2.0])).data
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    inner = jacrev(fn, argnums, has_aux=has_aux, holomorphic=holomorphic)
    return jacfwd(inner, argnums, has_aux=has_aux, holomorphic=holomorphic)
