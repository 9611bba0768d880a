"""`python -m reproducer.rundir.schemas`: refresh the committed JSON Schemas from the record models."""

from reproducer.rundir.schemas import MODELS, write_schemas

written = write_schemas()
for path in written:
    print(f"wrote {path}")
print(f"{len(written)} of {len(MODELS)} schemas changed")
