"""Op-table cases for numpy's array constructors on Tensors (array/asarray of nested lists holding
Tensors, copy, r_/c_) and the split variants vsplit/hsplit/dsplit."""

import numpy as np

import autobp

from ..optable import arrays_of, case, torch, unary

case(
    "array",
    lambda x: autobp.array([x, 2 * x, x * x]),
    unary(),
    numpy_fn=lambda x: np.array([x, 2 * x, x * x]),
    torch_fn=lambda x: torch.stack([x, 2 * x, x * x]),
    ints=True,
)
case(
    "array",
    lambda x: autobp.array([[x, 1.0], [3.0, x]]),
    unary(max_dims=0),
    numpy_fn=lambda x: np.array([[x, 1.0], [3.0, x]]),
    torch_fn=lambda x: torch.stack(
        [torch.stack([x, torch.ones_like(x)]), torch.stack([3 * torch.ones_like(x), x])]
    ),
    id="array-nested-mixed",
)
case(
    "array",
    lambda x: autobp.array(x, ndmin=3),
    unary(max_dims=2),
    numpy_fn=lambda x: np.array(x, ndmin=3),
    id="array-of-tensor-ndmin",
)
case(
    "asarray",
    lambda x: autobp.asarray([x, x]),
    unary(),
    numpy_fn=lambda x: np.asarray([x, x]),
    torch_fn=lambda x: torch.stack([x, x]),
)
case(
    "vsplit",
    lambda x: autobp.vsplit(x, 2),
    arrays_of((4, 3)),
    numpy_fn=lambda x: np.vsplit(x, 2),
    torch_fn=lambda x: torch.vsplit(x, 2),
    ints=True,
)
case(
    "hsplit",
    lambda x: autobp.hsplit(x, [1]),
    arrays_of((2, 3, 2)),
    numpy_fn=lambda x: np.hsplit(x, [1]),
    torch_fn=lambda x: torch.hsplit(x, [1]),
)
case(
    "hsplit",
    lambda x: autobp.hsplit(x, 2),
    arrays_of((4,)),
    numpy_fn=lambda x: np.hsplit(x, 2),
    torch_fn=lambda x: torch.hsplit(x, 2),
    id="hsplit-1d",
)
case(
    "dsplit",
    lambda x: autobp.dsplit(x, 2),
    arrays_of((1, 2, 4)),
    numpy_fn=lambda x: np.dsplit(x, 2),
    torch_fn=lambda x: torch.dsplit(x, 2),
)
