"""Request validation against the API's OpenAPI description."""
