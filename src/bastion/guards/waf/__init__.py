"""The waf guard (guard.py): injection and attack payloads, found by technique, in anything a client controls."""

from bastion.guards.waf.guard import WAFGuard

__all__ = ["WAFGuard"]
