"""PyTorch's ``torch.nn.modules.lazy.LazyModuleMixin``: a module whose parameters and buffers start as
``UninitializedParameter``/``UninitializedBuffer`` and get their shapes from the first input (its
``initialize_parameters``), or from a state dict that holds initialised values."""

from __future__ import annotations

from typing import Any

from ..small_names import UninitializedBuffer, UninitializedParameter, _Uninitialized


def is_lazy(t: Any) -> bool:
    """True for a parameter or buffer that has no shape yet."""
    return isinstance(t, _Uninitialized)


def _infer_parameters(module: Any, args: tuple, kwargs: dict) -> None:
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {type(module).__name__} has not been fully initialized")
    module._initialize_hook.remove()
    module._load_hook.remove()
    del module._initialize_hook, module._load_hook
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


def _lazy_load_hook(module: Any, state_dict: dict, prefix: str, *rest: Any) -> None:
    """Materialise each uninitialised tensor the state dict has an initialised value for."""
    for name, t in (*module._parameters.items(), *module._buffers.items()):
        value = state_dict.get(prefix + name)
        if t is not None and is_lazy(t) and value is not None and not is_lazy(value):
            t.materialize(value._data.shape if hasattr(value, "_data") else tuple(value.shape))


class LazyModuleMixin:
    """Mix in before ``Module``: implement ``initialize_parameters(*inputs)`` to ``materialize`` the
    uninitialised parameters from the first call's inputs; the module then becomes ``cls_to_become``
    (if set), as PyTorch's."""

    cls_to_become: type | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._load_hook = self.register_load_state_dict_pre_hook(_lazy_load_hook)
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self) -> bool:
        """True while a parameter or buffer has no shape yet."""
        return any(is_lazy(t) for t in (*self._parameters.values(), *self._buffers.values()))

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Give the uninitialised parameters their shapes from the inputs (subclasses implement it)."""
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")


__all__ = ["LazyModuleMixin", "UninitializedParameter", "UninitializedBuffer"]
