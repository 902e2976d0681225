"""Hostile layouts, labels, caches and records: a clear message naming the file, never a traceback or a hang.

What a layout folder, a labels file, the build cache or the import record holds comes from someone else (a
designer's export, a shared folder, a CI cache): each attack here once crashed every command, drew a file
from elsewhere, or built gigabytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presskit import bounds, cache
from presskit.errors import InputError
from presskit.formats import mail
from presskit.prepare import prepared
from presskit.read import brand, labels
from tests import doit_output
from tests.conftest import REPO, SEED_SLUG, Project, checkout_env

BRAND = "layouts/asia-pacific/_brand.yml"
"""The brand of the seed statement."""
LONG = "a" * 300 + ".svg"
"""A name longer than any file system allows (255 bytes)."""


def _edit(project: Project, relative: str, old: str, new: str) -> None:
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    """A copy of the project's layouts, with no brand kept in memory from another test."""
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    brand._load_cached.cache_clear()
    labels._load.cache_clear()
    yield tmp_path / "layouts"
    brand._load_cached.cache_clear()
    labels._load.cache_clear()


def _load(layouts: Path) -> brand.Brand:
    with cache.using(layouts.parent / "build" / "_cache"):
        return brand.load(layouts, "default", layouts.parent)


def _refused(layouts: Path) -> str:
    brand._load_cached.cache_clear()
    with pytest.raises(InputError) as refused:
        _load(layouts)
    return str(refused.value)


# --- names too long for the system ---------------------------------------------------------------------------


def test_a_logo_or_font_name_too_long_for_the_system_stops_no_command(project: Project) -> None:
    _edit(project, BRAND, "mark: logo.svg", f"mark: {LONG}")
    _edit(project, BRAND, "path: ../default/fonts/Lato-Italic.ttf", f"path: ../default/fonts/{LONG}")
    listed = project.doit("list")
    assert listed.returncode == 0, listed.output
    run = project.doit(f"txt:{SEED_SLUG}")
    assert doit_output.failures(run.output)[f"txt:{SEED_SLUG}"] == (
        f"{BRAND}: logo: file {LONG} not found in layouts/asia-pacific\n"
        f"{BRAND}: typography.fonts: font file ../default/fonts/{LONG} not found"
    )


# --- layout files not saved as UTF-8, or no file at all -------------------------------------------------------


@pytest.mark.parametrize("name", ["_brand.yml", "labels.yml"])
def test_a_layout_file_not_saved_as_utf_8_is_named_with_its_line(layouts: Path, name: str) -> None:
    path = layouts / "default" / name
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))
    lines[at] = "# Communiqué\n"
    path.write_bytes("".join(lines).encode("latin-1", errors="replace"))
    expected = (
        f"layouts/default/{name}:{at + 1}: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 in your editor"
    )
    if name == "_brand.yml":
        assert _refused(layouts) == expected
        assert brand.asset_files(layouts, "default") == ()  # while tasks load: nothing, and no traceback
    else:
        kept = _load(layouts)
        with pytest.raises(InputError) as refused:
            labels.for_lang(kept, "en")
        assert str(refused.value) == expected


def _layout_file_refusal(layouts: Path, name: str) -> str:
    """The message loading the brand or its labels fails with."""
    if name == "_brand.yml":
        return _refused(layouts)
    labels._load.cache_clear()
    with pytest.raises(InputError) as refused:
        labels.for_lang(_load(layouts), "en")
    return str(refused.value)


@pytest.mark.parametrize("name", ["_brand.yml", "labels.yml"])
def test_a_layout_file_that_is_a_folder_or_too_large_is_refused(layouts: Path, name: str) -> None:
    path = layouts / "default" / name
    original = path.read_text(encoding="utf-8")
    path.unlink()
    path.mkdir()
    assert _layout_file_refusal(layouts, name) == (
        f"layouts/default/{name}: is not a file (a folder, a device or a pipe); it must be a YAML text file"
    )
    path.rmdir()
    path.write_text(original + "#" * 1_100_000 + "\n", encoding="utf-8")
    assert _layout_file_refusal(layouts, name) == (
        f"layouts/default/{name}: the file is 1.1 MB; a layout's settings file may be at most 1 MB"
    )


# --- the brand's logo is an image like any other ---------------------------------------------------------------

