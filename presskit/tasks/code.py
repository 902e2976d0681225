"""Which of presskit's own files an output depends on, derived from the imports of the modules that make it."""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

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
    digest = hashlib.sha256()
    for name in _modules(roots, package):
        path = _file(name, package)
        assert path is not None
        digest.update(str(path.relative_to(package)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_clear() -> None:
    """Forget what was read, as after the code has changed within one process (tests)."""
    _imports.cache_clear()
    _modules.cache_clear()
    _version.cache_clear()
