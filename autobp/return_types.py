"""PyTorch's ``torch.return_types``: the named tuples that functions with several results return.

Each class is a tuple with named fields, made from one sequence as PyTorch's are (``max((values,
indices))``; a sequence of the wrong length is a TypeError) or from the fields, as a namedtuple, with
a ``*_out`` twin that the ``out=`` forms return.
autobp's functions return these classes wherever PyTorch returns its namesakes: ``topk``, ``kthvalue``,
``cummax``, ``mode``, ``aminmax``, ``frexp``, ``svd`` (U, S, V), ``qr``, ``slogdet``, ``geqrf``,
``triangular_solve``, ``lu_unpack``, ``histogram``, ``linalg.svd`` (U, S, Vh), ``linalg.eigh``, ... so
``isinstance(autobp.topk(t, 2), autobp.return_types.topk)``. numpy's names for the linalg ones
(``linalg.EighResult``, ``SVDResult``, ``SlogdetResult``, ``QRResult``, ``EigResult``) are these classes.
``max``/``min``/``sort``/``median``/``nanmedian`` keep numpy's meaning (the values only), so their
classes are here for code that builds them.

>>> import autobp
>>> r = autobp.return_types.topk([autobp.ones(1), autobp.zeros(1)])
>>> r.indices is r[1]
True
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

_FIELDS = {
    "aminmax": ("min", "max"),
    "cummax": ("values", "indices"),
    "cummin": ("values", "indices"),
    "frexp": ("mantissa", "exponent"),
    "geqrf": ("a", "tau"),
    "histogram": ("hist", "bin_edges"),
    "histogramdd": ("hist", "bin_edges"),
    "kthvalue": ("values", "indices"),
    "linalg_cholesky_ex": ("L", "info"),
    "linalg_eig": ("eigenvalues", "eigenvectors"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
    "linalg_inv_ex": ("inverse", "info"),
    "linalg_ldl_factor": ("LD", "pivots"),
    "linalg_ldl_factor_ex": ("LD", "pivots", "info"),
    "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
    "linalg_lu": ("P", "L", "U"),
    "linalg_lu_factor": ("LU", "pivots"),
    "linalg_lu_factor_ex": ("LU", "pivots", "info"),
    "linalg_qr": ("Q", "R"),
    "linalg_slogdet": ("sign", "logabsdet"),
    "linalg_solve_ex": ("result", "info"),
    "linalg_svd": ("U", "S", "Vh"),
    "lu_unpack": ("P", "L", "U"),
    "max": ("values", "indices"),
    "median": ("values", "indices"),
    "min": ("values", "indices"),
    "mode": ("values", "indices"),
    "nanmedian": ("values", "indices"),
    "qr": ("Q", "R"),
    "slogdet": ("sign", "logabsdet"),
    "sort": ("values", "indices"),
    "svd": ("U", "S", "V"),
    "topk": ("values", "indices"),
    "triangular_solve": ("solution", "cloned_coefficient"),
}
_NO_OUT = {"histogramdd"}  # PyTorch has no out= form of these


def _structseq(name: str, fields: tuple[str, ...]) -> type:
    base = namedtuple(name, fields)  # noqa: PYI024  (the field access and _asdict come from it)
    n = len(fields)

    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != 1:  # the namedtuple form, cls(a, b), as generic code rebuilds tuples
            return base.__new__(cls, *args, **kwargs)
        try:  # PyTorch's form: cls(sequence)
            made = tuple.__new__(cls, args[0])
        except TypeError:
            raise TypeError(
                f"{name}: constructor requires a sequence, got {type(args[0]).__name__}"
            ) from None
        if len(made) != n:
            raise TypeError(f"return_types.{name}() takes a {n}-sequence ({len(made)}-sequence given)")
        return made

    def __repr__(self: Any) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"autobp.return_types.{name}(\n{body})"

    namespace = {
        "__slots__": (),
        "__new__": __new__,
        "__repr__": __repr__,
        "__module__": __name__,
        "__doc__": f"PyTorch's ``torch.return_types.{name}``: a tuple ({', '.join(fields)}).",
        "n_fields": n,  # PyTorch's structseq counts
        "n_sequence_fields": n,
        "n_unnamed_fields": 0,
    }
    return type(name, (base,), namespace)


# Written out (not made in a loop) so that the documentation's static reader finds each name.
aminmax = _structseq("aminmax", _FIELDS["aminmax"])
aminmax_out = _structseq("aminmax_out", _FIELDS["aminmax"])
cummax = _structseq("cummax", _FIELDS["cummax"])
cummax_out = _structseq("cummax_out", _FIELDS["cummax"])
cummin = _structseq("cummin", _FIELDS["cummin"])
cummin_out = _structseq("cummin_out", _FIELDS["cummin"])
frexp = _structseq("frexp", _FIELDS["frexp"])
frexp_out = _structseq("frexp_out", _FIELDS["frexp"])
geqrf = _structseq("geqrf", _FIELDS["geqrf"])
geqrf_out = _structseq("geqrf_out", _FIELDS["geqrf"])
histogram = _structseq("histogram", _FIELDS["histogram"])
histogram_out = _structseq("histogram_out", _FIELDS["histogram"])
histogramdd = _structseq("histogramdd", _FIELDS["histogramdd"])
kthvalue = _structseq("kthvalue", _FIELDS["kthvalue"])
kthvalue_out = _structseq("kthvalue_out", _FIELDS["kthvalue"])
linalg_cholesky_ex = _structseq("linalg_cholesky_ex", _FIELDS["linalg_cholesky_ex"])
linalg_cholesky_ex_out = _structseq("linalg_cholesky_ex_out", _FIELDS["linalg_cholesky_ex"])
linalg_eig = _structseq("linalg_eig", _FIELDS["linalg_eig"])
linalg_eig_out = _structseq("linalg_eig_out", _FIELDS["linalg_eig"])
linalg_eigh = _structseq("linalg_eigh", _FIELDS["linalg_eigh"])
linalg_eigh_out = _structseq("linalg_eigh_out", _FIELDS["linalg_eigh"])
linalg_inv_ex = _structseq("linalg_inv_ex", _FIELDS["linalg_inv_ex"])
linalg_inv_ex_out = _structseq("linalg_inv_ex_out", _FIELDS["linalg_inv_ex"])
linalg_ldl_factor = _structseq("linalg_ldl_factor", _FIELDS["linalg_ldl_factor"])
linalg_ldl_factor_out = _structseq("linalg_ldl_factor_out", _FIELDS["linalg_ldl_factor"])
linalg_ldl_factor_ex = _structseq("linalg_ldl_factor_ex", _FIELDS["linalg_ldl_factor_ex"])
linalg_ldl_factor_ex_out = _structseq("linalg_ldl_factor_ex_out", _FIELDS["linalg_ldl_factor_ex"])
linalg_lstsq = _structseq("linalg_lstsq", _FIELDS["linalg_lstsq"])
linalg_lstsq_out = _structseq("linalg_lstsq_out", _FIELDS["linalg_lstsq"])
linalg_lu = _structseq("linalg_lu", _FIELDS["linalg_lu"])
linalg_lu_out = _structseq("linalg_lu_out", _FIELDS["linalg_lu"])
linalg_lu_factor = _structseq("linalg_lu_factor", _FIELDS["linalg_lu_factor"])
linalg_lu_factor_out = _structseq("linalg_lu_factor_out", _FIELDS["linalg_lu_factor"])
linalg_lu_factor_ex = _structseq("linalg_lu_factor_ex", _FIELDS["linalg_lu_factor_ex"])
linalg_lu_factor_ex_out = _structseq("linalg_lu_factor_ex_out", _FIELDS["linalg_lu_factor_ex"])
linalg_qr = _structseq("linalg_qr", _FIELDS["linalg_qr"])
linalg_qr_out = _structseq("linalg_qr_out", _FIELDS["linalg_qr"])
linalg_slogdet = _structseq("linalg_slogdet", _FIELDS["linalg_slogdet"])
linalg_slogdet_out = _structseq("linalg_slogdet_out", _FIELDS["linalg_slogdet"])
linalg_solve_ex = _structseq("linalg_solve_ex", _FIELDS["linalg_solve_ex"])
linalg_solve_ex_out = _structseq("linalg_solve_ex_out", _FIELDS["linalg_solve_ex"])
linalg_svd = _structseq("linalg_svd", _FIELDS["linalg_svd"])
linalg_svd_out = _structseq("linalg_svd_out", _FIELDS["linalg_svd"])
lu_unpack = _structseq("lu_unpack", _FIELDS["lu_unpack"])
lu_unpack_out = _structseq("lu_unpack_out", _FIELDS["lu_unpack"])
max = _structseq("max", _FIELDS["max"])
max_out = _structseq("max_out", _FIELDS["max"])
median = _structseq("median", _FIELDS["median"])
median_out = _structseq("median_out", _FIELDS["median"])
min = _structseq("min", _FIELDS["min"])
min_out = _structseq("min_out", _FIELDS["min"])
mode = _structseq("mode", _FIELDS["mode"])
mode_out = _structseq("mode_out", _FIELDS["mode"])
nanmedian = _structseq("nanmedian", _FIELDS["nanmedian"])
nanmedian_out = _structseq("nanmedian_out", _FIELDS["nanmedian"])
qr = _structseq("qr", _FIELDS["qr"])
qr_out = _structseq("qr_out", _FIELDS["qr"])
slogdet = _structseq("slogdet", _FIELDS["slogdet"])
slogdet_out = _structseq("slogdet_out", _FIELDS["slogdet"])
sort = _structseq("sort", _FIELDS["sort"])
sort_out = _structseq("sort_out", _FIELDS["sort"])
svd = _structseq("svd", _FIELDS["svd"])
svd_out = _structseq("svd_out", _FIELDS["svd"])
topk = _structseq("topk", _FIELDS["topk"])
topk_out = _structseq("topk_out", _FIELDS["topk"])
triangular_solve = _structseq("triangular_solve", _FIELDS["triangular_solve"])
triangular_solve_out = _structseq("triangular_solve_out", _FIELDS["triangular_solve"])
_lu_with_info = _structseq("_lu_with_info", ("LU", "pivots", "info"))  # torch.lu(get_infos=True)

_NAMES = sorted(set(_FIELDS) | {k + "_out" for k in _FIELDS if k not in _NO_OUT})
all_return_types = [globals()[n] for n in _NAMES]
__all__ = [*_NAMES, "all_return_types"]


for _n in _NAMES:  # out=(a, b) returns the *_out twin, as PyTorch's out= forms do (see _torch_out)
    if _n + "_out" in globals():
        globals()[_n]._out_type = globals()[_n + "_out"]

# Whose numpy namesake returns a plain tuple: a numpy input gets that (see _plain.to_plain).
_PLAIN_IN_NUMPY = frozenset({frexp, histogram, histogramdd})


assert all(n in globals() for n in _NAMES)
