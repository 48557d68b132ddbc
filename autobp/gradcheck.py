"""gradcheck / gradgradcheck: analytical Jacobians against central differences, with reports to act on.

The analytical side is ``functional.jacobian`` with ``create_graph=False`` (or one plain vjp per
random direction in ``fast_mode``): the plain backward rules, never a nested (recorded) pass; the
numerical side perturbs one input element at a time in float64.
Entries whose one-sided differences disagree are kinks and are reported as such.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional
from ._engine import run_backward
from ._gradcheck_complex import _is_complex, _items, _needs_realifying, _realified
from ._gradcheck_options import Options, fast_suspects, option_problems, options
from ._gradcheck_sanity import _perturbed_mismatch, _sanity, no_differentiable_output
from ._mismatches import _SHOWN, Mismatch, _compare
from .autograd import grad
from .tensor import Tensor
from .value import Value


class GradcheckError(RuntimeError):
    """gradcheck found derivatives that differ; ``mismatches`` lists the failing Jacobian entries."""

    def __init__(self, report: str, mismatches: list | None = None) -> None:
        super().__init__(report)
        self.report = report
        self.mismatches = list(mismatches or [])


class NonDifferentiableWarning(UserWarning):
    """gradcheck met a kink (one-sided derivatives differ) and accepted the analytical value there."""


def _raw(out: Any, cast: bool = True) -> list:
    """fn's float results (as float64 arrays when ``cast``), None for results that are not floats."""
    res = []
    for o in _items(out):
        arr = np.asarray(o.data if isinstance(o, (Tensor, Value)) else o)
        res.append(None if arr.dtype.kind != "f" else np.array(arr, dtype=np.float64) if cast else arr)
    return res


class _Problem:
    """``fn`` and its arguments: which are differentiated, and how to call fn on perturbed copies."""

    def __init__(self, fn: Callable[..., Any], args: tuple, who: str, eps: float) -> None:
        self.fn, self.args, self.who = fn, args, who
        self.scalar = any(isinstance(a, Value) for a in args)
        self.diff = [
            i
            for i, a in enumerate(args)
            if isinstance(a, Value) or (isinstance(a, Tensor) and a.requires_grad)
        ]
        if not self.diff:
            raise ValueError(f"{who}: no input requires grad; give the inputs to check requires_grad=True")
        raw = [np.asarray(args[i].data) for i in self.diff]
        self.dtypes = [r.dtype for r in raw]
        self.base = [np.array(r, dtype=np.float64) for r in raw]
        self.low_precision = any(d.itemsize < 8 for d in self.dtypes)
        self.upcast = self.low_precision and self._accepts_float64()
        self.eps = max(eps, 1e-3) if self.low_precision and not self.upcast else eps
        native = self.low_precision and not self.upcast
        self.x0 = [b.astype(d if native else np.float64) for b, d in zip(self.base, self.dtypes)]
        self.in_names = [f"input {i}" for i in self.diff]
        self.out_names: list[str] = []
        self.f0: list | None = None  # fn's outputs at the unperturbed inputs, as float64
        self.meta: list | None = None  # their (shape, dtype), which perturbed inputs must give too

    def call(self, arrays: list, upcast: bool) -> Any:
        args = list(self.args)
        if upcast:
            for i, a in enumerate(args):
                if isinstance(a, Tensor) and a.dtype.kind == "f":
                    args[i] = Tensor(a.data.astype(np.float64), requires_grad=a.requires_grad)
        for i, arr in zip(self.diff, arrays):
            args[i] = Value(float(arr)) if self.scalar else Tensor(arr, requires_grad=True, dtype=arr.dtype)
        return self.fn(*args)

    def outputs(self, arrays: list) -> list:
        """fn's float results at ``arrays`` as float64; each call must give the shapes and dtypes the
        first gave (else the difference quotients would broadcast or compare unlike values)."""
        raw = _raw(self.call(arrays, self.upcast), cast=False)
        meta = [None if r is None else (r.shape, r.dtype) for r in raw]
        if self.meta is None:
            self.meta = meta
        elif meta != self.meta:
            _perturbed_mismatch(self.who, self.meta, meta)
        return [None if r is None else np.array(r, dtype=np.float64) for r in raw]

    def one_sided(self, k: int, j: int, h: float) -> tuple[list, list]:
        """Forward and backward difference quotients of every output, for element j of input k."""
        b = self.base[k].reshape(-1)
        if self.f0 is None:
            self.f0 = self.outputs(self.x0)
        f0, evals, steps = self.f0, [], []
        for sign in (1.0, -1.0):
            xs = list(self.x0)
            xs[k] = self.x0[k].copy()
            xs[k].reshape(-1)[j] = b[j] + sign * h
            steps.append(abs(float(xs[k].reshape(-1)[j]) - b[j]))  # the step the dtype allowed
            evals.append(self.outputs(xs))
        fwd = [None if f is None else ((fp - f) / steps[0]).reshape(-1) for fp, f in zip(evals[0], f0)]
        bwd = [None if f is None else ((f - fm) / steps[1]).reshape(-1) for fm, f in zip(evals[1], f0)]
        return fwd, bwd

    def _accepts_float64(self) -> bool:
        try:
            outs = _raw(self.call(self.base, True), cast=False)
            return all(o is None or o.dtype == np.float64 for o in outs)
        except Exception:
            return False

    def wrapped(self) -> Callable[..., tuple]:
        """fn as a function of the differentiated Tensors only, returning a tuple of Tensors."""

        def fn(*xs: Tensor) -> tuple:
            args = list(self.args)
            for i, x in zip(self.diff, xs):
                args[i] = x
            return tuple(
                o if isinstance(o, Tensor) else Tensor._const(np.asarray(o)) for o in _items(self.fn(*args))
            )

        return fn


