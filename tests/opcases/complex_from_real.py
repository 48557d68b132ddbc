"""Complex versions of real op-table cases, for ops whose rules are already right for complex inputs
(linear maps with real coefficients: shapes, joins, splits, gathers; and the few others listed): the
same function and oracles on complexified inputs, so each op added here is one name in a list.

Finite differences on the real and imaginary parts, second order and complex64 run for each; PyTorch
and numpy compare where the real case names them (``NO_TORCH``: PyTorch refuses complex input there:
erf, erfc, nansum and nanmean on CPU, nan_to_num's gradient; numpy and scipy compute them, and the
gradients here are checked by finite differences)."""

import importlib
import pkgutil
from pathlib import Path

from ..optable import CASES, case, complexify

for _module in pkgutil.iter_modules([str(Path(__file__).parent)]):  # the real cases first
    if _module.name != "complex_from_real":
        importlib.import_module(f"{__package__}.{_module.name}")

FROM_REAL = [
    "lerp",
    "lerp-tensor-weight",
    "array",
    "array-nested-mixed",
    "asarray",
    "copy",
    "vsplit",
    "hsplit",
    "dsplit",
    "positive",
    "linear",
    "linear-batched-no-bias",
    "flatten",
    "swapaxes",
    "expand_dims",
    "squeeze",
    "ravel",
    "unflatten",
    "moveaxis",
    "expand",
    "atleast_1d-two",
    "atleast_2d",
    "atleast_3d",
    "hstack",
    "vstack",
    "dstack",
    "column_stack",
    "append-axis",
    "array_split",
    "split",
    "chunk-2",
    "full",
    "full_like",
    "diag-0",
    "diagonal-2",
    "tril--1",
    "triu-0",
    "meshgrid-ij",
    "cross",
    "fliplr",
    "flipud",
    "rot90-1",
    "tile-(2, 1)",
    "repeat-counts",
    "sliding_window_view",
    "unfold-2-1",
    "unfold",
    "fold",
    "conv1d",
    "conv2d",
    "conv2d_same_depthwise",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "convolve-full-(5,)-(3,)",
    "convolve-valid-(2, 3)-(3, 4)",
    "correlate-same-(4, 3)-(2, 2)",
    "correlate-valid-(3,)-(4,)",
    "index_select",
    "take_along_axis",
    "gather",
    "masked_select",
    "masked_fill",
    "scatter-value",
    "scatter",
    "scatter_add",
    "index_add",
    "index_put-accumulate",
    "index_put",
    "setitem-int",
    "setitem-mask",
    "setitem-repeated-ints",
    "put_along_axis",
    "sinc",
    "std-0-ddof1",
    "std-pair-ddof0",
    "average-1d-weights",
    "average-full-weights-returned",
    "cov-rows",
    "cov-columns-y-bias",
    "corrcoef",
    "erf",
    "erfc",
    "nansum-0",
    "nanmean-0",
    "nan_to_num",
]
NO_TORCH = {"erf", "erfc", "nansum-0", "nanmean-0", "nan_to_num"}

_BY_ID = {c.id: c for c in CASES if not c.complex}
for _id in FROM_REAL:
    _c = _BY_ID[_id]
    case(
        _c.ops,
        _c.fn,
        complexify(_c.inputs),
        torch_fn=None if _id in NO_TORCH else _c.torch_fn,
        numpy_fn=_c.numpy_fn,
        second_order=_c.second_order,
        float32=_c.float32,
        noncontiguous=_c.noncontiguous,
        atol=_c.atol,
        rtol=_c.rtol,
        complex=True,
        id=f"{_id}-complex",
    )
