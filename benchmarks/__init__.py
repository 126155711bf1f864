"""Benchmarks for IAPT Desktop: ``python -m benchmarks`` (see docs/performance.md)."""