def _numerical(p: _Problem, ks: list[int]) -> tuple[list, tuple]:
    """Output shapes and (central, forward, backward)[o][k]: (out_size, in_size) difference quotients."""
    f0 = p.f0 = p.outputs(p.x0)
    shapes = [None if f is None else f.shape for f in f0]
    quotients = tuple([[None] * len(p.base) for _ in f0] for _ in range(3))
    for k in ks:
        size = p.base[k].size
        for o, f in enumerate(f0):
            if f is not None:
                for q in quotients:
                    q[o][k] = np.zeros((f.size, size))
        for j in range(size):
            fwd, bwd = p.one_sided(k, j, p.eps)
            for o, (fw, bw) in enumerate(zip(fwd, bwd)):
                if fw is not None:
                    quotients[0][o][k][:, j] = (fw + bw) / 2
                    quotients[1][o][k][:, j] = fw
                    quotients[2][o][k][:, j] = bw
    return shapes, quotients


def _analytical(p: _Problem) -> list:
    """blocks[o][k]: d output o / d input p.diff[k] as (out_size, in_size) float64 arrays."""
    if p.scalar:
        leaves = [Value(float(b)) for b in p.base]
        args = list(p.args)
        for i, leaf in zip(p.diff, leaves):
            args[i] = leaf
        blocks = []
        for o in _items(p.fn(*args)):
            gs = run_backward([o], [1.0], inputs=leaves) if isinstance(o, Value) else [None] * len(leaves)
            blocks.append([np.array([[0.0 if g is None else float(g)]]) for g in gs])
        return blocks
    xs = [p.args[i] for i in p.diff]
    # one plain backward per row: the rules exactly as backward() runs them, not their batched forms
    # nor their create_graph forms (create_graph=False: fresh leaves, whatever graph xs are on)
    jac = functional.jacobian(p.wrapped(), xs, vectorize=False, create_graph=False)
    return [[_block(b, x) for b, x in zip(row, xs)] for row in jac]


def _block(b: Tensor, x: Tensor) -> np.ndarray:
    """A Jacobian block of shape out.shape + x.shape as a float64 (out_size, x.size) matrix."""
    out_size = int(np.prod(b.shape[: b.ndim - x.ndim]))
    return np.array(b.data, dtype=np.float64).reshape(out_size, x.size)


