"""Defaults the command line shows without importing the scanner."""

DEFAULT_MIN_COVERAGE = 50.0  # percent of operations that must answer 2xx for the scan to count
