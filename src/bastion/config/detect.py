"""Detection (IDS) on the audit event stream, and the responses (IPS) to what it finds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bastion.config.base import Section
from bastion.config.units import Duration

DetectorKind = Literal[
    "brute_force",
    "stuffing_accounts",
    "stuffing_clients",
    "error_burst",
    "path_scan",
    "object_sweep",
    "bola_refusals",
    "waf_burst",
    "smuggling",
    "volume",
]
Response = Literal["ban", "revoke", "notify", "incident"]


def _incident_and_ban() -> list[Response]:
    return ["incident", "ban"]


class DetectorConfig(Section):
    """One detector: what it counts, over which window, from what threshold, and what it does."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    kind: DetectorKind = Field(
        description=(
            "brute_force: authentication failures per client; stuffing_accounts: distinct accounts failing "
            "from one client; stuffing_clients: distinct clients failing on one account; error_burst: "
            "404/405/501 per client; path_scan: distinct paths per client; object_sweep: distinct object ids "
            "per identity and route; bola_refusals: object-level refusals per identity; waf_burst: WAF hits "
            "per client; smuggling: malformed or ambiguous framing per client (smuggling scans); volume: "
            "requests per API key or subject"
        )
    )
    window: Duration = Field(60.0, gt=0)
    threshold: int = Field(10, ge=1)
    mode: Literal["monitor", "enforce"] = Field("enforce", description="monitor: alert only; enforce: respond too.")
    respond: list[Response] = Field(default_factory=_incident_and_ban)


class BanConfig(Section):
    durations: list[Duration] = Field(
        default_factory=lambda: [300.0, 3600.0, 86400.0],
        description="Escalating ban durations: first offence, second, third and later.",
    )
    forget_after: Duration = Field(7 * 86400.0, description="Offences older than this no longer escalate.")


class WebhookConfig(Section):
    url: str = Field(description="https://... receiving alerts as JSON (POST).")
    secret: str | None = Field(None, description="HMAC-SHA256 key for X-Bastion-Signature; from ${ENV}.")
    format: Literal["json", "slack"] = "json"
    timeout: Duration = 5.0
    attempts: int = Field(4, ge=1, le=10, description="Tries before giving up, with exponential backoff.")


def _default_detectors() -> list[DetectorConfig]:
    return [
        DetectorConfig(id="brute-force", kind="brute_force", window=60, threshold=10),
        DetectorConfig(id="stuffing-accounts", kind="stuffing_accounts", window=300, threshold=5),
        DetectorConfig(id="stuffing-clients", kind="stuffing_clients", window=300, threshold=5, respond=["incident"]),
        DetectorConfig(id="error-burst", kind="error_burst", window=60, threshold=30),
        DetectorConfig(id="path-scan", kind="path_scan", window=60, threshold=40),
        DetectorConfig(id="object-sweep", kind="object_sweep", window=60, threshold=50, respond=["incident"]),
        DetectorConfig(id="bola", kind="bola_refusals", window=300, threshold=5),
        DetectorConfig(id="waf-burst", kind="waf_burst", window=60, threshold=5),
        DetectorConfig(id="smuggling", kind="smuggling", window=60, threshold=10),
        DetectorConfig(id="volume", kind="volume", window=60, threshold=6000, mode="monitor", respond=["incident"]),
    ]


class DetectConfig(Section):
    """Detectors read the audit events (bounded memory: LRU of `max_keys` offenders per detector)."""

    detectors: list[DetectorConfig] = Field(default_factory=_default_detectors)
    bans: BanConfig = Field(default_factory=BanConfig)
    webhooks: list[WebhookConfig] = Field(default_factory=list)
    max_keys: int = Field(20_000, ge=100)

    @model_validator(mode="after")
    def _unique(self) -> DetectConfig:
        ids = [d.id for d in self.detectors]
        if len(ids) != len(set(ids)):
            raise ValueError("detector ids must be unique")
        if any("notify" in d.respond for d in self.detectors) and not self.webhooks:
            raise ValueError("a detector responds with notify: configure detect.webhooks")
        return self
