"""Bans: requests from a banned address, identity or API key are refused before any other work."""
