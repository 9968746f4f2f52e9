"""WebSocket (RFC 6455) through the gateway: which paths may upgrade, and the limits on every message."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Duration, Rate, Size

GRAPHQL_SUBPROTOCOLS = ("graphql-transport-ws", "graphql-ws")


class WebSocketConfig(Section):
    """Upgrades to these paths are proxied after the whole request phase; anything else that asks
    to upgrade (another path, h2c, another protocol) is refused with 501, as without this section.

    `mode` applies to the handshake checks (origin, version, subprotocols, connections per identity)
    and to every message check: enforce closes the socket (1008, or 1009 for size), monitor records
    the violation and lets the message through.
    """

    mode: Mode = "enforce"
    paths: list[str] = Field(
        default_factory=list,
        description="Request paths that may be upgraded to a WebSocket (exact, or a prefix ending in /*). "
        "They must also be routes the policy knows (routes or openapi), with GET.",
    )
    origins: list[str] | None = Field(
        None,
        description="Origins allowed to open a socket (cross-site WebSocket hijacking). Default: cors.origins "
        'without "*", or the gateway\'s own origin (Host) when there is no cors section. A handshake '
        "without Origin (not a browser) is allowed unless require_origin is set.",
    )
    require_origin: bool = Field(False, description="Refuse handshakes that carry no Origin header.")
    subprotocols: list[str] = Field(
        default_factory=lambda: list(GRAPHQL_SUBPROTOCOLS),
        description="Subprotocols a client may negotiate; others are removed from the offer, and a handshake "
        "that offers only unlisted ones is refused. graphql-transport-ws and graphql-ws messages are read "
        "by the graphql guard.",
    )
    max_frame: Size = Field(64 * 1024, ge=125, description="Largest frame payload (close 1009).")
    max_message: Size = Field(1024 * 1024, ge=125, description="Largest message after reassembly (close 1009).")
    rate: Rate | None = Field((100.0, 1.0), description="Messages a client may send per connection, e.g. 100/s.")
    burst: int | None = Field(
        None, ge=1, description="Messages allowed at once above the rate (default: one second's)."
    )
    max_per_identity: int | None = Field(
        20, ge=1, description="Open sockets per identity (per client address when anonymous), per gateway process."
    )
    idle_timeout: Duration = Field(300.0, description="Close a socket that carried no message either way this long.")
    ping_interval: Duration = Field(30.0, description="Bastion pings the client this often (0: never).")
    ping_timeout: Duration = Field(20.0, description="Close when the client has not answered a ping in this time.")
    check_interval: Duration = Field(
        0.5,
        description="How often open sockets are checked for timeouts, expired and revoked credentials "
        "(the revocation latency is state.sync_interval plus this).",
    )
    close_timeout: Duration = Field(5.0, description="How long a closing handshake may take before the TCP close.")
    waf: Mode | None = Field(
        None, description="The WAF on text messages: enforce, monitor or off (default: the waf section's mode)."
    )
    graphql: Literal["on", "off"] = Field(
        "on", description="graphql-transport-ws / graphql-ws subscribe messages through the graphql guard."
    )

    @field_validator("paths")
    @classmethod
    def _absolute(cls, paths: list[str]) -> list[str]:
        for path in paths:
            if not path.startswith("/"):
                raise ValueError(f"{path!r} is not a path such as /ws or /subscriptions")
        return paths

    @field_validator("origins")
    @classmethod
    def _origins(cls, origins: list[str] | None) -> list[str] | None:
        for origin in origins or ():
            if origin == "*":
                raise ValueError('"*" would let any site open a socket with the user\'s cookies; list origins')
            if not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r} is not an origin such as https://app.example.com")
        return origins
