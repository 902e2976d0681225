"""Write outputs atomically: a temporary file beside the target, renamed into place only when complete."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from presskit.errors import InputError, fail

WRITABLE = ("sources", "build", "translations")
"""The folders of a project presskit writes in; nothing is ever written anywhere else."""

_project: Path | None = None
"""The project being built or imported into; None (library use) checks nothing."""


@contextlib.contextmanager
def confined(root: Path) -> Iterator[None]:
    """Within the block, refuse to write anything outside `WRITABLE` of the project `root`."""
    global _project
    previous, _project = _project, root
    try:
        yield
    finally:
        _project = previous


def check(target: Path) -> None:
    """Raise InputError unless `target`, symlinks resolved, lies in a writable folder of the project.

    Its folder is resolved, not the file itself: a write replaces a symbolic link, it never follows it.
    """
    if _project is None:
        return
    resolved = target.parent.resolve() / target.name
    if target.name not in ("", ".", "..") and any(
        resolved.is_relative_to((_project / name).resolve()) for name in WRITABLE
    ):
        return
    raise fail(
        os.path.relpath(target, _project),
        f"refused to write this file: presskit writes only in {', '.join(n + '/' for n in WRITABLE)} of the project "
        f"({_project}), and this path leads elsewhere",
    )


_FULL = (errno.ENOSPC, errno.EDQUOT)
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on failure it is removed.

    A folder that cannot be written or a full disk is an InputError naming the folder, not a traceback.
    """
    check(target)
    with _unwritable(target.parent, _DENIED + _FULL):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    # The lock says "being written"; the kernel drops it when the writing process dies, however it dies.
    fcntl.flock(fd, fcntl.LOCK_EX)
    temp = Path(name)
    try:
        with _unwritable(target.parent, _FULL):  # the renderer may read files too: only a full disk is certain
            yield temp
        with _unwritable(target.parent, _DENIED + _FULL):
            temp.chmod(0o644)
            os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        os.close(fd)


@contextlib.contextmanager
def _unwritable(folder: Path, codes: tuple[int, ...]) -> Iterator[None]:
    """Turn an OSError with one of `codes` into an InputError saying the folder cannot be written."""
    try:
        yield
    except InputError:
        raise
    except OSError as exc:
        if exc.errno not in codes:
            raise
        shown = os.path.relpath(folder) if Path(os.path.abspath(folder)).is_relative_to(Path.cwd()) else str(folder)
        if exc.errno in _FULL:
            message = "the disk is full, so the output could not be written; free some space and run doit again"
        else:
            message = (
                f"the folder cannot be written ({os.strerror(exc.errno).lower()}); make it writable "
                "(its permissions, or a disk mounted read-only) or build a copy of the project elsewhere"
            )
        raise fail(shown, message) from None


def remove_abandoned(target: Path) -> None:
    """Delete temporary files of `target` left by a process that was killed while writing it.

    A temporary file still locked is being written by a live process (with `doit -n 2` another
    worker may be writing the same cache entry right now), so it is left alone.
    """
    for temp in target.parent.glob(f".{glob.escape(target.name)}.{'?' * 8}.part"):  # mkstemp's 8 random letters
        try:
            fd = os.open(temp, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        else:
            temp.unlink(missing_ok=True)
        finally:
            os.close(fd)


def write(target: Path, data: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to `target` atomically."""
    with replacing(target) as temp:
        temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
