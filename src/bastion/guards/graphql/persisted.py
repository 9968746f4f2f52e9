"""Persisted-query allow-list: the documents a client may send, by SHA-256 of their text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson

from bastion.errors import StartupError


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_manifest(path: Path) -> dict[str, str]:
    """{sha256: document} from a manifest (an object of hash to document, or a list of documents)
    or from a directory of .graphql files. Hashes are computed from the documents, never trusted."""
    documents: list[str] = []
    try:
        if path.is_dir():
            documents = [file.read_text(encoding="utf-8") for file in sorted(path.glob("**/*.graphql"))]
        else:
            data = orjson.loads(path.read_bytes())
            values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else None
            if values is None or not all(isinstance(v, str) for v in values):
                raise StartupError(f"graphql.persisted.file: {path}: expected an object of hash: document, or a list")
            documents = list(values)
    except OSError as exc:
        raise StartupError(f"graphql.persisted.file: cannot read {path}: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise StartupError(f"graphql.persisted.file: {path}: not JSON: {exc}") from None
    if not documents:
        raise StartupError(f"graphql.persisted.file: {path} holds no documents")
    return {document_hash(text): text for text in documents}
