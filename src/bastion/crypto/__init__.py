"""Keys derived from the server secret, and encryption at rest."""
