import numpy as np
from scipy.optimize import least_squares

from sirfit.model import simulate, simulate_incidence


def fit_sir(cases, n, beta0=1.0, gamma0=0.3):
    """Least-squares fit of (beta, gamma) to daily new cases; returns a dict of estimates."""
    cases = np.asarray(cases, dtype=float)
    days = len(cases)

    def residuals(theta):
        beta, gamma = theta
        return simulate_incidence(beta, gamma, n, days) - cases

    result = least_squares(residuals, x0=[beta0, gamma0], bounds=([0, 0], [10, 5]))
    beta, gamma = result.x
    t, (s, i, r) = simulate(beta, gamma, n, days)
    return {
        "beta": float(beta),
        "gamma": float(gamma),
        "R0": float(beta / gamma),
        "peak_day": int(t[np.argmax(i)]),
        "peak_infected": float(i.max()),
        "final_size": float(r[-1] + i[-1]),
        "rmse": float(np.sqrt(np.mean(result.fun**2))),
    }