def _run(
    p: _Problem, atol: float, rtol: float, fast_mode: bool, seed: int, raise_exception: bool, opts: Options
) -> bool:
    rng = np.random.default_rng(seed)
    notes = []
    if p.low_precision and p.upcast:
        notes.append(
            "the inputs are low precision: the numerical side ran on float64 copies (fn accepts them), "
            "the analytical side in the inputs' own dtype"
        )
    elif p.low_precision:
        notes.append(
            f"fn does not return float64 for float64 inputs, so the numerical side ran in low precision "
            f"with eps={p.eps:g}: expect noise"
        )
    lines, failures, kinks = [], [], []
    # An exception raised by fn or by its backward propagates as it is, as in PyTorch (only the
    # comparisons below make a GradcheckError, or False with raise_exception=False).
    ks = list(range(len(p.diff)))
    if fast_mode and not p.scalar:
        ks = fast_suspects(p, atol, rtol, rng)
        if ks:
            notes.append(
                "fast mode flagged " + ", ".join(p.in_names[k] for k in ks) + "; entries from a full check"
            )
    if ks:
        a = _analytical(p)
        shapes, q = _numerical(p, ks)
        if not p.out_names:
            p.out_names = [f"output {o}" for o in range(len(shapes))]
        lines, failures, kinks = _compare(p, a, shapes, q, ks, atol, rtol)
    problems = [] if p.scalar else _sanity(p, rng, opts.nondet_tol) + option_problems(p, opts, rng)
    if kinks:
        shown = "; ".join(
            f"{p.in_names[p.diff.index(m.input)]}, element {m.input_index} (one-sided derivatives of "
            f"{p.out_names[m.output]} element {m.output_index}: {m.one_sided[0]:.6g} and "
            f"{m.one_sided[1]:.6g}, analytical {m.analytical:.6g})"
            for m in kinks[:_SHOWN]
        )
        more = f" and {len(kinks) - _SHOWN} more" if len(kinks) > _SHOWN else ""
        warnings.warn(
            NonDifferentiableWarning(
                f"{p.who}: not differentiable at {shown}{more}; the analytical value "
                "lies between the one-sided derivatives, so it was accepted"
            ),
            stacklevel=3,
        )
    if not lines and not problems:
        return True
    report = [f"{p.who} failed"]
    if lines and not p.scalar and no_differentiable_output(p):  # PyTorch's words for this case
        report[0] += ": Numerical gradient for function expected to be zero (no output requires grad)"
    if lines:
        report += ["  analytical and numerical derivatives differ:", *lines]
        report.append(
            f"  tolerance: |analytical - numerical| <= atol + rtol * |numerical| with atol={atol:g}, "
            f"rtol={rtol:g}; central differences with eps={p.eps:g}"
        )
    report += [f"  {x}" for x in problems]
    report += [f"  note: {x}" for x in notes]
    if p.low_precision and lines:
        report.append("  hint: the inputs are float32: use float64 inputs for gradcheck")
    if not raise_exception:
        return False
    raise GradcheckError("\n".join(report), failures)


