"""WebSocket through the gateway: the handshake, the relay of messages, and the accounting of each socket."""
