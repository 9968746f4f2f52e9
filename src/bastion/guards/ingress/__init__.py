"""Ingress hygiene: methods, sizes, header and path shapes, before any other work."""
