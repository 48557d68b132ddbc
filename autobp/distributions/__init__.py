"""Probability distributions with PyTorch's ``torch.distributions`` API: ``sample``/``rsample`` from
autobp's global generator (``autobp.manual_seed`` makes them repeat), ``log_prob``, ``entropy``,
moments, ``kl_divergence`` and transforms, all differentiable in the parameters (Tensors)."""

from . import (  # noqa: F401  submodules, as torch.distributions has them
    constraint_registry,
    constraints,
    kl_cross,  # noqa: F401  registers the cross-family pairs
    kl_pareto,  # noqa: F401  registers the pairs with a Pareto
    transforms,
    utils,
)
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Geometric, Multinomial, NegativeBinomial
from .discrete import Bernoulli, Binomial, Categorical, OneHotCategorical, Poisson
from .distribution import Distribution
from .fisher_snedecor import FisherSnedecor
from .gamma import Beta, Chi2, Dirichlet, Exponential, Gamma
from .generalized_pareto import GeneralizedPareto
from .half import HalfCauchy, HalfNormal
from .independent import Independent, MixtureSameFamily
from .kl import kl_divergence, register_kl
from .kumaraswamy import Kumaraswamy
from .location_scale import Cauchy, Gumbel, Laplace, Uniform
from .multivariate_normal import LowRankMultivariateNormal, MultivariateNormal
from .normal import Normal, StudentT
from .power_families import InverseGamma, Pareto, Weibull
from .relaxed import ExpRelaxedCategorical, LogitRelaxedBernoulli, RelaxedBernoulli, RelaxedOneHotCategorical
from .simplex_corr import LKJCholesky, LogisticNormal
from .straight_through import OneHotCategoricalStraightThrough
from .transformed import LogNormal, TransformedDistribution
from .transforms import (
    AbsTransform,
    AffineTransform,
    CatTransform,
    ComposeTransform,
    CorrCholeskyTransform,
    CumulativeDistributionTransform,
    ExpTransform,
    IndependentTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    PowerTransform,
    ReshapeTransform,
    SigmoidTransform,
    SoftmaxTransform,
    SoftplusTransform,
    StackTransform,
    StickBreakingTransform,
    TanhTransform,
    Transform,
)
from .von_mises import VonMises
from .wishart import Wishart

__all__ = [
    "Distribution", "Normal", "StudentT", "MultivariateNormal", "Uniform", "Laplace", "Cauchy", "Gumbel",
    "Gamma", "Chi2", "Exponential", "Beta", "Dirichlet", "Bernoulli", "Binomial", "Categorical",
    "OneHotCategorical", "Poisson", "Independent", "MixtureSameFamily", "TransformedDistribution",
    "LogNormal", "RelaxedBernoulli", "LogitRelaxedBernoulli", "RelaxedOneHotCategorical",
    "ExpRelaxedCategorical", "Transform", "ExpTransform", "AffineTransform", "SigmoidTransform",
    "TanhTransform", "ComposeTransform", "kl_divergence", "register_kl", "HalfNormal", "HalfCauchy",
    "Geometric", "NegativeBinomial", "Multinomial", "LowRankMultivariateNormal",
    "SoftplusTransform", "PowerTransform", "AbsTransform", "InverseGamma", "Weibull", "Pareto",
    "OneHotCategoricalStraightThrough", "ContinuousBernoulli", "FisherSnedecor", "GeneralizedPareto",
    "Kumaraswamy", "VonMises", "Wishart",
    "CatTransform", "StackTransform", "CorrCholeskyTransform", "CumulativeDistributionTransform",
    "IndependentTransform", "LowerCholeskyTransform", "PositiveDefiniteTransform", "ReshapeTransform",
    "SoftmaxTransform", "StickBreakingTransform", "biject_to", "transform_to",
    "LogisticNormal", "LKJCholesky",
]  # fmt: skip
