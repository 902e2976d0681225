"""Words the layouts add around a statement (Contact, About, Page N of M), in the statement's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from presskit.brand import Brand, layout_file
from presskit.errors import fail
from presskit.frontmatter import parse_yaml

LABELS_FILE = "labels.yml"


def path(brand: Brand) -> Path:
    """The labels file a brand uses."""
    return layout_file(brand.folder.parent, brand.name, LABELS_FILE)


def for_lang(brand: Brand, lang: str) -> dict[str, str]:
    """Labels for `lang`: its own entry, else its language's, else English, key by key."""
    file = path(brand)
    table = _load(file, file.stat().st_mtime_ns)
    merged = dict(table.get("en", {}))
    base = lang.split("-")[0]
    merged.update(table.get(base, {}))
    merged.update(table.get(lang, {}))
    return merged


@lru_cache(maxsize=8)
def _load(file: Path, _mtime: int) -> dict[str, dict[str, str]]:
    data, _ = parse_yaml(file.read_text(encoding="utf-8"), str(file), first_line=1)
    if not isinstance(data.get("en"), dict):
        raise fail(str(file), "needs an 'en' section with every label")
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items() if isinstance(v, dict)}
