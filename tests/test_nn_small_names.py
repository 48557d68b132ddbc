"""The small torch.nn names: base classes, deprecated aliases, CrossMapLRN2d, SyncBatchNorm,
Uninitialized*, and the nn.utils submodules (stateless, skip_init, convert_parameters, clip_grad,
fusion, prune, parametrize), against torch where it has numbers to compare."""

import importlib

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def test_recurrent_layers_share_torchs_bases():
    for cls in (nn.RNN, nn.LSTM, nn.GRU):
        assert issubclass(cls, nn.RNNBase) and issubclass(getattr(torch.nn, cls.__name__), torch.nn.RNNBase)
    for cls in (nn.RNNCell, nn.LSTMCell, nn.GRUCell):
        assert issubclass(cls, nn.RNNCellBase)
        assert issubclass(getattr(torch.nn, cls.__name__), torch.nn.RNNCellBase)
    assert not issubclass(nn.RNNCell, nn.RNNBase)


def test_container_and_nllloss2d_are_deprecated_aliases():
    with pytest.warns(FutureWarning, match="nn.Container` is deprecated"):
        c = nn.Container(act=nn.ReLU(), lin=nn.Linear(2, 2, rng=0))
    assert [n for n, _ in c.named_children()] == ["act", "lin"]
    with pytest.warns(FutureWarning, match="NLLLoss2d` has been deprecated"):
        loss = nn.NLLLoss2d(ignore_index=1)
    with pytest.warns(FutureWarning):
        tloss = torch.nn.NLLLoss2d(ignore_index=1)
    assert isinstance(loss, nn.NLLLoss)
    logp = np.log(np.random.default_rng(0).dirichlet(np.ones(3), size=(2, 2, 2))).transpose(0, 3, 1, 2)
    target = np.array([[[0, 1], [2, 2]], [[1, 0], [0, 2]]])
    x, tx = autobp.Tensor(logp.copy(), requires_grad=True), torch.tensor(logp.copy(), requires_grad=True)
    y, ty = loss(x, autobp.Tensor(target)), tloss(tx, torch.tensor(target))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    y.backward(), ty.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("channels,size", [(5, 3), (7, 5), (4, 2), (3, 5), (6, 1), (8, 4)])
def test_cross_map_lrn2d_forward_matches_torch_and_gradient_is_its_derivative(channels, size):
    x = np.random.default_rng(channels).normal(size=(2, channels, 2, 3))
    ours, theirs = nn.CrossMapLRN2d(size, 0.5, 0.75, 1.3), torch.nn.CrossMapLRN2d(size, 0.5, 0.75, 1.3)
    assert repr(ours) == repr(theirs)
    np.testing.assert_allclose(ours(autobp.Tensor(x)).data, theirs(torch.tensor(x)).numpy(), rtol=1e-13)
    # PyTorch's own window is not LocalResponseNorm's (the legacy code never drops channel 0)
    if channels > size + 1:
        lrn = torch.nn.LocalResponseNorm(size, 0.5, 0.75, 1.3)(torch.tensor(x)).numpy()
        assert not np.allclose(ours(autobp.Tensor(x)).data, lrn)
    assert autobp.gradcheck(lambda t: ours(t), (autobp.Tensor(x[:1, :, :1, :2], requires_grad=True),))
    with pytest.raises(ValueError, match="Expected input to be 4D, got 3D instead"):
        ours(autobp.Tensor(x[0]))


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 2, 2), (2, 3, 2, 2, 2)])
def test_sync_batchnorm_is_batchnorm_on_one_process_as_torch(shape):
    x = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    ours, theirs = (
        nn.SyncBatchNorm(3, momentum=0.3, dtype=np.float32),
        torch.nn.SyncBatchNorm(3, momentum=0.3),
    )
    with autobp.no_grad():
        ours.weight.data[...] = [0.5, 2.0, -1.0]
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor([0.5, 2.0, -1.0]))
    for train in (True, False):
        ours.train(train), theirs.train(train)
        a, ta = autobp.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y, ty = ours(a), theirs(ta)
        np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=2e-5, atol=2e-5)
        (y * y).sum().backward(), (ty * ty).sum().backward()
        np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-4, atol=1e-4)
    for k, v in ours.state_dict().items():
        np.testing.assert_allclose(np.asarray(v), theirs.state_dict()[k].numpy(), rtol=1e-5, err_msg=k)
    with pytest.raises(ValueError, match="expected at least 2D input"):
        ours(autobp.Tensor(np.ones(3)))


