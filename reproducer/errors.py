"""Errors that end a command with a message for a person instead of a traceback."""


class ReproducerError(Exception):
    """An error whose message is meant for the user; `exit_code` is what the CLI exits with."""

    exit_code = 1


class BadInput(ReproducerError):
    """The user's input (a file, an archive, an option) cannot be used; the message names it and why."""

    exit_code = 2


class WorkFailed(ReproducerError):
    """The input was fine but the work could not be done (a build, a run)."""

    exit_code = 1


class Unreachable(WorkFailed):
    """The input could not be fetched for a network failure (a download, a clone): another try may
    succeed, so a benchmark counts it as `infra_error` and `--retry-errors` runs it again."""
