"""Backends: where environments are built and code runs (this machine, Docker), behind one seam.

`registry` is the one place a backend name is read; `base` says what a backend session does, with what it
hands out: `installer` (the agent's installs), `files` (the workspace to read), `capabilities`. The layer
sits above the engines it composes (`envs`, `sandbox`, `docker`, which import nothing of it) and below
its readers (`agent`, `harvest`, `pipeline`, `bench`). This package imports nothing at load.
"""
