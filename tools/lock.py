"""Write constraints.txt: the exact version of every Python package presskit builds and tests with.

Run it after changing the dependencies in pyproject.toml (`python3 tools/lock.py`), then commit
constraints.txt. pip resolves the project with its `test` and `proof` extras afresh, ignoring what is
installed, and this script writes what pip would install, one `name==version` line each.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
EXTRAS = ("test", "proof")
_HASH_LINE = re.compile(r"^# pyproject dependencies sha256: ([0-9a-f]{64})$", re.MULTILINE)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$", re.MULTILINE)


def declared(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The requirements pyproject.toml declares: the build's, then each extra's."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(r for extra in EXTRAS for r in extras.get(extra, []))]


def fingerprint(requirements: list[str]) -> str:
    """The SHA-256 of the declared requirements, written in the lock to tell when it is out of date."""
    return hashlib.sha256("\n".join(requirements).encode("utf-8")).hexdigest()


def recorded_fingerprint(text: str) -> str | None:
    """The fingerprint a lock file was made from."""
    match = _HASH_LINE.search(text)
    return match.group(1) if match else None


def pins(text: str) -> dict[str, str]:
    """Package name (normalised) -> pinned version, from a lock file's text."""
    return {normalise(name): version for name, version in _PIN.findall(text)}


def normalise(name: str) -> str:
    """A package name as PyPI compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve() -> dict[str, str]:
    """What pip would install for the project and its extras today, as name -> version."""
    target = f".[{','.join(EXTRAS)}]"
    report = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--dry-run",
         "--ignore-installed", "--report", "-", target],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = {}
    for item in json.loads(report)["install"]:
        name = normalise(item["metadata"]["name"])
        if name != "presskit":
            found[name] = item["metadata"]["version"]
    return dict(sorted(found.items()))


def main() -> None:
    """Resolve and write constraints.txt."""
    lines = [
        "# Exact versions of the Python packages presskit builds and tests with; ./setup installs them.",
        "# Made by `python3 tools/lock.py` from pyproject.toml (with the extras " + ", ".join(EXTRAS) + ").",
        f"# pyproject dependencies sha256: {fingerprint(declared())}",
        *(f"{name}=={version}" for name, version in resolve().items()),
    ]
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(lines) - 3} packages")


if __name__ == "__main__":
    main()
