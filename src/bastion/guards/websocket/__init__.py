"""The websocket guard: handshake hygiene for upgrade requests."""
