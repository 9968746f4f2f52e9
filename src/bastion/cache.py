"""The on-disk cache of what start-up derives from inputs that did not change since the last start:
compiled Hyperscan databases (seconds to compile, milliseconds to load) and the OpenAPI descriptions
already found well-formed (the structure check compiles a meta-schema and leaves about 1 MiB of a
worker's memory resident).

`$BASTION_CACHE_DIR`, else `$XDG_CACHE_HOME/bastion` or `~/.cache/bastion`; an empty
`BASTION_CACHE_DIR` turns it off. Private (a 0700 folder, 0600 files) and best effort: a cache that
cannot be written only costs the next start its time. Each kind of entry is bounded: the most
recently used `KEEP`, within `BYTES`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# Entries of one kind kept on disk, the most recently used: at most this many, and this many bytes
# (a Hyperscan database is 0.2-7 MB, one policy needs 2-4 of them, a run of the test suite 31).
KEEP = 64
BYTES = 256 * 1024 * 1024


def folder() -> Path | None:
    configured = os.environ.get("BASTION_CACHE_DIR")
    if configured == "":
        return None  # caching turned off
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bastion"


def entry(kind: str, key: str, suffix: str) -> Path | None:
    """Where the entry `key` of `kind` lives (`<kind>-<key>.<suffix>`), or None with the cache off."""
    place = folder()
    return place / f"{kind}-{key[:32]}.{suffix}" if place is not None else None


def used(path: Path) -> None:
    """Mark an entry as recently used: it is kept when its kind is pruned."""
    with contextlib.suppress(OSError):
        os.utime(path)


def write(path: Path, data: bytes) -> None:
    """Store an entry (atomically, private), then prune the entries of its kind past KEEP or BYTES."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        return
    kind = path.stem.rsplit("-", 1)[0]  # the key is hex: whatever precedes its hyphen is the kind
    prune(path.parent, f"{kind}-*{path.suffix}")


def prune(place: Path, pattern: str) -> None:
    entries: list[tuple[float, int, Path]] = []
    for found in place.glob(pattern):
        with contextlib.suppress(OSError):
            status = found.stat()
            entries.append((status.st_mtime, status.st_size, found))
    entries.sort(reverse=True)
    total = 0
    for count, (_, size, found) in enumerate(entries):
        total += size
        if count >= KEEP or (total > BYTES and count > 0):
            with contextlib.suppress(OSError):
                found.unlink()
