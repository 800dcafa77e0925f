"""Benchmarks that print figures. Run with `make bench` (or `.venv/bin/python -m bench`)."""
