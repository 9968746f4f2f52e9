"""Errors that stop Bastion from starting with a policy; the CLI prints them and exits 2."""


class StartupError(Exception):
    """A policy, spec, key or certificate that cannot be used; the message names what and where."""
