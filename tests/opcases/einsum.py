"""Op-table cases for einsum and the products written with it: tensordot, inner, outer, kron, dot,
vdot (numpy's rules for 0-d, 1-d and N-d operands)."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, case, shapes, torch

_EINSUM = [  # subscripts, operand shapes
    ("ij,jk->ik", (2, 3), (3, 4)),
    ("...ij,...jk->...ik", (2, 2, 3), (3, 2)),
    ("...ij,...jk", (1, 2, 3), (4, 3, 2)),
    ("ii->i", (3, 3)),
    ("ii", (3, 3)),
    ("ij->", (2, 3)),
    ("i,i", (3,), (3,)),
    ("i,j->ij", (2,), (3,)),
    ("ij->ji", (2, 3)),
    ("iij->j", (2, 2, 3)),
    ("bij,bjk,bkl->bil", (2, 2, 3), (2, 3, 4), (2, 4, 2)),
    ("ij,jk,kl,lm->im", (2, 3), (3, 2), (2, 4), (4, 2)),
    ("ab,bc,ca->", (2, 3), (3, 4), (4, 2)),
    (",i->i", (), (3,)),
    ("ij,ij->i", (1, 3), (2, 3)),
    ("i->", (0,)),
    ("ijk,k->ij", (2, 0, 3), (3,)),
]
for _spec, *_shapes in _EINSUM:
    case(
        "einsum",
        lambda *xs, spec=_spec: autobp.einsum(spec, *xs),
        arrays_of(*_shapes),
        torch_fn=lambda *xs, spec=_spec: torch.einsum(spec, *xs),
        numpy_fn=lambda *xs, spec=_spec: np.einsum(spec, *xs),
        id=f"einsum-{_spec}",
        ints=True,
    )


def pair_for(rule):
    """Two arrays whose shapes satisfy ``rule(shape_a) -> shape_b``."""
    return shapes().flatmap(lambda s: arrays_of(s, rule(s)))


case(
    "tensordot",
    lambda a, b: autobp.tensordot(a, b, 1),
    shapes(min_dims=1).flatmap(lambda s: arrays_of(s, (s[-1], 2))),
    torch_fn=lambda a, b: torch.tensordot(a, b, 1),
    numpy_fn=lambda a, b: np.tensordot(a, b, 1),
    ints=True,
)
case(
    "tensordot",
    lambda a, b: autobp.tensordot(a, b, axes=([1, 0], [0, 2])),
    arrays_of((2, 3, 4), (3, 5, 2)),
    torch_fn=lambda a, b: torch.tensordot(a, b, dims=([1, 0], [0, 2])),
    numpy_fn=lambda a, b: np.tensordot(a, b, axes=([1, 0], [0, 2])),
    id="tensordot-axes-lists",
)
case(
    "inner",
    autobp.inner,
    st.tuples(shapes(), shapes(max_dims=2)).flatmap(
        lambda ss: arrays_of(ss[0], ss[1][:-1] + ss[0][-1:] if ss[0] and ss[1] else ss[1])
    ),
    torch_fn=lambda a, b: torch.inner(a, b),
    numpy_fn=np.inner,
    ints=True,
)
case(
    "outer",
    autobp.outer,
    st.tuples(array(), array()),
    numpy_fn=np.outer,
    torch_fn=lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1)),
    ints=True,
)
case(
    "kron",
    autobp.kron,
    st.tuples(array(), array()),
    numpy_fn=np.kron,
    torch_fn=lambda a, b: torch.kron(a, b),
    ints=True,
)
for _sa, _sb in [
    ((), (3,)),
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3, 4)),
    ((2, 2, 3), (4, 3, 2)),
    ((0, 3), (3,)),
]:
    case(
        "dot",
        autobp.dot,
        arrays_of(_sa, _sb),
        numpy_fn=np.dot,
        torch_fn=(lambda a, b: torch.dot(a, b)) if len(_sa) == len(_sb) == 1 else None,
        id=f"dot-{_sa}-{_sb}",
        ints=True,
    )
case(
    "vdot",
    autobp.vdot,
    shapes().flatmap(lambda s: arrays_of(s, s)),
    numpy_fn=np.vdot,
    torch_fn=lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1)),
    ints=True,
)
case(
    "cross",
    autobp.cross,
    shapes(max_dims=2).flatmap(lambda s: arrays_of(s + (3,), (3,))),
    numpy_fn=np.cross,
    torch_fn=lambda a, b: torch.linalg.cross(a, b.expand(a.shape)),
    ints=True,
)
case(
    "cross",
    lambda a, b: autobp.cross(a, b, axisa=0, axisb=1, axisc=-1),
    arrays_of((3, 2), (2, 3)),
    numpy_fn=lambda a, b: np.cross(a, b, axisa=0, axisb=1, axisc=-1),
    torch_fn=lambda a, b: torch.cross(a.T, b, dim=-1),
    id="cross-axes",
)
