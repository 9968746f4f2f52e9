"""Shared pieces of the policy models: strictness and the guard mode."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo

Mode = Literal["enforce", "monitor", "off"]
"""enforce blocks (IPS), monitor records and lets pass (IDS), off does nothing."""


class Section(BaseModel):
    """A policy section: unknown keys are refused so a typo never silently disables a control."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _resolve_path(value: Path, info: ValidationInfo) -> Path:
    """Relative paths in a policy file are relative to the file, not to the working directory."""
    base = (info.context or {}).get("base_dir")
    if base is not None and not value.is_absolute():
        return Path(base) / value
    return value


ConfigPath = Annotated[Path, AfterValidator(_resolve_path)]
