"""Which of presskit's own files an output depends on, derived from the imports of the modules that make it."""

from __future__ import annotations

import ast
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from presskit import cache

_SHA256 = re.compile(r"[0-9a-f]{64}")
PACKAGE = Path(__file__).resolve().parents[1]
"""The `presskit` package folder."""


def _file(module: str, package: Path) -> Path | None:
    """The source file of a presskit module (`presskit.formats.pdf`), or None when it is no module of ours."""
    parts = module.split(".")
    if parts[0] != "presskit":
        return None
    base = package.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=256)  # each module is reached from several formats' roots
def _imports(path: Path) -> frozenset[str]:
    """The presskit modules a file imports, at its top or inside its functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("presskit"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("presskit"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # kept only where it is a module
    return frozenset(found)


def modules(*roots: str, package: Path | None = None) -> tuple[str, ...]:
    """Every presskit module the given modules import, directly or not, themselves included, sorted."""
    return _modules(roots, package or PACKAGE)


@lru_cache(maxsize=64)
def _modules(roots: tuple[str, ...], package: Path) -> tuple[str, ...]:
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in seen or (path := _file(name, package)) is None:
            continue
        seen.add(name)
        parents = [".".join(name.split(".")[:i]) for i in range(2, name.count(".") + 1)]
        queue.extend(p for p in parents if p not in seen)  # importing a.b.c runs a/__init__ and a/b/__init__
        queue.extend(_imports(path))
    return tuple(sorted(seen))


def version(*roots: str, package: Path | None = None) -> str:
    """The SHA-256 of the files of every module the given ones import: a change of code rebuilds what it makes.

    Kept in config_changed rather than file_dep: read once per run, where file_dep entries are checked
    for every task, and the code is the same for a thousand statements.
    """
    return _version(roots, package or PACKAGE)


@lru_cache(maxsize=64)
def _version(roots: tuple[str, ...], package: Path) -> str:
    # Working out which modules a format imports parses them all: kept in the build cache, under the
    # size and modification time of every file of the package, it costs a few stats on the next run.
    name = cache.key("code version", str(package), *roots, _stats(package)) if cache.folder() else None
    kept = cache.get_text(name, "sha256") if name else None
    if kept is not None and _SHA256.fullmatch(kept):
        return kept
    digest = hashlib.sha256()
    for module in _modules(roots, package):
        path = _file(module, package)
        assert path is not None
        digest.update(str(path.relative_to(package)).encode("utf-8") + b"\0" + path.read_bytes())
    found = digest.hexdigest()
    if name:
        cache.put(name, "sha256", found.encode("ascii"))
    return found


@lru_cache(maxsize=8)
def _stats(package: Path) -> str:
    """Every Python file of the package with its size and modification time: changes when any file does."""
    found = []
    for path in sorted(package.rglob("*.py"), key=str):
        stat = path.stat()
        found.append(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\n".join(found)


def cache_clear() -> None:
    """Forget what was read, as after the code has changed within one process (tests)."""
    _imports.cache_clear()
    _stats.cache_clear()
    _modules.cache_clear()
    _version.cache_clear()
