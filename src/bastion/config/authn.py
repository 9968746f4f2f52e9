"""Authentication: which credentials a route accepts and how each is verified."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Duration, Size

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _https_or_loopback(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return url
    raise ValueError(f"{what} must be an https:// URL (plain http only on loopback)")


class ClaimMapping(Section):
    """Where identity attributes are read from token claims (dotted paths)."""

    subject: str = Field("sub", description="Claim holding the subject.")
    roles: str | None = Field(None, description="Claim holding roles, e.g. realm_access.roles or roles.")
    scopes: str | None = Field("scope", description="Claim holding scopes: a space-separated string or a list.")
    client_id: str | None = Field("azp", description="Claim holding the client id (azp or client_id).")
    tenant: str | None = Field(None, description="Claim holding the tenant, e.g. tid.")


class JWKSConfig(Section):
    """How a JWKS is fetched and refreshed."""

    refresh: Duration = Field(600.0, description="Background refresh interval.")
    cooldown: Duration = Field(
        30.0, description="Minimum time between fetches triggered by unknown kids (flood protection)."
    )
    timeout: Duration = Field(3.0, description="Timeout of one fetch.")
    max_bytes: Size = Field(512 * 1024, description="Largest JWKS document accepted.")


class JWTMethod(Section):
    """Bearer JSON Web Tokens, verified locally."""

    issuer: str = Field(description="Expected `iss`; a token from another issuer is not this method's.")
    audience: str | list[str] | None = Field(None, description="Accepted `aud` value(s); null skips the check.")
    algorithms: list[str] = Field(description="Allowed algorithms for this issuer, e.g. [RS256].")
    jwks_url: str | None = Field(None, description="Where the issuer publishes its keys (JWKS).")
    keys: list[str] = Field(
        default_factory=list, description="Static public keys: PEM text, a JWK/JWKS JSON document, or a file path."
    )
    secret: str | None = Field(None, description="Shared secret for HS* algorithms (32+ bytes; use ${...}).")
    jwks: JWKSConfig = Field(default_factory=JWKSConfig)
    clock_skew: Duration = Field(60.0, description="Tolerance on exp, nbf and iat.")
    max_age: Duration | None = Field(None, description="Refuse tokens whose iat is older than this.")
    required_claims: list[str] = Field(default_factory=lambda: ["exp"], description="Claims that must be present.")
    typ: str | None = Field(None, description="Required `typ` header (e.g. at+jwt); null accepts any.")
    max_token_size: Size = Field(8192, description="Longest token accepted, in bytes.")
    claims: ClaimMapping = Field(default_factory=ClaimMapping)

    @field_validator("algorithms")
    @classmethod
    def _algorithms(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("list at least one algorithm")
        for alg in value:
            if alg.lower() == "none":
                raise ValueError("alg none is never accepted")
            if alg not in ASYMMETRIC_ALGORITHMS | HMAC_ALGORITHMS:
                raise ValueError(f"unsupported algorithm {alg!r}")
        return value

    @field_validator("keys")
    @classmethod
    def _key_files(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """Inline PEM/JSON stays as is; anything else is a file path, relative to the policy file."""
        base = (info.context or {}).get("base_dir")
        resolved = []
        for item in value:
            text = item.strip()
            if text.startswith(("-----BEGIN", "{")) or base is None or Path(text).is_absolute():
                resolved.append(item)
            else:
                resolved.append(str(Path(base) / text))
        return resolved

    @field_validator("jwks_url")
    @classmethod
    def _jwks_url(cls, value: str | None) -> str | None:
        return _https_or_loopback(value, "jwks_url") if value else value

    @model_validator(mode="after")
    def _keys_match_algorithms(self) -> JWTMethod:
        wants_hmac = bool(set(self.algorithms) & HMAC_ALGORITHMS)
        wants_asym = bool(set(self.algorithms) & ASYMMETRIC_ALGORITHMS)
        if wants_hmac and wants_asym:
            raise ValueError("do not mix HS* with asymmetric algorithms for one issuer (key confusion)")
        if wants_hmac and not self.secret:
            raise ValueError("HS* algorithms need `secret`")
        if wants_hmac and len(self.secret.encode() if self.secret else b"") < 32:
            raise ValueError("an HMAC secret must be at least 32 bytes")
        if wants_asym and not (self.jwks_url or self.keys):
            raise ValueError("asymmetric algorithms need `jwks_url` or `keys`")
        if self.secret and wants_asym:
            raise ValueError("`secret` only goes with HS* algorithms")
        return self


class ClientCredentials(Section):
    client_id: str
    client_secret: str
    method: Literal["basic", "post"] = Field("basic", description="client_secret_basic or client_secret_post.")


class IntrospectionCacheConfig(Section):
    ttl: Duration = Field(300.0, description="Longest time a positive answer is reused (never past exp).")
    negative_ttl: Duration = Field(10.0, description="How long an inactive answer is reused.")
    size: int = Field(10_000, ge=1, description="Most answers kept.")


class IntrospectionMethod(Section):
    """Opaque bearer tokens, checked with the issuer's RFC 7662 introspection endpoint."""

    url: str = Field(description="The introspection endpoint.")
    client: ClientCredentials = Field(description="How Bastion authenticates itself to the endpoint.")
    timeout: Duration = 3.0
    cache: IntrospectionCacheConfig = Field(default_factory=IntrospectionCacheConfig)
    claims: ClaimMapping = Field(default_factory=ClaimMapping)
    audience: str | None = Field(None, description="Required audience in the answer; null skips the check.")
    jwt_tokens: bool = Field(False, description="Also introspect tokens that look like JWTs.")
    max_token_size: Size = 8192

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _https_or_loopback(value, "introspection url")


