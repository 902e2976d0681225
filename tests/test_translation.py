"""The translation round trip: export the DOCX, translate it, import it, and keep translations in step."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from lxml import etree

from presskit.prepare import pandoc
from tests.conftest import REPO, SAMPLES, SEED_SLUG, Project
from tests.extract import docx_paragraphs, html_text, html_tree, pdf_text, squash
from tests.translator import export, import_docx, translate

TRANSLATIONS = yaml.safe_load((SAMPLES / "seed-translations.yml").read_text(encoding="utf-8"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FR = f"{SEED_SLUG}.fr"


def inbox(project: Project, name: str) -> Path:
    folder = project.root / "translations" / "inbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def plain(markdown: str) -> str:
    """The text of a Markdown body as a reader sees it, without whitespace."""
    return squash(pandoc.convert(markdown, pandoc.READER, "plain", "test", "--wrap=none"))


def test_the_committed_translations_come_from_the_round_trip(project: Project) -> None:
    docx = export(project)
    for lang in ("fr", "zh-Hans"):
        unused = translate(docx, inbox(project, f"{SEED_SLUG}.{lang}.docx"), TRANSLATIONS[lang], lang)
        assert unused == [], f"paragraphs of the {lang} translation that matched nothing in the DOCX: {unused}"
    run = project.doit("import")
    assert run.returncode == 0, run.output
    for lang in ("fr", "zh-Hans"):
        made = (project.root / "sources" / f"{SEED_SLUG}.{lang}.md").read_text(encoding="utf-8")
        committed = (REPO / "sources" / f"{SEED_SLUG}.{lang}.md").read_text(encoding="utf-8")
        assert made == committed, f"sources/{SEED_SLUG}.{lang}.md differs from what the round trip makes"


def test_export_keeps_dates_and_slug_out_of_the_translatable_text(project: Project) -> None:
    docx = export(project)
    paragraphs = docx_paragraphs(docx)
    styles = {style: text for style, text in paragraphs}
    assert styles["Title"].startswith("China’s online crackdown")
    assert styles["Subtitle"].startswith("The IFJ has voiced")
    assert styles["Dateline"] == "Sydney"
    text = "\n".join(t for _, t in paragraphs)
    assert "2018" not in text.split("The Chinese Government’s online crackdown")[0], "a date in the translatable text"
    assert SEED_SLUG not in text
    document = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    fields = [f for f in document.iter(f"{{{W}}}fldSimple") if "DOCPROPERTY presskit-date" in f.get(f"{{{W}}}instr")]
    assert len(fields) == 1 and "".join(fields[0].itertext()) == "23 November 2018", "the date line shows the date"
    custom = zipfile.ZipFile(docx).read("docProps/custom.xml").decode()
    expected = {"presskit-slug": SEED_SLUG, "presskit-lang": "en-GB", "presskit-date": "23 November 2018"}
    for name, value in expected.items():
        assert re.search(rf'name="{name}"><vt:lpwstr>{re.escape(value)}<', custom), name


@pytest.mark.parametrize("sample", ["seed", "rich", "embargoed"])
def test_markdown_to_docx_to_markdown_keeps_the_text(project: Project, sample: str) -> None:
    if sample == "rich":
        shutil.copy2(SAMPLES / "rich.md", project.root / "sources" / "rich.md")
        original, stem = project.root / "sources" / "rich.md", "rich"
    else:
        original, stem = project.root / "sources" / "2018-11-23-china-online-crackdown.md", SEED_SLUG
    if sample == "embargoed":  # the DOCX opens with the embargo line: not body text to bring back
        text = original.read_text(encoding="utf-8")
        original.write_text(text.replace("\ndate:", "\nembargo: 2018-11-24T00:01:00+01:00\ndate:", 1), encoding="utf-8")
    docx = export(project, stem)
    copy = inbox(project, f"{stem}.fr.docx")
    shutil.copy2(docx, copy)
    result = import_docx(project, copy)
    assert result.returncode == 0, result.stderr
    imported = project.root / "sources" / f"{stem}.fr.md"
    assert plain(body_of(imported)) == plain(body_of(original).split("\n---\n", 1)[-1])
    head = yaml.safe_load(imported.read_text(encoding="utf-8").split("---\n")[1])
    source = yaml.safe_load(original.read_text(encoding="utf-8").split("---\n")[1])
    assert head["title"] == source["title"] and head["summary"] == source["summary"]
    assert head["dateline"] == source["dateline"] and str(head["date"]) == str(source["date"])
    assert head["translation_of"] == stem and head["lang"] == "fr"
    assert head["source_sha256"] == __import__("hashlib").sha256(original.read_bytes()).hexdigest()


def test_a_docx_saved_again_by_libreoffice_imports_the_same(project: Project, tmp_path: Path) -> None:
    docx = export(project)
    translated = tmp_path / f"{SEED_SLUG}.fr.docx"
    translate(docx, translated, TRANSLATIONS["fr"], "fr")
    out = tmp_path / "libreoffice"
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "docx",
         "--outdir", str(out), str(translated)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    resaved = out / translated.name
    assert resaved.read_bytes() != translated.read_bytes()
    first = import_docx(project, translated)
    assert first.returncode == 0, first.stderr
    direct = (project.root / "sources" / f"{FR}.md").read_text(encoding="utf-8")
    again = import_docx(project, resaved, "--force")
    assert again.returncode == 0, again.stderr
    via_libreoffice = (project.root / "sources" / f"{FR}.md").read_text(encoding="utf-8")
    assert via_libreoffice == direct


def _track_changes(docx: Path, target: Path) -> None:
    """Edit the DOCX as Word does with Track Changes on: delete a word of the first paragraph, insert another."""
    source = zipfile.ZipFile(docx)
    document = etree.fromstring(source.read("word/document.xml"))
    first = next(p for p in document.iter(f"{{{W}}}p") if "online crackdown has continued" in "".join(p.itertext()))
    run = first.find(f"{{{W}}}r")
    text = run.find(f"{{{W}}}t")
    before, after = text.text.split("has continued", 1)
    text.text = before
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    deleted = etree.SubElement(first, f"{{{W}}}del", {f"{{{W}}}id": "1", f"{{{W}}}author": "Reviewer"})
    deleted_run = etree.SubElement(deleted, f"{{{W}}}r")
    etree.SubElement(deleted_run, f"{{{W}}}delText").text = "has continued"
    inserted = etree.SubElement(first, f"{{{W}}}ins", {f"{{{W}}}id": "2", f"{{{W}}}author": "Reviewer"})
    etree.SubElement(etree.SubElement(inserted, f"{{{W}}}r"), f"{{{W}}}t").text = "goes on"
    tail = etree.SubElement(etree.SubElement(first, f"{{{W}}}r"), f"{{{W}}}t")
    tail.text = after
    tail.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    first.remove(run)
    first.insert(1, run)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, data)


def test_tracked_changes_are_accepted_and_comments_dropped_with_a_warning(project: Project, tmp_path: Path) -> None:
    docx = export(project)
    tracked = inbox(project, f"{FR}.docx")
    _track_changes(docx, tracked)
    doc = Document(str(tracked))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("The latest crackdown"))
    doc.add_comment(paragraph.runs, text="Check the name of the firewall in French", author="Anne")
    doc.save(str(tracked))
    result = import_docx(project, tracked)
    assert result.returncode == 0, result.stderr
    body = body_of(project.root / "sources" / f"{FR}.md")
    assert "online crackdown goes on with the shutdown" in body
    assert "has continued" not in body
    assert "Check the name" not in body
    assert "1 comment(s) were not imported" in result.stdout and "Anne: Check the name of the firewall" in result.stdout


def test_reimporting_changes_nothing_and_hand_edits_are_kept_as_backup(project: Project) -> None:
    docx = export(project)
    first = inbox(project, f"{FR}.docx")
    translate(docx, first, TRANSLATIONS["fr"], "fr")
    assert project.doit("import").returncode == 0
    target = project.root / "sources" / f"{FR}.md"
    before = target.read_bytes()
    record = (project.root / "translations" / "imported.json").read_bytes()

    again = import_docx(project, first)
    assert again.returncode == 0 and "unchanged" in again.stdout
    assert target.read_bytes() == before
    assert (project.root / "translations" / "imported.json").read_bytes() == record

    edited = before.decode().replace("La FIJ a déclaré :", "La FIJ a déclaré ce qui suit :")
    target.write_text(edited, encoding="utf-8")
    same = import_docx(project, first)
    assert same.returncode == 0 and "kept as it is" in same.stdout and "--force" in same.stdout
    assert target.read_text(encoding="utf-8") == edited

    texts = dict(TRANSLATIONS["fr"], **{"The IFJ said:": "La Fédération a déclaré :"})
    translate(docx, first, texts, "fr")
    newer = import_docx(project, first)
    assert newer.returncode == 0, newer.stderr
    backups = list((project.root / "translations" / "backup").glob(f"{FR}.*.md"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == edited
    assert "edited by hand" in newer.stdout and str(backups[0].relative_to(project.root)) in newer.stdout
    assert "La Fédération a déclaré" in target.read_text(encoding="utf-8")


def test_a_docx_of_no_statement_is_a_clear_error(project: Project, tmp_path: Path) -> None:
    docx = export(project)
    (project.root / "sources" / "2018-11-23-china-online-crackdown.md").unlink()
    stray = inbox(project, f"{FR}.docx")
    shutil.copy2(docx, stray)
    run = project.doit("import")
    assert run.returncode != 0
    assert (
        f"translations/inbox/{FR}.docx: this DOCX is a translation of '{SEED_SLUG}', but no statement in sources/ "
        "has that slug" in run.output
    )
    assert "Traceback" not in run.output
    plain_docx = tmp_path / "letter.fr.docx"
    Document().save(str(plain_docx))
    result = import_docx(project, plain_docx)
    assert result.returncode == 1 and "was not exported by presskit" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.root / "sources" / f"{FR}.md").exists()


def test_the_language_comes_from_the_document_when_the_name_has_none(project: Project, tmp_path: Path) -> None:
    docx = export(project)
    unnamed = tmp_path / "translation from the agency.docx"
    translate(docx, unnamed, TRANSLATIONS["zh-Hans"], "zh-Hans")
    result = import_docx(project, unnamed)
    assert result.returncode == 0, result.stderr
    made = project.root / "sources" / f"{SEED_SLUG}.zh-Hans.md"
    assert "lang: zh-Hans" in made.read_text(encoding="utf-8")
    untranslated = tmp_path / "untranslated.docx"
    shutil.copy2(docx, untranslated)
    refused = import_docx(project, untranslated)
    assert refused.returncode == 1 and "the language of the original" in refused.stderr and "--lang" in refused.stderr
    assert import_docx(project, untranslated, "--lang", "es").returncode == 0
    assert (project.root / "sources" / f"{SEED_SLUG}.es.md").exists()


def _edit_paragraph(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_stale_translations_are_named_marked_and_rebuilt_exactly(project: Project) -> None:
    docx = export(project)
    translate(docx, inbox(project, f"{FR}.docx"), TRANSLATIONS["fr"], "fr")
    assert project.doit("import").returncode == 0
    run = project.doit()
    assert run.returncode == 0, run.output
    assert "up to date" in project.doit("translations").stdout
    notice = (
        "Cette traduction ne reflète peut-être pas la dernière version de l’original, mis à jour le 23 novembre 2018."
    )
    assert notice not in html_text(project.output(FR, ".html"))

    original = project.root / "sources" / "2018-11-23-china-online-crackdown.md"
    _edit_paragraph(original, "uses having to use VPNs", "users having to use VPNs")
    run = project.doit()
    assert run.returncode == 0, run.output
    formats = {task.split(":")[0] for task in run.executed if task.endswith(f":{FR}")}
    assert {"html", "pdf", "docx", "txt", "eml"} <= formats, run.executed
    assert all(task.endswith((f":{SEED_SLUG}", f":{FR}")) or ":" not in task for task in run.executed), run.executed

    status = project.doit("translations").stdout
    assert re.search(r"fr\s+stale\s+sources/china-online-crackdown\.fr\.md", status), status
    assert "paragraph 3 changed: “uses” → “users”" in status
    assert "now: “The latest crackdown comes, despite Twitter being blocked" in status
    assert "paragraph 1 changed" not in status and "paragraph 2 changed" not in status
    assert re.search(r"zh-Hans\s+missing", status), status

    assert notice in html_text(project.output(FR, ".html"))
    assert squash(notice) in squash(pdf_text(project.output(FR, ".pdf")))
    assert squash(notice) in squash(project.output(FR, ".txt").read_text(encoding="utf-8"))
    assert notice in [text for _, text in docx_paragraphs(project.output(FR, ".docx"))]
    message = email.message_from_bytes(project.output(FR, ".eml").read_bytes(), policy=email.policy.default)
    parts = {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
    assert notice in parts["text/html"] and squash(notice) in squash(parts["text/plain"])

    # A second change to the original leaves the note as it is: the translation's outputs are not rebuilt.
    _edit_paragraph(original, "The IFJ said:", "The IFJ said today:")
    run = project.doit()
    assert run.returncode == 0, run.output
    assert not [task for task in run.executed if task.endswith(f":{FR}")], run.executed
    assert f"html:{SEED_SLUG}" in run.executed
    status = project.doit("translations").stdout
    assert "paragraph 3 changed: “uses” → “users”" in status
    assert "paragraph 6 changed: “said:” → “said today:”" in status


def test_the_docx_of_a_translation_imports_as_a_translation_of_the_same_original(project: Project) -> None:
    docx = export(project)
    translate(docx, inbox(project, f"{FR}.docx"), TRANSLATIONS["fr"], "fr")
    assert project.doit("import").returncode == 0
    target = project.root / "sources" / f"{FR}.md"
    made_from = yaml.safe_load(target.read_text(encoding="utf-8").split("---\n")[1])["source_sha256"]
    reviewed = export(project, FR)  # the French DOCX, as a reviewer gets it
    texts = {"La FIJ a déclaré\u202f:": "La FIJ a ajouté :"}  # the DOCX has French spacing
    assert translate(reviewed, inbox(project, f"{FR}.docx"), texts, "fr") == []
    result = import_docx(project, inbox(project, f"{FR}.docx"))
    assert result.returncode == 0, result.stderr
    head = yaml.safe_load(target.read_text(encoding="utf-8").split("---\n")[1])
    assert head["source_sha256"] == made_from and head["translation_of"] == SEED_SLUG
    assert "La FIJ a ajouté" in target.read_text(encoding="utf-8")
    assert re.search(r"fr\s+up to date", project.doit("translations").stdout)


def test_two_docx_files_for_one_translation_are_refused_not_a_crash(project: Project) -> None:
    docx = export(project)
    translate(docx, inbox(project, f"{FR}.docx"), TRANSLATIONS["fr"], "fr")
    translate(docx, inbox(project, f"{SEED_SLUG} (2).fr.docx"), TRANSLATIONS["fr"], "fr")
    run = project.doit("import")
    assert run.returncode != 0 and "Traceback" not in run.output
    assert (
        f"translations/inbox/{FR}.docx: imports to sources/{FR}.md, like "
        f"translations/inbox/{SEED_SLUG} (2).fr.docx; keep only one of them in translations/inbox/" in run.output
    ), run.output
    assert (project.root / "sources" / f"{FR}.md").exists(), "the first DOCX is imported"


def test_paragraph_diff_names_the_changed_words() -> None:
    from presskit.translate.translation import paragraph_diff

    old = "First paragraph.\n\nSecond one stays.\n\nThird has a typo in it.\n\nFourth goes away."
    new = "First paragraph.\n\nSecond one stays.\n\nThird has no typo in it.\n\nA new fifth."
    assert paragraph_diff(old, new) == [
        "paragraph 3 changed: “a” → “no”",
        "    now: “Third has no typo in it.”",
        "paragraph 4 changed: “Fourth goes away.” → “A new fifth.”",
        "    now: “A new fifth.”",
    ]
    assert paragraph_diff(old, old + "\n\nAdded.") == ["paragraph 5 added: “Added.”"]
    assert paragraph_diff(old, old.replace("\n\nSecond one stays.", "")) == [
        "paragraph removed after paragraph 1: “Second one stays.”"
    ]


def test_images_come_back_as_the_original_files(project: Project) -> None:
    from PIL import Image

    Image.new("RGB", (80, 40), (200, 30, 30)).save(project.root / "sources" / "chart.png")
    project.write(
        "sources/pic.md",
        "---\ntitle: Attacks in 2018\ndate: 2019-01-02\n---\n\n"
        "Before.\n\n![A red chart of attacks](chart.png)\n\nAfter.\n",
    )
    docx = export(project, "pic")
    translated = inbox(project, "pic.fr.docx")
    translate(docx, translated, {"Before.": "Avant.", "After.": "Après."}, "fr")
    result = import_docx(project, translated)
    assert result.returncode == 0, result.stderr
    body = body_of(project.root / "sources" / "pic.fr.md")
    assert "](chart.png)" in body and "media/" not in body
    run = project.doit("html:pic.fr", "pdf:pic.fr")
    assert run.returncode == 0, run.output
    images = [img.get("src", "") for img in html_tree(project.output("pic.fr", ".html")).iter("img")]
    assert any(src.startswith("data:image/png") for src in images)

    doc = Document(str(translated))
    for paragraph in doc.paragraphs:
        if paragraph.text == "Avant.":
            paragraph.runs[0].add_picture(str(project.root / "sources" / "chart.png"))
    doc.save(str(translated))
    refused = import_docx(project, translated)
    assert refused.returncode == 1 and "the DOCX has 2 image(s) and the original 1" in refused.stderr
