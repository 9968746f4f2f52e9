"""Sensitive values in responses, found by property name or by shape, masked or blocked.

Shapes: payment card numbers (13 to 19 digits passing the Luhn check), US social security numbers,
PEM private keys, and cloud credentials (AWS access key ids, GitHub, Slack, Stripe and Google API
keys). The raw body is scanned once by a multi-pattern prefilter (patterns.PatternSet); only the
detectors it reports are then applied, value by value, with their exact expressions. The prefilter
patterns are looser than the exact ones (no boundaries, no Luhn), so it can only say "maybe", never
miss what the exact expressions would find.

The same masker serves every place a body may leave or be written down: JSON values (by property
name and by shape), text (where a sensitive name is masked in `name: value`, `"name": "value"` and
`name=value` form), each line or event of a stream, and the excerpt of a hidden response that
Bastion's own log keeps (`excerpt`, with every detector on, whatever the response policy says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.config.responses import SensitiveDataConfig
from bastion.patterns import Pattern, PatternSet

# detector -> (prefilter for Hyperscan and re alike, exact expression applied to candidate values)
DETECTORS: dict[str, tuple[str, str]] = {
    # a card number stands alone: digits inside a longer token (an id such as 46fb1441a7330000000111,
    # a hash) are not one
    "card_numbers": (
        r"[0-9](?:[ -]?[0-9]){12,18}",
        r"(?<![0-9A-Za-z_])(?:[0-9][ -]?){12,18}[0-9](?![0-9A-Za-z_])",
    ),
    "national_ids": (
        r"[0-9]{3}-[0-9]{2}-[0-9]{4}",
        r"(?<![0-9-])(?!000|666|9[0-9]{2})[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![0-9-])",
    ),
    "private_keys": (r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
    "cloud_keys": (
        r"(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abprs]-[A-Za-z0-9-]{10}|sk_live_[0-9A-Za-z]{24}"
        r"|AIza[0-9A-Za-z_\-]{35}",
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,255}\b|\bxox[abprs]-[A-Za-z0-9-]{10,200}"
        r"|\bsk_live_[0-9A-Za-z]{24,99}\b|\bAIza[0-9A-Za-z_\-]{35}\b",
    ),
}


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass
class Detection:
    kind: str  # field, card_numbers, national_ids, private_keys, cloud_keys
    action: str  # mask or block
    where: str


class SensitiveData:
    def __init__(self, config: SensitiveDataConfig) -> None:
        self.mask = config.mask
        self._field_action = config.field_action
        self._fields = frozenset(f.lower() for f in config.fields) if config.field_action != "off" else frozenset()
        self._actions = {name: getattr(config, name) for name in DETECTORS if getattr(config, name) != "off"}
        # ASCII word boundaries: a key right after "é" or a binary byte is still a key
        self._exact = {name: re.compile(DETECTORS[name][1], re.ASCII) for name in self._actions}
        prefilters = [Pattern(name, DETECTORS[name][0]) for name in self._actions]
        self._field_text: re.Pattern[str] | None = None
        if self._fields:
            # one order in every process (not a set's, which hash randomisation changes): the
            # compiled database is cached on disk by its text
            names = "|".join(re.escape(f) for f in sorted(self._fields, key=lambda f: (-len(f), f)))
            # a name followed by its separator, quoted or not: JSON (`"ssn":`), YAML or logs
            # (`ssn: `), forms and query strings (`ssn=`); looser than _field_text, never tighter
            prefilters.append(Pattern("field", rf"(?:{names})[\"']?\s*[:=]", caseless=True))
            self._field_text = re.compile(
                rf"""(["']?)\b({names})\1(\s*[:=]\s*)(?!null\b)"""
                r"""("(?:[^"\\\r\n]|\\.){0,4096}"|'[^'\r\n]{0,4096}'|[^\s"',;&}\]<>]{1,4096})""",
                re.IGNORECASE,
            )
        self.prefilters = tuple(prefilters)  # also scanned with the debug signatures (cleaner.py)
        self._scanner = PatternSet(prefilters) if prefilters else None

    @property
    def enabled(self) -> bool:
        return self._scanner is not None

    def candidates(self, body: bytes) -> frozenset[str]:
        """Detectors that may apply to this body ("field" for sensitive names); empty: nothing to do."""
        if self._scanner is None:
            return frozenset()
        return frozenset(hit.id for hit in self._scanner.scan(body))

    def clean_json(self, value: Any, kinds: frozenset[str], found: list[Detection], path: str = "") -> Any:
        """A copy of the value with sensitive fields and values masked; records what it found."""
        if isinstance(value, dict):
            fields = self._fields if "field" in kinds else frozenset()
            out = {}
            for key, item in value.items():
                where = f"{path}/{key}"
                if fields and isinstance(key, str) and key.lower() in fields and item is not None:
                    found.append(Detection("field", self._field_action, where))
                    out[key] = self.mask
                else:
                    out[key] = self.clean_json(item, kinds, found, where)
            return out
        if isinstance(value, list):
            return [self.clean_json(item, kinds, found, f"{path}/{index}") for index, item in enumerate(value)]
        if isinstance(value, str):
            return self.clean_text(value, kinds, found, path)
        return value

    def clean_text(self, text: str, kinds: frozenset[str], found: list[Detection], where: str = "") -> str:
        if "field" in kinds and self._field_text is not None:
            text = self._field_text.sub(lambda match: self._mask_field(match, found, where), text)
        for kind, exact in self._exact.items():
            if kind not in kinds:
                continue

            def replace(match: re.Match[str], kind: str = kind) -> str:
                if kind == "card_numbers":
                    digits = re.sub(r"[ -]", "", match.group(0))
                    if not (13 <= len(digits) <= 19 and luhn_valid(digits)):
                        return match.group(0)
                found.append(Detection(kind, self._actions[kind], where or "body"))
                return self.mask

            text = exact.sub(replace, text)
        return text

    def find_in_binary(self, data: bytes) -> list[str]:
        """Sensitive values in raw bytes that cannot be masked without breaking them (a binary file):
        whatever their action, each is a reason to withhold the file."""
        kinds = self.candidates(data) - {"field"}
        if not kinds:
            return []
        found: list[Detection] = []
        self.clean_text(data.decode("latin-1"), kinds, found)  # one character per byte: nothing merges
        return sorted({d.kind for d in found})

    def _mask_field(self, match: re.Match[str], found: list[Detection], where: str) -> str:
        quote, name, separator, value = match.groups()
        found.append(Detection("field", self._field_action, f"{where or 'body'}:{name}"))
        mask = f"{value[0]}{self.mask}{value[0]}" if value[0] in "\"'" else self.mask
        return f"{quote}{name}{quote}{separator}{mask}"

    def excerpt(self, data: bytes, limit: int) -> str:
        """At most `limit` bytes of a hidden body, masked, as one escaped line for Bastion's own log."""
        text = data[:limit].decode("utf-8", "replace")
        kinds = self.candidates(text.encode())
        if kinds:
            text = self.clean_text(text, kinds, [])
        cut = f" (+{len(data) - limit} bytes)" if len(data) > limit else ""
        return ascii(text) + cut


def log_masker(config: SensitiveDataConfig | None) -> SensitiveData:
    """The masker for logs: the policy's sensitive names, and every detector masking, never off."""
    base = config if config is not None else SensitiveDataConfig()
    every = dict.fromkeys(DETECTORS, "mask")
    return SensitiveData(base.model_copy(update={**every, "field_action": "mask"}))
