"""Backends: where environments are built and code runs (this machine, Docker), behind one seam.

`registry` is the one place a backend name is read; `base` says what a backend session does. This
package imports nothing at load so that the agent can read `capabilities` without a cycle.
"""