FETCHING_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    '<image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>'
)
LOOPING_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    '<g id="a"><rect width="1" height="1"/><use xlink:href="#a"/></g></svg>'
)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (
            FETCHING_LOGO,
            "logo.svg refers to another file or address (file:///etc/hostname); an SVG must be self-contained: "
            "export it with its images and fonts embedded as drawing, or remove the reference",
        ),
        (
            LOOPING_LOGO,
            "logo.svg has a <use> element that refers to itself or to an element containing it (#a); the drawing "
            "would never end: export the image again",
        ),
    ],
)
def test_a_logo_that_loads_a_file_or_never_ends_is_refused_with_the_brand(
    layouts: Path, svg: str, message: str
) -> None:
    (layouts / "default" / "logo.svg").write_text(svg, encoding="utf-8")
    assert _refused(layouts) == f"layouts/default/_brand.yml: logo: {message}"


def test_a_logo_that_loads_a_file_gives_a_message_in_the_e_mail_and_the_docx(project: Project) -> None:
    (project.root / "layouts" / "asia-pacific" / "logo.svg").write_text(FETCHING_LOGO, encoding="utf-8")
    run = project.doit(f"eml:{SEED_SLUG}", "reference")
    failed = doit_output.failures(run.output)
    assert "Traceback" not in run.output
    message = (
        f"{BRAND}: logo: logo.svg refers to another file or address (file:///etc/hostname); an SVG must be "
        "self-contained: export it with its images and fonts embedded as drawing, or remove the reference"
    )
    assert failed[f"txt:{SEED_SLUG}"] == message
    assert failed["reference:asia-pacific"] == message


# --- the brand's language, labels in headers -------------------------------------------------------------------


def test_the_brand_language_must_be_a_language_code(layouts: Path) -> None:
    path = layouts / "default" / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("    lang: en-GB\n")].count("\n") + 1
    text = text.replace("    lang: en-GB\n", "    lang: 12\n").replace(
        "    languages: [en, fr, es]", "    languages: [en, ../fr]"
    )
    path.write_text(text, encoding="utf-8")
    assert _refused(layouts) == (
        "layouts/default/_brand.yml: defaults.presskit.languages: '../fr' is not a language code; use e.g. en, fr, "
        f"zh-Hans\nlayouts/default/_brand.yml:{line}: defaults.presskit.lang: '12' is not a BCP 47 language tag; "
        "use one such as en, fr, es, zh-Hans or ar"
    )
    assert brand.written_lang(layouts, "default") is None


CONTROL_BELL = (
    "holds the invisible control character U+0007, which Word and mail programs refuse; delete it (retype the "
    "text around it if your editor does not show it)"
)
ENCODED_WORD = (
    "holds '=?...?=', which mail programs read as an encoded word and replace by other text; "
    "write the text itself, without '=?' and '?='"
)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"EMBARGOED\\a until"', CONTROL_BELL),
        ("'=?utf-8?b?RU1CQVJHT0VEDQpCY2M6IHNweUBldmlsLmV4YW1wbGU=?='", ENCODED_WORD),
        ('"EMBARGOED\\nuntil"', "must be on one line; remove the line break"),
    ],
)
def test_a_label_with_a_control_character_or_an_encoded_word_is_refused(
    layouts: Path, written: str, message: str
) -> None:
    path = layouts / "default" / "labels.yml"
    text = path.read_text(encoding="utf-8")
    old = "  embargo_subject: EMBARGOED until\n"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, f"  embargo_subject: {written}\n", 1), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        labels.for_lang(_load(layouts), "en")
    assert str(refused.value) == f"layouts/default/labels.yml:{line}: embargo_subject: {message}"


def test_every_final_header_of_the_e_mail_is_checked(project: Project, tmp_path: Path) -> None:
    from presskit.read import statement

    root = project.root
    st, kept = statement.load(next((root / "sources").glob("*.md")), root, root / "sources", root / "layouts")
    with cache.using(root / "build" / "_cache"):
        ready = prepared.of(st, kept)
    embargoed = dataclasses.replace(st, embargo=dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC))
    ready = dataclasses.replace(ready, statement=embargoed, words={**ready.words, "embargo_subject": "EMBARGO\x1b"})
    wire, pdf = tmp_path / "wire.txt", tmp_path / "x.pdf"
    wire.write_text("Wire copy.\n", encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.7\n")
    with cache.using(root / "build" / "_cache"), pytest.raises(InputError) as refused:
        mail.render(ready, wire, pdf)
    assert str(refused.value) == f"{st.display}: Subject: " + CONTROL_BELL.replace("U+0007", "U+001B")


# --- placeholders are names, never formats ---------------------------------------------------------------------


def test_a_key_twice_in_a_nested_mapping_of_the_brand_is_a_message(layouts: Path) -> None:
    path = layouts / "default" / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("    page_size: A4\n")].count("\n") + 1
    path.write_text(text.replace("    page_size: A4\n", "    page_size: A4\n    page_size: A4\n"), encoding="utf-8")
    assert _refused(layouts) == (
        f'layouts/default/_brand.yml:{line + 1}: the file is not valid YAML (found duplicate key "page_size" with '
        'value "A4" (original value: "A4")); fix the line'
    )


