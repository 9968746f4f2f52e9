"""The response phase: what leaves the gateway towards the client."""
