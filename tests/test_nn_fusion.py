"""nn.utils.fuse_conv_bn_eval / fuse_linear_bn_eval (and the weight forms) against torch.nn.utils':
the fused layer's weights and outputs, equal to BatchNorm(layer(x)) in evaluation mode."""

import numpy as np
import pytest

from autobp import nn
from autobp.nn import utils as U

from .torch_twin import load_from_torch

torch = pytest.importorskip("torch")
TU = torch.nn.utils

rng = np.random.default_rng(18)


@pytest.mark.parametrize(
    "make, shape, transpose",
    [
        (lambda lib: lib.Conv1d(2, 3, 2), (2, 2, 5), False),
        (lambda lib: lib.Conv2d(2, 3, 2, bias=False), (1, 2, 4, 4), False),
        (lambda lib: lib.ConvTranspose1d(2, 3, 2), (2, 2, 4), True),
    ],
)
def test_fuse_conv_bn_eval_matches_torch(make, shape, transpose):
    tconv = make(torch.nn).double().eval()
    tbn = (torch.nn.BatchNorm2d(3) if len(shape) == 4 else torch.nn.BatchNorm1d(3)).double().eval()
    with torch.no_grad():
        tbn.running_mean.uniform_(-1, 1), tbn.running_var.uniform_(0.5, 2), tbn.weight.uniform_(0.5, 2)
    conv = make(nn).eval()
    bn = (nn.BatchNorm2d(3) if len(shape) == 4 else nn.BatchNorm1d(3)).eval()
    load_from_torch(conv, tconv)
    load_from_torch(bn, tbn)
    fused, tfused = U.fuse_conv_bn_eval(conv, bn, transpose), TU.fuse_conv_bn_eval(tconv, tbn, transpose)
    np.testing.assert_allclose(fused.weight.data, tfused.weight.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(fused.bias.data, tfused.bias.detach().numpy(), rtol=1e-12)
    x = rng.standard_normal(shape)
    np.testing.assert_allclose(fused(x).data, bn(conv(x)).data, rtol=1e-10, atol=1e-12)
    assert conv.weight is not fused.weight  # a copy: the original layer is unchanged


@pytest.mark.parametrize("bias, affine", [(True, True), (False, True)])  # torch refuses affine=False
def test_fuse_linear_bn_eval_matches_torch(bias, affine):
    tlin, tbn = (
        torch.nn.Linear(4, 3, bias=bias).double().eval(),
        torch.nn.BatchNorm1d(3, affine=affine).double().eval(),
    )
    with torch.no_grad():
        tbn.running_mean.uniform_(-1, 1), tbn.running_var.uniform_(0.5, 2)
    lin, bn = nn.Linear(4, 3, bias=bias).eval(), nn.BatchNorm1d(3, affine=affine).eval()
    load_from_torch(lin, tlin)
    load_from_torch(bn, tbn)
    fused, tfused = U.fuse_linear_bn_eval(lin, bn), TU.fuse_linear_bn_eval(tlin, tbn)
    np.testing.assert_allclose(fused.weight.data, tfused.weight.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(fused.bias.data, tfused.bias.detach().numpy(), rtol=1e-12)
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(fused(x).data, bn(lin(x)).data, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="evaluation mode"):
        U.fuse_linear_bn_eval(lin.train(), bn)


def test_fusing_a_batchnorm_without_affine_keeps_its_output():
    lin, bn = nn.Linear(4, 3, rng=0).eval(), nn.BatchNorm1d(3, affine=False).eval()
    bn.running_mean.data[...] = [0.5, -1.0, 2.0]
    bn.running_var.data[...] = [4.0, 0.25, 1.0]
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(U.fuse_linear_bn_eval(lin, bn)(x).data, bn(lin(x)).data, rtol=1e-12)
