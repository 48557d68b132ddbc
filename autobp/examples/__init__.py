"""Examples beyond the 1986 paper, built from ``autobp.nn``, ``autobp.optim`` and ``autobp.data``:
a LeNet-style convnet on scikit-learn's 8x8 digits (``convnet``) and character-level language models
(``charlm``); each is also an ``autobp`` command."""
