"""What a bearer token looks like, decided without parsing it (revocations and authn both ask)."""

from __future__ import annotations


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token[:2] == "ey"
