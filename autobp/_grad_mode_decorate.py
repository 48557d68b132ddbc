"""What ``@no_grad()`` (and ``enable_grad``, ``inference_mode``, ``set_grad_enabled``) does to the
function it decorates, as PyTorch's grad-mode decorators: a plain function runs inside a fresh copy
of the context; a generator function's body runs inside it at every resume (and the caller's mode
comes back at every ``yield``), so a ``@no_grad()`` generator records no graph however it is
driven; a class (deprecated in PyTorch) is replaced by a function that builds it inside the context
(its ``__init__`` only), with PyTorch's FutureWarning."""

from __future__ import annotations

import copy
import functools
import inspect
import sys
import warnings
from collections.abc import Callable
from typing import Any


def decorate(ctx: Any, fn: Callable) -> Callable:
    """``fn`` run under a fresh copy of the context manager ``ctx`` at every call (or resume)."""
    if inspect.isclass(fn):
        warnings.warn(
            "Decorating classes is deprecated and will be disabled in future versions. You should "
            "only decorate functions or methods. To preserve the current behavior of class "
            "decoration, you can directly decorate the `__init__` method and nothing else.",
            FutureWarning,
            stacklevel=3,
        )
        cls = fn

        def fn(*args: Any, **kwargs: Any) -> Any:
            return cls(*args, **kwargs)

        return decorate(ctx, fn)
    if inspect.isgeneratorfunction(fn):
        return _generator(ctx, fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with copy.copy(ctx):
            return fn(*args, **kwargs)

    return wrapper


def _generator(ctx: Any, fn: Callable) -> Callable:
    """A generator function whose body runs in ``ctx`` between resumes (send, throw and close too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with copy.copy(ctx):
            gen = fn(*args, **kwargs)
        try:
            with copy.copy(ctx):
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with copy.copy(ctx):
                        gen.close()
                    raise
                except BaseException:
                    with copy.copy(ctx):
                        response = gen.throw(*sys.exc_info())
                else:
                    with copy.copy(ctx):
                        response = gen.send(request)
        except StopIteration as e:
            return e.value

    return wrapper
