"""The experiments of Rumelhart, Hinton & Williams (Nature 1986) and PDP ch. 8, one module each:
``symmetry``, ``family_trees`` (data in ``family_data``), ``recurrent``, ``xor`` (XOR and the 8-3-8
encoder), ``digits``; ``plots`` draws their error curves and Hinton diagrams."""
