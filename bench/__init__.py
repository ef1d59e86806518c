"""Benchmarks that measure softviz against references in the same run (see README)."""
