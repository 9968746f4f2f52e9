"""Rate limits, quotas, concurrency limits and throttling."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Duration, Rate

KEY_PARTS = ("ip", "subject", "api_key", "client", "tenant", "operation", "route", "method")
_KEY_PART = re.compile(
    r"^(?:ip|subject|api_key|client|tenant|operation|route|method|(?:header|query|body|claim)\.[\w.-]{1,100})$"
)


class LimitConfig(Section):
    """One limit: what it counts (key), for which requests (scope), and how much (one of rate,
    quota or concurrency)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Names the limit in headers, logs and metrics.")
    key: list[str] = Field(
        min_length=1,
        description=(
            "What is counted: any of ip, subject, api_key, client, tenant, operation, route, method, "
            "header.<name>, query.<name>, body.<field> (JSON path or form field), claim.<path>. "
            "A request for which a part is missing is not subject to the limit."
        ),
    )
    operations: list[str] = Field(
        default_factory=list,
        description="Only these operations; empty: all. GraphQL requests also match by root field "
        "(login, Mutation.login) and operation name.",
    )
    paths: list[str] = Field(default_factory=list, description="Only these path globs (/api/**); empty: all.")
    methods: list[str] = Field(default_factory=list, description="Only these methods; empty: all.")
    rate: Rate | None = Field(None, description="GCRA rate, e.g. 10/s: the sustained pace.")
    burst: int | None = Field(
        None, ge=1, description="Requests allowed at once on top of the pace (rate only; default 1)."
    )
    quota: Rate | None = Field(None, description="An allowance per period, e.g. 1000/day or 50000/month.")
    period: Literal["calendar", "rolling"] = Field(
        "calendar", description="Quotas: reset at the start of each UTC day/week/month, or a rolling window."
    )
    concurrency: int | None = Field(None, ge=1, description="Requests of one key in flight at once.")
    cost: int | dict[str, int] | Literal["graphql"] = Field(
        1,
        description="Units a request consumes: a number, one per method ({POST: 5, GET: 1}; others 1), "
        "or graphql: the GraphQL query's estimated cost (a cost budget).",
    )
    delay: Duration = Field(
        0.0, description="Rates: instead of refusing, delay a request that would be admitted within this wait."
    )

    @field_validator("key")
    @classmethod
    def _known_parts(cls, parts: list[str]) -> list[str]:
        for part in parts:
            if not _KEY_PART.match(part):
                allowed = ", ".join([*KEY_PARTS, "header.<name>", "query.<name>", "body.<field>", "claim.<path>"])
                raise ValueError(f"unknown key part {part!r}; use one of {allowed}")
        return parts

    @field_validator("methods")
    @classmethod
    def _upper(cls, methods: list[str]) -> list[str]:
        return [m.upper() for m in methods]

    @model_validator(mode="after")
    def _one_kind(self) -> LimitConfig:
        kinds = [name for name in ("rate", "quota", "concurrency") if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError("a limit has exactly one of rate, quota or concurrency")
        if self.burst is not None and self.rate is None:
            raise ValueError("burst applies to a rate")
        if self.delay and self.rate is None:
            raise ValueError("delay (throttling) applies to a rate")
        return self


class RateLimitConfig(Section):
    """Rate limits, quotas and concurrency limits, in one process (state: memory) or across many
    (state: redis). A refusal is 429 with Retry-After and RateLimit headers."""

    mode: Mode = "enforce"
    limits: list[LimitConfig] = Field(default_factory=list)
    headers: bool = Field(True, description="Send RateLimit-Policy and RateLimit on admitted responses too.")
    queue: int = Field(
        1000, ge=0, description="Throttled requests waiting at once in one process; when full, refuse instead."
    )

    @field_validator("limits")
    @classmethod
    def _unique_ids(cls, limits: list[LimitConfig]) -> list[LimitConfig]:
        ids = [limit.id for limit in limits]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"limit ids must be unique: {', '.join(duplicates)}")
        return limits
