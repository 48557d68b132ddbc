"""Op-table cases for the nn layer ops declared in autobp/nn (convolutions, fold, unfold): fixed
small geometries, each checked against PyTorch, finite differences and second derivatives."""

import autobp.nn.functional as F

from ..optable import arrays_of, case, torch

TF = torch.nn.functional if torch else None

case(
    "conv1d",
    lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2),
    arrays_of((2, 4, 6), (4, 2, 2), (4,)),
    torch_fn=lambda x, w, b: TF.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2),
)
case(
    "conv2d",
    lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), padding=(1, 0), groups=1),
    arrays_of((2, 2, 4, 4), (3, 2, 2, 3), (3,)),
    torch_fn=lambda x, w, b: TF.conv2d(x, w, b, stride=(1, 2), padding=(1, 0)),
)
case(
    "conv2d",
    lambda x, w: F.conv2d(x, w, padding="same", groups=2),
    arrays_of((1, 2, 3, 4), (4, 1, 2, 2)),
    torch_fn=lambda x, w: TF.conv2d(x, w, padding="same", groups=2),
    id="conv2d_same_depthwise",
)
case(
    "conv3d",
    lambda x, w: F.conv3d(x, w, stride=(1, 2, 1), padding=1),
    arrays_of((1, 2, 3, 3, 2), (2, 2, 2, 2, 2)),
    torch_fn=lambda x, w: TF.conv3d(x, w, stride=(1, 2, 1), padding=1),
)
case(
    "conv_transpose1d",
    lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=1),
    arrays_of((2, 2, 3), (2, 3, 3), (3,)),
    torch_fn=lambda x, w, b: TF.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=1),
)
case(
    "conv_transpose2d",
    lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=(0, 1), groups=2, dilation=(1, 2)),
    arrays_of((1, 4, 2, 3), (4, 1, 2, 2)),
    torch_fn=lambda x, w: TF.conv_transpose2d(x, w, stride=2, padding=(0, 1), groups=2, dilation=(1, 2)),
)
case(
    "conv_transpose3d",
    lambda x, w, b: F.conv_transpose3d(
        x, w, b, stride=(2, 1, 2), padding=(1, 0, 0), output_padding=(1, 0, 0)
    ),
    arrays_of((1, 2, 2, 2, 2), (2, 2, 2, 1, 2), (2,)),
    torch_fn=lambda x, w, b: TF.conv_transpose3d(
        x, w, b, stride=(2, 1, 2), padding=(1, 0, 0), output_padding=(1, 0, 0)
    ),
)
case(
    "unfold",
    lambda x: F.unfold(x, (2, 2), dilation=(1, 2), padding=1, stride=2),
    arrays_of((2, 2, 3, 4)),
    torch_fn=lambda x: TF.unfold(x, (2, 2), dilation=(1, 2), padding=1, stride=2),
)
case(
    "fold",
    lambda x: F.fold(x, (3, 4), (2, 2), padding=1, stride=(1, 2)),
    arrays_of((2, 8, 12)),
    torch_fn=lambda x: TF.fold(x, (3, 4), (2, 2), padding=1, stride=(1, 2)),
)


def _torch_lstm_state(a, c):
    i, f, g, o = a.chunk(4, dim=-1)
    c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.cat([torch.sigmoid(o) * torch.tanh(c2), c2], dim=-1)


case("lstm_cell_state", F.lstm_cell_state, arrays_of((3, 8), (3, 2)), torch_fn=_torch_lstm_state)
case(
    "lstm_cell_state",
    F.lstm_cell_state,
    arrays_of((1, 2, 12), (1, 2, 3)),
    torch_fn=_torch_lstm_state,
    id="lstm_cell_state_3d",
)


def _torch_lstm_layer(x, w_ih, w_hh, h0, c0, b_ih=None, b_hh=None):
    h, c, ys = h0, c0, []
    for t in range(x.shape[0]):
        a = x[t] @ w_ih.T + h @ w_hh.T + (0 if b_ih is None else b_ih + b_hh)
        hc = _torch_lstm_state(a, c)
        h, c = hc[..., : h0.shape[-1]], hc[..., h0.shape[-1] :]
        ys.append(hc)
    return torch.stack(ys)


case(
    "lstm_layer",
    F.lstm_layer,
    arrays_of((3, 2, 2), (8, 2), (8, 2), (2, 2), (2, 2), (8,), (8,)),
    torch_fn=_torch_lstm_layer,
)
case(
    "lstm_layer",
    F.lstm_layer,
    arrays_of((2, 1, 3), (4, 3), (4, 1), (1, 1), (1, 1)),
    torch_fn=_torch_lstm_layer,
    id="lstm_layer_no_bias",
)
