"""External authorization host: nginx `auth_request` and Envoy `ext_authz` ask, Bastion decides.

The proxy stays the data plane; Bastion sees each request as the proxy describes it, runs the same
pipeline, and answers:

- **allow**: 200 with the identity for the upstream (X-Bastion-Subject, -Auth-Method, -Roles, -Scopes,
  -Client, -Tenant: the headers the reverse proxy sends upstream, per `authn.forward_identity`) and the
  request id;
- **deny**: Envoy passes Bastion's answer to the client as it is, so it gets the refusal's status and
  problem+json body. nginx only understands 401 and 403 from an auth subrequest (anything else becomes
  a 500) and drops the body, so nginx gets 401/403 plus an `X-Bastion-Refusal` header: the real status,
  headers and body, signed. The example config's `error_page` hands it back to `refusal_path`, which
  checks the signature and answers with exactly that refusal. Nothing is kept between the two calls,
  so any worker of any host can answer the second.

The request is described by X-Original-Method and X-Original-URI (nginx), or by the method and path of
the call itself (Envoy, minus `path_prefix`). The body is inspected when the proxy forwards it (Envoy
`with_request_body`); when it does not, guards that need a body skip it rather than refuse.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from typing import TYPE_CHECKING

import orjson

from bastion.core.context import Context
from bastion.core.exchange import Exchange, Send
from bastion.core.header_policy import IDENTITY_HEADERS
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Headers, Request
from bastion.core.request_id import accept_request_id
from bastion.crypto.keyring import Keyring
from bastion.hosts.forwarding import ClientAddressResolver
from bastion.hosts.http1.errors import BodyRefused
from bastion.hosts.http1.handler import Wire
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.reply import Reply, closing_reply
from bastion.hosts.http1.unparsed import Unparsed, refuse_unparsed

if TYPE_CHECKING:
    from bastion.engine import Engine

log = logging.getLogger("bastion.extauthz")

_PROXY_HEADERS = frozenset({"x-original-uri", "x-original-method", "x-bastion-refusal"})
_BODY_FRAMING = frozenset({"content-length", "transfer-encoding"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PROCESS_KEY = secrets.token_bytes(32)  # made before workers fork: shared by them, not by other hosts


class RefusalSigner:
    """Signs refusals carried through nginx; with secrets.key every host of a fleet can verify them."""

    def __init__(self, keyring: Keyring) -> None:
        self._key = keyring.current("extauthz-refusal").key if keyring.available else _PROCESS_KEY

    def seal(self, status: int, headers: list[tuple[str, str]], body: bytes) -> str:
        payload = base64.urlsafe_b64encode(orjson.dumps([status, headers, body.decode("utf-8", "replace")]))
        tag = hmac.new(self._key, payload, hashlib.sha256).hexdigest()[:32]
        return payload.decode() + "." + tag

    def open(self, sealed: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        payload, _, tag = sealed.rpartition(".")
        expected = hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()[:32]
        if not payload or not hmac.compare_digest(tag.encode(), expected.encode()):
            return None
        try:
            status, headers, body = orjson.loads(base64.urlsafe_b64decode(payload.encode()))
        except (ValueError, orjson.JSONDecodeError):
            return None
        return int(status), [(str(k), str(v)) for k, v in headers], str(body).encode()


def describe(method: str, url: str, headers: Headers, path_prefix: str) -> tuple[bool, str, str, str]:
    """(asked by nginx, original method, path, query) of the request the proxy asks about."""
    original_uri = headers.get("x-original-uri")
    if original_uri is not None:
        method, target = (headers.get("x-original-method") or "GET").upper(), original_uri or "/"
    else:
        target = url
        if path_prefix and target.startswith(path_prefix):
            target = target[len(path_prefix) :] or "/"
    path, _, query = target.partition("?")
    return original_uri is not None, method, path, query


def described_headers(headers: Headers, has_body: bool) -> Headers:
    """The client's headers as the proxy relayed them, without the proxy's own plumbing."""
    dropped = _PROXY_HEADERS if has_body else _PROXY_HEADERS | _BODY_FRAMING
    return Headers([(k, v) for k, v in headers if k not in dropped])


class DecisionService:
    """The ext-authz handler: the same HTTP connection as the proxy, a different answer."""

    def __init__(self, engine: Engine, resolver: ClientAddressResolver) -> None:
        self.engine = engine  # a reload swaps it; a decision in flight keeps the policy it started with
        self.resolver = resolver

    def accepts_upgrade(self, protocol: str) -> bool:
        return False  # a decision is an answer to one request: nothing here tunnels

    async def refuse_unparsed(self, wire: Wire, refusal: Unparsed) -> None:
        await refuse_unparsed(self.engine.pipeline, refusal, closing_reply(wire))

    async def handle(self, wire: Wire, incoming: Incoming) -> bool:
        engine = self.engine
        pipeline = engine.pipeline
        config = engine.config.extauthz
        headers = Headers.from_raw(incoming.headers)
        url = incoming.url.decode("latin-1")
        reply = Reply(wire, incoming)
        if url.partition("?")[0] == config.refusal_path and headers.get("x-bastion-refusal") is not None:
            return await self._replay_refusal(reply, headers)
        nginx, method, path, query = describe(incoming.method, url, headers, config.path_prefix)
        client = wire.peer
        if self.resolver.enabled:
            client = self.resolver.resolve(wire.peer, headers.get_all("x-forwarded-for"))
        ctx = Context(accept_request_id(headers.get("x-request-id")))
        body: bytes | None = None
        has_body = incoming.body_size > 0 or not incoming.body_done
        refused: BodyRefused | None = None
        if has_body or pipeline.needs_body:
            try:
                body = await wire.read_body(incoming) if has_body else b""
            except BodyRefused as error:
                refused = error
        withheld = not body and method in _BODY_METHODS and not headers.get("x-envoy-auth-partial-body")
        request = Request(
            method=method,
            path=path,
            query=query,
            headers=described_headers(headers, has_body=bool(body)),
            client=client,
            scheme=headers.get("x-forwarded-proto") or wire.scheme,
            body=body,
            http_version=incoming.http_version,
            peer=wire.peer,
            body_withheld=withheld and refused is None,
        )
        send: Send = reply
        if nginx:
            send = _NginxReply(reply, RefusalSigner(engine.keyring))
        exchange = Exchange(pipeline, request, ctx, send, bytes_in=incoming.body_size)
        if refused is not None:
            reply.keep = False
            await exchange.refuse_body(refused.status, refused.reason)
            exchange.close()
            return False
        decision = await exchange.check()
        reply.keep = incoming.keep_alive and not wire.closed
        if decision.refusal is None:
            # the identity as the authn guard prepares it for an upstream (authn.forward_identity)
            answer = [("x-request-id", ctx.request_id), *ctx.response_headers, *identity_answer(ctx.upstream_headers)]
            await exchange.answer_local(ResponseHead(200, answer, local=True))
        else:
            await exchange.refuse(decision.refusal)
        exchange.close()
        return reply.keep

    async def _replay_refusal(self, reply: Reply, headers: Headers) -> bool:
        """nginx's error_page asks for the refusal it was handed: answer it, if Bastion signed it."""
        opened = RefusalSigner(self.engine.keyring).open(headers.get("x-bastion-refusal") or "")
        reply.keep = reply.incoming.keep_alive and reply.incoming.body_done
        if opened is None:
            body = problem_body(403, accept_request_id(headers.get("x-request-id")))
            await reply(ResponseHead(403, [("content-type", CONTENT_TYPE)], local=True, length=len(body)), body)
            return reply.keep
        status, answer_headers, body = opened
        await reply(ResponseHead(status, answer_headers, local=True, length=len(body)), body)
        return reply.keep


def identity_answer(established: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every identity header, empty when the gateway established none: the proxy overwrites (nginx:
    removes) whatever the client sent under those names, on every route, public ones too."""
    known = dict(established)
    return [(name, known.get(name, "")) for name in IDENTITY_HEADERS]


class _NginxReply:
    """nginx only takes 401/403 from an auth subrequest and drops the body: a refusal travels signed
    in X-Bastion-Refusal, for the example config's error_page to replay; an allow passes as it is."""

    def __init__(self, reply: Reply, signer: RefusalSigner) -> None:
        self._reply = reply
        self._signer = signer

    async def __call__(self, head: ResponseHead, body: bytes) -> None:
        if head.status < 400:
            await self._reply(head, body)
            return
        sealed = self._signer.seal(head.status, head.headers, body)
        status = 401 if head.status == 401 else 403
        request_id = head.get("x-request-id") or ""
        headers = [("x-bastion-refusal", sealed), ("x-bastion-status", str(head.status)), ("x-request-id", request_id)]
        headers += [(k, v) for k, v in head.headers if k == "www-authenticate"]
        await self._reply(ResponseHead(status, headers, local=True, length=0), b"")
