import numpy as np
from scipy.optimize import curve_fit

data = np.genfromtxt("../data/swings.csv", delimiter=",", names=True)


def model(t, amplitude, gamma, omega, phi):
    return amplitude * np.exp(-gamma * t) * np.cos(omega * t + phi)


lines = []
g_values = []
for length in np.unique(data["length_m"]):
    trial = data[data["length_m"] == length]
    t, theta = trial["time_s"], trial["angle_rad"]
    # starting values: the small-angle period of an undamped pendulum
    p0 = [theta.max(), 0.05, np.sqrt(9.8 / length), 0.0]
    params, cov = curve_fit(model, t, theta, p0=p0)
    amplitude, gamma, omega, phi = params
    g = length * (omega**2 + gamma**2)
    q = omega / (2 * gamma)
    g_values.append(g)
    lines.append(f"L = {length:.1f} m")
    lines.append(f"  gamma (1/s) = {gamma:.5f} +/- {np.sqrt(cov[1, 1]):.5f}")
    lines.append(f"  omega (rad/s) = {omega:.5f} +/- {np.sqrt(cov[2, 2]):.5f}")
    lines.append(f"  g (m/s^2) = {g:.4f}")
    lines.append(f"  Q = {q:.2f}")

lines.append(f"mean g over all pendulums (m/s^2) = {np.mean(g_values):.4f}")
text = "\n".join(lines)
print(text)
with open("../results/fit_summary.txt", "w") as f:
    f.write(text + "\n")
