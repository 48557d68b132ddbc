"""Tensor: a numpy array that records the ops applied to it, PyTorch-style.

Ops build a graph only when grad mode is on and some input requires grad.
``backward()`` frees the graph unless ``retain_graph=True``; leaves add into
``.grad`` (an ndarray of the leaf's shape and dtype that also has PyTorch's Tensor methods, see
_grad_array.py; after ``create_graph=True`` a Tensor carrying that pass's graph, as in PyTorch) across calls.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _dispatch, _tensor_data
from ._conversions import CONVERSIONS
from ._device import check_device
from ._engine import _plain_backward, run_backward
from ._grad_array import GRAD, GradArray
from ._graph import _mode, next_seq, off_threads
from ._graph import hooks as _hooks
from ._graph_grad import receive_graph_grad
from ._graph_nodes import node_of, run_accumulate, run_pre
from ._inplace import NOGRAD_VIEWS, TrackedArray, check_nograd_inputs
from ._numpy_ops import NumpyOps, NumpyOpsOwningG
from ._seeds import graph_seed, input_values, integer_leaf_error, seed_of, warn_grad_cycle
from ._size import _check_float, _Size
from ._tensor_data import _as_array, _lift, set_data  # noqa: F401  _lift: imported from here by the ops
from ._tensor_hooks import (
    GradHooks,
    RemovableHandle,
    register_hook,
    register_post_accumulate_grad_hook,
    retain_grad,
    run_leaf_hooks,
)
from ._views import _view, add_view, tensor_getstate  # noqa: F401  imported from here by the view ops
from .memory_format import grad_layout

_DETACHED = ("detach", None)  # a detached tensor's view op: it follows its source's data, off the graph
_new = object.__new__  # makes a Tensor without running __init__ (op results set their slots directly)


class Tensor:
    """An n-dimensional array node; ``requires_grad=True`` makes it a leaf to differentiate.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward(); x.grad
    array([2., 4.])
    """

    __slots__ = (
        "_data",
        "requires_grad",
        "_parents",
        "_op",
        "_ctx",
        "_retains_grad",
        "_seq",
        "_same",  # an op result whose inputs all have its shape: backward sums no gradient back
        "__dict__",  # the rarely set attributes below, stored only when set (most results keep them all)
        "__weakref__",
    )
    # Defaults that an op's result does not write (each write is a cost on every op of a tiny net):
    _grad: Any = None  # the gradient the engine adds into; user code reads it as .grad:
    grad = GRAD  # a GradArray view of it, made at the first read (_grad_array.py)
    name: str | None = None
    _version = 0  # in-place writes to the data (see _inplace.py)
    _written_at = 0  # when the latest one happened, on the creation clock
    _source: Any = None  # set only by detach() and views: the tensor whose memory this one shares
    _views: Any = None  # weak references to the views made of this one by basic indexing (ops/scatter.py)
    _nograd_view: Any = None  # "no_grad"/"inference mode": a view made so of a tensor requiring grad
    _view_op: Any = None  # (op, ctx) of a view made without a graph: how a recorded write remakes it
    __hash__ = object.__hash__  # identity: == builds a comparison tensor
    __getstate__ = tensor_getstate  # pickles without the (weak) list of views
    _keeps_graph = False
    _raw_ops = NumpyOps
    _owning_ops = NumpyOpsOwningG

    def __init__(self, data: Any = (), requires_grad: bool = False, dtype: Any = None) -> None:
        # integers and bools keep their dtype, as in numpy and PyTorch (class labels, indices); data
        # to differentiate becomes the default dtype (float64 unless set) unless a dtype is given
        arr = _as_array(data, dtype, keep_ints=not requires_grad)
        if requires_grad:
            _check_float(arr, "Tensor(requires_grad=True)")
        self._data = arr
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._op = None
        self._ctx = None
        self._retains_grad = False
        self._seq = next_seq()
        self._same = False

    @staticmethod
    def _const(data: np.ndarray) -> Tensor:
        t = Tensor.__new__(Tensor)
        t._data = data if type(data) is np.ndarray else np.asarray(data)  # numpy scalars from 0-d ops
        t.requires_grad = False
        t._parents = ()
        t._op = None
        t._ctx = None
        t._retains_grad = False
        t._seq = next_seq()
        t._same = False
        return t

    @staticmethod
    def _make(data: Any, parents: tuple, op: str, ctx: Any = None, same: bool = False) -> Tensor:
        """The result of an op: recorded in the graph if grad mode is on and any input needs it.
        ``same``: the caller knows every input has the result's shape (an elementwise op of one
        input, or of inputs of one shape), so the rule's gradients need no summing back."""
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        if NOGRAD_VIEWS[0]:  # a view made under no_grad, its memory written since, refuses (PyTorch's)
            for p in parents:
                if p._nograd_view is not None:
                    check_nograd_inputs(parents)
                    break
        t = _new(Tensor)
        t._data = data
        t._retains_grad = False
        t._seq = next_seq()
        t._same = same
        if not off_threads or _mode.enabled:  # no thread has grad mode off, or this one has it on
            for p in parents:
                if p.requires_grad:
                    t.requires_grad = True
                    t._parents = parents
                    t._op = op
                    t._ctx = ctx
                    if _hooks.on_make is not None:
                        _hooks.on_make(t, op, parents)
                    return t
        t.requires_grad = False
        t._parents = ()
        t._op = None
        t._ctx = ctx if _hooks.on_make is not None else None  # replay reads it
        if _hooks.on_make is not None:
            _hooks.on_make(t, op, parents)
        return t

    _graph_namespace: Any = None  # the rules' F under create_graph, set by autobp.ops

    @classmethod
    def _graph_ops(cls) -> Any:
        return cls._graph_namespace

    def _receive_grad(self, g: Any, delivered: set, pre: bool = True) -> Any:
        """``g`` is this tensor's complete gradient (the pass calls this for a non-leaf whose
        ``_retains_grad`` flag is set: hooks or retain_grad, see _tensor_hooks.py): run the hooks, keep
        the result in ``.grad`` if retained, then (``pre``) its grad_fn's pre-hooks; returns the gradient
        that flows on to the inputs."""
        if self._op is None:  # a leaf (replay delivers them here): its hooks run in _receive_grads
            Tensor._receive_grads(((self, g),), delivered)
            return g
        hooks = self._retains_grad
        if hooks.__class__ is GradHooks:
            new = hooks.run(self, g)
            if new is not g:  # the hook's array is the user's: copy it if it reaches a .grad
                delivered.add(id(new))
                g = new
            if hooks.retains:
                Tensor._receive_grads(((self, g),), delivered, False)
            return run_pre(self, hooks, g, delivered) if pre and hooks.pre else g
        Tensor._receive_grads(((self, g),), delivered, False)
        return g

    @staticmethod
    def _receive_grads(pairs: Any, delivered: set, hooks: bool = True, post: bool = True) -> None:
        """Add each (tensor, gradient) pair's gradient into the tensor's ``.grad``, as the tensor's
        dtype; copy a gradient that is a view or whose array ``delivered`` says went to a .grad already.
        With ``hooks``, a leaf's hooks first see the gradient and may replace it; with ``post``, its
        post-accumulate hooks are called once the gradient is in ``.grad``."""
        for t, g in pairs:  # one loop for all the leaves of a pass: tiny nets pay per call
            if post and t._retains_grad.__class__ is GradHooks:
                hooked = t._retains_grad
                if hooks:
                    g = run_leaf_hooks(t, g, delivered)
                if hooked.post or ((hooked.pre or hooked.npost) and t._op is None):  # AccumulateGrad's
                    run_accumulate(t, hooked, g, delivered, Tensor._receive_grads)
                    continue
            if type(g) is not np.ndarray:
                if isinstance(g, Tensor):  # from a create_graph pass: .grad keeps its graph
                    receive_graph_grad(t, g)
                    continue
                g = np.asarray(g)
            dtype = t._data.dtype
            if g.dtype is not dtype and g.dtype != dtype:
                if dtype.kind not in "fc":  # requires_grad assigned to an integer tensor: never truncate
                    raise integer_leaf_error(t, g)
                if g.dtype.kind == "c" and dtype.kind != "c":  # a real leaf of a complex result: the
                    g = g.real  # gradient is the real part (PyTorch's convention, docs/concepts/complex.md)
                g = g.astype(dtype)
            elif g.base is not None or id(g) in delivered:  # a view, or handed out already
                g = g.copy()
            delivered.add(id(g))
            if t._grad is None:
                t._grad = g if t._data.flags.c_contiguous else grad_layout(g, t._data)
            elif type(t._grad) is Tensor:  # a create_graph pass left a Tensor: add out of place
                t._grad = t._grad + g
            else:
                t._grad += g

    def _zero_grad(self, set_to_none: bool) -> None:
        """Clear ``.grad``: to None, or to zeros written in place so later backwards add into it
        (in place only into an array the engine made, never into one set by hand that may be shared)."""
        g = self._grad
        if set_to_none or g is None:
            self._grad = None
        elif (
            isinstance(g, np.ndarray)
            and g.flags.writeable
            and (g.base is None or (g.__class__ is GradArray and g._own))
        ):
            g.fill(0)
        else:
            self._grad = np.zeros_like(self._data)

    # --- attributes ----------------------------------------------------------
    @property
    def data(self) -> np.ndarray:
        """The values, as an ndarray view that also answers PyTorch's Tensor methods (``copy_``,
        ``normal_``, ``clone``, ``view``...); writing into it counts as an in-place change."""
        view = self._data.view(TrackedArray)
        view._owner = self
        return view

    @data.deleter
    def data(self) -> None:  # (not Tensor.__delattr__: CPython would send every attribute write through it)
        raise RuntimeError("Deleting tensor data is not allowed. Delete tensor instead!")

    @data.setter
    def data(self, value: Any) -> None:
        set_data(self, value)

    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def size(self) -> _Size:
        """The number of elements (numpy's ``a.size``); also callable as PyTorch's ``t.size()`` (the
        shape) and ``t.size(dim)`` (one side)."""
        return _Size(self._data.size, self._data.shape)

    def numel(self) -> int:
        """The number of elements (PyTorch's name)."""
        return self._data.size

    def dim(self) -> int:
        """The number of axes (PyTorch's name for ``ndim``)."""
        return self._data.ndim

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op (they receive ``.grad``)."""
        return self._op is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that computes this tensor's inputs' gradients (``name()``, ``next_functions``,
        ``register_hook``...: _graph_nodes.py; ``.op`` is the op's name), or None for a leaf."""
        if self._nograd_view is not None:
            check_nograd_inputs((self,))
        return None if self._op is None else node_of(self)

    def detach(self) -> Tensor:
        """The same data, cut from the graph (no copy); writes through it count for this tensor too, and
        it sees this tensor's recorded writes (listed among its views), as PyTorch's shares storage."""
        t = Tensor._const(self._data)
        t._source = self
        t._view_op = _DETACHED
        add_view(self, t)
        return t

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor (PyTorch's): any leaf; a non-leaf already
        requires grad, so only ``requires_grad_(False)`` is refused there (``detach()`` it instead)."""
        if not self.is_leaf:
            if requires_grad:
                return self
            raise RuntimeError(
                "requires_grad_: only leaves can change requires_grad (PyTorch: you can only change "
                f"requires_grad flags of leaf variables); this tensor is the result of op {self._op!r}; "
                "to use it without a graph, take var.detach()"
            )
        if requires_grad:
            _check_float(self._data, "requires_grad_")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Also fill ``.grad`` of this non-leaf tensor during backward (a no-op on a leaf, which does)."""
        retain_grad(self)

    def register_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(grad)`` when backward has computed this tensor's gradient; a non-None return
        replaces it (what flows on to the inputs, or what a leaf adds into ``.grad``). Returns a
        handle whose ``remove()`` unregisters it. PyTorch's ``Tensor.register_hook``."""
        return register_hook(self, hook)

    def register_post_accumulate_grad_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(self)`` after backward has added this leaf's gradient into ``.grad`` (PyTorch's
        ``Tensor.register_post_accumulate_grad_hook``, e.g. for an optimizer step per parameter);
        returns a handle whose ``remove()`` unregisters it. Refused on a non-leaf, as in PyTorch."""
        return register_post_accumulate_grad_hook(self, hook)

    # --- numpy interoperability: numpy's functions record on the graph or raise ----------------
    # (conversions to Python numbers, lists and strings: item, tolist, len, bool, float, int, format,
    # index, repr are in _conversions.py, attached below the class)
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """``np.asarray(t)``: the values, without a gradient (the explicit way out of the graph)."""
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._data

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return _dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        return _dispatch.array_function(func, args, kwargs)

    # --- autodiff ------------------------------------------------------------
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires grad.

        ``gradient`` is required for a non-scalar tensor (the vector in the
        vector-Jacobian product). The graph is freed unless ``retain_graph``.
        ``inputs`` (tensors, leaves or not): accumulate into their ``.grad`` only, running only the
        rules between ``self`` and them (PyTorch's ``backward(inputs=...)``).
        """
        if not self.requires_grad:
            raise RuntimeError(
                f"backward: this tensor (shape {self.shape}) does not require grad and has no "
                "graph; create its inputs with requires_grad=True (and not inside no_grad())"
            )
        seed = seed_of(self, gradient, "backward")
        if create_graph:
            seed = graph_seed(self, gradient, seed)
            warn_grad_cycle()
        if retain_graph is None:
            retain_graph = create_graph
        if inputs is None:
            if not create_graph and _hooks.on_rule is None and not _hooks.general:  # loss.backward()
                _plain_backward(self, seed, not retain_graph, type(self))  # what run_backward picks, directly
                return
            run_backward([self], [seed], retain_graph=retain_graph, create_graph=create_graph)
            return
        inputs = input_values(inputs)  # a dict's values, GradientEdges' tensors
        ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        if not ins:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        for i, t in enumerate(ins):
            if not isinstance(t, Tensor) or not t.requires_grad:
                raise RuntimeError(f"backward: inputs[{i}] is not a Tensor that requires grad")
        run_backward(
            [self], [seed], inputs=ins, retain_graph=retain_graph, create_graph=create_graph, accumulate=True
        )


_tensor_data.Tensor = Tensor  # _as_array and _lift test for and make Tensors (see _tensor_data.py)

for _name, _fn in CONVERSIONS.items():  # item, tolist, len, bool, float, int, format, repr...
    setattr(Tensor, _name, _fn)


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None, *, device: Any = None) -> Tensor:
    """Make a Tensor (PyTorch's ``torch.tensor``) with numpy's dtype for the data (Python floats take the
    default dtype, float64 unless ``set_default_dtype`` changed it; integers and bools stay so). Integer
    or bool data with ``requires_grad=True`` is refused with PyTorch's words (give ``dtype=float``); the
    ``Tensor(...)`` constructor makes it the default dtype."""
    check_device(device, "tensor")
    if not requires_grad:
        return Tensor(data, dtype=dtype)
    t = Tensor(data, dtype=dtype)
    _check_float(t._data, "tensor(requires_grad=True)")
    t.requires_grad = True
    return t
