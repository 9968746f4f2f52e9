"""The WAF: attack detection on everything a client controls."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Size


class WAFExclusion(Section):
    """Where a rule or category does not apply (to tame false positives)."""

    operation: str | None = Field(None, description="Operation name; null: any.")
    path: str | None = Field(None, description="Path glob such as /api/docs/**; null: any.")
    field: str | None = Field(
        None, description="Location glob such as body.comment, query.q, body.items.*.text; null: any."
    )
    categories: list[str] = Field(default_factory=list, description="Categories excluded (e.g. xss).")
    rules: list[str] = Field(default_factory=list, description="Rule ids excluded.")

    @model_validator(mode="after")
    def _excludes_something(self) -> WAFExclusion:
        if not self.categories and not self.rules:
            raise ValueError("an exclusion names categories and/or rules")
        return self


class WAFConfig(Section):
    """Attack detection: decoded values matched by technique, anomaly-scored per category."""

    mode: Mode = "enforce"
    paranoia: int = Field(1, ge=1, le=3, description="1 blocks clear attacks; 2 and 3 add broader rules.")
    threshold: int = Field(5, ge=1, description="Anomaly points in one category that block a request.")
    thresholds: dict[str, int] = Field(default_factory=dict, description="Per-category thresholds.")
    combined_threshold: int = Field(8, ge=1, description="Points across all categories that block a request.")

    exclusions: list[WAFExclusion] = Field(default_factory=list)
    base64: bool = Field(
        True, description="Also inspect values (and data: URIs) that decode from base64 to readable text."
    )

    max_value: Size = Field(32 * 1024, description="Characters of one value inspected.")
    max_inspected: Size = Field(
        32 * 1024,
        description="Characters of one request inspected (values, names, headers; not uploaded files' content).",
    )
    oversize: Literal["block", "inspect_prefix"] = Field(
        "block",
        description=(
            "A request with more to inspect than the limits: block it (403, rule waf.inspection-limit), "
            "or inspect what fits and let the rest pass uninspected."
        ),
    )
