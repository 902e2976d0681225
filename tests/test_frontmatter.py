"""Front matter is checked before anything renders; every problem is reported at once, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import InputError
from presskit.read import statement
from tests.conftest import REPO, SEED_SLUG, Project

BODY = "\nSome text of the statement.\n"


def _load(tmp_path: Path, front: str, name: str = "2018-11-23-test.md") -> statement.Statement:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    path = sources / name
    path.write_text(f"---\n{front}---\n{BODY}", encoding="utf-8")
    st, _ = statement.load(path, tmp_path, sources, REPO / "layouts")
    return st


def _messages(tmp_path: Path, front: str) -> list[str]:
    with pytest.raises(InputError) as info:
        _load(tmp_path, front)
    return str(info.value).splitlines()


def test_valid_front_matter_gets_brand_defaults(tmp_path: Path) -> None:
    st = _load(tmp_path, "title: A title\ndate: 2018-11-23\n")
    assert st.slug == "test"
    assert st.layout == "default"
    assert st.lang == "en-GB"
    assert st.contact.email == "press@example.org"
    assert st.embargo is None


def test_missing_title_and_date_reported_together(tmp_path: Path) -> None:
    assert _messages(tmp_path, "dateline: Brussels\n") == [
        "sources/2018-11-23-test.md:2: title: is missing; add a line such as 'title: Our statement on ...' "
        "to the front matter",
        "sources/2018-11-23-test.md:2: date: is missing; add a line such as 'date: 2018-11-23' (year-month-day)",
    ]


def test_impossible_date(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-02-30\n") == [
        "sources/2018-11-23-test.md:3: date: '2018-02-30' is not a day of the calendar; check the month and day"
    ]


def test_unknown_key_suggests_nearest(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\ndatline: Paris\n") == [
        "sources/2018-11-23-test.md:4: datline: unknown field; did you mean 'dateline'?"
    ]


def test_unknown_layout_lists_available(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\nlayout: asia\n") == [
        "sources/2018-11-23-test.md:4: layout: 'asia' is not a layout of this project "
        "(layouts/ has: asia-pacific, default); did you mean 'asia-pacific'?"
    ]


def test_layout_of_another_system_is_no_brand(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\nlayout: post\n") == [
        "sources/2018-11-23-test.md:4: layout: 'post' is not a layout of this project (layouts/ has: asia-pacific, "
        "default); a 'layout' from another system names a page template, not a brand: remove the line or name one "
        "of these"
    ]


def test_embargo_without_zone(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\nembargo: 2018-11-24 00:01\n") == [
        "sources/2018-11-23-test.md:4: embargo: '2018-11-24 00:01' has no time zone, so nobody knows when it ends; "
        "write it with an offset or a zone, e.g. '2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'"
    ]


def test_embargo_with_zone_name_or_offset(tmp_path: Path) -> None:
    named = _load(tmp_path, "title: T\ndate: 2018-11-23\nembargo: 2018-11-24 00:01 Europe/Brussels\n")
    assert named.embargo is not None and named.embargo.tzname() == "CET"
    offset = _load(tmp_path, "title: T\ndate: 2018-11-23\nembargo: 2018-11-24T00:01+01:00\n")
    assert offset.embargo == named.embargo


def test_tab_indentation_names_line_and_fix(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\ncontact:\n\tname: X\n") == [
        "sources/2018-11-23-test.md:5: the front matter uses a tab for indentation; indent with spaces, not tabs"
    ]


def test_bad_language_and_slug(tmp_path: Path) -> None:
    assert _messages(tmp_path, "title: T\ndate: 2018-11-23\nlang: english please\nslug: Not A Slug\n") == [
        "sources/2018-11-23-test.md:4: lang: 'english please' is not a BCP 47 language tag; "
        "use one such as en, fr, es, zh-Hans or ar",
        "sources/2018-11-23-test.md:5: slug: use only lower-case letters a-z, digits and hyphens, "
        "e.g. 'press-freedom-day'",
    ]


def test_unclosed_quote(tmp_path: Path) -> None:
    (message,) = _messages(tmp_path, 'title: "Unclosed\ndate: 2018-11-23\n')
    assert message.startswith("sources/2018-11-23-test.md:")
    assert message.endswith("a quote is not closed: end the value with the same quote it starts with")


def test_norwegian_stays_a_language(tmp_path: Path) -> None:
    assert _load(tmp_path, "title: T\ndate: 2018-11-23\nlang: no\n").lang == "no"


def test_title_with_line_break_is_refused(tmp_path: Path) -> None:
    assert _messages(tmp_path, 'title: "Line one\\nBcc: x@example.org"\ndate: 2018-11-23\n') == [
        "sources/2018-11-23-test.md:2: title: must be on one line; remove the line break"
    ]


def test_broken_statement_fails_alone(project: Project) -> None:
    project.write("sources/2018-11-30-draft.md", "---\ntitel: Draft\ndate: 2018-11-31\n---\n\nText.\n")
    run = project.doit()
    assert run.returncode != 0
    assert "sources/2018-11-30-draft.md:2: titel: unknown field; did you mean 'title'?" in run.output
    assert "sources/2018-11-30-draft.md:3: date: '2018-11-31' is not a day of the calendar" in run.output
    assert "Traceback" not in run.output
    for suffix in (".pdf", ".docx", ".html", ".txt"):
        assert project.output(SEED_SLUG, suffix).stat().st_size > 0
    assert not (project.root / "build" / "draft").exists()


def test_old_mac_line_endings_name_the_same_slug_and_layout_as_the_build(project: Project) -> None:
    source = project.root / "sources" / "cr.md"
    text = "---\ntitle: T\ndate: 2018-11-23\nslug: other-slug\nlayout: asia-pacific\n---\n\nText.\n"
    source.write_bytes(text.replace("\n", "\r").encode())
    sniffed = statement.sniff(source)
    loaded, _ = statement.load(source, project.root, project.root / "sources", project.root / "layouts")
    assert (sniffed.slug, sniffed.layout) == (loaded.slug, loaded.layout) == ("other-slug", "asia-pacific")


def test_a_language_suffix_in_the_file_name_is_the_language(project: Project) -> None:
    source = project.root / "sources" / "note.fr.md"
    source.write_text("---\ntitle: Note\ndate: 2018-11-23\n---\n\nTexte.\n", encoding="utf-8")
    loaded, _ = statement.load(source, project.root, project.root / "sources", project.root / "layouts")
    assert loaded.lang == "fr"
