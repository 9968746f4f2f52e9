"""The bans guard: a banned address, identity or API key gets nothing (403) for the ban's duration.

The refusal says it is a ban (`urn:bastion:problem:banned`) and when to come back (Retry-After),
never why: the offence stays in the audit trail and the incident.
"""

from __future__ import annotations

import math

from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.respond.bans import BanList

_BANNED = {
    "ip": "Requests from this address are refused for {seconds} more seconds after repeated suspicious activity.",
    "subject": "This account's requests are refused for {seconds} more seconds after repeated suspicious activity.",
    "key": "This API key's requests are refused for {seconds} more seconds after repeated suspicious activity.",
}


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
                # Say it is a ban and when to come back; the offence that caused it stays in the audit trail.
                seconds = max(1, math.ceil(until - bans.clock.wall()))
                return Verdict.refuse(
                    403,
                    f"ban.{kind}",
                    f"{kind} banned for {seconds}s more",
                    category="ban",
                    title="Banned",
                    detail=_BANNED[kind].format(seconds=seconds),
                    headers=(("retry-after", str(seconds)),),
                    extra={"type": "urn:bastion:problem:banned", "retry_after": seconds},
                )
        return None
