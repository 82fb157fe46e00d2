"""From persons to agents: one agent stands for `scale` persons (DESIGN §5)."""

from __future__ import annotations

import numpy as np


def stochastic_round(rng, x: float) -> int:
    """An integer with expectation `x` (x > 0), e.g. persons / scale as a number of agents."""
    return int(np.floor(x + rng.random())) if x > 0 else 0
