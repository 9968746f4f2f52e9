"""HTTP/1.1 on asyncio protocols: framing, limits, timers and flow control, apart from what is done
with a request (a `Handler`: forward it, or decide for ext-authz)."""
