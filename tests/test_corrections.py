"""Corrections and updates: `updated:` and `correction:` in every output, their mistakes, and translations."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document

from presskit.errors import InputError
from presskit.formats import html, wire
from presskit.prepare import prepared
from presskit.project import Project as Presskit
from presskit.read import frontmatter
from tests import translator
from tests.conftest import SEED_SLUG, SEED_SOURCE, Project, make_project
from tests.extract import docx_paragraphs, html_tree, pdf_text

UPDATED = "updated: 2018-11-23 15:05 Australia/Sydney"
CORRECTION = "An earlier version gave the wrong number of accounts; see [the report](https://example.org/report)."
CORRECTED_LINES = [
    "CORRECTED 15:05 AEDT, 23 November 2018 (04:05 GMT)",
    "An earlier version gave the wrong number of accounts; see the report",
    "[1].",
    "",
    "FOR IMMEDIATE RELEASE",
    "",
    "CHINA’S ONLINE CRACKDOWN CONTINUES WITH TWITTER, WEIBO AND WECHAT",
]
UPDATED_ONLY = """---
title: Union calls for the release of a jailed reporter
date: 2018-11-23
updated: 2018-11-24T10:00+11:00
dateline: Sydney
layout: asia-pacific
lang: en-GB
---

The union called for the release of a reporter.
"""
HOW = "write it with an offset or a zone, e.g. '2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'"


def corrected_seed(extra: str = f"{UPDATED}\ncorrection: {CORRECTION}") -> str:
    """The seed statement with lines added after its `date:` line."""
    return SEED_SOURCE.read_text(encoding="utf-8").replace("\ndate: 2018-11-23\n", f"\ndate: 2018-11-23\n{extra}\n", 1)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed corrected an hour after sending, and a statement only updated, built in every format needed."""
    proj = make_project(tmp_path_factory.mktemp("corrected") / "project", seed=False)
    proj.write(f"sources/{SEED_SOURCE.name}", corrected_seed())
    proj.write("sources/2018-11-23-reporter.md", UPDATED_ONLY)
    tasks = [f"{kind}:{SEED_SLUG}" for kind in ("txt", "html", "pdf", "docx", "eml")] + ["txt:reporter", "eml:reporter"]
    run = proj.doit(*tasks)
    assert run.returncode == 0, run.output
    return proj


def test_the_wire_copy_opens_with_the_corrected_line_and_the_note(corrected: Project) -> None:
    lines = corrected.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").split("\n")
    assert lines[: len(CORRECTED_LINES)] == CORRECTED_LINES
    links = lines.index("Links:")
    assert lines[links + 1] == "[1] https://example.org/report"  # the note's link is numbered first


def test_an_update_without_correction_opens_with_the_updated_line(corrected: Project) -> None:
    lines = corrected.output("reporter", ".txt").read_text(encoding="utf-8").split("\n")
    assert lines[:4] == [
        "UPDATED 10:00 UTC+11, 24 November 2018 (23:00 GMT, 23 November)",
        "",
        "FOR IMMEDIATE RELEASE",
        "",
    ]


def test_the_page_shows_the_update_and_the_note_under_the_dateline(corrected: Project) -> None:
    page = html_tree(corrected.output(SEED_SLUG, ".html"))
    header = page.xpath("//header[@class='statement-header']")[0]
    classes = [p.get("class") for p in header.iter("p")]
    assert classes[classes.index("dateline") :] == ["dateline", "updated", "correction"]
    updated = header.xpath("p[@class='updated']")[0]
    assert updated.text_content() == "Updated 23 November 2018, 15:05 AEDT"
    assert updated.xpath("time/@datetime") == ["2018-11-23T15:05:00+11:00"]
    note = header.xpath("p[@class='correction']")[0]
    assert note.get("role") == "note"
    assert note.text_content() == "Correction: An earlier version gave the wrong number of accounts; see the report."
    assert note.xpath("a/@href") == ["https://example.org/report"]


def test_the_page_tells_machines_when_it_was_modified(corrected: Project) -> None:
    page = html_tree(corrected.output(SEED_SLUG, ".html"))
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["dateModified"] == "2018-11-23T15:05:00+11:00"
    assert data["datePublished"] == "2018-11-23"
    assert page.xpath("//meta[@property='article:modified_time']/@content") == ["2018-11-23T15:05:00+11:00"]


