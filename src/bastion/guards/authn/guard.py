"""The authn guard: every request to a protected operation proves who sent it.

Methods are tried in the configured order; the first that recognises the request's credential
decides. Missing credentials get 401 with a challenge per accepted scheme; invalid, expired or
revoked ones get the same generic 401, while the audit trail keeps the precise reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from bastion.config.authn import AuthnConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.header_policy import identity_headers
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.crypto.keyring import Keyring
from bastion.guards.authn.apikeys import APIKeyAuthenticator, KeyStore
from bastion.guards.authn.base import Attempt, Authenticator
from bastion.guards.authn.bruteforce import BruteForceFriction
from bastion.guards.authn.introspection import IntrospectionAuthenticator
from bastion.guards.authn.jwt import JWTAuthenticator
from bastion.revocations import RevocationList
from bastion.state.backend import StateBackend

_QUERY_CREDENTIALS = frozenset({"access_token", "api_key", "apikey", "token", "key"})


class AuthnGuard:
    needs_body = False

    def __init__(  # noqa: PLR0913  built once; keyword-only: the stores and services authn uses
        self,
        config: AuthnConfig,
        *,
        public_operations: Iterable[str],
        keyring: Keyring,
        key_store: KeyStore | None,
        revocations: RevocationList | None,
        state: StateBackend,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._clock = clock
        self._public = frozenset(public_operations)
        self._revocations = revocations
        self._forward = config.forward_identity
        jwt_count = sum(1 for m in config.methods if m.jwt)
        self.methods: list[Authenticator] = []
        query_params: set[str] = set()
        for method in config.methods:
            if method.jwt:
                self.methods.append(JWTAuthenticator(method.jwt, sole_jwt_method=jwt_count == 1, clock=clock))
            elif method.introspection:
                self.methods.append(IntrospectionAuthenticator(method.introspection, clock))
            elif method.api_key:
                if key_store is None:
                    raise ValueError("API keys need a store")
                self.methods.append(APIKeyAuthenticator(method.api_key, keyring, key_store, clock))
                if method.api_key.query:
                    query_params.add(method.api_key.query)
            elif method.basic:
                from bastion.guards.authn.basic import BasicAuthenticator  # noqa: PLC0415  lazy: argon2 only for Basic

                self.methods.append(BasicAuthenticator(method.basic, clock))
            elif method.mtls:
                from bastion.guards.authn.mtls import MTLSAuthenticator  # noqa: PLC0415  lazy: cryptography's x509 only for mTLS

                self.methods.append(MTLSAuthenticator(method.mtls))
        self._query_credentials = _QUERY_CREDENTIALS - query_params
        challenges = [m.challenge for m in self.methods if m.challenge]
        self._challenge = ", ".join(dict.fromkeys(challenges)) or f'Bearer realm="{config.realm}"'
        self._friction = BruteForceFriction(config.brute_force, state, clock) if config.brute_force else None

    async def start(self) -> None:
        for method in self.methods:
            await method.start()

    async def stop(self) -> None:
        for method in self.methods:
            await method.stop()

    async def check(self, request: Request, ctx: Context) -> Verdict | None:  # noqa: PLR0911, PLR0912  hot path: friction, query credential, attempt, revocation, each an early exit
        public = ctx.operation in self._public
        if self._friction is not None and not public:
            wait = await self._friction.retry_after(request.client)
            if wait is not None:
                return self._cooling(wait, "client is cooling down after failed authentications")
        if self._query_credentials and request.query and self._credential_in_query(request):
            if public:
                return None
            return self._unauthenticated("credential in the query string (refused: URLs leak into logs)")
        attempt = await self._attempt(request, ctx)
        if attempt is None:
            return None if public else self._missing()
        if attempt.identity is not None:
            revoked = self._revoked(attempt.identity)
            if revoked is None:
                self._accept(attempt.identity, ctx)
                return None
            attempt = Attempt.failed(revoked, attempt.account)
        if public:
            return None  # public operations ignore a bad credential: the request goes on anonymously
        if attempt.unavailable:
            return Verdict.refuse(
                503,
                "authn.unavailable",
                attempt.failure or "",
                category="authn",
                detail="Authentication is temporarily unavailable.",
                headers=(("Retry-After", "5"),),
            )
        if self._friction is not None:
            account = attempt.account
            if account is not None:
                wait = await self._friction.retry_after(request.client, account)
                if wait is not None:
                    return self._cooling(wait, "client is cooling down on this account")
            started = await self._friction.failed(request.client, account)
            if started is not None:
                return self._cooling(started, f"cooldown started after repeated failures ({attempt.failure})")
        return self._unauthenticated(attempt.failure or "invalid credentials")

    async def _attempt(self, request: Request, ctx: Context) -> Attempt | None:
        for method in self.methods:
            try:
                attempt = await method.authenticate(request, ctx)
            except ValueError as exc:
                # Every decoder of a client's bytes (base64, UTF-8, JSON, ASN.1) says "cannot read
                # this" with a ValueError: that is a bad credential (401, counted), never a 500.
                return Attempt.failed(f"{type(method).__name__}: undecodable credential ({type(exc).__name__})")
            if attempt is not None:
                return attempt
        if "authorization" in request.headers:
            # A credential was sent but no method claims it (another issuer, an unknown scheme):
            # it is an invalid credential, not a missing one.
            return Attempt.failed("no configured method accepts this credential (unknown issuer or scheme)")
        return None

    def _revoked(self, identity: Identity) -> str | None:
        revocations = self._revocations
        return revocations.revoked(identity, self._clock.wall()) if revocations is not None else None

    def _accept(self, identity: Identity, ctx: Context) -> None:
        ctx.identity = identity
        if not self._forward:
            return
        ctx.upstream_headers.extend(identity_headers(identity))

    def _credential_in_query(self, request: Request) -> bool:
        return any(name.lower() in self._query_credentials for name, _ in request.query_params)

    def _missing(self) -> Verdict:
        return Verdict.refuse(
            401,
            "authn.missing",
            "no credentials",
            category="authn",
            detail="Authentication is required.",
            headers=(("WWW-Authenticate", self._challenge),),
        )

    def _unauthenticated(self, reason: str) -> Verdict:
        return Verdict.refuse(
            401,
            "authn.invalid",
            reason,
            category="authn",
            detail="The credentials are not valid.",
            headers=(
                (
                    "WWW-Authenticate",
                    self._challenge.replace("realm=", 'error="invalid_token", realm=', 1)
                    if self._challenge.startswith("Bearer")
                    else self._challenge,
                ),
            ),
        )

    @staticmethod
    def _cooling(seconds: float, reason: str) -> Verdict:
        return Verdict.refuse(
            429,
            "authn.brute_force",
            reason,
            category="brute_force",
            detail="Too many failed authentication attempts; try again later.",
            headers=(("Retry-After", str(max(1, int(seconds + 0.999)))),),
        )
