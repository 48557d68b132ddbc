"""autobp: reverse-mode automatic differentiation on numpy, after Rumelhart, Hinton & Williams.

Its functions of constants return numpy's results (``autobp.exp(np.float64(1))`` is a numpy float64),
and with a Tensor among their arguments a Tensor on the graph (docs/concepts/names.md)."""

__version__ = "0.1.0"

from . import (
    amp,
    cpu,
    data,
    distributions,
    extend,
    fft,
    func,
    functional,
    graph,
    integrate,
    linalg,
    masked,
    nn,
    ops,
    optim,
    pytree,
    random,
    replay,
    return_types,
    signal,
    special,
    stats,
    tree,
    utils,
)
from ._graph import GraphReleasedError, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .amp import autocast, get_autocast_dtype, is_autocast_enabled, set_autocast_dtype, set_autocast_enabled
from .anomaly import AnomalyError, detect_anomaly
from .autograd import grad
from .autograd_numpy import make_diagonal  # HIPS autograd's np.make_diagonal
from .checkpoint import checkpoint
from .compile import CompileError, compile  # noqa: A004  autobp.compile (the package's function)
from .function import Function, FunctionCtx
from .gradcheck import GradcheckError, NonDifferentiableWarning, gradcheck, gradgradcheck
from .numpy_names import *  # noqa: F403  numpy's dtype class, scalar-type hierarchy, errstate, ...
from .numpy_names import CONSTANTS as _NUMPY_CONSTANTS
from .numpy_names import __all__ as _numpy_names_all
from .ops import *  # noqa: F403  every op's function, from its declaration in autobp/ops/
from .ops import __all__ as _ops_all
from .pytorch_names import *  # noqa: F403  dtype names, from_numpy, is_tensor, inference_mode, mm/mv/bmm
from .pytorch_names import TORCH_BUILTIN_NAMES as _TORCH_BUILTIN_NAMES
from .pytorch_names import __all__ as _pytorch_all
from .random import TOP_LEVEL as _random_top
from .replay import trace
from .serialize import CheckpointError, load, save
from .special import i0  # numpy's np.i0 is autobp.special.i0, at the top level too
from .tensor import Tensor, tensor
from .value import Value
from .viz import draw

__all__ = [
    "ops",
    "func",
    "Value",
    "Function",
    "FunctionCtx",
    "functional",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "NonDifferentiableWarning",
    "draw",
    "graph",
    "Tensor",
    "tensor",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "set_grad_enabled",
    "GraphReleasedError",
    "detect_anomaly",
    "AnomalyError",
    "nn",
    "optim",
    "amp",
    "cpu",
    "autocast",
    "is_autocast_enabled",
    "get_autocast_dtype",
    "set_autocast_enabled",
    "set_autocast_dtype",
    "data",
    "save",
    "load",
    "CheckpointError",
    "replay",
    "return_types",
    "trace",
    "checkpoint",
    "compile",
    "CompileError",
    "linalg",
    "masked",
    "fft",
    "integrate",
    "signal",
    "special",
    "stats",
    "distributions",
    "extend",
    "random",
    "utils",
    "pytree",
    "tree",
]
# autobp.trace is replay.trace, which given an array is the matrix trace too
__all__ += [n for n in _ops_all if n not in ("nll", "cross_entropy", "trace")]
__all__ += _pytorch_all
__all__ += [n for n in _numpy_names_all if n not in __all__]
__all__ += ["i0", "make_diagonal"]
globals().update({name: getattr(random, name) for name in _random_top})  # PyTorch's torch.randn, ...
__all__ += list(_random_top)
from . import pytorch_functions as _pytorch_functions  # noqa: E402
from . import pytorch_inplace_toplevel as _pytorch_inplace  # noqa: E402
from . import pytorch_linalg_toplevel as _pytorch_linalg  # noqa: E402
from . import pytorch_math as _pytorch_math  # noqa: E402
from . import pytorch_nn_losses as _pytorch_nn_losses  # noqa: E402
from . import pytorch_nn_toplevel as _pytorch_nn  # noqa: E402
from . import pytorch_rnn_toplevel as _pytorch_rnn  # noqa: E402
from . import pytorch_scatter_views as _pytorch_scatter_views  # noqa: E402
from . import pytorch_toplevel_extras as _pytorch_extras  # noqa: E402
from . import pytorch_utilities as _pytorch_utilities  # noqa: E402
from . import pytorch_windows as _pytorch_windows  # noqa: E402
from ._tensor_set import attach as _attach_set  # noqa: E402
from .pytorch_methods import attach as _attach_pytorch_methods  # noqa: E402
from .pytorch_methods_more import attach as _attach_pytorch_methods_more  # noqa: E402
from .pytorch_toplevel_methods import attach as _attach_toplevel_methods  # noqa: E402

