"""Webhook notifications: a JSON body signed with HMAC-SHA256, retried with backoff.

    POST <url>
    Content-Type: application/json
    X-Bastion-Timestamp: 1795000000
    X-Bastion-Signature: sha256=<hex HMAC of "<timestamp>.<body>">

Receivers check the signature and refuse old timestamps (replays). `format: slack` sends
`{"text": ...}` for Slack-compatible incoming webhooks instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson

from bastion import outbound
from bastion.config.detect import WebhookConfig

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("bastion.notify")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Notifier:
    def __init__(self, webhooks: list[WebhookConfig]) -> None:
        self._webhooks = webhooks
        self._client: httpx.AsyncClient | None = None

    async def notify(self, payload: dict[str, Any], text: str) -> None:
        if self._client is None:
            self._client = outbound.client(follow_redirects=False)
        await asyncio.gather(*(self._send(hook, payload, text) for hook in self._webhooks))

    async def _send(self, hook: WebhookConfig, payload: dict[str, Any], text: str) -> None:
        body = orjson.dumps({"text": text} if hook.format == "slack" else payload)
        delay = 1.0
        for attempt in range(1, hook.attempts + 1):
            timestamp = str(int(time.time()))
            headers = {"content-type": "application/json", "x-bastion-timestamp": timestamp}
            if hook.secret:
                headers["x-bastion-signature"] = signature(hook.secret, timestamp, body)
            try:
                assert self._client is not None
                response = await self._client.post(hook.url, content=body, headers=headers, timeout=hook.timeout)
                if response.status_code < 300:
                    return
                problem = f"status {response.status_code}"
            except outbound.http_error() as exc:
                problem = type(exc).__name__
            if attempt < hook.attempts:
                log.warning(
                    "webhook %s failed (%s), attempt %d; retrying in %.0fs", _host(hook.url), problem, attempt, delay
                )
                await asyncio.sleep(delay)
                delay *= 2
            else:
                log.error("webhook %s failed %d times (%s); notification dropped", _host(hook.url), attempt, problem)

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
