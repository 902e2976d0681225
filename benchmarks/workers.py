"""The peak memory of each process of `doit -n 2` building 20 statements: the per-worker figure the default uses.

    python3 benchmarks/workers.py [--n 20] [--processes 2]

Samples the peak resident size (VmHWM) of doit's process and of each worker it starts, and prints them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

REPO = Path(__file__).resolve().parents[1]


def peak_kb(pid: int) -> int | None:
    """The peak resident size of a live process, in kB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """The direct child processes of a process."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(p) for p in text.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "project"
        corpus.make_project(root, args.n)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "doit", "-n", str(args.processes)], cwd=root, env=env, stdout=subprocess.DEVNULL
        )
        peaks: dict[int, int] = {}
        workers: set[int] = set()
        helpers: dict[int, int] = {}  # pandoc and other programs a worker runs: their peak, by worker
        while proc.poll() is None:
            for pid in [proc.pid, *children(proc.pid)]:
                if pid != proc.pid:
                    workers.add(pid)
                    for helper in children(pid):
                        helpers[pid] = max(helpers.get(pid, 0), peak_kb(helper) or 0)
                if (kb := peak_kb(pid)) is not None:
                    peaks[pid] = max(peaks.get(pid, 0), kb)
            time.sleep(0.02)
        seconds = time.monotonic() - started
    print(f"{args.n} statements, doit -n {args.processes}: {seconds:.1f} s, exit {proc.returncode}")
    print(f"doit's own process: peak {peaks.get(proc.pid, 0) / 1024:.0f} MB")
    for pid in sorted(workers):
        helper = helpers.get(pid, 0) / 1024
        print(f"worker {pid}: peak {peaks.get(pid, 0) / 1024:.0f} MB, and {helper:.0f} MB for the programs it runs")


if __name__ == "__main__":
    main()
