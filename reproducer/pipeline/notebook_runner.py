"""Executes one notebook in place with nbclient, then converts it when asked. Run by the capsule's own
interpreter, not ours.

Usage: python - NOTEBOOK [--allow-errors] [--to FORMAT [--output-dir DIR]]

It imports nothing from `reproducer` (the capsule's environment does not have it) and keeps to syntax
old interpreters accept. No cell has a time limit: the sandbox bounds the whole run.

A failing cell does not stop the notebook: a cell that fails on something of this machine (no clipboard,
no display, a missing optional file) should not cost the analysis around it. Every cell runs (nbclient's
`allow_errors`), which gives the same outputs as stopping at the first error and running again with errors
allowed, in half the time. Each failing cell is named on stderr (`reproducer: cell 7 failed: ...`) and the
exit status is 1, so the entry is still recorded as failed; with --allow-errors (the task allows them) the
exit status is 0. The harvest reads the error outputs the saved notebook keeps: it uses nothing of a cell
that failed, and marks what later cells computed from it. The notebook is saved, and converted, either way.
"""

import argparse
import sys
from pathlib import Path


def convert(notebook, path, to, output_dir):
    import nbconvert

    body, resources = nbconvert.get_exporter(to)().from_notebook_node(notebook)
    directory = Path(output_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / (Path(path).stem + resources.get("output_extension", "." + to))
    if isinstance(body, bytes):
        target.write_bytes(body)
    else:
        target.write_text(body, encoding="utf-8")
    sys.stderr.write(f"reproducer: wrote {target}\n")


def kernel_name(notebook):
    """IRkernel's `ir` for an R notebook (the capsule's environment is Python: its own name for a
    kernel may not exist here), else this environment's python3."""
    metadata = notebook.get("metadata", {})
    language = metadata.get("kernelspec", {}).get("language") or metadata.get("language_info", {}).get("name")
    return "ir" if str(language or "").lower() == "r" else "python3"


def failed_cells(notebook):
    """(cell number, cell, error output) of each cell that failed, cells counted from 1 as people count
    them (markdown included)."""
    failed = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        if errors:
            failed.append((number, cell, errors[0]))
    return failed


def report_failures(failed):
    """The first failure's traceback as nbclient would have raised it (what run-time drift is read from:
    later cells often fail only because of it), then one line naming each failed cell."""
    _number, cell, error = failed[0]
    try:
        from nbclient.exceptions import CellExecutionError

        sys.stderr.write(f"CellExecutionError: {CellExecutionError.from_cell_and_msg(cell, error)}\n")
    except Exception:  # an nbclient without it: the traceback as the kernel gave it
        sys.stderr.write("\n".join(error.get("traceback", [])) + "\n")
    for number, _cell, error in failed:
        message = str(error.get("evalue", "")).strip().splitlines()
        name = error.get("ename", "error")
        sys.stderr.write(
            f"reproducer: cell {number} failed: {name}" + (f": {message[0][:200]}" if message else "") + "\n"
        )


def main(argv):
    parser = argparse.ArgumentParser(prog="notebook_runner")
    parser.add_argument("notebook")
    parser.add_argument("--allow-errors", action="store_true")
    parser.add_argument("--to")
    parser.add_argument("--output-dir", default=".")
    args = parser.parse_args(argv[1:])

    import nbclient
    import nbformat

    notebook = nbformat.read(args.notebook, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=None, kernel_name=kernel_name(notebook), allow_errors=True
    )
    failure = None
    try:
        client.execute(cwd=".")
    except Exception as error:  # the kernel died or would not start: keep and convert what ran, then fail
        failure = error
    nbformat.write(notebook, args.notebook)
    if args.to:
        convert(notebook, args.notebook, args.to, args.output_dir)
    failed = failed_cells(notebook)
    if failed:
        report_failures(failed)
    if failure is not None:
        sys.stderr.write(f"{type(failure).__name__}: {failure}\n")
        return 1
    return 1 if failed and not args.allow_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
