"""``torch.nn.utils.parametrize``: a module's tensor computed from other parameters on every access.

``register_parametrization(module, "weight", p)`` moves the weight to
``module.parametrizations.weight.original`` (or ``original0``, ``original1``, ... when ``p`` has a
``right_inverse`` returning several tensors) and makes ``module.weight`` a property returning
``p(original)``: a differentiable function of the stored parameters, recomputed at each access
(once per ``cached()`` block). As PyTorch does it, the module's class becomes a subclass that holds the
property, so other instances of the class are untouched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..tensor import Tensor
from .containers import ModuleDict
from .layers import ModuleList
from .module import Module, Parameter

_cache: dict | None = None  # inside cached(): (id of module, name) -> the tensor computed once


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, applied in order to the stored ``original`` (or to
    ``original0, original1, ...``, the outputs of the first one's ``right_inverse``)."""

    def __init__(self, modules: list, original: Tensor, unsafe: bool = False) -> None:
        super().__init__(modules)
        self.unsafe = unsafe
        first = modules[0]
        value = first.right_inverse(original) if hasattr(first, "right_inverse") else original
        self.is_tensor = isinstance(value, Tensor)
        values = (value,) if self.is_tensor else tuple(value)
        grad = getattr(original, "requires_grad", True)
        for i, v in enumerate(values):
            name = "original" if self.is_tensor else f"original{i}"
            self.register_parameter(name, Parameter(v.detach()._data.copy(), requires_grad=grad))
        self.ntensors = len(values)

    def originals(self) -> tuple:
        if self.is_tensor:
            return (self._parameters["original"],)
        return tuple(self._parameters[f"original{i}"] for i in range(self.ntensors))

    def forward(self) -> Tensor:
        mods = list(self)
        x = mods[0](*self.originals())
        for m in mods[1:]:
            x = m(x)
        return x

    def right_inverse(self, value: Any) -> None:
        """Set the stored tensors so that the parametrized tensor becomes ``value`` (each module's
        ``right_inverse``, last to first; identity where a module has none)."""
        from .._graph import no_grad

        with no_grad():
            for m in reversed(list(self)):
                value = m.right_inverse(value) if hasattr(m, "right_inverse") else value
            values = (value,) if self.is_tensor else tuple(value)
            for p, v in zip(self.originals(), values):
                if tuple(v.shape) != p.shape:
                    raise ValueError(f"parametrize: right_inverse gave shape {tuple(v.shape)} for {p.shape}")
                p.data[...] = v.data if isinstance(v, Tensor) else v


def _property(name: str) -> property:
    def get(self: Module) -> Tensor:
        plist = self.parametrizations[name]
        if _cache is None:
            return plist()
        key = (id(self), name)
        if key not in _cache:
            _cache[key] = plist()
        return _cache[key]

    def set_(self: Module, value: Any) -> None:
        self.parametrizations[name].right_inverse(value)

    return property(get, set_, doc=f"``{name}``, computed by its parametrizations")


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Whether ``module`` has parametrizations (for ``tensor_name``, or for any tensor)."""
    plists = module.__dict__.get("_modules", {}).get("parametrizations")
    if plists is None:
        return False
    return len(plists) > 0 if tensor_name is None else tensor_name in plists


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Make ``module.<tensor_name>`` the output of ``parametrization`` applied to the stored tensor (a
    second call for the same name chains another parametrization after the first). Returns ``module``."""
    if not isinstance(parametrization, Module):
        raise TypeError(
            f"register_parametrization: expected an nn.Module, got {type(parametrization).__name__}"
        )
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        if not unsafe:
            _check(parametrization(plist()), plist(), tensor_name)
        plist.append(parametrization)
        return module
    if tensor_name in module._parameters:
        original = module._parameters[tensor_name]
    elif tensor_name in module._buffers:
        original = module._buffers[tensor_name]
    else:
        raise ValueError(
            f"register_parametrization: {type(module).__name__} has no parameter or buffer {tensor_name!r}"
        )
    plist = ParametrizationList([parametrization], original, unsafe)
    if not unsafe:
        _check(plist(), original, tensor_name)
    delattr(module, tensor_name)
    if not is_parametrized(module):
        cls = type(module)
        module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), {"_parametrized_from": cls})
        if "parametrizations" not in module._modules:
            module.parametrizations = ModuleDict()
    module.parametrizations[tensor_name] = plist
    setattr(type(module), tensor_name, _property(tensor_name))
    return module


def _check(value: Any, original: Any, name: str) -> None:
    if not isinstance(value, Tensor):
        raise ValueError(f"register_parametrization: the parametrization of {name!r} must return a Tensor")
    if value.shape != original.shape or value.dtype != original.dtype:
        raise ValueError(
            f"register_parametrization: the parametrization of {name!r} changes shape {original.shape} "
            f"{original.dtype} to {value.shape} {value.dtype} (pass unsafe=True to allow it)"
        )


def remove_parametrizations(module: Module, tensor_name: str, leave_parametrized: bool = True) -> Module:
    """Undo ``register_parametrization`` for ``tensor_name``: it becomes a plain Parameter again, holding
    the parametrized value (``leave_parametrized``) or the stored original (one tensor only)."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(
            f"remove_parametrizations: {type(module).__name__} has no parametrization on {tensor_name!r}"
        )
    plist = module.parametrizations[tensor_name]
    if leave_parametrized:
        value = plist().detach()._data.copy()
    elif plist.is_tensor:
        value = plist.original.detach()._data.copy()
    else:
        raise ValueError("remove_parametrizations: leave_parametrized=False needs a single stored tensor")
    grad = plist.originals()[0].requires_grad
    del module.parametrizations[tensor_name]
    delattr(type(module), tensor_name)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module)._parametrized_from
    module.register_parameter(tensor_name, Parameter(value, requires_grad=grad))
    return module


@contextlib.contextmanager
def cached() -> Iterator[None]:
    """Inside the block each parametrized tensor is computed once, at its first access, and reused."""
    global _cache
    outer = _cache
    _cache = {} if outer is None else outer
    try:
        yield
    finally:
        _cache = outer


def type_before_parametrizations(module: Module) -> type:
    """The module's class before ``register_parametrization`` subclassed it."""
    return getattr(type(module), "_parametrized_from", type(module))
