import numpy as np
from scipy.integrate import solve_ivp


def _rhs(_t, y, beta, gamma, n):
    s, i, _r = y
    infection = beta * s * i / n
    return [-infection, infection - gamma * i, gamma * i]


def simulate(beta, gamma, n, days, initial_infected=1.0):
    """Susceptible, infected and recovered at days 0..days."""
    t = np.arange(days + 1)
    sol = solve_ivp(_rhs, (0, days), [n - initial_infected, initial_infected, 0.0], t_eval=t,
                    args=(beta, gamma, n), rtol=1e-8, atol=1e-8)
    return t, sol.y


def simulate_incidence(beta, gamma, n, days, initial_infected=1.0):
    """New infections on days 1..days."""
    _t, (s, _i, _r) = simulate(beta, gamma, n, days, initial_infected)
    return -np.diff(s)
