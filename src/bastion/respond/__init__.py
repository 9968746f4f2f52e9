"""Incident response: bounded, reversible answers to what the detectors find."""
