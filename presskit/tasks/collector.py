"""Python's cyclic garbage collector, held off while doit loads tens of thousands of plain objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Python's cyclic garbage collector held off while doit makes tasks, what it made then set aside.

    Naming ten thousand statements makes millions of task objects, none of them in a cycle; each full
    collection walked them all again, and took two fifths of the time `doit list` needs. Frozen, they are
    never walked again in this process. Only the loading of tasks is held: actions run with the collector on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
