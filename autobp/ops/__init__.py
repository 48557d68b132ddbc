"""Every op: one declaration each (``_decl.op``), its forward beside its rule, one module per family.

Importing this package registers the families; the block below is the one place that gives
Tensor its methods and operators, by name, from the declarations and the families' DUNDERS.
"""

from __future__ import annotations

from ..tensor import Tensor
from . import (  # each family registers its ops and rules on import  # noqa: F401  numpy's scientific functions
    activations,
    arithmetic,
    atleast,
    axis_moves,
    binary,
    complex_parts,
    construction,
    creation,
    cumulative,
    diagonals,
    einsum,
    elementwise,
    float_bits,
    histograms,
    histograms_nd,
    index_utils,
    indexing,
    inplace_methods,
    interpolation,
    joining,
    log_grids,
    logic,
    math,
    math_special,
    nan_reductions,
    nnops,
    norms,
    numeric_grid,
    numpy_aliases,
    numpy_arrays,
    numpy_functional,
    numpy_introspection,
    numpy_writes,
    padding,
    polynomials,
    products,
    quantiles,
    reductions,
    reductions_logical,
    rounding,
    scans,
    scatter,
    scatter_reductions,
    searchsorted,
    selection,
    shape,
    sorting,
    statistics,
    tensor_methods,
    trapezoid,
    type_predicates,
    view_dtype,
    writes_into,
)
from ._decl import ALIASES, DECLS, FUNCTIONS, UFUNCS, OpDecl, attach, op  # noqa: F401
from ._deferral import BINARY, defers
from ._graph_namespace import GraphOps
from .nnops import cross_entropy, nll

FAMILIES = (activations, arithmetic, binary, complex_parts, construction, creation, einsum, elementwise)
FAMILIES += (histograms, indexing, inplace_methods, joining, log_grids, logic, math, math_special)
FAMILIES += (numpy_arrays, numpy_functional, numpy_writes, numpy_introspection)
FAMILIES += (index_utils, histograms_nd, float_bits)
FAMILIES += (
    nnops,
    norms,
    numeric_grid,
    numpy_aliases,
    padding,
    products,
    quantiles,
    reductions,
    reductions_logical,
    rounding,
    scans,
    scatter,
    selection,
    shape,
    sorting,
    statistics,
    tensor_methods,
    type_predicates,
    view_dtype,
    writes_into,
)
FAMILIES += (
    cumulative,
    interpolation,
    nan_reductions,
    polynomials,
    trapezoid,
    searchsorted,
    scatter_reductions,
)

__all__ = attach(Tensor, globals())  # autobp.<name> for every declared op and PyTorch alias
for _family in FAMILIES:
    for _name, _method in getattr(_family, "DUNDERS", {}).items():  # operators: Tensor.__add__, ...
        setattr(Tensor, _name, defers(_name, _method) if _name in BINARY else _method)
    for _name, _prop in getattr(_family, "PROPERTIES", {}).items():  # attributes: Tensor.T, ...
        setattr(Tensor, _name, _prop)
    for _name, _method in getattr(_family, "METHODS", {}).items():  # methods beyond the ops': add_, ...
        setattr(Tensor, _name, _method)
Tensor._graph_namespace = GraphOps

__all__ += ["nll", "cross_entropy"]  # linear is a declared op: attach() lists it
from .construction import c_, r_  # noqa: E402  numpy's index-expression joiners

__all__ += ["r_", "c_"]
globals().update(numpy_introspection.EXPORTS)  # numpy's shape/dtype questions: no op declarations
__all__ += list(numpy_introspection.EXPORTS)
