"""PyTorch's ``FisherSnedecor``: the F distribution, the ratio (X1 / df1) / (X2 / df2) of two
independent chi-squared draws, drawn through reparameterised Gamma draws so ``rsample`` is
differentiable in both degrees of freedom."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import clip, full_like, log, log1p, where
from ..special import gammaln
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, broadcast_all
from .gamma import Gamma


def _nan_where(mask: np.ndarray, x: Tensor) -> Tensor:
    """x with nan where ``mask`` (a moment that does not exist, PyTorch's answer)."""
    return where(mask, full_like(x, np.nan), x) if np.any(mask) else x


class FisherSnedecor(Distribution):
    """The F distribution of ``df1`` and ``df2`` degrees of freedom."""

    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1: Any, df2: Any, validate_args: bool | None = None) -> None:
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1, validate_args=False)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2, validate_args=False)
        super().__init__(self.df1.shape, (), validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Distribution:
        """Both degrees of freedom (and the two Gammas) broadcast to ``batch_shape``."""
        new = super().expand(batch_shape)
        new._gamma1 = self._gamma1.expand(batch_shape)
        new._gamma2 = self._gamma2.expand(batch_shape)
        return new

    @property
    def mean(self) -> Tensor:
        """df2 / (df2 - 2) for df2 > 2, else nan."""
        return _nan_where(self.df2._data <= 2, self.df2 / (self.df2 - 2.0))

    @property
    def mode(self) -> Tensor:
        """(df1 - 2) / df1 * df2 / (df2 + 2) for df1 > 2, else nan."""
        m = (self.df1 - 2.0) / self.df1 * self.df2 / (self.df2 + 2.0)
        return _nan_where(self.df1._data <= 2, m)

    @property
    def variance(self) -> Tensor:
        """2 df2^2 (df1 + df2 - 2) / (df1 (df2 - 2)^2 (df2 - 4)) for df2 > 4, else nan."""
        # nan enters through df2, as PyTorch's, so the gradient to df1 there is nan too
        d1, d2 = self.df1, _nan_where(self.df2._data <= 4, self.df2)
        return 2.0 * d2**2 * (d1 + d2 - 2.0) / (d1 * (d2 - 2.0) ** 2 * (d2 - 4.0))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """X1 / X2 with Xi ~ Gamma(dfi / 2, dfi) (implicitly reparameterised), both kept above the
        dtype's tiny."""
        tiny = float(np.finfo(self.df1.dtype).tiny)
        x1 = self._gamma1.rsample(sample_shape)
        x2 = clip(self._gamma2.rsample(sample_shape), tiny, None)
        return clip(x1 / x2, tiny, None)

    def log_prob(self, value: Any) -> Tensor:
        """-log B(df1/2, df2/2) + (df1/2) log(df1/df2) + (df1/2 - 1) log x
        - ((df1 + df2)/2) log1p(df1 x / df2)."""
        value = self._value(value)
        c1, c2 = self.df1 * 0.5, self.df2 * 0.5
        c3 = self.df1 / self.df2
        t1 = gammaln(c1 + c2) - gammaln(c1) - gammaln(c2)
        t2 = c1 * log(c3) + (c1 - 1.0) * log(value)
        return t1 + t2 - (c1 + c2) * log1p(c3 * value)
