"""The build cache keeps checked brands and conversions under keys that change with every input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from presskit import cache
from presskit.errors import InputError
from presskit.read import brand, statement
from tests.conftest import REPO


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    with cache.using(tmp_path / "build" / "_cache"):
        yield tmp_path / "layouts"


def _entries() -> list[Path]:
    folder = cache.folder()
    assert folder is not None
    return sorted(folder.rglob("*.brand.json"))


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


def test_sniffs_of_unchanged_sources_are_read_from_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, index = tmp_path / "sources", tmp_path / "build" / "_cache" / "sniffs.json"
    sources.mkdir()
    for name in ("a", "b"):
        (sources / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2018-11-23\nslug: s-{name}\n---\n\nText.\n")
    first = statement.sniff_folder(sources, index)
    assert [s.slug for _, s in first] == ["s-a", "s-b"]

    read: list[str] = []
    real = statement._sniff

    def counted(path: Path) -> statement.Sniff:
        read.append(path.name)
        return real(path)

    # A new process: nothing remembered but the index.
    monkeypatch.setattr(statement, "_seen", {})
    monkeypatch.setattr(statement, "_loaded", set())
    monkeypatch.setattr(statement, "_sniff", counted)
    assert statement.sniff_folder(sources, index) == first
    assert read == []

    (sources / "b.md").write_text("---\ntitle: b\ndate: 2018-11-23\nslug: renamed\n---\n\nText.\n")
    monkeypatch.setattr(statement, "_seen", {})
    monkeypatch.setattr(statement, "_loaded", set())
    assert [s.slug for _, s in statement.sniff_folder(sources, index)] == ["s-a", "renamed"]
    assert read == ["b.md"]


def test_pandoc_version_is_asked_once_per_binary(layouts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    from presskit.prepare import pandoc

    asked: list[str] = []
    real = pypandoc.get_pandoc_version

    def counted() -> str:
        asked.append("pandoc --version")
        return str(real())

    monkeypatch.setattr(pypandoc, "get_pandoc_version", counted)
    pandoc.version.cache_clear()
    first = pandoc.version()
    pandoc.version.cache_clear()  # a new process: only the build cache remembers
    assert pandoc.version() == first == "3.9"
    assert asked == ["pandoc --version"]
    pandoc.version.cache_clear()


def test_a_logo_that_is_not_svg_is_refused_by_name(layouts: Path) -> None:
    shutil.copy2(layouts / "default" / "logo.svg", layouts / "default" / "logo.png")
    path = layouts / "default" / "_brand.yml"
    path.write_text(path.read_text().replace("mark: logo.svg", "mark: logo.png"))
    with pytest.raises(InputError) as error:
        brand.load(layouts, "default", layouts.parent)
    assert str(error.value) == (
        "layouts/default/_brand.yml: logo: logo.png is not an SVG file; give the logo as SVG, which stays sharp "
        "in print and in every mail program's rendering of the e-mail"
    )
