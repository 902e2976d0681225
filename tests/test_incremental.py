"""Rebuilds are decided by content: each change re-runs exactly the tasks whose inputs it touched."""

from __future__ import annotations

import os
import shutil

import pytest

from presskit.formats import BUILT_BY_DEFAULT as FORMATS
from tests.conftest import SAMPLES, SEED_SLUG, Project

SEED = "sources/2018-11-23-china-online-crackdown.md"
RICH = "rich"  # layout: default
BRANDS = {SEED_SLUG: "asia-pacific", RICH: "default"}


def _outputs(stem: str) -> set[str]:
    return {f"{fmt.basename}:{stem}" for fmt in FORMATS}


def _consumers(basename: str) -> set[str]:
    """Formats that read another format's output (the press e-mail attaches the PDF and wire copy)."""
    return {fmt.basename for fmt in FORMATS if fmt.basename != basename and basename in fmt.reads_outputs}


def _of(basename: str, *stems: str) -> set[str]:
    names = {basename} | _consumers(basename)
    return {f"{name}:{stem}" for name in names for stem in stems}


@pytest.fixture
def two_brands(project: Project) -> Project:
    shutil.copy2(SAMPLES / "rich.md", project.root / "sources" / "rich.md")
    first = project.doit()
    assert first.returncode == 0, first.output
    expected = _outputs(SEED_SLUG) | _outputs(RICH) | {"reference:asia-pacific", "reference:default"}
    assert set(first.executed) == expected
    return project


def _append(path: os.PathLike[str] | str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_nothing_changed_nothing_runs(two_brands: Project) -> None:
    assert two_brands.doit().executed == []


def test_touch_without_change_runs_nothing(two_brands: Project) -> None:
    for path in [two_brands.root / SEED, two_brands.root / "layouts/default/print.css"]:
        os.utime(path, (1_900_000_000, 1_900_000_000))
    assert two_brands.doit().executed == []


def test_one_statement_edited_rebuilds_its_outputs_only(two_brands: Project) -> None:
    _append(two_brands.root / SEED, "\nOne more sentence from the editor.\n")
    run = two_brands.doit()
    assert set(run.executed) == _outputs(SEED_SLUG)
    assert "One more sentence from the editor." in two_brands.output(SEED_SLUG, ".txt").read_text()


def test_print_css_edited_rebuilds_pdfs_of_the_brands_using_it(two_brands: Project) -> None:
    # Both brands read the base layout's print.css (asia-pacific has none of its own).
    _append(two_brands.root / "layouts/default/print.css", "\nh1.title { letter-spacing: 0.01em; }\n")
    assert set(two_brands.doit().executed) == _of("pdf", SEED_SLUG, RICH)


def test_brand_own_print_css_rebuilds_only_that_brand(two_brands: Project) -> None:
    own = two_brands.root / "layouts/asia-pacific/print.css"
    shutil.copy2(two_brands.root / "layouts/default/print.css", own)
    # the same stylesheet gives the same PDF, so what reads the PDF is up to date
    assert set(two_brands.doit().executed) == {f"pdf:{SEED_SLUG}"}
    _append(own, "\n.summary { font-size: 11pt; }\n")
    assert set(two_brands.doit().executed) == _of("pdf", SEED_SLUG)


def test_wire_template_edited_rebuilds_only_wire_copies(two_brands: Project) -> None:
    _append(two_brands.root / "layouts/default/wire.txt", "{# a comment that changes the file #}\n")
    # the comment leaves the wire copies as they were, so the e-mails that hold them are up to date
    assert set(two_brands.doit().executed) == {f"txt:{SEED_SLUG}", f"txt:{RICH}"}
    _append(two_brands.root / "layouts/default/wire.txt", "Distributed by the press office.\n")
    assert set(two_brands.doit().executed) == _of("txt", SEED_SLUG, RICH)


def test_a_font_file_replaced_rebuilds_what_embeds_it(two_brands: Project) -> None:
    fonts = two_brands.root / "layouts/default/fonts"
    shutil.copy2(fonts / "Lato-Bold.ttf", fonts / "Lato-Regular.ttf")  # both brands' body text, now bold
    run = two_brands.doit()
    # the page and the PDF embed the font, the e-mail holds the PDF, the DOCX's reference document names it;
    # the wire copy and the DOCX itself do not change
    expected = _of("html", SEED_SLUG, RICH) | _of("pdf", SEED_SLUG, RICH) | _of("eml", SEED_SLUG, RICH)
    assert set(run.executed) == expected | {"reference:asia-pacific", "reference:default"}


def test_brand_file_edited_rebuilds_that_brand_only(two_brands: Project) -> None:
    brand = two_brands.root / "layouts/asia-pacific/_brand.yml"
    brand.write_text(brand.read_text().replace('teal: "#00606b"', 'teal: "#005a64"'))
    run = two_brands.doit()
    assert set(run.executed) == _outputs(SEED_SLUG) | {"reference:asia-pacific"}
    assert "#005a64" in two_brands.output(SEED_SLUG, ".html").read_text()


def test_single_output_and_clean(two_brands: Project) -> None:
    _append(two_brands.root / SEED, "\nAnother line.\n")
    assert two_brands.doit(f"pdf:{SEED_SLUG}").executed == [f"pdf:{SEED_SLUG}"]
    assert set(two_brands.doit("txt").executed) == {f"txt:{SEED_SLUG}"}
    listing = two_brands.doit("list", "--all").stdout
    assert f"pdf:{SEED_SLUG}" in listing and "branded PDF of sources/" in listing
    assert two_brands.doit("clean").returncode == 0
    assert not two_brands.output(SEED_SLUG, ".pdf").exists()
    assert not two_brands.output(RICH, ".txt").exists()
