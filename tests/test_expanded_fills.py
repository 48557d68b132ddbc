"""Writes through an expanded (broadcast) tensor, as torch's: fills (``fill_`` with a number, ``zero_``,
``masked_fill_``, ``index_fill_``, ``fill_diagonal_``, ``nn.init`` constants) write their value into the
base's memory; every other write is refused with torch's error text. Each case is run in torch too."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

OVERLAP = "more than one element of the written-to tensor refers to a single memory location"


def _mask(lib):
    m = np.zeros((3, 4), dtype=bool)
    m[0, 1] = m[2, 3] = True
    return lib.tensor(m)


WRITES = {
    "fill_": lambda lib, e: e.fill_(2.5),
    "fill_ int": lambda lib, e: e.fill_(7),
    "fill_ bool": lambda lib, e: e.fill_(True),
    "zero_": lambda lib, e: e.zero_(),
    "masked_fill_": lambda lib, e: e.masked_fill_(_mask(lib), 9.0),
    "masked_fill_ 0-d": lambda lib, e: e.masked_fill_(_mask(lib), lib.tensor(4.0, dtype=lib.float64)),
    "index_fill_ rows": lambda lib, e: e.index_fill_(0, lib.tensor([1]), 9.0),
    "index_fill_ cols": lambda lib, e: e.index_fill_(1, lib.tensor([2]), -1.0),
    "fill_diagonal_": lambda lib, e: e.fill_diagonal_(5.0),
    "init.zeros_": lambda lib, e: lib.nn.init.zeros_(e),
    "init.ones_": lambda lib, e: lib.nn.init.ones_(e),
    "init.constant_": lambda lib, e: lib.nn.init.constant_(e, 3.0),
    "fill_ of a row": lambda lib, e: e[1].fill_(6.0),
    "zero_ of the transpose": lambda lib, e: e.T.zero_(),
    # refused by torch
    "fill_ 0-d tensor": lambda lib, e: e.fill_(lib.tensor(3.0, dtype=lib.float64)),
    "add_ number": lambda lib, e: e.add_(1),
    "mul_ number": lambda lib, e: e.mul_(2),
    "add_ uniform tensor": lambda lib, e: e.add_(lib.ones(3, 4, dtype=lib.float64)),
    "copy_": lambda lib, e: e.copy_(lib.ones(3, 4, dtype=lib.float64)),
    "copy_ 0-d": lambda lib, e: e.copy_(lib.tensor(5.0, dtype=lib.float64)),
    "setitem all": lambda lib, e: e.__setitem__(Ellipsis, 7.0),
    "setitem row": lambda lib, e: e.__setitem__(0, 7.0),
    "+=": lambda lib, e: e.__iadd__(1.0),
    "neg_": lambda lib, e: e.neg_(),
    "clamp_": lambda lib, e: e.clamp_(min=1.0),
    "init.normal_": lambda lib, e: lib.nn.init.normal_(e),
    "init.uniform_": lambda lib, e: lib.nn.init.uniform_(e),
}


def _run(lib, write):
    base = lib.tensor([[0.0], [1.0], [2.0]], dtype=lib.float64)
    e = base.expand(3, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            write(lib, e)
        except RuntimeError as err:
            return "error", str(err), None
    warned = any("on expanded tensors is deprecated" in str(w.message) for w in caught)
    return base.numpy().ravel().tolist(), np.asarray(e.numpy()).ravel().tolist(), warned


@pytest.mark.parametrize("write", list(WRITES))
def test_write_through_an_expanded_tensor_as_torch(write):
    ours, theirs = _run(autobp, WRITES[write]), _run(torch, WRITES[write])
    if theirs[0] == "error":
        assert ours[0] == "error", ours
        assert OVERLAP in theirs[1] and OVERLAP in ours[1], (ours[1], theirs[1])
    else:
        assert ours == theirs


def test_the_refusal_is_also_numpys_value_error_and_changes_nothing():
    base = autobp.zeros(2, 1)
    e = base.expand(2, 3)
    with pytest.raises(ValueError, match="refers to a single memory location"):
        e[0] = 1.0
    with pytest.raises(RuntimeError, match="Please clone"):
        e.add_(1)
    np.testing.assert_array_equal(base.numpy(), np.zeros((2, 1)))


def test_a_fill_bumps_the_versions_so_graphs_that_read_the_base_refuse_to_backward():
    for lib in (autobp, torch):
        x = lib.ones(3, 1, dtype=lib.float64, requires_grad=True)
        base = lib.zeros(3, 1, dtype=lib.float64)
        y = (x * base).sum()  # mul keeps base for x's gradient
        base.expand(3, 2).fill_(1.0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()


def test_fills_of_an_expanded_leaf_that_requires_grad_as_torch():
    for lib in (autobp, torch):
        x = lib.ones(3, 1, dtype=lib.float64, requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            x.expand(3, 4).zero_()
        with lib.no_grad():
            x.expand(3, 4).fill_(4.0)
        np.testing.assert_array_equal(x.detach().numpy().ravel(), [4.0, 4.0, 4.0])
