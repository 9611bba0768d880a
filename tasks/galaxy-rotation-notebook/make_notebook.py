"""Writes the unexecuted notebook capsule/code/rotation_curves.ipynb (as its author saved it)."""

from pathlib import Path

import nbformat

CELLS = [
    (
        "markdown",
        "# Flat rotation curves and the Tully-Fisher relation\n\n"
        "We fit $v(r) = v_\\mathrm{flat}\\,(1 - e^{-r/r_t})$ to the HI rotation curves of six disc galaxies "
        "and relate the flat velocity to the luminosity.",
    ),
    (
        "code",
        "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
        "from scipy.optimize import curve_fit\n\n"
        "curves = pd.read_csv('../data/rotation_curves.csv')\n"
        "lum = pd.read_csv('../data/luminosities.csv')\ncurves.groupby('galaxy').size()",
    ),
    (
        "code",
        "def rotation(r, v_flat, r_t):\n    return v_flat * (1 - np.exp(-r / r_t))\n\n"
        "rows = []\nfor name, g in curves.groupby('galaxy'):\n"
        "    popt, pcov = curve_fit(rotation, g.radius_kpc, g.velocity_km_s, p0=[150, 2],\n"
        "                           sigma=g.error_km_s, absolute_sigma=True)\n"
        "    rows.append({'galaxy': name, 'v_flat': popt[0], 'v_flat_err': np.sqrt(pcov[0, 0]),\n"
        "                 'r_turnover': popt[1], 'r_turnover_err': np.sqrt(pcov[1, 1])})\n"
        "fits = pd.DataFrame(rows).merge(lum, on='galaxy')\nfits",
    ),
    (
        "code",
        "fig, ax = plt.subplots(figsize=(6, 4))\nfor name, g in curves.groupby('galaxy'):\n"
        "    ax.errorbar(g.radius_kpc, g.velocity_km_s, g.error_km_s, fmt='.', label=name)\n"
        "ax.set_xlabel('radius (kpc)')\nax.set_ylabel('rotation velocity (km/s)')\nax.legend(fontsize=7)\n"
        "plt.show()",
    ),
    (
        "markdown",
        "## Tully-Fisher relation\n\nA straight-line fit of $\\log_{10} L$ on $\\log_{10} v_\\mathrm{flat}$.",
    ),
    (
        "code",
        "slope, intercept = np.polyfit(np.log10(fits.v_flat), fits.log10_L_band_Lsun, 1)\n"
        "r = np.corrcoef(np.log10(fits.v_flat), fits.log10_L_band_Lsun)[0, 1]\n"
        "print(f'Tully-Fisher slope: {slope:.3f}')\nprint(f'Tully-Fisher intercept: {intercept:.3f}')\n"
        "print(f'Pearson r: {r:.4f}')",
    ),
]


def main() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source in CELLS:
        cell = (
            nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        )
        nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    nbformat.write(nb, Path(__file__).parent / "capsule" / "code" / "rotation_curves.ipynb")


if __name__ == "__main__":
    main()
