"""Following `$ref`s inside one OpenAPI document (and files beside it), with cycle protection."""

from __future__ import annotations

from typing import Any


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The node at a JSON pointer such as `#/components/schemas/User`; None when absent."""
    node = document
    for raw in pointer.lstrip("#").lstrip("/").split("/") if pointer.strip("#/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def deref(document: Any, node: Any, limit: int = 32) -> Any:
    """Follow local `$ref`s until a concrete node (bounded, so a reference cycle cannot hang us)."""
    for _ in range(limit):
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            return node
        node = resolve_pointer(document, ref)
    return None
