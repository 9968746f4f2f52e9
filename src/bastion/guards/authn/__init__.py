"""Authentication: every request to a protected operation proves who sent it."""
