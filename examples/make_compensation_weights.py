"""Writes examples/compensation_weights.npy: 64 x 64 weights drawn from a standard normal (seed 1)."""
import pathlib

import numpy as np

here = pathlib.Path(__file__).parent
np.save(here / "compensation_weights.npy", np.random.default_rng(1).standard_normal((64, 64)))
