"""How many processes a plain `doit` builds with: every core, as many as the memory available can hold."""

from __future__ import annotations

import os

WORKER_MEGABYTES = 500
"""Memory to count per worker process. Measured with `python3 benchmarks/workers.py --n 40`: a worker building
statements in every format peaked at 206 MB, and pandoc, which it runs, at up to 202 MB more; the rest is room
for a longer statement or a brand with more fonts."""

RESERVE_MEGABYTES = 200
"""Memory left for doit's own process, which hands out the tasks, and for the rest of the machine."""


def cores() -> int:
    """The cores this process may run on (fewer than the machine has when it is confined to some)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def available_megabytes() -> int | None:
    """Memory the system can give without swapping (`MemAvailable`), in megabytes; None when it does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        return None


def processes(cpus: int | None = None, megabytes: int | None = None) -> int:
    """Worker processes for a plain `doit`: one per core, fewer when the memory available cannot hold that many."""
    cpus = cores() if cpus is None else cpus
    megabytes = available_megabytes() if megabytes is None else megabytes
    if megabytes is None:
        return cpus
    return max(1, min(cpus, (megabytes - RESERVE_MEGABYTES) // WORKER_MEGABYTES))


FOREGROUND = ("serve",)
"""Commands that run in doit's own process: `doit serve` runs until stopped, and a worker running it would
outlive a doit stopped by SIGTERM, and turn Ctrl-C into a traceback of doit's."""


def for_command_line(argv: list[str]) -> int:
    """doit's `num_process` for a command line: none (doit's own process) for `doit serve`, else `processes()`."""
    return 0 if any(arg in FOREGROUND for arg in argv[1:]) else processes()