# PyTorch's functions with no numpy name (addmm, aminmax, block_diag, lgamma, det, ...) where autobp has
# no name of its own; torch.complex as an attribute only (see pytorch_functions.BUILTIN_NAMES)
for _module in (
    _pytorch_functions,
    _pytorch_math,
    _pytorch_nn,
    _pytorch_nn_losses,
    _pytorch_inplace,
    _pytorch_windows,
    _pytorch_scatter_views,
    _pytorch_linalg,
    _pytorch_utilities,
    _pytorch_extras,
    _pytorch_rnn,
):
    _new_names = [n for n in _module.__all__ if n not in globals()]
    globals().update({n: getattr(_module, n) for n in _new_names})
    __all__ += _new_names
globals().update({n: getattr(_pytorch_functions, n) for n in _pytorch_functions.BUILTIN_NAMES})
globals().update({n: getattr(_pytorch_linalg, n) for n in _pytorch_linalg.BUILTIN_NAMES})  # torch.range
_attach_pytorch_methods()
_attach_pytorch_methods_more()
_attach_toplevel_methods()  # after pytorch_methods: a method it defines is kept
_attach_set()  # Tensor.set_
from . import legacy_tensor_types as _legacy_tensor_types  # noqa: E402
from . import memory_format as _memory_format  # noqa: E402
from .torch_generator import Generator, default_generator  # noqa: E402  (torch.Generator, its default)

__all__ += ["Generator", "default_generator"]

globals().update({n: getattr(_legacy_tensor_types, n) for n in _legacy_tensor_types.__all__})
__all__ += [n for n in _legacy_tensor_types.__all__ if n not in __all__]

globals().update({n: getattr(_memory_format, n) for n in _memory_format.__all__})  # PyTorch's layouts
from . import accelerator, backends, cuda  # noqa: E402  PyTorch's device namespaces (CPU only)
from . import default_device as _default_device  # noqa: E402
from . import layouts as _layouts  # noqa: E402
from .layouts import layout  # noqa: E402  PyTorch's torch.layout

globals().update({n: getattr(_layouts, n) for n in _layouts.__all__})  # strided, ...: not in __all__
globals().update({n: getattr(_default_device, n) for n in _default_device.__all__})
__all__ += ["accelerator", "backends", "cuda", "layout"] + _default_device.__all__
globals().update(_TORCH_BUILTIN_NAMES)  # autobp.float, .int, .bool: PyTorch's dtypes, not in __all__
globals().update(_NUMPY_CONSTANTS)  # autobp.pi, .e, .inf, .nan, .newaxis, ...: numpy's values, not in __all__

# numpy's remaining top-level names (autobp/numpy_namespace.py): numpy's objects, or versions that record
# on Tensors or refuse them; autobp.emath records; autobp.testing has numpy.testing's assertions too
from . import emath, testing  # noqa: E402
from . import numpy_namespace as _numpy_namespace  # noqa: E402

globals().update({n: getattr(_numpy_namespace, n) for n in _numpy_namespace.__all__})
globals().update(_numpy_namespace.ATTRIBUTES)  # modules, constants, mgrid/ogrid: attributes only
__all__ += [n for n in _numpy_namespace.__all__ if n not in __all__] + ["emath", "testing"]

from ._plain import export_plain  # noqa: E402  constants in, constants out: autobp.<op> of arrays gives arrays

export_plain()

import sys as _sys  # noqa: E402

from . import ufunc_methods as _ufunc_methods  # noqa: E402

_ufunc_methods.attach(_sys.modules[__name__])  # autobp.add.reduce, .outer, .at, ...: numpy's ufunc methods
