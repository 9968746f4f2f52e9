"""Bastion: an API security gateway and API security tester."""

__version__ = "0.1.0"
