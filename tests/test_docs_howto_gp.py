"""The Gaussian-process how-to (docs/howto/gaussian-process.md) runs as written, and its fit
improves the log likelihood and recovers the noise level and the function."""

import re
from pathlib import Path

import numpy as np

HOWTO = Path(__file__).resolve().parent.parent / "docs" / "howto" / "gaussian-process.md"


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_the_howto_runs_and_the_fit_improves_the_log_likelihood():
    blocks = _code_blocks(HOWTO.read_text())
    assert len(blocks) >= 4
    namespace: dict = {"__name__": "howto"}
    for block in blocks:
        exec(compile(block, str(HOWTO), "exec"), namespace)  # noqa: S102  the documentation's own code
    assert namespace["fitted"] > namespace["initial"] + 10.0
    noise = np.exp(namespace["params"].data[2])
    assert 0.05 < noise < 0.2  # the data's noise sd is 0.1
    truth = np.sin(2.0 * namespace["x_new"]) + 0.3 * namespace["x_new"]
    assert np.max(np.abs(namespace["mean"].data - truth)) < 0.3
