"""nn.utils.rnn.pad_sequence / unpad_sequence against torch.nn.utils.rnn's (values and gradients)."""

import numpy as np
import pytest

from autobp import Tensor, nn

torch = pytest.importorskip("torch")
TR = torch.nn.utils.rnn

rng = np.random.default_rng(17)


@pytest.mark.parametrize(
    "kw", [dict(), dict(batch_first=True, padding_value=-1.5), dict(batch_first=True, padding_side="left")]
)
def test_pad_sequence_matches_torch(kw):
    arrays = [rng.standard_normal((n, 3)) for n in (4, 1, 3)]
    seqs = [Tensor(a, requires_grad=True) for a in arrays]
    tseqs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = nn.utils.rnn.pad_sequence(seqs, **kw), TR.pad_sequence(tseqs, **kw)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for s, ts in zip(seqs, tseqs):
        np.testing.assert_allclose(s.grad, ts.grad.numpy(), rtol=1e-15)
    if kw.get("padding_side", "right") == "right":
        back = nn.utils.unpad_sequence(out, [4, 1, 3], batch_first=kw.get("batch_first", False))
        for b, a in zip(back, arrays):
            np.testing.assert_array_equal(b.data, a)


def test_pad_sequence_errors():
    with pytest.raises(ValueError, match="expected \\(L, \\*\\(3,\\)\\)"):
        nn.utils.pad_sequence([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="padding_side"):
        nn.utils.pad_sequence([np.ones(2)], padding_side="middle")
