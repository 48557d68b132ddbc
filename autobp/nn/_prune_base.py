"""The mechanics of ``nn.utils.prune`` (see prune.py): ``BasePruningMethod`` (mask computation, the
``<name>_orig`` / ``<name>_mask`` reparametrization and its forward pre-hook) and ``PruningContainer``
(iterative pruning: each new method acts on what the earlier ones left)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from .._graph import no_grad
from ..tensor import Tensor
from .module import Module


def _arr(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _const(a: np.ndarray) -> Tensor:
    return Tensor(a, dtype=a.dtype)


def _pre_hooks(module: Module) -> dict:
    """The module's forward pre-hooks: key -> (hook, with_kwargs) (see module_hooks.py)."""
    kinds = module.__dict__.get("_forward_hooks")
    return kinds[0] if kinds is not None else {}


class BasePruningMethod(ABC):
    """A way to compute a pruning mask; once applied to ``module.<name>`` it is also the forward
    pre-hook that recomputes ``module.<name> = mask * orig``. Subclasses set ``PRUNING_TYPE``
    ("unstructured", "structured" with a ``dim``, or "global") and implement ``compute_mask``."""

    _tensor_name: str | None = None
    PRUNING_TYPE = "unstructured"

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The new mask of ``t`` given the current one (``default_mask``): 0 where pruned."""

    def apply_mask(self, module: Module) -> Tensor:
        """``module.<name>_mask * module.<name>_orig``, differentiable in the original."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return _const(_arr(mask).astype(orig.dtype, copy=False)) * orig

    @classmethod
    def apply(cls, module: Module, name: str, *args: Any, importance_scores: Any = None, **kwargs: Any):
        """Prune ``module.<name>`` with ``cls(*args, **kwargs)``, composed with any pruning already
        there; ``importance_scores`` (same shape) rank the entries instead of the tensor itself."""
        method = _composite(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if importance_scores is not None:
            if tuple(importance_scores.shape) != tuple(orig.shape):
                raise AssertionError(
                    f"importance_scores should have the same shape as parameter {name} of {module}, "
                    f"got {tuple(importance_scores.shape)} vs {tuple(orig.shape)}"
                )
        else:
            importance_scores = orig
        first = not isinstance(method, PruningContainer)
        if first:
            delattr(module, name)
            module.register_parameter(name + "_orig", orig)
            default_mask = np.ones(orig.shape, dtype=orig.dtype)
        else:
            default_mask = _arr(getattr(module, name + "_mask")).copy()
        try:
            mask = method.compute_mask(
                _const(np.array(_arr(importance_scores))), default_mask=_const(default_mask)
            )
            module.register_buffer(name + "_mask", _arr(mask))
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first:  # roll back to the unpruned parameter
                orig = module._parameters[name + "_orig"]
                delattr(module, name + "_orig")
                module.__dict__.pop(name, None)
                module.register_parameter(name, orig)
            raise
        return method

    def prune(self, t: Any, default_mask: Any = None, importance_scores: Any = None) -> Tensor:
        """``t`` times the mask this method computes for it (from ``importance_scores`` if given)."""
        if importance_scores is not None:
            if tuple(importance_scores.shape) != tuple(t.shape):
                raise AssertionError(
                    "importance_scores should have the same shape as tensor t, "
                    f"got {tuple(importance_scores.shape)} vs {tuple(t.shape)}"
                )
        else:
            importance_scores = t
        t = t if isinstance(t, Tensor) else _const(np.asarray(t))
        default = np.ones(t.shape, dtype=t.dtype) if default_mask is None else _arr(default_mask)
        mask = self.compute_mask(_const(np.array(_arr(importance_scores))), default_mask=_const(default))
        return t * _const(_arr(mask).astype(t.dtype, copy=False))

    def remove(self, module: Module) -> None:
        """Make ``module.<name>`` a plain parameter holding the pruned values (keeping the
        ``<name>_orig`` Parameter object), and drop the mask."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned before pruning can be removed")
        name = self._tensor_name
        weight = self.apply_mask(module)
        if name in module.__dict__:
            delattr(module, name)
        orig = module._parameters[name + "_orig"]
        with no_grad():
            orig.copy_(weight.detach())
        delattr(module, name + "_orig")
        delattr(module, name + "_mask")
        setattr(module, name, orig)


def _composite(cls: type, module: Module, name: str, *args: Any, **kwargs: Any) -> BasePruningMethod:
    """The new method, or the container holding the old ones and it (the old hook is unhooked)."""
    hooks = _pre_hooks(module)
    found = [
        (k, h) for k, (h, _) in hooks.items() if isinstance(h, BasePruningMethod) and h._tensor_name == name
    ]
    if len(found) > 1:
        raise AssertionError(
            f"Avoid adding multiple pruning hooks to the same tensor {name} of module {module}. "
            "Use a PruningContainer."
        )
    for k, _ in found:
        del hooks[k]
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if found:
        old = found[0][1]
        if isinstance(old, PruningContainer):
            old.add_pruning_method(method)
            method = old
        else:
            container = PruningContainer(old)
            container.add_pruning_method(method)
            method = container
    return method


class PruningContainer(BasePruningMethod):
    """The pruning methods applied in turn to one tensor; its mask is the last method's applied to
    the part the earlier ones left (unpruned entries, or channels not entirely zero)."""

    def __init__(self, *args: Any) -> None:
        self._pruning_methods: tuple = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method: BasePruningMethod | None) -> None:
        """Append ``method`` (which must prune the same tensor)."""
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError(
                f"Can only add pruning methods acting on the parameter named '{self._tensor_name}' to "
                f"PruningContainer {self}. Found '{method._tensor_name}'"
            )
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx: int) -> BasePruningMethod:
        return self._pruning_methods[idx]

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The last method's mask on the still-unpruned slice of ``t``, merged into ``default_mask``."""
        method = self._pruning_methods[-1]
        tv, mask = _arr(t), _arr(default_mask)
        new_mask = mask.astype(tv.dtype)
        if method.PRUNING_TYPE == "unstructured":
            slc: Any = mask == 1
        elif method.PRUNING_TYPE == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError(
                    'Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` defined.'
                )
            n_dims, dim = tv.ndim, method.dim
            if dim < 0:
                dim += n_dims
            if dim < 0:
                raise IndexError(f"Index is out of bounds for tensor with dimensions {n_dims}")
            keep = mask.sum(axis=tuple(d for d in range(n_dims) if d != dim)) != 0
            slc = tuple(keep if d == dim else slice(None) for d in range(n_dims))
        elif method.PRUNING_TYPE == "global":
            slc = (slice(None),) * tv.ndim
        else:
            raise ValueError(f"Unrecognized PRUNING_TYPE {method.PRUNING_TYPE}")
        part = method.compute_mask(_const(np.array(tv[slc])), default_mask=_const(np.array(mask[slc])))
        new_mask[slc] = _arr(part).astype(new_mask.dtype)
        return _const(new_mask)