def test_the_pdf_shows_the_update_and_the_note_under_the_dateline(corrected: Project) -> None:
    lines = [ln.strip() for ln in pdf_text(corrected.output(SEED_SLUG, ".pdf")).splitlines() if ln.strip()]
    at = lines.index("SYDNEY, 23 November 2018")
    assert lines[at + 1 : at + 3] == [
        "Updated 23 November 2018, 15:05 AEDT",
        "Correction: An earlier version gave the wrong number of accounts; see the report.",
    ]
    assert lines[at + 3].startswith("The Chinese Government’s online crackdown")


def test_the_docx_has_the_update_and_the_note_as_styled_frame_paragraphs(corrected: Project) -> None:
    path = corrected.output(SEED_SLUG, ".docx")
    styles = [style for style, _ in docx_paragraphs(path)]
    assert styles[styles.index("Dateline") : styles.index("Dateline") + 5] == [
        "Dateline", "Date", "Updated", "Correction", "Body Text",
    ]  # fmt: skip
    doc = Document(str(path))
    updated = next(p for p in doc.paragraphs if p.style is not None and p.style.name == "Updated")
    # a field, as the date is: python-docx reads no text in it
    assert "".join(updated._p.xpath(".//w:t/text()")) == "Updated 23 November 2018, 15:05 AEDT"
    note = next(p for p in doc.paragraphs if p.style is not None and p.style.name == "Correction")
    assert note.text == "An earlier version gave the wrong number of accounts; see the report."
    assert doc.styles["Updated"].font.bold is True
    assert doc.styles["Correction"].font.italic is True
    assert doc.core_properties.modified.isoformat() == "2018-11-23T04:05:00+00:00"


def test_the_email_subject_is_prefixed_and_its_text_is_the_wire_copy(corrected: Project) -> None:
    for stem, prefix in ((SEED_SLUG, "CORRECTED: "), ("reporter", "UPDATED: ")):
        raw = corrected.output(stem, ".eml").read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        title = frontmatter.read(next(corrected.root.glob(f"sources/*{stem.split('-')[-1]}*.md")), stem).fields["title"]
        assert message["Subject"] == prefix + title
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        wire_copy = corrected.output(stem, ".txt").read_text(encoding="utf-8")
        assert text.get_content().replace("\r\n", "\n") == wire_copy  # lines end in CRLF on the wire


def test_a_statement_in_french_gets_the_french_words(project: Project) -> None:
    source = project.write(
        "sources/rectificatif.md",
        "---\ntitle: Un journaliste libéré\ndate: 2018-11-23\nlang: fr\ndateline: Paris\n"
        "updated: 2018-11-23 16:00 Europe/Paris\ncorrection: Le chiffre du *deuxième* paragraphe a été corrigé.\n"
        "---\n\nLe syndicat salue la libération du journaliste.\n",
    )
    done = prepared.prepare(Presskit(project.root), source)
    assert wire.render(done).split("\n")[:4] == [
        "CORRIGÉ 16:00 CET, 23 novembre 2018 (15:00 GMT)",
        "Le chiffre du deuxième paragraphe a été corrigé.",
        "",
        "POUR DIFFUSION IMMÉDIATE",
    ]
    page = html_tree(project.write("page.html", html.render(done)))
    assert page.xpath("//p[@class='updated']")[0].text_content() == "Mis à jour le 23 novembre 2018, 16:00 CET"
    note = page.xpath("//p[@class='correction']")[0]
    assert note.text_content() == "Rectificatif\u202f: Le chiffre du deuxième paragraphe a été corrigé."
    assert note.xpath("em/text()") == ["deuxième"]


def test_the_brand_picks_the_words(project: Project) -> None:
    brand_file = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    setting = "      headline: upper\n      corrected: CORRECTION\n"
    brand_file.write_text(text.replace("      headline: upper\n", setting))
    source = project.write(f"sources/{SEED_SOURCE.name}", corrected_seed())
    done = prepared.prepare(Presskit(project.root), source)
    assert wire.render(done).split("\n")[0] == "CORRECTION 15:05 AEDT, 23 November 2018 (04:05 GMT)"


def test_the_brand_word_must_fit_an_email_subject(project: Project) -> None:
    brand_file = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    brand_file.write_text(text.replace("      headline: upper\n", "      headline: upper\n      updated: ''\n"))
    source = project.write(f"sources/{SEED_SOURCE.name}", corrected_seed(UPDATED))
    with pytest.raises(InputError) as caught:
        prepared.prepare(Presskit(project.root), source)
    assert [str(p) for p in caught.value.problems] == [
        "layouts/asia-pacific/_brand.yml: defaults.presskit.wire.updated: must be a short word such as CORRECTED or "
        "UPDATED"
    ]


