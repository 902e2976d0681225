"""The build cache keeps checked brands and conversions under keys that change with every input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from presskit import brand, cache
from presskit.errors import InputError
from tests.conftest import REPO


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    cache.directory = tmp_path / "build" / "_cache"
    yield tmp_path / "layouts"
    cache.directory = None


def _entries() -> list[Path]:
    assert cache.directory is not None
    return sorted(cache.directory.rglob("*.brand"))


def test_key_separates_parts() -> None:
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("ab", "c") == cache.key("ab", "c")


def test_checked_brand_is_kept_and_reused(layouts: Path) -> None:
    first = brand.load(layouts, "default", layouts.parent)
    assert len(_entries()) == 1
    brand._load_cached.cache_clear()  # as a new process would start
    again = brand.load(layouts, "default", layouts.parent)
    assert len(_entries()) == 1
    assert again.organisation == first.organisation and again.colors == first.colors


def test_any_layout_change_is_a_new_entry_and_errors_are_never_kept(layouts: Path) -> None:
    brand.load(layouts, "default", layouts.parent)
    logo = layouts / "default" / "logo.svg"
    os.utime(logo, ns=(logo.stat().st_atime_ns, logo.stat().st_mtime_ns + 1_000_000))
    brand._load_cached.cache_clear()
    brand.load(layouts, "default", layouts.parent)
    assert len(_entries()) == 2
    path = layouts / "default" / "_brand.yml"
    path.write_text(path.read_text().replace('navy: "#163e6c"', 'navy: "#9db3cc"'))
    brand._load_cached.cache_clear()
    with pytest.raises(InputError, match="contrast"):
        brand.load(layouts, "default", layouts.parent)
    assert len(_entries()) == 2
