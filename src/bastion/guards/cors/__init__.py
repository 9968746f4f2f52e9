"""CORS: preflights answered by the gateway, response headers only for allowed origins."""
