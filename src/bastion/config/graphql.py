"""GraphQL endpoints: parse once, bound depth/cost/aliases/batches, hide the schema, authorize fields."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bastion.config.authz import RuleConfig
from bastion.config.base import ConfigPath, Mode, Section
from bastion.config.units import Duration, Size


class GraphQLSchemaConfig(Section):
    """Where the schema comes from: an SDL file, or one introspection query to the upstream at start-up."""

    sdl: ConfigPath | None = Field(None, description="Schema file in SDL (schema.graphql).")
    introspect: bool = Field(False, description="Ask the upstream endpoint for its schema once, at start-up.")
    url: str | None = Field(None, description="Introspection: where to ask (default: upstream.url + the first path).")
    timeout: Duration = Field(5.0, description="Introspection at start-up: how long to wait.")

    @model_validator(mode="after")
    def _one_source(self) -> GraphQLSchemaConfig:
        if (self.sdl is None) == (not self.introspect):
            raise ValueError("set exactly one of sdl or introspect: true")
        return self


class PersistedConfig(Section):
    """Persisted-query allow-list: only documents whose SHA-256 is known pass."""

    file: ConfigPath = Field(
        description="JSON object {sha256: document} (Apollo/Relay manifest), or a directory of .graphql files."
    )


class GraphQLLimits(Section):
    max_depth: int = Field(12, ge=1, le=1000, description="Deepest selection nesting.")
    max_cost: int = Field(5000, ge=1, description="Estimated fields resolved (weights x list sizes).")
    max_aliases: int = Field(30, ge=0, description="Aliased fields in one document.")
    max_operations: int = Field(10, ge=1, le=1000, description="Operations in one batched request.")
    max_document: Size = Field(16 * 1024, description="Characters in one document.")
    max_tokens: int = Field(3000, ge=10, description="Lexical tokens in one document.")
    max_directives: int = Field(50, ge=0, description="Directives in one document.")
    max_fragments: int = Field(100, ge=0, description="Fragment definitions in one document.")
    max_fields: int = Field(2000, ge=1, description="Field selections in one document, fragments expanded.")


class GraphQLConfig(Section):
    """The graphql guard: requests to these paths are GraphQL, parsed once and held to these limits."""

    mode: Mode = "enforce"
    paths: list[str] = Field(default_factory=lambda: ["/graphql"], description="GraphQL endpoint paths.")
    schema_: GraphQLSchemaConfig | None = Field(
        None,
        alias="schema",
        description="Types for field rules, list sizes and introspection answers; without it names are "
        "root-qualified only (Query.user, Mutation.login) and lists are found from their arguments.",
    )
    limits: GraphQLLimits = Field(default_factory=GraphQLLimits)
    weights: dict[str, int] = Field(
        default_factory=dict, description='Cost of a field (default 1), e.g. {"Query.search": 10}.'
    )
    list_arguments: list[str] = Field(
        default_factory=lambda: ["first", "last", "limit", "pageSize", "perPage", "take"],
        description="Arguments that size a list: the multiplier of its sub-selection cost.",
    )
    default_list_size: int = Field(
        10, ge=1, description="Multiplier for a list field with no size argument (schema needed to know it is one)."
    )
    max_list_size: int = Field(1000, ge=1, description="A size argument above this is refused.")
    introspection: Literal["off", "on"] = Field(
        "off", description="off: __schema/__type refused (except to introspection_roles); on: allowed."
    )
    introspection_roles: list[str] = Field(default_factory=list, description="Roles that may introspect anyway.")
    get_mutations: bool = Field(False, description="Allow mutations over GET (CSRF); refused by default.")
    persisted: PersistedConfig | None = Field(None, description="Only allow-listed documents pass.")
    strip_suggestions: bool = Field(True, description='Remove "Did you mean ..." from GraphQL error messages.')
    rules: list[RuleConfig] = Field(
        default_factory=list,
        description="Field and operation grants, same language as authz.rules: allow names Type.field, "
        "or a root field (createPost); `where` may read args.<name> (the field's arguments, or those of "
        "the field that returned its object: user(id:) for User.email), path.root (the root field) and "
        "path.field (me.email). A field named by a rule is refused to identities no rule "
        "grants; mutations are refused unless a rule grants them (deny by default).",
    )
    public: list[str] = Field(
        default_factory=list,
        description="Fields, types and mutations anyone may use, signed in or not (login, Query.posts).",
    )
    mutations_need_rule: bool = Field(
        True, description="With authz configured, a mutation no rule or public names is refused (least privilege)."
    )
    cache_size: int = Field(1000, ge=0, description="Parsed documents kept (most recent), so repeats skip parsing.")
