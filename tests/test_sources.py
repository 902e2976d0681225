"""Statements written for other systems: unknown fields kept as `extra`, suggestions only for real misspellings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from presskit.errors import NOTE, InputError, nearest
from presskit.prepare import opening
from presskit.read import statement
from tests.conftest import REPO, make_project
from tests.extract import html_tree


def _load(tmp_path: Path, front: str, body: str = "\nSome text of the statement.\n") -> statement.Statement:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    path = sources / "2018-11-23-test.md"
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    st, _ = statement.load(path, tmp_path, sources, REPO / "layouts")
    return st


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("titel", "title"),
        ("sumary", "summary"),
        ("datline", "dateline"),
        ("embargoe", "embargo"),
        ("Title", "title"),
        ("tag", "tags"),
        ("translaton_of", "translation_of"),
        ("source-sha256", "source_sha256"),
        ("organisation", None),
        ("source_url", None),
        ("author", None),
        ("image", None),
        ("excerpt_separator", None),
        ("categories", None),
        ("permalink", None),
        ("draft", None),
        ("weight", None),
        ("aliases", None),
        ("description", None),
        ("time", None),
        ("link", None),
        ("post_id", None),
    ],
)
def test_only_real_misspellings_get_a_suggestion(written: str, meant: str | None) -> None:
    assert nearest(written, statement.FIELDS) == meant


def test_labels_and_brand_fields_share_the_rule() -> None:
    assert nearest("immediat", {"immediate", "embargoed"}) == "immediate"
    assert nearest("organization", {"organisation", "boilerplate"}) == "organisation"
    assert nearest("colour", {"contact", "logo"}) is None


def test_unknown_fields_are_kept_as_extra_with_one_note(tmp_path: Path) -> None:
    front = (
        "title: T\ndate: 2018-11-23\nauthor: Jane Doe\ncategories: [news, press]\n"
        "source_url: https://example.org/a\nmeta:\n  weight: 3\n"
    )
    st = _load(tmp_path, front)
    assert dict(st.extra) == {
        "author": "Jane Doe",
        "categories": ("news", "press"),
        "source_url": "https://example.org/a",
        "meta": st.extra["meta"],
    }
    assert dict(st.extra["meta"]) == {"weight": 3}
    with pytest.raises(TypeError):
        st.extra["author"] = "someone else"  # type: ignore[index]
    assert [str(n) for n in st.notes] == [
        "sources/2018-11-23-test.md:4: note: kept for templates as extra, not used by presskit: author, categories, "
        "source_url, meta (e.g. {{ extra.author }})"
    ]
    assert all(n.severity == NOTE for n in st.notes)
    assert (st.extra.author, st.extra.meta.weight, st.extra.permalink, st.extra.meta.missing) == ("Jane Doe", 3, "", "")


def test_misspelling_stays_an_error_beside_kept_fields(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        _load(tmp_path, "title: T\ndate: 2018-11-23\nauthor: Jane\nsumary: One sentence.\n")
    assert str(info.value).splitlines() == [
        "sources/2018-11-23-test.md:5: sumary: unknown field; did you mean 'summary'?"
    ]


def test_statement_without_unknown_fields_has_no_note(tmp_path: Path) -> None:
    st = _load(tmp_path, "title: T\ndate: 2018-11-23\n")
    assert dict(st.extra) == {} and st.notes == ()


@pytest.mark.parametrize(
    ("lang", "text", "city", "written"),
    [
        ("en", "GENEVA, 12 May 2024 — The IFJ condemned", "GENEVA", "GENEVA, 12 May 2024 —"),
        ("en", "Geneva (12 May 2024) – The IFJ condemned", "Geneva", "Geneva (12 May 2024) –"),
        ("en", "BRUSSELS -- The IFJ condemned", "BRUSSELS", "BRUSSELS --"),
        ("en", "Sydney, November 23, 2018: The IFJ condemned", "Sydney", "Sydney, November 23, 2018:"),
        ("en", "**BRUSSELS**, 23 November 2018 – The IFJ", "BRUSSELS", "BRUSSELS, 23 November 2018 –"),
        ("en", "<p><strong>GENEVA, 12 May 2024</strong> — The", "GENEVA", "GENEVA, 12 May 2024 —"),
        ("en", "Rio de Janeiro, 12 May 2024 — The IFJ", "Rio de Janeiro", "Rio de Janeiro, 12 May 2024 —"),
        ("fr", "GENÈVE, le 12 mai 2024 – La FIJ condamne", "GENÈVE", "GENÈVE, le 12 mai 2024 –"),
        ("es", "MADRID, 12 de mayo de 2024.– La FIP condena", "MADRID", "MADRID, 12 de mayo de 2024.–"),
        ("uk", "Київ, 12 травня 2024 року — МФЖ засуджує", "Київ", "Київ, 12 травня 2024 року —"),
        ("ar", "جنيف، 12 مايو 2024 — أدان الاتحاد", "جنيف", "جنيف، 12 مايو 2024 —"),
        ("zh-Hans", "北京，2024年5月12日——国际记者联合会", "北京", "北京，2024年5月12日——"),
        ("zh-Hant", "臺北，2024年5月12日——國際記者聯合會", "臺北", "臺北，2024年5月12日——"),
    ],
)
def test_a_dateline_the_text_opens_with_is_found(lang: str, text: str, city: str, written: str) -> None:
    found = opening.find(f"\n{text} the rest of the sentence.\n\nSecond paragraph.\n", lang)
    assert found is not None
    assert (found.city, found.text) == (city, written)


@pytest.mark.parametrize(
    "text",
    [
        "Paris is where the IFJ was founded in 1926.",
        "The IFJ, with 600,000 members — the largest federation — condemned it.",
        "The IFJ, which since 1926 has — always — defended journalists.",
        "Paris — the city of light — is where it began.",
        "The IFJ (12 May 2024) said that it condemned the arrests.",
        "In 2024, the IFJ – with its unions – said so.",
        "Today, 12 journalists — all of them women — were released.",
        "NOTE: this statement replaces the earlier one.",
        "国际记者联合会今天表示，2024年是艰难的一年。",
        "أدان الاتحاد الدولي للصحفيين اليوم اعتقال الصحفيين.",
        "# GENEVA, 12 May 2024 — a heading, not a first paragraph",
    ],
)
def test_an_ordinary_first_sentence_is_no_dateline(text: str) -> None:
    assert opening.find(f"{text}\n\nSecond paragraph.\n", "en") is None


def test_hugo_toml_front_matter_is_read(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    path = sources / "hugo.md"
    path.write_text(
        '+++\ntitle = "From Hugo"\ndate = 2024-05-12T10:00:00+02:00\ndraft = false\naliases = ["/old/"]\n\n'
        '[contact]\nname = "Press office"\nemail = "press@example.org"\n+++\n\nText.\n',
        encoding="utf-8",
    )
    st, _ = statement.load(path, tmp_path, sources, REPO / "layouts")
    assert (st.title, st.date.isoformat(), st.contact.name, st.body_line) == (
        "From Hugo",
        "2024-05-12",
        "Press office",
        11,
    )
    assert dict(st.extra) == {"draft": False, "aliases": ("/old/",)}
    assert [str(n) for n in st.notes] == [
        "sources/hugo.md:4: note: kept for templates as extra, not used by presskit: draft, aliases "
        "(e.g. {{ extra.draft }})"
    ]


def test_brackets_in_a_toml_headline_are_text_not_nesting(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    path = sources / "2018-11-23-test.md"
    title = "Notes " + " ".join(f"[{n}]" for n in range(25))
    path.write_text(f'+++\ntitle = "{title}"\ndate = 2024-05-12\n+++\n\nText.\n', encoding="utf-8")
    st, _ = statement.load(path, tmp_path, sources, REPO / "layouts")
    assert st.title == title


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            '+++\ntitle = "Unclosed\ndate = 2024-05-12\n+++\n\nText.\n',
            "sources/2018-11-23-test.md:2: the front matter is not valid TOML (Illegal character '\\n'): check the "
            "line for a missing quote, a missing '=' or a value that is not in quotes",
        ),
        (
            '+++\ntitle = "T"\ndate = 2024-05-12\n\nText.\n',
            "sources/2018-11-23-test.md:1: the front matter is not closed: add a line '+++' after the last field",
        ),
        (
            '+++\ntitel = "T"\ndate = 2024-05-12\n+++\n\nText.\n',
            "sources/2018-11-23-test.md:2: titel: unknown field; did you mean 'title'?",
        ),
        (
            '+++\ntitle = "T"\ndate = 2024-05-12\ndeep = ' + "[" * 21 + "]" * 21 + "\n+++\n\nText.\n",
            "sources/2018-11-23-test.md:2: lists or fields are nested more than 20 deep (21); flatten them",
        ),
    ],
)
def test_toml_mistakes_name_the_line(tmp_path: Path, front: str, message: str) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    path = sources / "2018-11-23-test.md"
    path.write_text(front, encoding="utf-8")
    with pytest.raises(InputError) as info:
        statement.load(path, tmp_path, sources, REPO / "layouts")
    assert message in str(info.value).splitlines()


@pytest.mark.parametrize("written", ["2018-11-23 10:00:00 +0100", "2018-11-23T10:00:00+02:00", "2018-11-23T10:00:00Z"])
def test_a_date_with_its_time_gives_its_day(tmp_path: Path, written: str) -> None:
    assert _load(tmp_path, f"title: T\ndate: {written}\n").date.isoformat() == "2018-11-23"


def _prepared_warnings(tmp_path: Path, body: str) -> list[str]:
    from presskit.prepare import prepared

    if not (tmp_path / "layouts").exists():
        shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    source = _load(tmp_path, "title: T\ndate: 2018-11-23\ndateline: Brussels\n", body).source
    st, brand = statement.load(source, tmp_path, tmp_path / "sources", tmp_path / "layouts")
    return [str(w) for w in prepared.of(st, brand).warnings]


def test_a_raw_html_image_beside_the_statement_needs_its_description(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "sources").mkdir()
    Image.new("RGB", (8, 8), "red").save(tmp_path / "sources" / "beside.png")
    with pytest.raises(InputError) as info:
        _prepared_warnings(tmp_path, '\nText.\n\n<p><img src="beside.png"></p>\n')
    assert str(info.value).splitlines() == [
        "sources/2018-11-23-test.md:9: image: 'beside.png' has no description; write what it shows between the "
        "brackets, e.g. ![Delegates at the congress in Tunis](beside.png), for readers who cannot see it"
    ]
    assert _prepared_warnings(tmp_path, '\nText.\n\n<img src="beside.png" alt="A red square">\n') == []


def test_a_description_keeps_its_no_break_spaces(tmp_path: Path) -> None:
    from presskit.prepare import pandoc, prepared

    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    described = "«\u00a0Le\u00a0congrès\u00a0» à Tunis"  # French quotation marks hold their words
    source = _load(
        tmp_path, "title: T\ndate: 2018-11-23\n", f'\nTexte.\n\n<img src="gone.png" alt="{described}">\n'
    ).source
    st, brand = statement.load(source, tmp_path, tmp_path / "sources", tmp_path / "layouts")
    spans = [n for n in prepared.of(st, brand).body["blocks"][1]["c"] if n["t"] == "Span"]
    assert [pandoc.stringify(span["c"][1]) for span in spans] == [described]
    assert [n["c"] for n in spans[0]["c"][1] if n["t"] == "Str"] == ["«\u00a0Le\u00a0congrès\u00a0»", "à", "Tunis"]


def test_a_raw_html_image_from_elsewhere_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(tmp_path / "outside.png")
    body = '\nText.\n\n<img src="../outside.png" alt="Outside">\n\nMore <img src="gone.png" alt="Gone"> text.\n'
    assert _prepared_warnings(tmp_path, body) == [
        "sources/2018-11-23-test.md:9: image: warning: '../outside.png' is outside the statement's folder; copy the "
        "image into sources/ and write just its file name; its description shows in its place",
        "sources/2018-11-23-test.md:11: image: warning: 'gone.png' was not found in sources/ or layouts/default/; "
        "check the file name and its folder; its description shows in its place",
    ]


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        ("", "GENEVA, 12 May 2024 — The IFJ.", ("GENEVA", "note: the text opens with its own dateline 'GENEVA, 12 May "
         "2024 —', so presskit adds none and takes its city 'GENEVA' as the statement's dateline")),
        ("dateline: Geneva\n", "GENEVA, 12 May 2024 — The IFJ.", ("Geneva", "note: the text opens with its own "
         "dateline 'GENEVA, 12 May 2024 —', so presskit adds none")),
        ("dateline: Brussels\n", "GENEVA, 12 May 2024 — The IFJ.", ("Brussels", "warning: the text opens with its own "
         "dateline 'GENEVA, 12 May 2024 —', but the front matter says 'dateline: Brussels'; correct one of them "
         "(presskit adds no second dateline)")),
    ],
)  # fmt: skip
def test_the_dateline_of_the_text_is_noted(tmp_path: Path, front: str, body: str, expected: tuple[str, str]) -> None:
    st = _load(tmp_path, f"title: T\ndate: 2024-05-12\n{front}", f"\n{body}\n")
    found, problems = opening.applied(st)
    assert (found.dateline, found.opening, found.opening_dated) == (expected[0], "GENEVA, 12 May 2024 —", True)
    line = 6 + front.count("\n")
    assert [str(p) for p in problems] == [f"sources/2018-11-23-test.md:{line}: body: {expected[1]}"]


def test_a_text_opening_with_its_city_alone_still_gets_its_date_in_every_format(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    proj.write("sources/2024-05-12-brussels.md", "---\ntitle: T\ndate: 2024-05-12\n---\n\nBRUSSELS -- The IFJ.\n")
    run = proj.doit("txt", "html")
    assert run.returncode == 0, run.output
    wire = proj.output("brussels", ".txt").read_text(encoding="utf-8")
    page = html_tree(proj.output("brussels", ".html")).xpath("string(//main)")
    for text in (wire, page):
        assert text.count("12 May 2024") == 1 and text.count("BRUSSELS") == 1, text
    assert "\n\n12 May 2024\n\nBRUSSELS" in wire  # the date on its own line, as the page shows it
