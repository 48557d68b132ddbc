"""``torch.nn.utils.parametrize``: a module's tensor computed from other parameters on every access.

``register_parametrization(module, "weight", p)`` moves the weight to
``module.parametrizations.weight.original`` (or ``original0``, ``original1``, ... when ``p`` has a
``right_inverse`` returning several tensors) and makes ``module.weight`` a property returning
``p(original)``: a differentiable function of the stored parameters, recomputed at each access
(once per ``cached()`` block). As PyTorch does it, the module's class becomes a subclass that holds the
property, so other instances of the class are untouched; ``original`` is the very Parameter (or
buffer) the module had, so optimisers holding it keep working, and removing the parametrization puts
that same object back.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Sequence
from typing import Any

from .._graph import no_grad
from ..tensor import Tensor
from .containers import ModuleDict
from .layers import ModuleList
from .module import Module, Parameter

_cache: dict | None = None  # inside cached(): (id of module, name) -> the tensor computed once


def _register_tensor(module: Module, name: str, t: Tensor) -> None:
    """Register ``t`` on ``module`` as a Parameter if it is one, else as a buffer (PyTorch's)."""
    if isinstance(t, Parameter):
        module.register_parameter(name, t)
    else:
        module.register_buffer(name, t)


def _set_(t: Tensor, value: Tensor) -> None:
    """Give ``t`` the values (and shape) of ``value``, keeping the object (PyTorch's ``set_``)."""
    with no_grad():
        t.set_(value.detach().clone())


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, applied in order to the stored ``original`` (or to
    ``original0, original1, ...``, the outputs of the first one's ``right_inverse``)."""

    def __init__(self, modules: list, original: Tensor, unsafe: bool = False) -> None:
        if not modules:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype
        with no_grad():
            new = original
            for m in reversed(list(self)):
                if hasattr(m, "right_inverse"):
                    try:
                        new = m.right_inverse(new)
                    except NotImplementedError:
                        pass
        if not isinstance(new, (Tensor, Sequence)):
            raise ValueError(
                "'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                f"Got {type(new).__name__}"
            )
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if new.dtype != original.dtype:
                raise ValueError(
                    "When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                    f"original.dtype: {original.dtype}\nright_inverse(original).dtype: {new.dtype}"
                )
            if new is not original:
                _set_(original, new)
            _register_tensor(self, "original", original)
        else:
            for i, value in enumerate(new):
                if not isinstance(value, Tensor):
                    raise ValueError(
                        "'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                        f"Got element {i} of the sequence with type {type(value).__name__}."
                    )
                data = value.detach().clone()
                if isinstance(original, Parameter):
                    t = Parameter(data._data, requires_grad=original.requires_grad, dtype=data.dtype)
                else:
                    t = data
                _register_tensor(self, f"original{i}", t)
        if not self.unsafe:
            Z = self()
            if not isinstance(Z, Tensor):
                raise ValueError(f"A parametrization must return a tensor. Got {type(Z).__name__}.")
            if Z.dtype != dtype:
                raise ValueError(
                    "Registering a parametrization may not change the dtype of the tensor, unless `unsafe` "
                    f"flag is enabled.\nunparametrized dtype: {dtype}\nparametrized dtype: {Z.dtype}"
                )
            if Z.shape != shape:
                raise ValueError(
                    "Registering a parametrization may not change the shape of the tensor, unless `unsafe` "
                    f"flag is enabled.\nunparametrized shape: {shape}\nparametrized shape: {Z.shape}"
                )

    def originals(self) -> tuple:
        if self.is_tensor:
            return (self.original,)
        return tuple(getattr(self, f"original{i}") for i in range(self.ntensors))

    def forward(self) -> Tensor:
        mods = list(self)
        x = mods[0](*self.originals())
        for m in mods[1:]:
            x = m(x)
        return x

    def right_inverse(self, value: Any) -> None:
        """Set the stored tensors so that the parametrized tensor becomes ``value``: each module's
        ``right_inverse``, last to first (PyTorch's; a module without one refuses)."""
        with no_grad():
            for m in reversed(list(self)):
                if not hasattr(m, "right_inverse"):
                    raise RuntimeError(
                        f"parametrization {type(m).__name__} does not implement right_inverse."
                    )
                value = m.right_inverse(value)
            values = (value,) if self.is_tensor else tuple(value)
            if len(values) != self.ntensors:
                raise ValueError(
                    f"'right_inverse' must return a sequence of tensors of length {self.ntensors}. "
                    f"Got a sequence of length {len(values)}."
                )
            for p, v in zip(self.originals(), values):
                v = v if isinstance(v, Tensor) else Tensor(v)
                if v.dtype != p.dtype:
                    raise ValueError(
                        f"The tensor returned by `right_inverse` has dtype {v.dtype} while `original` has "
                        f"dtype {p.dtype}"
                    )
                _set_(p, v)


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


def _getstate(self: Module) -> Any:
    raise RuntimeError(
        "Serialization of parametrized modules is only supported through state_dict(). See: "
        "https://pytorch.org/tutorials/beginner/saving_loading_models.html"
    )


def _deepcopy(self: Module, memo: dict) -> Module:
    """A parametrized module deep-copies as any other (its __getstate__ refuses pickling only)."""
    done = memo.get(id(self))
    if done is not None:
        return done
    replica = self.__new__(type(self))
    memo[id(self)] = replica
    object.__setattr__(replica, "__dict__", copy.deepcopy(self.__dict__, memo))
    return replica


def _subclass(module: Module) -> None:
    cls = type(module)
    body: dict = {"_parametrized_from": cls, "__getstate__": _getstate}
    if not hasattr(cls, "__deepcopy__"):
        body["__deepcopy__"] = _deepcopy
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), body)


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Make ``module.<tensor_name>`` the output of ``parametrization`` applied to the stored tensor (a
    second call for the same name chains another parametrization after the first). Unless ``unsafe``,
    the parametrized tensor must keep its shape and dtype. Returns ``module``."""
    if not isinstance(parametrization, Module):
        raise TypeError(
            f"register_parametrization: expected an nn.Module, got {type(parametrization).__name__}"
        )
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        if not unsafe:
            _check_added(module, tensor_name, parametrization)
        plist.append(parametrization)
        plist.unsafe |= unsafe
        return module
    if tensor_name in module._parameters or tensor_name in module._buffers:
        original = getattr(module, tensor_name)
    else:
        raise ValueError(
            f"Module '{module}' does not have a parameter, a buffer, or a parametrized element with name "
            f"'{tensor_name}'"
        )
    plist = ParametrizationList([parametrization], original, unsafe)
    delattr(module, tensor_name)
    if not is_parametrized(module):
        _subclass(module)
        if "parametrizations" not in module._modules:
            module.parametrizations = ModuleDict()
    module.parametrizations[tensor_name] = plist
    setattr(type(module), tensor_name, _property(tensor_name))
    return module


def _check_added(module: Module, name: str, parametrization: Module) -> None:
    """PyTorch's checks of a parametrization added to an already parametrized tensor."""
    Y = getattr(module, name)
    X = parametrization(Y)
    if not isinstance(X, Tensor):
        raise ValueError(f"A parametrization must return a tensor. Got {type(X).__name__}.")
    for what in ("dtype", "shape"):
        if getattr(X, what) != getattr(Y, what):
            raise ValueError(
                f"Registering a parametrization may not change the {what} of the tensor, unless the `unsafe` "
                f"flag is enabled.\nmodule.{name}.{what}: {getattr(Y, what)}\n"
                f"parametrization(module.{name}).{what}: {getattr(X, what)}"
            )
    if hasattr(parametrization, "right_inverse"):
        try:
            Z = parametrization.right_inverse(X)
        except NotImplementedError:
            return
        if not isinstance(Z, Tensor):
            raise ValueError(f"parametrization.right_inverse must return a tensor. Got: {type(Z).__name__}")
        for what in ("dtype", "shape"):
            if getattr(Z, what) != getattr(Y, what):
                raise ValueError(
                    f"The tensor returned by parametrization.right_inverse must have the same {what} as "
                    f"module.{name}, unless the `unsafe` flag is enabled.\nmodule.{name}.{what}: "
                    f"{getattr(Y, what)}\nreturned {what}: {getattr(Z, what)}"
                )


