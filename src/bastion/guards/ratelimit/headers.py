"""The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) and Retry-After.

    RateLimit-Policy: "per-key";q=10;w=1, "daily";q=1000;w=86400
    RateLimit: "per-key";r=7;t=1, "daily";r=996;t=40210

`q` units per `w` seconds; `r` units remaining, `t` seconds until the allowance is whole again.
The two always agree: `r <= q` and `t <= w` (a burst above the rate's count shows as its own
quota, earned back in `w` seconds: see `Limit.policy`). Concurrency limits have no window: `q` is
the number of requests in flight at once.
"""

from __future__ import annotations

import math

from bastion.guards.ratelimit.decision import Outcome, Standing
from bastion.guards.ratelimit.policy import Limit


def policy_header(limits: list[Limit]) -> str:
    return ", ".join([limit.policy_field for limit in limits])


def _standing(standing: Standing, quota: int, window: int) -> str:
    # r <= q and t <= w by construction (Limit.policy); the bounds here keep the two headers in
    # agreement even if a limiter's arithmetic rounds the other way. (Comparisons, not min/max: this
    # runs on every admitted request.)
    remaining = standing.remaining
    if remaining > quota:
        remaining = quota
    elif remaining < 0:
        remaining = 0
    reset = math.ceil(standing.reset - 1e-9)
    if reset < 0:
        reset = 0
    elif window and reset > window:
        reset = window
    return f'"{standing.limit_id}";r={remaining};t={reset}'


def headers_for(limits: list[Limit], outcome: Outcome, policy: str | None = None) -> list[tuple[str, str]]:
    """`policy`: the RateLimit-Policy value of `limits` when the caller has it already."""
    headers = [("ratelimit-policy", policy or policy_header(limits))]
    standings = outcome.standings
    if len(limits) == 1 and len(standings) == 1:  # the common case: one limit, one standing
        quota, window = limits[0].policy
        headers.append(("ratelimit", _standing(standings[0], quota, window)))
    elif standings:
        policies = {limit.id: limit.policy for limit in limits}
        fields = [_standing(s, *policies.get(s.limit_id, (s.remaining, 0))) for s in standings]
        headers.append(("ratelimit", ", ".join(fields)))
    if not outcome.admitted:
        headers.append(("retry-after", str(max(1, math.ceil(outcome.retry_after)))))
    return headers
