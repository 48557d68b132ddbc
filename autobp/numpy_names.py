"""numpy's constants and type names in the ``autobp`` namespace, so that a program written for numpy
or HIPS autograd (``np.pi``, ``np.nan``, ``x[:, np.newaxis]``, ``np.dtype("float32")``,
``np.issubdtype(x.dtype, np.floating)``, ``with np.errstate(...)``) runs with ``import autobp as np``.

They are numpy's own objects, re-exported: autobp's dtypes are numpy's (``autobp.float32`` is
``numpy.float32``), so numpy's type hierarchy and dtype functions apply unchanged. The constants and
index helpers are set on the module as attributes (PyTorch has ``torch.pi``, ``torch.e``,
``torch.inf``, ``torch.nan`` too); the classes and functions are in ``__all__``.
"""

from __future__ import annotations

import numpy as np

# plain values and index-expression helpers: attributes of autobp, not in __all__ (no docstring of
# their own to show on the reference pages)
CONSTANTS = {
    "pi": np.pi,
    "e": np.e,
    "inf": np.inf,
    "nan": np.nan,
    "newaxis": np.newaxis,
    "euler_gamma": np.euler_gamma,
    "s_": np.s_,
    "index_exp": np.index_exp,
    "typecodes": np.typecodes,
}

# numpy's dtype class and scalar-type hierarchy (the abstract classes numpy.issubdtype tests against,
# and the platform-named concrete types)
dtype = np.dtype
generic, number, integer, inexact = np.generic, np.number, np.integer, np.inexact
signedinteger, unsignedinteger = np.signedinteger, np.unsignedinteger
floating, complexfloating, flexible, character = np.floating, np.complexfloating, np.flexible, np.character
int_, intc, intp, longlong = np.int_, np.intc, np.intp, np.longlong
uint, uintc, uintp, ulonglong = np.uint, np.uintc, np.uintp, np.ulonglong
byte, ubyte, ushort, ulong = np.byte, np.ubyte, np.ushort, np.ulong
single, csingle, longdouble, clongdouble = np.single, np.csingle, np.longdouble, np.clongdouble
object_, str_, bytes_ = np.object_, np.str_, np.bytes_
# numpy's functions about dtypes and floating-point error handling (no arrays involved)
issubdtype, isdtype, mintypecode = np.issubdtype, np.isdtype, np.mintypecode
errstate, seterr, geterr = np.errstate, np.seterr, np.geterr
ndindex, ndenumerate = np.ndindex, np.ndenumerate

__all__ = [
    "dtype",
    "generic",
    "number",
    "integer",
    "inexact",
    "signedinteger",
    "unsignedinteger",
    "floating",
    "complexfloating",
    "flexible",
    "character",
    "int_",
    "intc",
    "intp",
    "longlong",
    "uint",
    "uintc",
    "uintp",
    "ulonglong",
    "byte",
    "ubyte",
    "ushort",
    "ulong",
    "single",
    "csingle",
    "longdouble",
    "clongdouble",
    "object_",
    "str_",
    "bytes_",
    "issubdtype",
    "isdtype",
    "mintypecode",
    "errstate",
    "seterr",
    "geterr",
    "ndindex",
    "ndenumerate",
]
