"""Module: a tree of layers whose trainable tensors (Parameter, Buffer) register themselves on assignment.

Names and behaviour follow PyTorch's ``torch.nn.Module`` so code moves between the two.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .._device import no_device_method
from ..tensor import Tensor
from . import module_legacy_hooks as _legacy
from . import module_names as _names
from . import module_state as _state
from . import module_state_hooks as _state_hooks
from . import module_torch_extras as _extras
from .module_global_hooks import (  # noqa: F401  the global hooks, importable from here as before
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
    registered,
)
from .module_hooks import add_hook, call_with_hooks, flagged
from .module_state import LoadResult  # noqa: F401  load_state_dict's result, importable from here as before
from .parameter import Buffer, Parameter


class Module:
    """Base class of layers and models: assign Parameters and Modules as attributes, write ``forward``.

    >>> class Affine(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = Parameter(np.ones(3))
    ...     def forward(self, x):
    ...         return x * self.w
    >>> [name for name, _ in Affine().named_parameters()]
    ['w']
    """

    training: bool
    call_super_init: bool = False  # PyTorch's: also run the next __init__ in the MRO (mixins)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if (args or kwargs) and not self.call_super_init:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected arguments {args} {kwargs} "
                "(set call_super_init=True to pass them on to the next class)"
            )
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "training", True)
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    # --- registration by attribute assignment ------------------------------------------------
    def _registries(self) -> tuple[dict, dict]:
        try:
            return self.__dict__["_parameters"], self.__dict__["_modules"]
        except KeyError:
            raise RuntimeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__ and not isinstance(value, (Parameter, Module, Buffer)):
            object.__setattr__(self, name, value)  # before __init__ (a copy's __dict__): as PyTorch's
            return
        params, modules = self._registries()
        if isinstance(value, Parameter):
            if name in self.__dict__.get("_buffers", ()):  # a Parameter replaces a buffer (PyTorch's)
                del self._buffers[name]
                self._non_persistent.discard(name)
            self._put(name, value, params, modules)
        elif isinstance(value, Module):
            self._put(name, value, modules, params)
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to parameter {name!r} of "
                    f"{type(self).__name__}: expected an nn.Parameter or None"
                )
            self._put(name, None, params, modules)
        elif name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to submodule {name!r} of "
                    f"{type(self).__name__}: expected an nn.Module or None"
                )
            self._put(name, None, modules, params)
        elif isinstance(value, Buffer) or _names.buffer_marked(value):
            params.pop(name, None)
            modules.pop(name, None)
            lazy = hasattr(value, "materialize")  # an UninitializedBuffer stays itself (PyTorch's)
            marked = not isinstance(value, Buffer)
            persistent = value.__dict__["_buffer_persistent"] if marked else value.persistent
            if not lazy and isinstance(value, Buffer):
                value = _names.mark_buffer(Tensor(value._data, dtype=value.dtype), persistent)
            _names.register_assigned_buffer(self, name, value, persistent)
        elif name in self.__dict__.get("_buffers", ()):
            self.register_buffer(name, value, name not in self._non_persistent)
        else:
            object.__setattr__(self, name, value)

    def _put(self, name: str, value: Any, registry: dict, other: dict) -> None:
        """Register ``value`` under ``name``. The registry keeps the order; the instance dict keeps
        a copy so that ``self.name`` is a plain lookup (a miss that falls back to ``__getattr__``
        costs about a microsecond, paid per layer and per step on small nets)."""
        if value is not None:  # PyTorch's global registration hooks may replace the value
            table = "_global_module_registration_hooks" if isinstance(value, Module) else None
            if isinstance(value, Parameter) and registry is self.__dict__.get("_parameters"):
                table = "_global_parameter_registration_hooks"
            if table is not None:
                value = registered(table, self, name, value)
        other.pop(name, None)
        registry[name] = value
        self.__dict__[name] = value

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails (registered names are found in the instance dict)
        d = self.__dict__
        for registry in ("_parameters", "_modules", "_buffers"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        params, modules = self._registries()
        if name in params:
            del params[name]
            self.__dict__.pop(name, None)
        elif name in modules:
            del modules[name]
            self.__dict__.pop(name, None)
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent.discard(name)
            self.__dict__.pop(name, None)
        else:
            object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (like assigning ``self.name = param``)."""
        params, modules = self._registries()
        _names.check_name(self, "parameter", name, params)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be an nn.Parameter or None")
        self._put(name, param, params, modules)

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """Register state that is not trained but saved (BatchNorm's ``running_mean``): a constant
        Tensor (or None), listed by ``buffers()`` and, if ``persistent``, in ``state_dict()``."""
        self._registries()
        _names.check_name(self, "buffer", name, self._buffers)
        _names.check_buffer_value(name, tensor)
        if tensor is not None:
            if isinstance(tensor, Tensor):  # an uninitialised placeholder stays itself, to materialise
                keep = hasattr(type(tensor), "cls_to_become") or _names.buffer_marked(tensor)
                tensor = tensor if keep else tensor.detach()
            else:
                tensor = Tensor(np.asarray(tensor), dtype=np.asarray(tensor).dtype)
        if tensor is not None:
            tensor = registered("_global_buffer_registration_hooks", self, name, tensor)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)
        self.__dict__[name] = tensor

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` under ``name``; names need not be identifiers (Sequential uses '0')."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be an nn.Module or None, got {type(module).__name__}")
        params, modules = self._registries()
        _names.check_name(self, "module", name, modules)
        self._put(name, module, modules, params)

    # --- walking the tree -------------------------------------------------------------------
    named_modules = _names.named_modules

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    named_children = _names.named_children

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    named_parameters = _names.named_parameters

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    named_buffers = _names.named_buffers
    _apply = _names.apply_to_tensors

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target: str) -> Module:
        """The submodule at dotted path ``target`` ('' is this module)."""
        mod: Module = self
        for part in target.split(".") if target else []:
            if part not in mod._modules or mod._modules[part] is None:
                raise AttributeError(f"{type(mod).__name__} has no submodule {part!r} (in {target!r})")
            mod = mod._modules[part]
        return mod

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path ``target`` ('layers.0.weight')."""
        path, _, name = target.rpartition(".")
        p = self.get_submodule(path)._parameters.get(name)
        if p is None:
            raise AttributeError(f"{type(self).__name__} has no parameter {target!r}")
        return p

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at dotted path ``target`` ('bn.running_mean')."""
        path, _, name = target.rpartition(".")
        b = self.get_submodule(path)._buffers.get(name)
        if b is None:
            raise AttributeError(f"{type(self).__name__} has no buffer {target!r}")
        return b

    def register_module(self, name: str, module: Module | None) -> None:
        """PyTorch's alias of ``add_module``."""
        self.add_module(name, module)

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule and then on this module (e.g. to re-initialise)."""
        for m in list(self.modules())[::-1]:
            fn(m)
        return self

    # --- training helpers -------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad`` (to None, or to zeros with ``set_to_none=False``)."""
        for p in self.parameters():
            p._zero_grad(set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and all submodules (layers such as dropout read it)."""
        mode = _names.check_training_mode(mode)
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    to = _extras.to

    def float(self) -> Module:
        """Cast floating parameters and buffers to float32."""
        return self.to(np.float32)

    def double(self) -> Module:
        """Cast floating parameters and buffers to float64."""
        return self.to(np.float64)

    def half(self) -> Module:
        """Cast floating parameters and buffers to float16."""
        return self.to(np.float16)

    def cpu(self) -> Module:
        """The module itself: autobp's arrays live in host memory."""
        return self

    set_submodule = _extras.set_submodule
    type = _extras.type_
    to_empty = _extras.to_empty
    share_memory = _extras.share_memory
    bfloat16 = _extras.bfloat16
    _forward_pre_hooks = property(_extras.forward_pre_hooks)
    cuda, xpu, mtia, ipu = (
        no_device_method("Module", d, "the module itself") for d in ("cuda", "xpu", "mtia", "ipu")
    )

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze every parameter."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no forward() method")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if "_forward_hooks" in self.__dict__:  # only modules with hooks leave the fast path
            return call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False):
        """Call ``hook(module, args)`` before forward; a non-None result replaces args (with_kwargs:
        ``hook(module, args, kwargs)`` returning (args, kwargs)). Returns a handle with ``remove()``."""
        return add_hook(self, 0, hook, prepend, with_kwargs)

    def register_forward_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False, always_call: bool = False
    ):
        """Call ``hook(module, args, output)`` after forward (with_kwargs: ``hook(module, args, kwargs,
        output)``); a non-None result replaces the output; ``always_call``: also run when forward (or
        a hook) raised (PyTorch's). Returns a handle with ``remove()``."""
        return add_hook(self, 1, hook, prepend, with_kwargs, always_call)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False):
        """Call ``hook(module, grad_output)`` once the gradients of the outputs are complete (one entry
        per output: None for non-Tensors and outputs no gradient reached); a returned tuple replaces
        grad_output. Returns a handle with ``remove()``."""
        return add_hook(self, 2, hook, prepend, False)

    def register_backward_hook(self, hook: Callable):
        """PyTorch's older backward hook ``hook(module, grad_input, grad_output)``: in autobp it is the
        full backward hook (PyTorch's gives the gradients of the forward's last operation instead, the
        same for a module whose forward is one operation; PyTorch's deprecation warnings where they
        differ). Returns a handle with ``remove()``."""
        return _legacy.mark(self, add_hook(self, 3, hook, False, False))

    # PyTorch's: the ids of the hooks registered with_kwargs / always_call
    _forward_hooks_with_kwargs = flagged(1, 1)
    _forward_pre_hooks_with_kwargs = flagged(0, 1)
    _forward_hooks_always_called = flagged(1, 2)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False):
        """Call ``hook(module, grad_input, grad_output)`` once the gradients of the positional Tensor
        inputs are complete (grad_input: one entry per positional argument, None for non-Tensors);
        a returned tuple replaces grad_input. Returns a handle with ``remove()``."""
        return add_hook(self, 3, hook, prepend, False)

    # --- state (module_state.py) ----------------------------------------------------------------
    _state_items = _state._state_items
    state_dict = _state.state_dict
    load_state_dict = _state.load_state_dict
    get_extra_state = _state_hooks.get_extra_state
    set_extra_state = _state_hooks.set_extra_state
    register_state_dict_pre_hook = _state_hooks.register_state_dict_pre_hook
    register_state_dict_post_hook = _state_hooks.register_state_dict_post_hook
    register_load_state_dict_pre_hook = _state_hooks.register_load_state_dict_pre_hook
    _register_load_state_dict_pre_hook = _state_hooks._register_load_state_dict_pre_hook
    _save_to_state_dict = _state._save_to_state_dict
    _load_from_state_dict = _state._load_from_state_dict
    _version: int = 1  # PyTorch's: saved in state_dict()._metadata, for a module's own loading
    register_load_state_dict_post_hook = _state_hooks.register_load_state_dict_post_hook

    # --- repr -------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses; layers override it."""
        return ""

    def __repr__(self) -> str:
        lines = []
        extra = self.extra_repr()
        if extra:
            lines.extend(extra.split("\n"))
        for name, m in self._modules.items():
            body = repr(m).replace("\n", "\n  ")
            lines.append(f"({name}): {body}")
        if not self._modules:
            return f"{type(self).__name__}({extra})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list[str]:
        return _names.public_dir(set(super().__dir__()) | set(self._parameters) | set(self._modules))