MISTAKES = {
    "zoneless-update.md": (
        "updated: 2018-11-23 15:05",
        "sources/zoneless-update.md:4: updated: '2018-11-23 15:05' has no time zone, so nobody knows when it "
        f"changed; {HOW}",
    ),
    "early-update.md": (
        "updated: 2018-11-22 09:00 Europe/Brussels",
        "sources/early-update.md:4: updated: '2018-11-22 09:00 Europe/Brussels' is before the statement's date "
        "2018-11-23; an update comes after the statement was sent: check the day",
    ),
    "two-line-correction.md": (
        "updated: 2018-11-23 15:05 Europe/Brussels\ncorrection: |\n  The figure was wrong.\n  It is now right.",
        "sources/two-line-correction.md:5: correction: must be on one line; remove the line break",
    ),
    "list-correction.md": (
        "updated: 2018-11-23 15:05 Europe/Brussels\ncorrection: '- The figure was wrong.'",
        "sources/list-correction.md:5: correction: must be one sentence of text, without a heading, a list or a "
        "footnote",
    ),
    "timeless-correction.md": (
        "correction: The figure was wrong.",
        "sources/timeless-correction.md:4: correction: needs the time of the correction; add a line such as "
        "'updated: 2018-11-23 15:05 Europe/Brussels' to the front matter",
    ),
}


def test_each_mistake_has_its_exact_message(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    for name, (lines, _) in MISTAKES.items():
        proj.write(f"sources/{name}", f"---\ntitle: A statement\ndate: 2018-11-23\n{lines}\n---\n\nBody.\n")
    run = proj.doit("check")
    assert run.returncode != 0
    for _, message in MISTAKES.values():
        assert message in run.output.splitlines(), run.output
    assert "Traceback" not in run.output


@pytest.fixture
def translated(corrected: Project, tmp_path: Path) -> Project:
    """A copy of the corrected project with a French translation of the corrected seed imported."""
    proj = Project(tmp_path / "project")
    shutil.copytree(corrected.root, proj.root)
    docx = proj.output(SEED_SLUG, ".docx")
    title = frontmatter.read(proj.root / "sources" / SEED_SOURCE.name, "seed").fields["title"]
    target = proj.root / "translations" / "inbox" / f"{SEED_SLUG}.fr.docx"
    target.parent.mkdir(parents=True)
    texts = {
        title: "La répression en ligne se poursuit en Chine",
        "An earlier version gave the wrong number of accounts; see the report.": "Une version précédente donnait "
        "un mauvais nombre de comptes [voir le rapport].",
    }
    assert translator.translate(docx, target, texts, "fr") == []
    done = translator.import_docx(proj, target)
    assert done.returncode == 0, done.stderr
    return proj


def test_the_import_keeps_the_time_and_takes_the_translated_note(translated: Project) -> None:
    source = translated.root / "sources" / f"{SEED_SLUG}.fr.md"
    fields = frontmatter.read(source, "fr").fields
    assert fields["updated"] == "2018-11-23 15:05 Australia/Sydney"
    assert fields["correction"] == r"Une version précédente donnait un mauvais nombre de comptes \[voir le rapport\]."
    body = frontmatter.read(source, "fr").body
    assert "Updated" not in body and "earlier version" not in body and "Une version" not in body
    run = translated.doit(f"txt:{SEED_SLUG}.fr")
    assert run.returncode == 0, run.output
    lines = translated.output(f"{SEED_SLUG}.fr", ".txt").read_text(encoding="utf-8").split("\n")
    assert lines[:4] == [
        "CORRIGÉ 15:05 AEDT, 23 novembre 2018 (04:05 GMT)",
        "Une version précédente donnait un mauvais nombre de comptes [voir le",
        "rapport].",
        "",
    ]


def test_correcting_the_original_again_makes_the_translation_stale(translated: Project) -> None:
    original = translated.root / "sources" / SEED_SOURCE.name
    text = original.read_text(encoding="utf-8").replace(UPDATED, "updated: 2018-11-24 09:00 Australia/Sydney")
    original.write_text(text, encoding="utf-8")
    run = translated.doit(f"html:{SEED_SLUG}.fr")
    assert run.returncode == 0, run.output
    note = html_tree(translated.output(f"{SEED_SLUG}.fr", ".html")).xpath("//p[@class='translation-note']")
    assert [n.text_content() for n in note] == [
        "Cette traduction ne reflète peut-être pas la dernière version de l’original, mis à jour le 24 novembre 2018."
    ]


def test_the_readme_example_matches_what_is_built(corrected: Project) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- correction example -->\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    fields = yaml.safe_load(example.group(1))
    assert f"updated: {fields['updated']}" == UPDATED and fields["correction"] == CORRECTION
    for line in CORRECTED_LINES[:3]:
        assert line in readme
