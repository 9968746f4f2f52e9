"""Shared hot state behind one small protocol: memory (one process) or Redis (a fleet)."""
