"""The engine: the policy compiled into a pipeline, plus the services it needs at run time.

Built once per policy version. Hosts hold a reference to the current engine; a reload builds a new
one and swaps the reference, so requests in flight finish under the policy they started with.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import orjson

from bastion.config.model import BastionConfig
from bastion.core.pipeline import Finisher, Guard, Pipeline, ResponseFilter
from bastion.egress.errors import ErrorSanitizer
from bastion.egress.hygiene import ResponseHygiene
from bastion.guards.ingress import IngressGuard
from bastion.openapi.document import OpenAPIDocument, load_document
from bastion.routes import build_router

log = logging.getLogger("bastion.engine")


class Engine:
    def __init__(self, config: BastionConfig, *, source: Path | None = None) -> None:
        self.config = config
        self.source = source
        self.document: OpenAPIDocument | None = load_document(config.openapi) if config.openapi else None
        self.router = build_router(config, self.document)
        steps: list[tuple[str, Guard, str]] = [("ingress", IngressGuard(config.ingress), config.ingress.mode)]
        response_filters: list[ResponseFilter] = []
        if config.responses.hide_errors:
            response_filters.append(ErrorSanitizer(config.responses))
        response_filters.append(ResponseHygiene(config.responses))
        finishers: list[Finisher] = []
        self.pipeline = Pipeline(self.router, steps, response_filters, finishers)

    @property
    def config_hash(self) -> str:
        """Identifies the running policy (admin API, audit) without revealing it."""
        blob = orjson.dumps(self.config.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(blob).hexdigest()[:16]

    async def start(self) -> None:
        """Start background services (key refresh, audit writer); nothing yet for the bare proxy."""

    async def stop(self) -> None:
        """Flush and stop background services."""