class APIKeyMethod(Section):
    """Keys issued with `bastion keys create`; only their keyed hashes are stored."""

    header: str = Field("x-api-key", description="Header carrying the key; `Authorization: ApiKey <key>` works too.")
    query: str | None = Field(None, description="Query parameter carrying the key; off unless set (keys leak in URLs).")
    environment: str = Field("live", pattern=r"^[a-z0-9]{1,16}$", description="Keys of other environments are refused.")
    refresh: Duration = Field(2.0, description="How often new keys are read from the store.")

    @field_validator("header")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class BasicUser(Section):
    password_hash: str = Field(description="Argon2id hash from `bastion hash-password`.")
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)

    @field_validator("password_hash")
    @classmethod
    def _argon2(cls, value: str) -> str:
        if not value.startswith("$argon2id$"):
            raise ValueError("expected an Argon2id hash ($argon2id$...) from `bastion hash-password`")
        return value


class BasicMethod(Section):
    """HTTP Basic for legacy clients; passwords stored as Argon2id hashes."""

    realm: str = "bastion"
    users: dict[str, BasicUser] = Field(default_factory=dict)
    cache: Duration = Field(300.0, description="How long a verified password is remembered (0 disables).")
    max_concurrent: int = Field(4, ge=1, description="Argon2 verifications running at once.")


class MTLSMethod(Section):
    """Client certificates verified at TLS termination (listen.tls.client_ca)."""

    identity: Literal["subject", "san", "fingerprint"] = Field(
        "subject", description="What becomes the subject: subject CN, first SAN, or SHA-256 fingerprint."
    )
    roles: dict[str, list[str]] = Field(
        default_factory=dict, description="Roles per identity (subject, SAN or fingerprint)."
    )
    default_roles: list[str] = Field(default_factory=list, description="Roles of any other verified client.")


class AuthMethod(Section):
    """Exactly one of the method keys."""

    jwt: JWTMethod | None = None
    introspection: IntrospectionMethod | None = None
    api_key: APIKeyMethod | None = None
    basic: BasicMethod | None = None
    mtls: MTLSMethod | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> AuthMethod:
        chosen = [name for name in ("jwt", "introspection", "api_key", "basic", "mtls") if getattr(self, name)]
        if len(chosen) != 1:
            raise ValueError("each method has exactly one of jwt, introspection, api_key, basic, mtls")
        return self

    @property
    def kind(self) -> str:
        return next(n for n in ("jwt", "introspection", "api_key", "basic", "mtls") if getattr(self, n))


class BruteForceConfig(Section):
    """Friction after repeated failed authentications (per client, and per client and account)."""

    threshold: int = Field(10, ge=1, description="Failures within the window before cooling down.")
    window: Duration = Field(300.0, description="Window in which failures are counted.")
    cooldown: list[Duration] = Field(
        default_factory=lambda: [60.0, 300.0, 1800.0],
        description="Growing cooling periods: the first, then the next on each repeat.",
    )


class AuthnConfig(Section):
    """Who sent the request: methods tried in order, the first that recognises the credential wins."""

    mode: Mode = "enforce"
    methods: list[AuthMethod] = Field(default_factory=list)
    public: list[str] = Field(default_factory=list, description="Operations that need no identity.")
    spec_security: bool = Field(True, description="Treat OpenAPI operations with `security: []` as public.")
    brute_force: BruteForceConfig | None = Field(default_factory=BruteForceConfig)
    forward_identity: bool = Field(
        True, description="Send X-Bastion-Subject/-Roles/-Scopes/-Client/-Tenant to the upstream."
    )
    realm: str = "bastion"
