"""The bans guard: a banned address, identity or API key gets nothing (403) for the ban's duration."""

from __future__ import annotations

from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.respond.bans import BanList


class BanGuard:
    """Refuses requests from a banned address, identity or API key (403). The pipeline holds two:
    addresses before authentication, identities after it."""

    needs_body = False

    def __init__(self, bans: BanList, kinds: tuple[str, ...]) -> None:
        """`kinds`: ip (checked before authentication), subject and key (after it)."""
        self._bans = bans
        self._kinds = kinds

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        bans = self._bans
        identity = ctx.identity
        for kind in self._kinds:
            value: str | None
            if kind == "ip":
                value = request.client
            elif identity is None:
                continue
            else:
                value = identity.subject if kind == "subject" else identity.key_id
            until = bans.banned(kind, value)
            if until is not None:
                return Verdict.refuse(
                    403, f"ban.{kind}", f"{kind} banned for {until - bans.clock.wall():.0f}s more", category="ban"
                )
        return None
