"""Keeping secrets out of reports: credentials the scan used and secret-looking values the API leaked.

A report is shared (CI logs, tickets, code-scanning uploads), so nothing that would let its reader log
in may appear in it: the test users' passwords, tokens and keys are replaced wherever they occur, and
values under sensitive names (password, secret, token, hash, card number ...) keep only a short prefix
that proves the leak without repeating it.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}
)
SENSITIVE_KEY = re.compile(
    r"(?i)(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|hash|salt|credential|"
    r"card[_-]?(number|no)|cvv|cvc|ssn|otp|pin)"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{8,}")
_MIN_SECRET = 4


def mask_value(value: str) -> str:
    """A short, recognisable stub: enough to tell which value leaked, not enough to use it."""
    if len(value) <= 8:
        return "***"
    return f"{value[:4]}…(masked {len(value)} chars)"


class Masker:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._public: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= _MIN_SECRET and secret not in self._secrets:
            self._secrets.add(secret)
            self._pattern = None

    def public(self, value: str) -> None:
        """An attack payload the scan chose: shown as is even under a sensitive name, so curl reproduces."""
        self._public.add(value)

    def text(self, text: str) -> str:
        if self._secrets:
            if self._pattern is None:
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            text = self._pattern.sub(lambda m: mask_value(m.group(0)), text)
        return _JWT.sub(lambda m: m.group(0).rsplit(".", 1)[0] + ".<signature masked>", text)

    def header(self, name: str, value: str) -> str:
        if name.lower() in SENSITIVE_HEADERS:
            scheme, sep, rest = value.partition(" ")
            if sep and scheme.lower() in ("bearer", "basic", "token", "digest"):
                return f"{scheme} {mask_value(rest)}"
            return mask_value(value)
        return self.text(value)

    def body(self, text: str) -> str:
        """Mask a body; JSON keeps its shape with sensitive values stubbed."""
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError:
                return self.text(text)
            return self.text(orjson.dumps(_mask_json(data, 0, self._public)).decode())
        return self.text(text)


def _mask_json(node: Any, depth: int, public: set[str]) -> Any:
    if depth > 32:
        return node
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if isinstance(value, str) and value and value not in public and SENSITIVE_KEY.search(str(key)):
                out[key] = mask_value(value)
            else:
                out[key] = _mask_json(value, depth + 1, public)
        return out
    if isinstance(node, list):
        return [_mask_json(item, depth + 1, public) for item in node]
    return node
