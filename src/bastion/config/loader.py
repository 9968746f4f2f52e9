"""Reads bastion.yaml: YAML with line numbers, secret interpolation, typed validation.

Secrets never sit in the policy file: `${NAME}` reads an environment variable and `${file:PATH}`
reads a file (trailing newline dropped). Every error names the key path and, where known, the line,
so an operator can fix a policy without reading Bastion's source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bastion.config.model import BastionConfig

M = TypeVar("M", bound=BaseModel)
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_MAX_SECRET_FILE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "(top level)"
        if self.line is not None:
            where = f"{where} (line {self.line})"
        return f"{where}: {self.message}"


class ConfigError(Exception):
    """A policy file that cannot be used; carries every problem found, not only the first."""

    def __init__(self, source: str, issues: list[ConfigIssue]) -> None:
        self.source = source
        self.issues = issues
        super().__init__(f"{source}: " + "; ".join(str(i) for i in issues))

    def render(self) -> str:
        lines = [f"{self.source}: {len(self.issues)} problem(s)"]
        lines += [f"  - {issue}" for issue in self.issues]
        return "\n".join(lines)


def load_config(path: str | Path, overrides: dict[str, Any] | None = None) -> BastionConfig:
    """Load and validate a policy file; `overrides` maps dotted keys (listen.port) to values."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, [ConfigIssue("", f"cannot read the file: {exc.__class__.__name__}")]) from None
    return parse_config(text, source=source, base_dir=Path(path).resolve().parent, overrides=overrides)


def parse_config(
    text: str,
    *,
    source: str = "<config>",
    base_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> BastionConfig:
    return parse_model(BastionConfig, text, source=source, base_dir=base_dir, overrides=overrides)


def load_model(model: type[M], path: str | Path) -> M:
    """Any YAML file Bastion reads (the policy, a scan's auth file) with the same errors and `${...}`."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, [ConfigIssue("", f"cannot read the file: {exc.__class__.__name__}")]) from None
    return parse_model(model, text, source=source, base_dir=Path(path).resolve().parent)


def parse_model(
    model: type[M],
    text: str,
    *,
    source: str,
    base_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> M:
    data, lines = _read_yaml(text, source)
    issues: list[ConfigIssue] = []
    data = _interpolate(data, (), issues, lines)
    if issues:
        raise ConfigError(source, issues)
    for dotted, value in (overrides or {}).items():
        _set_dotted(data, dotted, value)
    try:
        return model.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        raise ConfigError(source, list(_validation_issues(exc, lines))) from None


class PolicyLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true and false. `mode: off` and `introspection: off` mean the word
    (YAML 1.1 reads off/on/yes/no as booleans, and the policy would then be refused)."""


PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PolicyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read_yaml(text: str, source: str) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    try:
        loader = PolicyLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[tuple[str, ...], int] = {}
            if node is not None:
                _index_lines(node, (), lines)
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(source, [ConfigIssue("", f"invalid YAML: {exc.problem}", line)]) from None
    except DuplicateKey as exc:
        raise ConfigError(source, [ConfigIssue(".".join(exc.path), "key appears twice", exc.line)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigIssue("", f"invalid YAML: {exc}")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(source, [ConfigIssue("", "the file must hold a mapping of sections", 1)])
    return data, lines


class DuplicateKey(Exception):
    def __init__(self, path: tuple[str, ...], line: int) -> None:
        self.path = path
        self.line = line


def _index_lines(node: yaml.Node, path: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> None:
    """Record the line of every key path; refuse duplicate keys, which YAML would silently merge."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                raise DuplicateKey(child, key_node.start_mark.line + 1)
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1  # the key's line, not where its value starts
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, str(index)), lines)


def _interpolate(
    value: Any, path: tuple[str, ...], issues: list[ConfigIssue], lines: dict[tuple[str, ...], int]
) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, (*path, str(k)), issues, lines) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, (*path, str(i)), issues, lines) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        try:
            return _resolve_reference(ref)
        except LookupError as exc:
            issues.append(ConfigIssue(".".join(path), str(exc), _line_of(path, lines)))
            return ""

    return _PLACEHOLDER.sub(replace, value)


def _resolve_reference(ref: str) -> str:
    """Resolve one `${...}`; the error names the variable or file, never the value."""
    if ref.startswith("file:"):
        file_path = Path(ref[5:].strip()).expanduser()
        try:
            with file_path.open("rb") as handle:
                raw = handle.read(_MAX_SECRET_FILE + 1)
        except OSError as exc:
            raise LookupError(f"cannot read secret file {file_path}: {exc.strerror or exc}") from None
        if len(raw) > _MAX_SECRET_FILE:
            raise LookupError(f"secret file {file_path} is larger than 1 MiB")
        return raw.decode("utf-8", errors="strict").rstrip("\r\n")
    name, _, default = ref.partition(":-")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise LookupError(f"${{{ref}}} is not ${{NAME}}, ${{NAME:-default}} or ${{file:PATH}}")
    if name in os.environ:
        return os.environ[name]
    if ":-" in ref:
        return default
    raise LookupError(f"environment variable {name} is not set")


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[keys[-1]] = value


def _line_of(path: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def _validation_issues(exc: ValidationError, lines: dict[tuple[str, ...], int]) -> Iterator[ConfigIssue]:
    for error in exc.errors(include_url=False, include_input=False):
        loc = tuple(str(part) for part in error["loc"])
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see `bastion schema`)"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        yield ConfigIssue(".".join(loc), message, _line_of(loc, lines))
