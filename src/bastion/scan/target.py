"""The only way a check talks to the API: scoped, budgeted, rate-limited, with timeouts everywhere.

A scanner that wanders off its target, runs forever or floods a shared environment does harm of its own,
so these limits are enforced here, once, rather than trusted to every check:

- scope: every URL must have the target's scheme, host and port; redirects are not followed;
- budget: a hard cap on requests, after which every send raises `BudgetExhausted`;
- deadline: past --max-time every send raises `DeadlineReached`, and no request outlives it;
- rate: requests are spaced to at most `rate` per second; a 429 with a short Retry-After (2 s or less)
  is waited out and retried, a longer one is taken as the answer;
- safety: DELETE is refused unless the scan was started with --allow-destructive;
- timeouts: connect, read and a cap on the bytes read from any response;
- a watch (scan/watch.py) sees every answer: it notices a target that stopped answering or a gateway
  that started blocking, and stops or slows the scan.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import httpx
import orjson

from bastion import __version__
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.scan.stops import BudgetExhausted, DeadlineReached, ScopeError, UnsafeRequest

MAX_RESPONSE_BYTES = 512 * 1024
MAX_RETRY_AFTER = 2.0
_MISSING: Any = object()


class Observer(Protocol):
    """Sees every exchange the checks make (the liveness and blocking watch)."""

    def before_send(self) -> None: ...

    def observe(self, target: Target, exchange: Exchange) -> None: ...


@dataclass
class Exchange:
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes | None
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    elapsed: float
    error: str | None = None
    identity: str | None = None
    operation: str | None = None
    truncated: bool = False
    tags: set[str] = field(default_factory=set)
    number: int = 0  # the request's place in the scan (1 is the first request sent)

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None

    def request_header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.request_headers:
            if key.lower() == lower:
                return value
        return None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def server_error(self) -> bool:
        return self.status is not None and self.status >= 500

    @property
    def unanswered(self) -> bool:
        """Nothing came back from the network (timeout, refused, reset), not a request we could not build."""
        return self.status is None and not (self.error or "").startswith("invalid URL")

    @cached_property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @cached_property
    def json(self) -> Any:
        """The parsed JSON body, or None; never raises (the API's bytes are untrusted)."""
        if not self.body or self.body.lstrip()[:1] not in (b"{", b"["):
            return None
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


def dump_json(value: Any) -> bytes:
    """JSON bytes; beyond-64-bit integers (a tampering staple) go through the standard library."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, default=str).encode()


def encode_query(params: Sequence[tuple[str, str]]) -> str:
    """Percent-encode every reserved character, so a payload arrives byte for byte as the check meant."""
    return "&".join(f"{quote(k, safe='[]$')}={quote(v, safe='')}" for k, v in params)


class Target:
    def __init__(  # noqa: PLR0913  keyword-only: the scan's politeness and transport settings
        self,
        base_url: str,
        *,
        budget: int = 5000,
        rate: float = 50.0,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        allow_destructive: bool = False,
        verify_tls: bool = True,
        on_exchange: Callable[[Exchange], None] | None = None,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] = time.sleep,
        max_time: float | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--target must be an http:// or https:// URL, not {base_url!r}")
        if parts.query or parts.fragment:
            raise ValueError("--target must not carry a query or fragment")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.base_path = parts.path.rstrip("/")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_url = self.origin + (self.base_path or "/")
        self.budget = budget
        self.rate = rate
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.allow_destructive = allow_destructive
        self.clock = clock
        self.sleep = sleep
        self.deadline = clock.monotonic() + max_time if max_time is not None else None
        self.sent = 0
        self.history: list[Exchange] = []
        self.observer: Observer | None = None
        self._on_exchange = on_exchange
        self._next_slot = 0.0
        self._client = httpx.Client(
            follow_redirects=False,
            verify=verify_tls,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"user-agent": f"bastion-scan/{__version__}"},
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
        )

    @property
    def remaining(self) -> int:
        return max(0, self.budget - self.sent)

    def time_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock.monotonic()

    def close(self) -> None:
        self._client.close()

    def url(self, path: str, query: Sequence[tuple[str, str]] | str | None = None) -> str:
        """A URL on the target; an absolute URL is accepted only when it is on the target's origin."""
        if "://" in path:
            parts = urlsplit(path)
            if (
                parts.scheme != self.scheme
                or (parts.hostname or "").lower() != self.host.lower()
                or (parts.port or (443 if parts.scheme == "https" else 80)) != self.port
            ):
                raise ScopeError(f"refusing to send traffic to {parts.scheme}://{parts.netloc}: not the target")
            url = path
        else:
            if not path.startswith("/"):
                path = "/" + path
            url = self.origin + self.base_path + path
        if query:
            url += ("&" if "?" in url else "?") + (query if isinstance(query, str) else encode_query(query))
        return url

    def send(  # noqa: PLR0913  keyword-only: every part of a request, and its attribution
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] | str | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = _MISSING,
        content: bytes | str | None = None,
        timeout: float | None = None,
        retry_429: bool = True,
        identity: str | None = None,
        operation: str | None = None,
    ) -> Exchange:
        method = method.upper()
        if method == "DELETE" and not self.allow_destructive:
            raise UnsafeRequest("DELETE needs --allow-destructive")
        url = self.url(path, query)
        request_headers = dict(headers or {})
        body: bytes | None
        if json is not _MISSING:
            body = dump_json(json)
            request_headers.setdefault("content-type", "application/json")
        elif isinstance(content, str):
            body = content.encode()
        else:
            body = content
        for attempt in range(3):
            if self.observer is not None:
                self.observer.before_send()
            exchange = self._send_once(method, url, request_headers, body, timeout)
            exchange.identity, exchange.operation = identity, operation
            self.history.append(exchange)
            if self._on_exchange is not None:
                self._on_exchange(exchange)
            if self.observer is not None:
                self.observer.observe(self, exchange)
            wait = _retry_after(exchange) if exchange.status == 429 else None
            if wait is None or not retry_429 or attempt == 2 or wait > MAX_RETRY_AFTER:
                return exchange  # a long cool-down is the API's answer: waiting it out would stall the scan
            self.wait(wait)
        return exchange

    def replay(self, exchange: Exchange, timeout: float) -> Exchange:
        """The same request again, unseen by the observer: the watch's liveness and block probes."""
        headers = {
            k: v
            for k, v in exchange.request_headers
            if k.lower() not in ("host", "content-length", "connection", "accept-encoding")
        }
        probe = self._send_once(exchange.method, exchange.url, headers, exchange.request_body, timeout)
        probe.identity, probe.operation = exchange.identity, exchange.operation
        return probe

    def wait(self, seconds: float) -> None:
        """Sleep, but never past the deadline."""
        left = self.time_left()
        if left is not None:
            seconds = min(seconds, max(0.0, left))
        if seconds > 0:
            self.sleep(seconds)

    def _send_once(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float | None
    ) -> Exchange:
        if self.sent >= self.budget:
            raise BudgetExhausted(f"the request budget of {self.budget} is spent")
        left = self.time_left()
        if left is not None and left <= 0:
            raise DeadlineReached("--max-time has passed")
        self._pace()
        self.sent += 1
        number = self.sent
        timeout = timeout if timeout is not None else self.timeout
        left = self.time_left()
        if left is not None:
            timeout = max(0.05, min(timeout, left))  # no request outlives the deadline
        started = time.perf_counter()
        try:
            request = self._client.build_request(method, url, headers=headers, content=body)
        except httpx.InvalidURL as exc:
            return self._failed(method, url, list(headers.items()), body, started, number, f"invalid URL: {exc}")
        request.extensions["timeout"] = httpx.Timeout(timeout, connect=min(timeout, self.connect_timeout)).as_dict()
        sent_headers = [(k, v) for k, v in request.headers.items()]
        try:
            try:
                response = self._client.send(request, stream=True)
            except (httpx.RemoteProtocolError, httpx.WriteError, httpx.ReadError):
                # A kept-alive connection the server closed after its previous answer (many close after a
                # 500): the request never reached the application, so sending it again is safe.
                response = self._client.send(request, stream=True)
            try:
                chunks: list[bytes] = []
                size, truncated = 0, False
                for chunk in response.iter_bytes():  # decoded, so the cap also bounds a compression bomb
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= MAX_RESPONSE_BYTES:
                        truncated = True
                        break
                data = b"".join(chunks)[:MAX_RESPONSE_BYTES]
            finally:
                response.close()
        except httpx.TimeoutException:
            return self._failed(method, url, sent_headers, body, started, number, "timeout")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = f"{exc.__class__.__name__}: {exc}"[:200]
            return self._failed(method, url, sent_headers, body, started, number, error)
        return Exchange(
            method=method,
            url=url,
            request_headers=sent_headers,
            request_body=body,
            status=response.status_code,
            headers=list(response.headers.multi_items()),
            body=data,
            elapsed=time.perf_counter() - started,
            truncated=truncated,
            number=number,
        )

    @staticmethod
    def _failed(  # noqa: PLR0913  the failed exchange's record: request, timing and error
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        started: float,
        number: int,
        error: str,
    ) -> Exchange:
        elapsed = time.perf_counter() - started
        return Exchange(method, url, headers, body, None, [], b"", elapsed, error=error, number=number)

    def _pace(self) -> None:
        if self.rate <= 0:
            return
        now = self.clock.monotonic()
        if self._next_slot > now:
            self.wait(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1.0 / self.rate


def _retry_after(exchange: Exchange) -> float:
    value = exchange.header("retry-after") or ""
    try:
        return max(0.05, float(value))
    except ValueError:
        return 1.0