def test_a_placeholder_that_formats_its_value_is_refused(layouts: Path) -> None:
    path = layouts / "default" / "labels.yml"
    text = path.read_text(encoding="utf-8")
    old = "  page: Page {n} of {m}\n"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, "  page: Page {n:>999999999} of {m!r}\n", 1), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InputError) as refused:
        labels.for_lang(_load(layouts), "en")
    assert str(refused.value) == (
        f"layouts/default/labels.yml:{line}: page: '{{n:>999999999}}' formats its value, which presskit does not "
        "do; write the placeholder alone, e.g. {date}"
    )
    brand_file = layouts / "default" / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    dateline = "      headline: upper\n      dateline: '{CITY}, {date:>999999999} --'\n"
    brand_file.write_text(text.replace("      headline: upper\n", dateline), encoding="utf-8")
    assert _refused(layouts) == (
        "layouts/default/_brand.yml: defaults.presskit.wire.dateline: '{date:>999999999}' formats its value, which "
        "presskit does not do; write it like '{CITY}, {date} --'"
    )
    assert time.monotonic() - started < 10


# --- a poisoned brand cache ------------------------------------------------------------------------------------


COLORS = {"foreground": "#000000", "background": "#ffffff", "secondary": "#000000"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("folder", "/etc"),
        ("logo", "/etc/hostname"),
        ("font_files", [{"family": "Lato", "path": "/etc/passwd", "weight": 400, "style": "normal"}]),
        ("contact", {"name": "Desk", "email": "spy@evil.example\r\nBcc: x@evil.example", "phone": None}),
        ("colors", {**COLORS, "primary": "red;}body{background:url(http://evil.example/)}"}),
        ("site_url", "javascript:alert(1)"),
        ("lang", "../../etc"),
    ],
)
def test_a_poisoned_brand_cache_entry_is_never_taken(layouts: Path, field: str, value: object) -> None:
    first = _load(layouts)
    entries = sorted((layouts.parent / "build" / "_cache").rglob("*.brand.json"))
    assert len(entries) == 1
    kept = json.loads(entries[0].read_text(encoding="utf-8"))
    entries[0].write_text(json.dumps({**kept, field: value}), encoding="utf-8")
    brand._load_cached.cache_clear()
    again = _load(layouts)
    assert dataclasses.asdict(again) == dataclasses.asdict(first)


# --- the translation status with a broken original ---------------------------------------------------------------


def test_the_status_names_a_broken_original_of_a_stale_translation(project: Project) -> None:
    from presskit.translate import translation

    original = next((project.root / "sources").glob("*.md"))
    kept = original.read_bytes()
    sha = hashlib.sha256(kept).hexdigest()
    snapshot = translation.snapshot_path(project.root, SEED_SLUG, sha)
    snapshot.parent.mkdir(parents=True)
    snapshot.write_bytes(kept)
    project.write(
        f"sources/{SEED_SLUG}.fr.md",
        f"---\ntitle: Titre\ndate: 2018-11-23\nlang: fr\ntranslation_of: {SEED_SLUG}\nsource_sha256: {sha}\n---\n\n"
        "Texte.\n",
    )
    original.write_text("---\ntitle: 'unclosed\n---\n\nBody.\n", encoding="utf-8")
    problem = (
        f"{original.relative_to(project.root)}:2: the front matter is not valid YAML (found unexpected end of "
        "stream): a quote is not closed: end the value with the same quote it starts with"
    )
    expected = f"the changed paragraphs cannot be shown: {problem}"
    command = subprocess.run(
        [sys.executable, "-m", "presskit", "--root", str(project.root), "status"],
        capture_output=True, text=True, env=checkout_env(), timeout=120,
    )  # fmt: skip
    assert command.returncode == 0 and "Traceback" not in command.stderr, command.stderr
    assert re.search(rf"fr\s+stale\s+sources/{SEED_SLUG}\.fr\.md\n\s+{re.escape(expected)}\n", command.stdout)
    run = project.doit("translations")
    assert run.returncode == 0 and expected in run.stdout, run.output


# --- a damaged import record -------------------------------------------------------------------------------------

