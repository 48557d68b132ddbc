"""PyTorch's ``torch.distributions`` on autobp."""
from . import constraints
from .distribution import Distribution
from .gamma import Beta, Chi2, Dirichlet, Exponential, Gamma
from .location_scale import Cauchy, Gumbel, Laplace, Uniform
from .normal import Normal, StudentT
from .discrete import Bernoulli, Binomial, Categorical, OneHotCategorical, Poisson
