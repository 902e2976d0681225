"""Embargoes in every output, zone-less embargoes refused, and the pre-flight warnings."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit.errors import InputError
from presskit.formats import templates
from presskit.prepare import preflight
from presskit.read import labels, statement
from tests.conftest import SAMPLES, SEED_SLUG, SEED_SOURCE, Project, make_project
from tests.extract import docx_paragraphs, html_tree

EXAMPLE = "EMBARGOED UNTIL 00:01 CET, 24 November 2018 (23:01 GMT, 23 November)"
SEED_NAME = SEED_SOURCE.name


def with_front_matter(text: str, extra: str) -> str:
    """A statement's text with lines added after its `date:` line."""
    head, sep, rest = text.partition("\ndate: ")
    date_line, nl, body = rest.partition("\n")
    return f"{head}{sep}{date_line}\n{extra.rstrip()}{nl}{body}"


def load(root: Path, name: str, text: str) -> tuple[statement.Statement, object]:
    path = root / "sources" / name
    path.write_text(text, encoding="utf-8")
    return statement.load(path, root, root / "sources", root / "layouts")


@pytest.fixture(scope="module")
def embargoed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed and the rich sample under the issue's example embargo, built with doit."""
    proj = make_project(tmp_path_factory.mktemp("embargoed") / "project", seed=False)
    line = "embargo: 2018-11-24 00:01 Europe/Brussels"
    proj.write(f"sources/{SEED_NAME}", with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), line))
    proj.write("sources/rich.md", with_front_matter((SAMPLES / "rich.md").read_text(encoding="utf-8"), line))
    run = proj.doit()
    assert run.returncode == 0, run.output
    return proj


def test_release_line_matches_the_example(project: Project) -> None:
    text = with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), "embargo: 2018-11-24 00:01 Europe/Brussels")
    st, brand = load(project.root, SEED_NAME, text)
    assert templates.release_line(st, labels.for_lang(brand, st.lang)) == EXAMPLE  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-11-24T00:01+01:00", "EMBARGOED UNTIL 00:01 UTC+01, 24 November 2018 (23:01 GMT, 23 November)"),
        ("2018-11-24 09:30 Asia/Kolkata", "EMBARGOED UNTIL 09:30 IST, 24 November 2018 (04:00 GMT)"),
        ("2018-11-24 00:01 UTC", "EMBARGOED UNTIL 00:01 UTC, 24 November 2018"),
        ("2018-07-01 00:01 Europe/Brussels", "EMBARGOED UNTIL 00:01 CEST, 1 July 2018 (22:01 GMT, 30 June)"),
    ],
)
def test_release_line_offsets_and_zones(project: Project, value: str, expected: str) -> None:
    text = with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), f"embargo: {value}")
    st, brand = load(project.root, SEED_NAME, text)
    assert templates.release_line(st, labels.for_lang(brand, st.lang)) == expected  # type: ignore[arg-type]


def test_zone_less_embargo_is_an_error_that_says_how(project: Project) -> None:
    project.write(
        f"sources/{SEED_NAME}",
        with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), "embargo: 2018-11-24 00:01"),
    )
    run = project.doit()
    assert run.returncode != 0
    assert f"sources/{SEED_NAME}:4: embargo: '2018-11-24 00:01' has no time zone" in run.output
    assert "2018-11-24 00:01 Europe/Brussels" in run.output  # how to write it
    assert "Traceback" not in run.output
    assert not (project.root / "build" / SEED_SLUG).exists() or not any((project.root / "build" / SEED_SLUG).iterdir())


def test_wire_copy_opens_with_the_embargo(embargoed: Project) -> None:
    lines = embargoed.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").split("\n")
    assert lines[0] == EXAMPLE


@pytest.mark.parametrize("name", [SEED_SLUG, "rich"])
def test_pdf_shows_the_embargo_on_every_page(embargoed: Project, name: str) -> None:
    reader = PdfReader(embargoed.output(name, ".pdf"))
    if name == "rich":
        assert len(reader.pages) >= 2, "the check needs a statement of several pages"
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert EXAMPLE in text, f"page {number} of {name}.pdf has no embargo"


def test_html_page_shows_the_embargo_and_is_not_indexed(embargoed: Project) -> None:
    tree = html_tree(embargoed.output(SEED_SLUG, ".html"))
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    banner = tree.xpath("//body//*[contains(@class, 'embargo')]")
    assert banner and banner[0].text_content().strip() == EXAMPLE
    body = tree.find("body")
    assert body is not None and body.index(banner[0]) == 0, "the banner comes first on the page"


def test_docx_opens_with_the_embargo(embargoed: Project) -> None:
    paragraphs = docx_paragraphs(embargoed.output(SEED_SLUG, ".docx"))
    texts = [text for _, text in paragraphs]
    at = texts.index(EXAMPLE)
    assert paragraphs[at][0] == "Embargo"
    first_body = next(i for i, t in enumerate(texts) if t.startswith("The Chinese Government’s online crackdown"))
    assert at < first_body
    assert all(style in ("Title", "Subtitle", "Author") for style, _ in paragraphs[:at])


