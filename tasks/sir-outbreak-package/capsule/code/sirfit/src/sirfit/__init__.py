"""Fit a closed-population SIR model to daily incidence by least squares."""

from sirfit.model import simulate_incidence
from sirfit.fit import fit_sir

__all__ = ["simulate_incidence", "fit_sir"]
__version__ = "0.2.0"
