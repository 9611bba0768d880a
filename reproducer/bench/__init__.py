"""`reproducer bench`: many tasks in parallel, resumable, with honest scores and CORE-Bench/HAL exports.

The run directory's layout is in `reproducer.rundir.bench_layout`; the entry point is `runner.run_bench`.
"""
