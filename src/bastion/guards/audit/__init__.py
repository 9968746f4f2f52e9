"""Audit capacity: with `audit.on_full: refuse`, nothing is served that the trail could not record."""
