"""Op-table cases for nn.functional.ctc_loss, composed with log_softmax (where PyTorch's gradient
is the exact derivative, so finite differences apply): repeated labels, a blank in the middle of
the label range with concatenated targets, and the unbatched form."""

import numpy as np

import autobp.nn.functional as F

from ..optable import arrays_of, case, torch

TF = torch.nn.functional if torch else None

_TG = np.array([[1, 1, 2], [2, 3, 0], [3, 0, 0]])
case(
    "ctc_loss",
    lambda x: F.ctc_loss(F.log_softmax(x, -1), _TG, [5, 4, 3], [3, 2, 1]),
    arrays_of((5, 3, 4)),
    torch_fn=lambda x: TF.ctc_loss(
        x.log_softmax(-1), torch.tensor(_TG), torch.tensor([5, 4, 3]), torch.tensor([3, 2, 1])
    ),
    second_order=False,
)
case(
    "ctc_loss",
    lambda x: F.ctc_loss(
        F.log_softmax(x, -1), np.array([3, 3, 1, 0, 3]), [4, 3], [3, 2], blank=2, reduction="sum"
    ),
    arrays_of((4, 2, 4)),
    torch_fn=lambda x: TF.ctc_loss(
        x.log_softmax(-1), torch.tensor([3, 3, 1, 0, 3]), torch.tensor([4, 3]), torch.tensor([3, 2]), 2, "sum"
    ),
    second_order=False,
    id="ctc_loss_concatenated_blank_2",
)
case(
    "ctc_loss",
    lambda x: F.ctc_loss(F.log_softmax(x, -1), np.array([1, 2]), 3, 2, reduction="none"),
    arrays_of((3, 3)),
    torch_fn=lambda x: TF.ctc_loss(
        x.log_softmax(-1), torch.tensor([1, 2]), torch.tensor(3), torch.tensor(2), reduction="none"
    ),
    second_order=False,
    id="ctc_loss_unbatched",
)
