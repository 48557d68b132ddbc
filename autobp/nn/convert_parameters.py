"""``torch.nn.utils.convert_parameters``: parameters to one flat vector and back."""

from .utils import parameters_to_vector, vector_to_parameters

__all__ = ["parameters_to_vector", "vector_to_parameters"]
