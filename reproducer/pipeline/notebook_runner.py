"""Executes one notebook in place with nbclient, then converts it when asked. Run by the capsule's own
interpreter, not ours.

Usage: python - NOTEBOOK [--allow-errors] [--to FORMAT [--output-dir DIR]]

It imports nothing from `reproducer` (the capsule's environment does not have it) and keeps to syntax
old interpreters accept. No cell has a time limit: the sandbox bounds the whole run. The notebook is
saved, and converted, even when a cell fails, so the outputs of the cells that did run can still be
harvested; the exit status is then 1. With --allow-errors, failing cells are recorded and the rest run.
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
        notebook, timeout=None, kernel_name=kernel_name(notebook), allow_errors=args.allow_errors
    )
    failure = None
    try:
        client.execute(cwd=".")
    except Exception as error:  # a failing cell: keep and convert what ran, then fail
        failure = error
    nbformat.write(notebook, args.notebook)
    if args.to:
        convert(notebook, args.notebook, args.to, args.output_dir)
    if failure is not None:
        sys.stderr.write(f"{type(failure).__name__}: {failure}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
