"""What the GraphQL guard learned about a request, for the guards after it (rate limits, WAF)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class GraphQLInfo:
    operations: list[str] = field(default_factory=list)  # operation names (client-chosen)
    fields: set[str] = field(default_factory=set)  # root fields, Type.field and bare
    kinds: set[str] = field(default_factory=set)
    cost: int = 0
    values: list[tuple[str, str]] = field(default_factory=list)  # (location, text) for the WAF
    carrier: str = "body"  # where the documents came from: body or query
