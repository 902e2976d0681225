"""Results kept in build/_cache between tasks and processes, under the hash of everything they depend on."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from presskit import output
from presskit.errors import InputError

_folder: ContextVar[Path | None] = ContextVar("presskit_cache_folder", default=None)
"""The cache folder in use; None keeps nothing (library use)."""


@contextlib.contextmanager
def using(folder: Path | None) -> Iterator[None]:
    """Within the block, keep results in `folder` (a project's `build/_cache`); None keeps nothing."""
    token = _folder.set(folder)
    try:
        yield
    finally:
        _folder.reset(token)


def folder() -> Path | None:
    """The cache folder in use, if any."""
    return _folder.get()


def key(*parts: str | bytes) -> str:
    """A cache key: the SHA-256 of the parts, each length-prefixed so that no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _path(name: str, kind: str) -> Path | None:
    where = _folder.get()
    return where / name[:2] / f"{name}.{kind}" if where is not None else None


def get(name: str, kind: str) -> bytes | None:
    """The bytes kept under a key, or None."""
    path = _path(name, kind)
    try:
        return path.read_bytes() if path is not None else None
    except OSError:  # missing, or not a file any more: as good as none
        return None


def get_text(name: str, kind: str) -> str | None:
    """The text kept under a key, or None, also when the entry is not UTF-8 (damaged, or not ours)."""
    data = get(name, kind)
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def put(name: str, kind: str, data: bytes) -> None:
    """Keep bytes under a key (atomically, so that parallel workers never read half an entry), if it can be written.

    A cache that cannot be written (read-only or full disk) only costs time; the output that cannot be
    written says so itself.
    """
    path = _path(name, kind)
    if path is not None:
        with contextlib.suppress(OSError, InputError):
            output.write(path, data)
