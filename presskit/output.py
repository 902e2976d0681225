"""Write outputs atomically: a temporary file beside the target, renamed into place only when complete."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on failure it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        temp.chmod(0o644)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def remove_abandoned(target: Path) -> None:
    """Delete temporary files of `target` left by a process that was killed while writing it.

    Each temporary file names the process writing it; one whose process still runs is left alone,
    because with `doit -n 2` another process may be writing the same cache entry right now.
    """
    for temp in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        pid = temp.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            temp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write(target: Path, data: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to `target` atomically."""
    with replacing(target) as temp:
        temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
