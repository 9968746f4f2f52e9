"""Authorization: which identity may perform which operation on which object (deny by default)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Duration


class RoleConfig(Section):
    inherits: list[str] = Field(default_factory=list, description="Roles whose grants this role also has.")


class RuleConfig(Section):
    """One grant: these operations, to these roles and/or scopes, when `where` holds."""

    id: str | None = Field(None, description="Stable rule id for audit and explain (default rule-<n>).")
    allow: list[str] | Literal["*"] = Field(
        description='Operation names (operationId or "METHOD /template"), or "*" for every operation.'
    )
    roles: list[str] = Field(
        default_factory=list, description='Any of these roles (inheritance applies); ["*"] is any identity.'
    )
    scopes: list[str] = Field(default_factory=list, description="All of these OAuth scopes.")
    where: str | None = Field(
        None,
        description="Object-level condition, e.g. `path.user_id == identity.sub` "
        "(path., query., body., header., identity., lookup.<name>; ==, !=, in, and, or, not).",
    )

    @field_validator("allow", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) and value != "*" else value

    @model_validator(mode="after")
    def _grants_someone(self) -> RuleConfig:
        if not self.roles and not self.scopes:
            raise ValueError('a rule grants to roles and/or scopes (roles: ["*"] means any identity)')
        return self


class FunctionLevelConfig(Section):
    """Admin operations, declared once; refused to other roles whatever a generic rule says (BFLA)."""

    tags: list[str] = Field(default_factory=lambda: ["admin"], description="Spec tags that mark admin operations.")
    paths: list[str] = Field(default_factory=list, description="Path prefixes that mark admin operations.")
    operations: list[str] = Field(default_factory=list, description="Further admin operations by name.")
    roles: list[str] = Field(default_factory=lambda: ["admin"], description="Roles that may call them.")


class FieldRulesConfig(Section):
    """Properties a client may not set without the right role (mass assignment, BOPLA)."""

    fields: list[str] = Field(
        default_factory=lambda: ["role", "roles", "is_admin", "admin", "balance", "permissions", "verified"],
        description="Property names refused at any depth of a JSON body.",
    )
    read_only: bool = Field(True, description="Also refuse properties the spec marks readOnly.")
    roles: list[str] = Field(default_factory=lambda: ["admin"], description="Roles that may set them.")


class HTTPLookupConfig(Section):
    url: str = Field(description="URL template, e.g. http://orders.internal/orders/{path.order_id}/owner.")
    pointer: str = Field("", description="JSON pointer to the owner value in the answer (empty: whole body).")
    timeout: Duration = 2.0
    headers: dict[str, str] = Field(default_factory=dict)


class SQLLookupConfig(Section):
    dsn: str = Field(description="sqlite:///path/to.db or postgresql://...")
    query: str = Field(
        description="One-column query with named parameters, e.g. SELECT owner_id FROM orders WHERE id = :path.order_id"
    )
    timeout: Duration = 2.0


class LookupConfig(Section):
    """Where ownership comes from when it is not in the request."""

    http: HTTPLookupConfig | None = None
    sql: SQLLookupConfig | None = None
    ttl: Duration = Field(30.0, description="How long an answer is reused.")
    cache_size: int = Field(10_000, ge=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> LookupConfig:
        if (self.http is None) == (self.sql is None):
            raise ValueError("a lookup has exactly one of http or sql")
        return self


class AuthzConfig(Section):
    """Least privilege: nothing is allowed unless a rule allows it."""

    mode: Mode = "enforce"
    roles: dict[str, RoleConfig] = Field(default_factory=dict, description="Roles and their inheritance.")
    rules: list[RuleConfig] = Field(default_factory=list)
    admin: FunctionLevelConfig | None = Field(default_factory=FunctionLevelConfig)
    privileged_fields: FieldRulesConfig | None = Field(default_factory=FieldRulesConfig)
    lookups: dict[str, LookupConfig] = Field(default_factory=dict)
    hide_existence: bool = Field(
        False, description="Answer an object-level refusal like a missing object (404), and hide upstream 404s."
    )

    @model_validator(mode="after")
    def _roles_exist(self) -> AuthzConfig:
        for name, role in self.roles.items():
            for parent in role.inherits:
                if parent not in self.roles:
                    raise ValueError(f"role {name!r} inherits unknown role {parent!r}")
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            rule_id = rule.id or f"rule-{index + 1}"
            if rule_id in seen:
                raise ValueError(f"rule id {rule_id!r} is used twice")
            seen.add(rule_id)
        return self
