"""The run directory as a contract: every path a run or a bench writes, and every record model in them.

Low-level on purpose: it imports nothing of reproducer but `errors` and `jsonio`, so every layer (agent,
pipeline, bench, report, commands) can read and write runs without importing each other.
`layout` is a run directory (`reproducer run`), `bench_layout` a bench directory (`reproducer bench`).
"""
