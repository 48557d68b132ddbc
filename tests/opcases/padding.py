"""Op-table cases for padding, rolling, flipping, rotating, tiling, repeating and sliding windows."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, case, shapes, torch, unary

# --- pad -----------------------------------------------------------------------------------------
case(
    "pad",
    lambda x: autobp.pad(x, 1, constant_values=0.5),
    unary(),
    numpy_fn=lambda x: np.pad(x, 1, constant_values=0.5),
    torch_fn=lambda x: torch.nn.functional.pad(x, (1, 1) * x.ndim, value=0.5),
    ints=True,
)
case(
    "pad",
    lambda x: autobp.pad(x, ((2, 0), (0, 1))),
    unary(min_dims=2, max_dims=2),
    numpy_fn=lambda x: np.pad(x, ((2, 0), (0, 1))),
    torch_fn=lambda x: torch.nn.functional.pad(x, (0, 1, 2, 0)),
    id="pad-constant-per-axis",
)
for _mode in ("edge", "reflect", "symmetric", "wrap"):
    case(
        "pad",
        lambda x, mode=_mode: autobp.pad(x, (2, 3), mode=mode),
        unary(min_side=1),
        numpy_fn=lambda x, mode=_mode: np.pad(x, (2, 3), mode=mode),
        id=f"pad-{_mode}",
        ints=True,
    )
# PyTorch pads the last axis of (N, C, W) in these modes; pads no wider than the axis for reflect
for _ours, _theirs in (("edge", "replicate"), ("reflect", "reflect"), ("wrap", "circular")):
    case(
        "pad",
        lambda x, mode=_ours: autobp.pad(x, ((0, 0), (0, 0), (2, 1)), mode=mode),
        array(st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(3, 4))).map(lambda a: (a,)),
        torch_fn=lambda x, mode=_theirs: torch.nn.functional.pad(x, (2, 1), mode=mode),
        id=f"pad-{_ours}-vs-torch-{_theirs}",
    )
case(
    "pad",
    lambda x: autobp.pad(x, ((0, 0), (1, 2)), mode="circular"),
    array(st.tuples(st.integers(1, 2), st.integers(2, 4))).map(lambda a: (a,)),
    numpy_fn=lambda x: np.pad(x, ((0, 0), (1, 2)), mode="wrap"),
    id="pad-circular-spelling",
)

# --- roll, flip, rot90 ---------------------------------------------------------------------------
case(
    "roll",
    lambda x: autobp.roll(x, 2),
    unary(),
    numpy_fn=lambda x: np.roll(x, 2),
    torch_fn=lambda x: x.roll(2),
)
case(
    "roll",
    lambda x: x.roll((1, -2), dims=(0, -1)),
    unary(min_dims=2),
    numpy_fn=lambda x: np.roll(x, (1, -2), axis=(0, -1)),
    torch_fn=lambda x: x.roll((1, -2), dims=(0, -1)),
    id="roll-axes",
    ints=True,
)
case(
    "flip",
    autobp.flip,
    unary(),
    numpy_fn=np.flip,
    torch_fn=lambda x: x.flip(tuple(range(x.ndim))),
    ints=True,
)
case(
    "flip",
    lambda x: x.flip(dims=(0, -1)),
    unary(min_dims=2),
    numpy_fn=lambda x: np.flip(x, (0, -1)),
    torch_fn=lambda x: x.flip((0, -1)),
    id="flip-axes",
)
case("fliplr", autobp.fliplr, unary(min_dims=2), numpy_fn=np.fliplr, torch_fn=lambda x: torch.fliplr(x))
case("flipud", autobp.flipud, unary(min_dims=1), numpy_fn=np.flipud, torch_fn=lambda x: torch.flipud(x))
for _k in (0, 1, 2, 3, -1):
    case(
        "rot90",
        lambda x, k=_k: autobp.rot90(x, k, axes=(0, -1)),
        unary(min_dims=2),
        numpy_fn=lambda x, k=_k: np.rot90(x, k, axes=(0, -1)),
        torch_fn=lambda x, k=_k: torch.rot90(x, k, (0, -1)),
        id=f"rot90-{_k}",
    )

# --- tile, repeat --------------------------------------------------------------------------------
for _reps in (2, (2, 1), (1, 3, 2)):
    case(
        "tile",
        lambda x, reps=_reps: autobp.tile(x, reps),
        unary(),
        numpy_fn=lambda x, reps=_reps: np.tile(x, reps),
        torch_fn=lambda x, reps=_reps: torch.tile(x, reps if isinstance(reps, tuple) else (reps,)),
        id=f"tile-{_reps}",
        ints=True,
    )
case(
    "tile",
    lambda x: x.tile(dims=(2, 1)),
    unary(),
    torch_fn=lambda x: x.tile(dims=(2, 1)),
    id="tile-torch-dims",
)
case(
    "repeat",
    lambda x: autobp.repeat(x, 2),
    unary(),
    numpy_fn=lambda x: np.repeat(x, 2),
    torch_fn=lambda x: torch.repeat_interleave(x, 2),
    ints=True,
)
case(
    "repeat",
    lambda x: x.repeat([1, 0, 3], axis=0),
    array(shapes(min_dims=1).map(lambda s: (3,) + s[1:])).map(lambda a: (a,)),
    numpy_fn=lambda x: np.repeat(x, [1, 0, 3], axis=0),
    torch_fn=lambda x: x.repeat_interleave(torch.tensor([1, 0, 3]), dim=0),
    id="repeat-counts",
)
case(
    "repeat",
    lambda x: x.repeat_interleave(3, dim=-1),
    unary(min_dims=1),
    torch_fn=lambda x: x.repeat_interleave(3, dim=-1),
    id="repeat_interleave",
)

# --- windows: each element read by several windows, its gradient summed ---------------------------
case(
    "sliding_window_view",
    lambda x: autobp.sliding_window_view(x, 2, axis=-1),
    unary(min_dims=1, min_side=2),
    numpy_fn=lambda x: np.lib.stride_tricks.sliding_window_view(x, 2, axis=-1),
    torch_fn=lambda x: x.unfold(-1, 2, 1),
    ints=True,
)
case(
    "sliding_window_view",
    lambda x: autobp.sliding_window_view(x, (2, 3)),
    array(st.tuples(st.integers(2, 4), st.integers(3, 4))).map(lambda a: (a,)),
    numpy_fn=lambda x: np.lib.stride_tricks.sliding_window_view(x, (2, 3)),
    id="sliding_window_view-2d",
)
for _size, _step in ((2, 1), (2, 2), (3, 1)):
    case(
        "unfold_windows",
        lambda x, size=_size, step=_step: x.unfold(0, size, step),
        array(shapes(min_dims=1).map(lambda s: (4,) + s[1:])).map(lambda a: (a,)),
        torch_fn=lambda x, size=_size, step=_step: x.unfold(0, size, step),
        id=f"unfold-{_size}-{_step}",
    )