def _args(inputs: Any) -> tuple:
    return tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    fast_mode: bool = False,
    seed: int = 0,
    check_forward_ad: bool = False,
) -> bool:
    """Check fn's derivatives for every input that requires grad against central differences.

    ``fn`` takes ``inputs`` (Tensors, Values or other arguments) and returns one or
    more Tensors (or Values). Returns True, or raises ``GradcheckError`` naming the
    output, the input and the worst elements (returns False if not ``raise_exception``).

    Complex inputs and outputs are checked in PyTorch's convention: the real and imaginary parts of
    each complex input are perturbed separately (reported as ``Re(input i)``/``Im(input i)``), and each
    complex output counts as its real and imaginary parts.

    PyTorch's keywords: ``fast_mode`` checks random projections u^T J v first (a full check of the
    inputs they flag); ``nondet_tol`` is how far two backward passes with the same cotangents may
    differ (0: exactly equal); ``check_undefined_grad`` (on by default) requires zero input gradients
    from zero output gradients; ``check_grad_dtypes`` requires each gradient in its input's dtype;
    ``check_batched_grad`` compares the batched reverse pass (vmap of the vjp, which
    ``functional.jacobian`` runs) with one backward per cotangent; ``check_forward_ad`` compares the
    forward mode (``func.jvp``) with the reverse mode.

    >>> gradcheck(lambda x: (x * x).sum(), Tensor([1.0, 2.0], requires_grad=True))
    True
    """
    opts = options(nondet_tol, check_undefined_grad, check_grad_dtypes, check_batched_grad, check_forward_ad)
    args = _args(inputs)
    names = None
    if _needs_realifying(fn, args):
        fn, args, names = _realified(fn, args)
    p = _Problem(fn, args, "gradcheck", eps)
    if names is not None:
        p.in_names = [names[i] for i in p.diff]
    return _run(p, atol, rtol, fast_mode, seed, raise_exception, opts)


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    fast_mode: bool = False,
    seed: int = 0,
) -> bool:
    """gradcheck of fn's vector-Jacobian product (``create_graph=True``) w.r.t. inputs and ``grad_outputs``.

    ``grad_outputs`` (one per float output; random when None) is the vector v in
    v^T J; second derivatives must be right for this to pass. In the report and in
    ``GradcheckError.mismatches``, inputs numbered from ``len(inputs)`` on are the grad_outputs.
    ``nondet_tol`` and the ``check_*`` keywords apply to the vector-Jacobian product (see gradcheck).
    """
    opts = options(nondet_tol, check_undefined_grad, check_grad_dtypes, check_batched_grad)
    args = _args(inputs)
    if any(isinstance(a, Value) for a in args):
        raise TypeError("gradgradcheck: Value graphs have first derivatives only; check Tensor functions")
    if _needs_realifying(fn, args):  # complex: the real function of the real and imaginary parts
        if grad_outputs is not None:
            gos = []
            for g, o in zip(_args(grad_outputs), [o for o in _items(fn(*args)) if isinstance(o, Tensor)]):
                arr = np.asarray(g.data if isinstance(g, Tensor) else g)
                gos += [arr.real, arr.imag] if _is_complex(o) else [arr]
            grad_outputs = tuple(gos)
        fn, args, _ = _realified(fn, args)
    diff = _Problem(fn, args, "gradgradcheck", eps).diff
    outs = _items(fn(*args))
    live = [k for k, o in enumerate(outs) if isinstance(o, Tensor) and o.dtype.kind == "f"]
    if grad_outputs is None:
        rng = np.random.default_rng(seed + 1)
        gos = [rng.standard_normal(outs[k].shape).astype(outs[k].dtype) for k in live]
    else:
        gos = _args(grad_outputs)
        if len(gos) != len(live):
            raise ValueError(f"gradgradcheck: {len(gos)} grad_outputs for {len(live)} float outputs")
    vs = []
    for k, g in zip(live, gos):
        arr = np.asarray(g.data if isinstance(g, Tensor) else g, dtype=outs[k].dtype)
        if arr.shape != outs[k].shape:
            raise ValueError(
                f"gradgradcheck: grad_outputs for output {k} has shape {arr.shape}, "
                f"but the output has shape {outs[k].shape}"
            )
        vs.append(Tensor(arr, requires_grad=True, dtype=arr.dtype))
    n = len(args)

    def first_derivative(*all_args: Any) -> tuple:
        xs, v = all_args[:n], all_args[n:]
        items = _items(fn(*xs))
        pairs = [(items[k], g) for k, g in zip(live, v) if items[k].requires_grad]
        targets = [xs[i] for i in diff]
        gs = [None] * len(targets)
        if pairs:
            gs = grad(
                [o for o, _ in pairs],
                targets,
                grad_outputs=[g for _, g in pairs],
                create_graph=True,
                allow_unused=True,
            )
        return tuple(
            Tensor._const(np.zeros(t.shape, t.dtype)) if g is None else g for g, t in zip(gs, targets)
        )

    p = _Problem(first_derivative, (*args, *vs), "gradgradcheck", eps)
    p.in_names = [f"input {i}" for i in diff] + [f"grad_outputs[{k}]" for k in range(len(vs))]
    p.out_names = [f"the gradient of input {i}" for i in diff]
    return _run(p, atol, rtol, fast_mode, seed, raise_exception, opts)


__all__ = ["GradcheckError", "Mismatch", "NonDifferentiableWarning", "gradcheck", "gradgradcheck"]