def test_email_subject_carries_the_embargo(embargoed: Project) -> None:
    raw = embargoed.output(SEED_SLUG, ".eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == (
        "EMBARGOED until 00:01 CET, 24 November 2018 (23:01 GMT, 23 November): "
        "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    )


def test_no_embargo_shows_nowhere(built: Project) -> None:
    assert built.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").startswith("FOR IMMEDIATE RELEASE\n")
    tree = html_tree(built.output(SEED_SLUG, ".html"))
    assert tree.xpath("//meta[@name='robots']") == []
    assert tree.xpath("//*[contains(@class, 'embargo')]") == []
    for page in PdfReader(built.output(SEED_SLUG, ".pdf")).pages:
        assert "EMBARGO" not in page.extract_text()
    assert not any(style == "Embargo" for style, _ in docx_paragraphs(built.output(SEED_SLUG, ".docx")))
    msg = email.message_from_bytes(built.output(SEED_SLUG, ".eml").read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"


# Pre-flight warnings


def warnings_for(project: Project, text: str, now: dt.datetime | None = None) -> list[str]:
    st, _ = load(project.root, SEED_NAME, text)
    return [str(w) for w in preflight.warnings(st, now)]


def test_past_embargo_warns_with_line(project: Project) -> None:
    text = with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), "embargo: 2018-11-24 00:01 Europe/Brussels")
    before = dt.datetime(2018, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert warnings_for(project, text, before) == []
    after = dt.datetime(2018, 11, 23, 23, 2, tzinfo=dt.UTC)
    (warning,) = warnings_for(project, text, after)
    assert warning.startswith(f"sources/{SEED_NAME}:4: embargo: warning: the embargo ended at 00:01 CET")


def test_summary_over_300_characters_warns(project: Project) -> None:
    seed = SEED_SOURCE.read_text(encoding="utf-8")
    old = next(line for line in seed.split("\n") if line.startswith("summary: "))
    assert warnings_for(project, seed.replace(old, "summary: " + "x" * 300)) == []
    (warning,) = warnings_for(project, seed.replace(old, "summary: " + "x" * 301))
    line = seed.split("\n").index(old) + 1
    assert warning.startswith(f"sources/{SEED_NAME}:{line}: summary: warning: is 301 characters long")


def test_weekday_that_does_not_match_the_date_warns(project: Project) -> None:
    seed = SEED_SOURCE.read_text(encoding="utf-8")
    right = seed + "\nThe IFJ will meet again on Friday 30 November 2018.\n"
    assert warnings_for(project, right) == []
    wrong = seed + "\nThe IFJ will meet again on Thursday, November 30.\n"
    (warning,) = warnings_for(project, wrong)
    line = wrong.rstrip("\n").count("\n") + 1
    assert warning.startswith(f"sources/{SEED_NAME}:{line}: body: warning: 'Thursday, November 30' says Thursday")
    assert "30 November 2018 is a Friday" in warning


def test_weekday_in_the_dateline_is_checked_against_the_date(project: Project) -> None:
    seed = SEED_SOURCE.read_text(encoding="utf-8")
    assert warnings_for(project, seed.replace("dateline: Sydney", "dateline: Sydney, Friday")) == []
    (warning,) = warnings_for(project, seed.replace("dateline: Sydney", "dateline: Sydney, Monday"))
    line = seed.split("\n").index("dateline: Sydney") + 1
    assert warning.startswith(f"sources/{SEED_NAME}:{line}: dateline: warning: says Monday")


def test_weekdays_in_another_language(project: Project) -> None:
    seed = SEED_SOURCE.read_text(encoding="utf-8").replace("lang: en-GB", "lang: fr")
    assert warnings_for(project, seed + "\nRéunion le vendredi 30 novembre 2018.\n") == []
    (warning,) = warnings_for(project, seed + "\nRéunion le jeudi 30 novembre 2018.\n")
    assert "body: warning: 'jeudi 30 novembre 2018' says jeudi" in warning


def test_warnings_are_printed_and_not_fatal(project: Project) -> None:
    seed = SEED_SOURCE.read_text(encoding="utf-8")
    old = next(line for line in seed.split("\n") if line.startswith("summary: "))
    text = with_front_matter(seed.replace(old, "summary: " + "y" * 320), "embargo: 2018-11-24 00:01 Europe/Brussels")
    project.write(f"sources/{SEED_NAME}", text)
    run = project.doit()
    assert run.returncode == 0, run.output
    assert f"sources/{SEED_NAME}:4: embargo: warning: the embargo ended" in run.output
    assert "summary: warning: is 320 characters long" in run.output
    assert project.output(SEED_SLUG, ".txt").is_file() and project.output(SEED_SLUG, ".eml").is_file()


def test_future_embargo_is_quiet(project: Project) -> None:
    text = with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), "embargo: 2999-01-01 00:01 Europe/Brussels")
    assert warnings_for(project, text) == []


def test_unknown_zone_is_an_error(project: Project) -> None:
    text = with_front_matter(SEED_SOURCE.read_text(encoding="utf-8"), "embargo: 2018-11-24 00:01 Europe/Brusels")
    with pytest.raises(InputError) as caught:
        load(project.root, SEED_NAME, text)
    assert "embargo: unknown time zone 'Europe/Brusels'" in str(caught.value)

