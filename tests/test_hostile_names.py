"""Names stay names: a layout, a language or a slug never becomes a path out of its folder, templates run sandboxed,
and an imported translation is the translation of the statement and version it names.

Each attack is tried as a statement's author or an outside translator would: through the front matter, a
layout folder, or the properties and styles of a translated DOCX.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document

from presskit import output
from presskit.errors import InputError
from tests import doit_output
from tests.conftest import SAMPLES, SEED_SLUG, SEED_SOURCE, Project
from tests.translator import export, import_docx, translate

TRANSLATIONS = yaml.safe_load((SAMPLES / "seed-translations.yml").read_text(encoding="utf-8"))
PAYLOAD = '{{ cycler.__init__.__globals__.os.popen("touch PWNED").read() }}'
SEED_FILE = f"sources/{SEED_SOURCE.name}"


def pwned(*folders: Path) -> list[Path]:
    """Files the payload would have created."""
    return [p for folder in folders for p in folder.rglob("PWNED")]


def evil_layout(folder: Path) -> Path:
    """A complete layout (a copy of the default one) whose page template runs a shell command."""
    shutil.copytree(Path(__file__).resolve().parents[1] / "layouts" / "default", folder)
    (folder / "page.html").write_text(f"<!DOCTYPE html>\n<title>x</title>\n{PAYLOAD}\n", encoding="utf-8")
    return folder


def statement(project: Project, name: str, layout: str) -> None:
    project.write(
        f"sources/{name}.md",
        f'---\ntitle: Attack\ndate: 2018-11-23\nlayout: "{layout}"\n---\n\nA body paragraph.\n',
    )


@pytest.mark.parametrize("where", ["../sources/evil", "absolute", "../../outside-evil"])
def test_a_layout_given_as_a_path_is_refused_and_its_templates_never_run(project: Project, where: str) -> None:
    outside = project.root.parent / "outside-evil"
    if where == "../sources/evil":
        evil_layout(project.root / "sources" / "evil")
    else:
        evil_layout(outside)
        where = str(outside) if where == "absolute" else where
    statement(project, "attack", where)
    listed = project.doit("list")
    assert listed.returncode == 0, listed.output
    run = project.doit("html:attack", f"html:{SEED_SLUG}")
    assert run.returncode != 0
    assert doit_output.failures(run.output)["html:attack"] == (
        f"sources/attack.md:4: layout: {where!r} is not the name of a layout: a layout is a folder of layouts/, "
        "named without '/', '\\', '..' or a leading dot; available: asia-pacific, default"
    )
    assert "Traceback" not in run.output
    assert project.output(SEED_SLUG, ".html").is_file()
    assert not project.output("attack", ".html").exists()
    assert pwned(project.root.parent) == []


def test_a_layout_template_runs_in_the_sandbox(project: Project) -> None:
    evil_layout(project.root / "layouts" / "evil")
    statement(project, "attack", "evil")
    run = project.doit("html:attack", f"html:{SEED_SLUG}")
    assert run.returncode != 0
    assert doit_output.failures(run.output)["html:attack"] == (
        "layouts/evil/page.html:3: the template tried something a layout may not do (access to attribute "
        "'__init__' of 'type' object is unsafe.); a template may only show the statement and the brand, "
        "so it was not rendered"
    )
    assert "Traceback" not in run.output
    assert project.output(SEED_SLUG, ".html").is_file()
    assert pwned(project.root.parent) == []


# --- translations ---------------------------------------------------------------------------------------------


def inbox(project: Project, name: str) -> Path:
    folder = project.root / "translations" / "inbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def with_properties(docx: Path, **changes: str) -> None:
    """Change custom properties of a DOCX (`presskit_slug` for presskit-slug), as anyone can in Word."""
    data = docx.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/custom.xml":
                text = content.decode("utf-8")
                for key, value in changes.items():
                    name = key.replace("_", "-")
                    text, count = re.subn(rf'(name="{name}"><vt:lpwstr>)[^<]*', rf"\g<1>{value}", text)
                    assert count == 1, name
                content = text.encode("utf-8")
            target.writestr(info, content)
    docx.write_bytes(out.getvalue())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "mark", ["x/../2018-11-23-china-online-crackdown", "x/../../../../../../../../../../tmp/outside-written"]
)
def test_a_document_language_that_is_a_path_writes_nothing(project: Project, mark: str) -> None:
    docx = export(project)
    unnamed = inbox(project, "translation.docx")  # no language in the name: it comes from the document
    translate(docx, unnamed, TRANSLATIONS["fr"], mark)
    original = (project.root / SEED_FILE).read_bytes()
    around = project.root.parent
    before = {p for p in around.rglob("*") if "translations" not in p.parts and "build" not in p.parts}
    run = project.doit("import")
    expected = (
        f"translations/inbox/translation.docx: the document is marked as written in {mark!r}, which is not a "
        f"language code; name the file like {SEED_SLUG}.fr.docx (with the language code) or give it with --lang"
    )
    assert run.returncode != 0 and doit_output.failures(run.output)["import:translation"] == expected
    cli = import_docx(project, unnamed)
    assert cli.returncode == 1 and cli.stderr.strip() == expected
    assert "Traceback" not in run.output + cli.stderr
    assert (project.root / SEED_FILE).read_bytes() == original
    after = {p for p in around.rglob("*") if "translations" not in p.parts and "build" not in p.parts}
    assert after == before
    assert not Path("/tmp/outside-written.md").exists()
    assert list((project.root / "sources").iterdir()) == [project.root / SEED_FILE]


def test_a_language_option_that_is_a_path_is_refused(project: Project) -> None:
    docx = export(project)
    named = inbox(project, "translation.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    result = import_docx(project, named, "--lang", "../2018-11-23-china-online-crackdown")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "translations/inbox/translation.docx: --lang: '../2018-11-23-china-online-crackdown' is not a language "
        "code; use one such as fr, es or zh-Hans"
    )
    assert list((project.root / "sources").iterdir()) == [project.root / SEED_FILE]


def test_an_import_writing_outside_the_project_is_refused(project: Project, tmp_path: Path) -> None:
    docx = export(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    originals = project.root / "translations" / "originals"
    shutil.rmtree(originals)
    originals.symlink_to(elsewhere)  # a link planted in the project: writing through it leaves the project
    named = inbox(project, f"{SEED_SLUG}.fr.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    result = import_docx(project, named)
    sha = hashlib.sha256((project.root / SEED_FILE).read_bytes()).hexdigest()
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"translations/originals/{SEED_SLUG}/{sha}.md: refused to write this file: presskit writes only in "
        f"sources/, build/, translations/ of the project ({project.root}), and this path leads elsewhere"
    )
    assert list(elsewhere.rglob("*")) == []
    assert not (project.root / "sources" / f"{SEED_SLUG}.fr.md").exists()


def test_every_write_is_checked_against_the_project(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    with output.confined(root):
        output.write(root / "build" / "x" / "ok.txt", "fine")
        for target in (root / "sources" / ".." / ".." / "escaped.md", root / "dodo.py", tmp_path / "other.txt"):
            with pytest.raises(InputError, match="refused to write this file"):
                output.write(target, "never")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["ok.txt"]
    output.write(tmp_path / "library-use.txt", "outside a project's build, nothing is confined")


def other_statement(project: Project) -> Path:
    """A second statement, like the seed but for one sentence."""
    text = SEED_SOURCE.read_text(encoding="utf-8").replace("The IFJ said:", "The IFJ added:")
    return project.write("sources/2018-11-24-other-crackdown.md", text)


def test_a_docx_naming_another_statement_is_refused(project: Project) -> None:
    other = other_statement(project)
    docx = export(project)
    named = inbox(project, "other-crackdown.fr.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    with_properties(named, presskit_slug="other-crackdown")
    result = import_docx(project, named)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "translations/inbox/other-crackdown.fr.docx: presskit-slug: this DOCX says it translates "
        f"{other.relative_to(project.root)} (presskit-slug 'other-crackdown'), but it was exported from {SEED_FILE}; "
        "it was not imported: check which statement the translator was sent, and import the DOCX of that statement"
    )
    assert not (project.root / "sources" / "2018-11-24-other-crackdown.fr.md").exists()
    assert not (project.root / "sources" / "other-crackdown.fr.md").exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"presskit_source_sha256": "not-a-hash"},
            "presskit-source-sha256: 'not-a-hash' is not a SHA-256 (64 digits 0-9 and a-f); the DOCX's properties "
            "were changed after presskit exported it; translate the DOCX presskit built",
        ),
        (
            {"presskit_slug": "../../etc/cron.d/x"},
            "presskit-slug: '../../etc/cron.d/x' is not the slug of a statement; the DOCX's properties were "
            "changed after presskit exported it; translate the DOCX presskit built",
        ),
        (
            {"presskit_source_sha256": "0" * 64},
            f"presskit-source-sha256: this DOCX says it was made from a version of {SEED_FILE} that presskit has no "
            f"record of (presskit-source-sha256 000000000000...): not the current one, nor one kept in "
            f"translations/originals/{SEED_SLUG}/ when its DOCX was built; it was not imported: build the DOCX again "
            f"(doit docx:{SEED_SLUG}) and have the translation carried over",
        ),
    ],
)
def test_a_docx_with_forged_properties_is_refused(project: Project, changes: dict[str, str], expected: str) -> None:
    docx = export(project)
    named = inbox(project, f"{SEED_SLUG}.fr.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    with_properties(named, **changes)
    result = import_docx(project, named)
    assert result.returncode == 1
    assert result.stderr.strip() == f"translations/inbox/{SEED_SLUG}.fr.docx: {expected}"
    listed = project.doit("list")
    assert listed.returncode == 0, listed.output
    assert list((project.root / "sources").iterdir()) == [project.root / SEED_FILE]


def test_a_docx_of_an_earlier_version_imports_as_a_stale_translation(project: Project) -> None:
    docx = export(project)  # the DOCX build keeps the version it was made from
    source = project.root / SEED_FILE
    source.write_text(source.read_text(encoding="utf-8").replace("The IFJ said:", "The IFJ said today:"))
    named = inbox(project, f"{SEED_SLUG}.fr.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    result = import_docx(project, named)
    assert result.returncode == 0, result.stderr
    status = project.doit("translations").stdout
    assert re.search(r"fr\s+stale\s+sources/china-online-crackdown\.fr\.md", status), status
    assert "paragraph 6 changed: “said:” → “said today:”" in status


def test_body_paragraphs_keep_their_text_whatever_their_style(project: Project) -> None:
    docx = export(project)
    named = inbox(project, f"{SEED_SLUG}.fr.docx")
    translate(docx, named, TRANSLATIONS["fr"], "fr")
    document = Document(str(named))
    restyled = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Body Text" and len(restyled) < 4:
            style = ("Contact", "Dateline", "Boilerplate", "Title")[len(restyled)]
            paragraph.style = document.styles[style]
            restyled[style] = paragraph.text
    document.save(str(named))
    assert len(restyled) == 4
    result = import_docx(project, named)
    assert result.returncode == 0, result.stderr
    made = (project.root / "sources" / f"{SEED_SLUG}.fr.md").read_text(encoding="utf-8")
    head, body = made.split("\n---\n", 1)
    fields = yaml.safe_load(head.removeprefix("---\n"))
    assert fields["dateline"] == TRANSLATIONS["fr"]["Sydney"]
    assert fields["title"] == TRANSLATIONS["fr"][SEED_TITLE]
    flat = " ".join(body.split())
    for style, text in restyled.items():
        assert " ".join(text.split()) in flat, f"the paragraph styled {style} lost its text"


SEED_TITLE = yaml.safe_load(SEED_SOURCE.read_text(encoding="utf-8").split("---\n")[1])["title"]
