"""Op-table cases for autobp.special, against scipy.special (values) and torch.special (values and
gradients), on domains away from poles."""

import numpy as np
import scipy.special as sc

import autobp.special as sp

from ..optable import binary, case, torch, unary

_pos = unary(0.2, 4.0)
case("gammaln", sp.gammaln, _pos, torch_fn=lambda x: torch.lgamma(x), numpy_fn=sc.gammaln, ints=False)
case(
    "gammaln",
    sp.gammaln,
    unary(-2.9, -0.1, away=(-1.0, -2.0), margin=0.1),
    torch_fn=lambda x: torch.lgamma(x),
    id="gammaln-negative",
)
case("gamma", sp.gamma, unary(0.2, 3.0), torch_fn=lambda x: torch.exp(torch.lgamma(x)), numpy_fn=sc.gamma)
case("digamma", sp.digamma, _pos, torch_fn=lambda x: torch.digamma(x), numpy_fn=sc.digamma)
for _n in (0, 1, 3):
    case(
        "polygamma",
        lambda x, n=_n: sp.polygamma(n, x),
        _pos,
        torch_fn=lambda x, n=_n: torch.polygamma(n, x),
        numpy_fn=lambda x, n=_n: sc.polygamma(n, x),
        id=f"polygamma-{_n}",
    )
case(
    "multigammaln",
    lambda x: sp.multigammaln(x, 3),
    unary(1.2, 4.0),
    torch_fn=lambda x: torch.special.multigammaln(x, 3),
    numpy_fn=lambda x: sc.multigammaln(x, 3),
)
case(
    "betaln",
    sp.betaln,
    binary(0.2, 4.0),
    torch_fn=lambda a, b: torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b),
    numpy_fn=sc.betaln,
)
case("ndtr", sp.ndtr, unary(-5.0, 5.0), torch_fn=lambda x: torch.special.ndtr(x), numpy_fn=sc.ndtr)
case(
    "log_ndtr",
    sp.log_ndtr,
    unary(-30.0, 5.0),
    torch_fn=lambda x: torch.special.log_ndtr(x),
    numpy_fn=sc.log_ndtr,
)
case("ndtri", sp.ndtri, unary(0.02, 0.98), torch_fn=lambda x: torch.special.ndtri(x), numpy_fn=sc.ndtri)
case(
    "xlog1py",
    sp.xlog1py,
    binary(-2.0, 2.0, -0.8, 3.0, away=lambda x, y: bool(np.all(np.abs(x) > 1e-2))),  # x = 0: test_special
    torch_fn=lambda x, y: torch.special.xlog1py(x, y),
    numpy_fn=sc.xlog1py,
)
for _name, _tname in (("i0", "i0"), ("i1", "i1"), ("i0e", "i0e"), ("i1e", "i1e")):
    case(
        _name,
        getattr(sp, _name),
        unary(-4.0, 4.0, away=(0.0,)),
        torch_fn=lambda x, t=_tname: getattr(torch.special, t)(x),
        numpy_fn=getattr(sc, _name),
    )
case(
    ("i1", "i1e"),
    lambda x: (sp.i1(x * 0.0), sp.i1e(x * 0.0)),
    unary(-1.0, 1.0),
    torch_fn=lambda x: (torch.special.i1(x * 0.0), torch.special.i1e(x * 0.0)),
    second_order=False,
    id="i1-i1e-at-zero",
)

for _axis, _keep in ((None, False), (-1, True), (0, False)):
    _min = 0 if _axis is None else 1
    case(
        "special_logsumexp",
        lambda x, ax=_axis, k=_keep: sp.logsumexp(x, axis=ax, keepdims=k),
        unary(min_dims=_min, min_side=1),
        torch_fn=lambda x, ax=_axis, k=_keep: (
            torch.logsumexp(x.reshape(-1), 0) if ax is None else torch.logsumexp(x, ax, keepdim=k)
        ),
        numpy_fn=lambda x, ax=_axis, k=_keep: sc.logsumexp(x, axis=ax, keepdims=k),
        id=f"special_logsumexp-axis{_axis}-keep{_keep}",
    )
    for _name in ("special_softmax", "special_log_softmax"):
        fn = getattr(sp, _name[8:])
        case(
            _name,
            lambda x, f=fn, ax=_axis: f(x, axis=ax),
            unary(min_dims=_min, min_side=1),
            torch_fn=lambda x, n=_name[8:], ax=_axis: (
                getattr(torch, n)(x.reshape(-1), 0).reshape(x.shape)
                if ax is None
                else getattr(torch, n)(x, ax)
            ),
            numpy_fn=lambda x, n=_name[8:], ax=_axis: getattr(sc, n)(x, axis=ax),
            id=f"{_name}-axis{_axis}",
        )


def _weighted(a, b):
    """logsumexp with positive weights b, against log(sum(b exp(a)))."""
    return sp.logsumexp(a, axis=-1, b=b)


case(
    "special_logsumexp",
    _weighted,
    binary(-3.0, 3.0, 0.1, 2.0).filter(lambda ab: ab[0].ndim >= 1 and ab[1].ndim >= 1),
    torch_fn=lambda a, b: torch.logsumexp(a + torch.log(b), -1),
    numpy_fn=lambda a, b: sc.logsumexp(a, axis=-1, b=b),
    id="special_logsumexp-weights",
)
case(
    "special_logsumexp",
    lambda a, b: sp.logsumexp(a, axis=-1, b=b - 0.5, return_sign=True),
    binary(-3.0, 3.0, -1.0, 2.0).filter(
        lambda ab: ab[0].ndim >= 1 and ab[1].ndim >= 1 and np.all(np.abs(_signed_sum(*ab)) > 1e-2)
    ),
    numpy_fn=lambda a, b: sc.logsumexp(a, axis=-1, b=b - 0.5, return_sign=True),
    id="special_logsumexp-signed",
)


def _signed_sum(a, b):
    return np.sum(np.exp(a) * (b - 0.5), axis=-1)
