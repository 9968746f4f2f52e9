"""Request validation against the OpenAPI description, and limits that hold even where it is silent."""

from __future__ import annotations

from pydantic import Field

from bastion.config.base import Mode, Section
from bastion.config.units import Size


class ValidationConfig(Section):
    """Every request is checked against its operation before it reaches the API."""

    mode: Mode = "enforce"
    strict_query: bool = Field(True, description="Refuse query parameters the operation does not declare.")
    formats: bool = Field(True, description="Check formats (uuid, email, date-time, uri, ipv4...).")
    max_depth: int = Field(32, ge=1, le=1000, description="Deepest nesting of a JSON body.")
    max_elements: int = Field(10_000, ge=1, description="Most values (keys and items) in a JSON body.")
    max_string: int = Field(1_000_000, ge=1, description="Longest string in a JSON body, in characters.")
    max_number_digits: int = Field(
        18, ge=1, le=300, description="Longest digit run in a JSON number (past 64 bits, parsers disagree)."
    )
    max_form_fields: int = Field(256, ge=1, description="Most fields in a form or multipart body.")
    max_field_name: int = Field(128, ge=1, description="Longest form field name.")
    max_echo: int = Field(64, ge=0, le=64, description="At most this many characters of a bad value in a refusal.")
    max_spec_body: Size = Field(4 * 1024 * 1024, description="Largest body validated against a schema.")