DAMAGED_RECORD = (
    "translations/imported.json: warning: the record of past imports is damaged and was read as empty; a "
    "translation edited since its import is kept in the backup folder before it is replaced"
)


@pytest.mark.parametrize(
    "record",
    [f'{{"sources/{SEED_SLUG}.fr.md": [1]}}', '{"x": ' * 100_000 + "1" + "}" * 100_000, "\xff not json", "[]"],
    ids=["entry-not-a-mapping", "deep", "not-json", "not-a-mapping"],
)
def test_a_damaged_import_record_is_read_as_empty_with_a_warning(project: Project, record: str) -> None:
    folder = project.root / "translations"
    shutil.copytree(REPO / "translations" / "inbox", folder / "inbox")
    (folder / "imported.json").write_text(record, encoding="utf-8")
    command = subprocess.run(
        [sys.executable, "-m", "presskit", "--root", str(project.root), "import",
         str(folder / "inbox" / f"{SEED_SLUG}.fr.docx")],
        capture_output=True, text=True, env=checkout_env(), timeout=120,
    )  # fmt: skip
    assert command.returncode == 0, command.stderr
    assert command.stdout.splitlines() == [
        DAMAGED_RECORD,
        f"sources/{SEED_SLUG}.fr.md: imported from translations/inbox/{SEED_SLUG}.fr.docx",
    ]
    written = json.loads((folder / "imported.json").read_text(encoding="utf-8"))
    assert list(written) == [f"sources/{SEED_SLUG}.fr.md"]


# --- linear searches ----------------------------------------------------------------------------------------------


def test_the_line_of_a_footnote_is_found_in_linear_time() -> None:
    body = "Text.\n\n" + "[^a " * 250_000 + "\n\n[^1]: The note.\n"  # a statement's largest size: 1 MB
    started = time.monotonic()
    assert bounds._nth(body, 10, bounds.NOTE_PATTERN, 1) == 14
    assert time.monotonic() - started < 1


# --- the proof sheet ---------------------------------------------------------------------------------------------


def test_the_proof_sheet_writes_only_in_the_project_and_survives_a_damaged_manifest(tmp_path: Path) -> None:
    from presskit.tasks import proof

    root = tmp_path / "project"
    proof_folder = root / "build" / SEED_SLUG / "proof"
    proof_folder.mkdir(parents=True)
    damaged = [proof_folder / f"{name}.json" for name in ("list", "deep", "bytes", "shape")]
    damaged[0].write_text("[1]", encoding="utf-8")
    damaged[1].write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    damaged[2].write_bytes(b"\xff\xfe")
    damaged[3].write_text('{"title": "T", "pdf": "../../x.pdf", "page": "p", "pdf_pages": [], "screens": []}')
    target = root / "build" / "proof.html"
    assert proof._sheet_action([str(m) for m in damaged], str(target), str(root)) is None
    sheet = target.read_text(encoding="utf-8")
    for manifest in damaged:
        assert (
            f"<h2>{manifest.stem}</h2><p>The pictures of this statement are missing or damaged ({manifest.name}); "
            "run <code>doit proof</code> again.</p>"
        ) in sheet
    outside = tmp_path / "elsewhere.html"
    failed = proof._sheet_action([], str(outside), str(root))
    assert failed is not None and str(failed.message).startswith("../elsewhere.html: refused to write this file")
    assert not outside.exists()


def test_the_command_a_kept_translation_suggests_is_the_one_that_works(project: Project) -> None:
    folder = project.root / "translations"
    shutil.copytree(REPO / "translations" / "inbox", folder / "inbox")
    docx = f"translations/inbox/{SEED_SLUG}.fr.docx"

    def presskit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "presskit", *args], cwd=project.root, capture_output=True, text=True,
            env=checkout_env(), timeout=120,
        )  # fmt: skip

    assert presskit("import", docx).returncode == 0
    target = project.root / "sources" / f"{SEED_SLUG}.fr.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nA line added by hand.\n", encoding="utf-8")
    kept = presskit("import", docx)
    command = f"python3 -m presskit import {docx} --force"
    assert kept.stdout.splitlines() == [
        f"sources/{SEED_SLUG}.fr.md: kept as it is: it was edited after {docx} was imported; to replace it with "
        f"the DOCX, run {command}"
    ]
    forced = presskit(*command.split()[3:])
    assert forced.returncode == 0 and f"sources/{SEED_SLUG}.fr.md: imported from {docx}" in forced.stdout
    assert "A line added by hand." not in target.read_text(encoding="utf-8")