def test_convert_sync_batchnorm_keeps_parameters_and_state():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.BatchNorm1d(3), nn.Sequential(nn.BatchNorm2d(3)))
    net[1].running_mean.data[...] = [1.0, 2.0, 3.0]
    net.eval()
    w = net[1].weight
    out = nn.SyncBatchNorm.convert_sync_batchnorm(net)
    assert out is net
    assert type(net[1]) is nn.SyncBatchNorm and type(net[2][0]) is nn.SyncBatchNorm
    assert net[1].weight is w and not net[1].training
    np.testing.assert_array_equal(net[1].running_mean.data, [1.0, 2.0, 3.0])
    tnet = torch.nn.SyncBatchNorm.convert_sync_batchnorm(torch.nn.Sequential(torch.nn.BatchNorm1d(3)))
    assert list(net[1].state_dict()) == list(tnet[0].state_dict())


def test_uninitialized_parameter_and_buffer_as_torch():
    p, tp = nn.UninitializedParameter(), torch.nn.UninitializedParameter()
    assert repr(p) == repr(tp) == "<UninitializedParameter>"
    assert p.requires_grad and isinstance(p, nn.Parameter)
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        _ = tp.shape
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        _ = p.shape
    p.materialize((2, 3))
    assert type(p) is nn.Parameter and p.shape == (2, 3) and p.requires_grad
    b = nn.UninitializedBuffer()
    assert not b.requires_grad
    b.materialize(4, dtype=np.float32)
    assert type(b) is autobp.Tensor and b.shape == (4,) and b.dtype == np.float32


def test_stateless_functional_call_is_the_deprecated_func_functional_call():
    from autobp.nn.utils import stateless

    lin = nn.Linear(2, 2, rng=0)
    w = autobp.Tensor(np.eye(2), requires_grad=True)
    with pytest.warns(FutureWarning, match="stateless.functional_call` is deprecated"):
        y = stateless.functional_call(lin, {"weight": w}, (autobp.Tensor(np.array([1.0, 2.0])),))
    np.testing.assert_allclose(y.data, np.array([1.0, 2.0]) + lin.bias.data)
    y.sum().backward()
    np.testing.assert_array_equal(w.grad, [[1.0, 2.0], [1.0, 2.0]])


def test_skip_init_builds_the_module_without_drawing_from_the_global_generator():
    from autobp.nn.utils import skip_init

    autobp.manual_seed(0)
    before = autobp.random.get_rng_state()
    m = skip_init(nn.Linear, 3, 2, device="cpu")
    assert type(m) is nn.Linear and m.weight.shape == (2, 3)
    assert autobp.random.get_rng_state() == before
    with pytest.raises(RuntimeError, match="Expected a Module"):
        skip_init(int, 3)


@pytest.mark.parametrize(
    "dotted,names",
    [
        ("nn.utils.prune", ["l1_unstructured", "remove", "is_pruned", "PruningContainer"]),
        ("nn.utils.parametrize", ["register_parametrization", "cached"]),
        ("nn.utils.parametrizations", ["orthogonal", "weight_norm", "spectral_norm"]),
        ("nn.utils.stateless", ["functional_call"]),
        ("nn.utils.convert_parameters", ["parameters_to_vector", "vector_to_parameters"]),
        ("nn.utils.clip_grad", ["clip_grad_norm_", "clip_grad_value_", "clip_grad_norm"]),
        ("nn.utils.fusion", ["fuse_conv_bn_eval", "fuse_linear_bn_eval"]),
        ("optim.swa_utils", ["AveragedModel", "SWALR", "update_bn"]),
    ],
)
def test_submodules_import_by_torchs_dotted_names(dotted, names):
    ours, theirs = importlib.import_module("autobp." + dotted), importlib.import_module("torch." + dotted)
    for name in names:
        assert hasattr(theirs, name) and callable(getattr(ours, name)), name
