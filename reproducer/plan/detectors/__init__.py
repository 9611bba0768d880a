"""The dependency detectors, in precedence order: for each ecosystem (Python, R) the first that declares
packages supplies them all; interpreter versions and system packages come from the first that states them."""

from reproducer.plan.detectors import (
    apt_txt,
    description,
    dockerfile,
    environment_yml,
    imports_python,
    imports_r,
    install_r,
    local_packages,
    pipfile,
    pipfile_lock,
    poetry_lock,
    pyproject,
    python2_code,
    python_version_file,
    readme,
    renv_lock,
    requirements_txt,
    runtime_txt,
    setup_cfg,
    setup_py,
    uv_lock,
)
from reproducer.plan.findings import Detector

DETECTORS: tuple[Detector, ...] = (
    # Code Python 3 cannot parse says which interpreter it was written for more surely than a document.
    python2_code.detect,
    dockerfile.detect,
    uv_lock.detect,
    poetry_lock.detect,
    pipfile_lock.detect,
    renv_lock.detect,
    environment_yml.detect,
    requirements_txt.detect,
    pyproject.detect,
    setup_py.detect,
    setup_cfg.detect,
    pipfile.detect,
    install_r.detect,
    description.detect,
    runtime_txt.detect,
    python_version_file.detect,
    apt_txt.detect,
    local_packages.detect,
    readme.detect,
    imports_python.detect,
    imports_r.detect,
)
# Guesses from the code, made only for an ecosystem no file declares (parsing every file is costly).
LAST_RESORT: dict[Detector, str] = {imports_python.detect: "python", imports_r.detect: "r"}