def remove_parametrizations(module: Module, tensor_name: str, leave_parametrized: bool = True) -> Module:
    """Undo ``register_parametrization`` for ``tensor_name``: the stored original (the very object the
    module had) comes back, holding the parametrized value (``leave_parametrized``, computed in the
    current mode) or its own (one tensor only)."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        original = plist.original
        if leave_parametrized:
            with no_grad():
                t = getattr(module, tensor_name)
            _set_(original, t)
    elif leave_parametrized:
        t = getattr(module, tensor_name)
        data = t.detach().clone()
        original = Parameter(data._data, requires_grad=True, dtype=data.dtype) if t.requires_grad else data
    else:
        raise ValueError(
            "Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms "
            "of a sequence of tensors."
        )
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register_tensor(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module)._parametrized_from
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


def transfer_parametrizations_and_params(
    from_module: Module, to_module: Module, tensor_name: str | None = None
) -> Module:
    """Register on ``to_module`` the parametrizations of ``from_module`` (of ``tensor_name``, or all)
    and give it ``from_module``'s stored originals themselves; a tensor ``to_module`` lacks is first
    added as a Parameter of the parametrized value (PyTorch's). Returns ``to_module``."""
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        plist = from_module.parametrizations[name]
        if not hasattr(to_module, name):
            value = getattr(from_module, name).detach()
            setattr(to_module, name, Parameter(value._data.copy(), dtype=value.dtype))
        for p in plist:
            register_parametrization(to_module, name, p)
        theirs = to_module.parametrizations[name]
        if plist.is_tensor:
            _register_tensor(theirs, "original", plist.original)
        else:
            for i, t in enumerate(plist.originals()):
                _register_tensor(theirs, f"original{i}", t)
    return to_module
