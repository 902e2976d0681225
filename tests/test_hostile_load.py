"""Hostile files never stop the loading of tasks: each fails its own tasks with a message, the rest build.

Everything doit reads while it loads tasks (the front matter of every statement, the DOCX files of the
inbox, the build cache) comes from someone else: a contributor, a translator, a CI cache. One project
holds the seed and one statement or inbox file per attack; `doit list`, `doit clean`, `doit txt` and
`doit import` each run once over it.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from presskit import cache
from presskit.read import brand, frontmatter, images, statement
from presskit.tasks import translations
from presskit.translate import docxread, importer
from tests import doit_output
from tests.conftest import REPO, SEED_SLUG, Project, Run, checkout_env, make_project

VALID_DOCX = REPO / "translations" / "inbox" / f"{SEED_SLUG}.fr.docx"
AGAIN = "open it in Word and save it again as .docx, then import it again"
TAG = (
    "is a YAML tag, which presskit does not read; remove it and write the value plainly (in quotes to keep it as text)"
)
DEEP = "lists or fields are nested more than 20 deep; flatten them"
LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


def _statement(front: str, body: str = "Body.\n") -> str:
    return f"---\ntitle: Hostile\n{front}\n---\n\n{body}"


# file name -> (content, the exact message each of its tasks fails with)
HOSTILE: dict[str, tuple[str, str]] = {
    "timestamp.md": (
        "---\ntitle: Tag\ndate: !!timestamp 2018-02-30\n---\n\nBody.\n",
        f"sources/timestamp.md:3: date: '!!timestamp' {TAG}",
    ),
    "int-tag.md": (_statement("date: 2018-11-23\nsummary: !!int abc"), f"sources/int-tag.md:4: summary: '!!int' {TAG}"),
    "bool-tag.md": (
        _statement("date: 2018-11-23\ntags: [!!bool maybe]"),
        f"sources/bool-tag.md:4: tags: '!!bool' {TAG}",
    ),
    "python-tag.md": (
        _statement('date: 2018-11-23\nsummary: !!python/object/apply:os.system ["touch pwned"]'),
        f"sources/python-tag.md:4: summary: '!!python/object/apply:os.system' {TAG}",
    ),
    "own-tag.md": (
        _statement("date: 2018-11-23\ndateline: !city Paris"),
        f"sources/own-tag.md:4: dateline: '!city' {TAG}",
    ),
    "long-int.md": (
        _statement("date: 2018-11-23\nsummary: " + "7" * 4301),
        "sources/long-int.md:4: summary: the number is 4301 characters long; put the value in quotes to keep it "
        "as text",
    ),
    "base-60.md": (
        _statement("date: 2018-11-23\nsummary: 1" + ":59" * 50_000),
        "sources/base-60.md:4: summary: the number is 150001 characters long; put the value in quotes to keep it "
        "as text",
    ),
    "deep-flow.md": (
        _statement("date: 2018-11-23\ntags: " + "[" * 5000 + "]" * 5000),
        f"sources/deep-flow.md:4: {DEEP}",
    ),
    "deeper-flow.md": (
        _statement("date: 2018-11-23\ntags: " + "[" * 50_000 + "]" * 50_000),
        f"sources/deeper-flow.md:4: {DEEP}",
    ),
    "deep-block.md": (
        _statement("date: 2018-11-23\ntags:\n" + "".join(" " * i + "-\n" for i in range(30))),
        f"sources/deep-block.md:24: tags: {DEEP}",
    ),
    "laughs.md": (
        "---\n" + LAUGHS + "---\n\nBody.\n",
        "sources/laughs.md:2: a: '&a' names a value (a YAML anchor); remove it, the front matter needs none",
    ),
    "alias.md": (
        _statement("date: 2018-11-23\ncontact:\n  name: *desk\n  email: press@example.org"),
        "sources/alias.md:5: contact: '*desk' repeats another value (a YAML alias); write the value out instead",
    ),
}
LOAD_TIMEOUT = 120
"""Seconds `doit list` may take over the whole hostile project; before these fixes it took hours or crashed."""


def _docx_members(source: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(source) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data, method in members:
            z.writestr(zipfile.ZipInfo(name, (2018, 11, 23, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def _rezip(edit: Callable[[str, bytes], tuple[bytes | None, int]]) -> bytes:
    members = []
    for info, data in _docx_members(VALID_DOCX):
        new, method = edit(info.filename, data)
        if new is not None:
            members.append((info.filename, new, method))
    return _zip(members)


def _central_entry(data: bytes, name: str) -> int:
    """Offset of a member's entry in the zip's central directory."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        size = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + size] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 1)
    raise AssertionError(name)


def _patched(data: bytes, name: str, offset_local: int, offset_central: int, value: bytes) -> bytes:
    """The zip with a header field of one member overwritten, in its local and central headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        local = z.getinfo(name).header_offset
    central = _central_entry(data, name)
    out[local + offset_local : local + offset_local + len(value)] = value
    out[central + offset_central : central + offset_central + len(value)] = value
    return bytes(out)


def _document_as(method: int) -> bytes:
    return _rezip(lambda name, data: (data, method if name == docxread.DOCUMENT else zipfile.ZIP_DEFLATED))


def _bomb(size: int) -> bytes:
    """The valid DOCX plus `size` bytes of zeros, packed a thousand to one."""
    members = [(info.filename, data, zipfile.ZIP_DEFLATED) for info, data in _docx_members(VALID_DOCX)]
    return _zip([*members, ("word/media/image2.png", bytes(size), zipfile.ZIP_DEFLATED)])


def _ratio(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    return f"{info.file_size / info.compress_size:.0f}"


DOCTYPE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY lol "lol">'
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _with_doctype(name: str, data: bytes) -> tuple[bytes, int]:
    if name == docxread.DOCUMENT:
        data = DOCTYPE + data.split(b"?>", 1)[1].replace(
            b"</w:body>", b"<w:p><w:r><w:t>&lol;&xxe;</w:t></w:r></w:p></w:body>"
        )
    return data, zipfile.ZIP_DEFLATED


def _inbox() -> dict[str, tuple[bytes, str]]:
    """Inbox file name -> (content, the exact message its import fails with)."""
    stored = _document_as(zipfile.ZIP_STORED)
    crc = _central_entry(stored, docxread.DOCUMENT)
    bad_crc = stored[: crc + 16] + b"\0\0\0\0" + stored[crc + 20 :]
    bomb = _bomb(40_000_000)
    prefix = "translations/inbox/"
    return {
        "corrupt.de.docx": (
            bytes(range(256)) * 40,
            f"{prefix}corrupt.de.docx: is not a Word document (DOCX); save the translation as .docx and import it "
            "again",
        ),
        "truncated.es.docx": (
            VALID_DOCX.read_bytes()[:20_000],
            f"{prefix}truncated.es.docx: is not a Word document (DOCX); save the translation as .docx and import it "
            "again",
        ),
        "password.it.docx": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
            f"{prefix}password.it.docx: is protected with a password or saved in the old Word format (.doc): remove "
            "the password (File > Info > Protect Document) and save it as Word Document (.docx), then import it again",
        ),
        "zip-password.pt.docx": (
            _patched(stored, docxread.DOCUMENT, 6, 8, b"\x01\x00"),
            f"{prefix}zip-password.pt.docx: is encrypted ('word/document.xml' needs a password): {AGAIN} without a "
            "password",
        ),
        "deflate64.nl.docx": (
            _patched(stored, docxread.DOCUMENT, 8, 10, b"\x09\x00"),
            f"{prefix}deflate64.nl.docx: 'word/document.xml' is compressed with deflate64, which Word never uses: "
            f"{AGAIN}",
        ),
        "bzip2.ru.docx": (
            _document_as(zipfile.ZIP_BZIP2),
            f"{prefix}bzip2.ru.docx: 'word/document.xml' is compressed with bzip2, which Word never uses: {AGAIN}",
        ),
        "lzma.ja.docx": (
            _document_as(zipfile.ZIP_LZMA),
            f"{prefix}lzma.ja.docx: 'word/document.xml' is compressed with lzma, which Word never uses: {AGAIN}",
        ),
        "bomb.ko.docx": (
            bomb,
            f"{prefix}bomb.ko.docx: 'word/media/image2.png' is packed {_ratio(bomb, 'word/media/image2.png')} to 1, "
            f"as no Word document is (a zip bomb): {AGAIN}",
        ),
        "huge.fi.docx": (
            _bomb(200_000_000),
            f"{prefix}huge.fi.docx: 'word/media/image2.png' would unpack to 200 MB; a translated statement is far "
            f"smaller: {AGAIN}",
        ),
        "bad-crc.el.docx": (
            bad_crc,
            f"{prefix}bad-crc.el.docx: is damaged ('word/document.xml' cannot be unpacked: Bad CRC-32 for file "
            f"'word/document.xml'); {AGAIN}",
        ),
        "no-document.sv.docx": (
            _rezip(lambda name, data: (None if name == docxread.DOCUMENT else data, zipfile.ZIP_DEFLATED)),
            f"{prefix}no-document.sv.docx: is not a Word document: it has no word/document.xml; save the translation "
            "in Word as .docx and import it again",
        ),
        "entities.da.docx": (
            _rezip(_with_doctype),
            f"{prefix}entities.da.docx: 'word/document.xml' declares a DOCTYPE or entities, which Word never writes: "
            f"{AGAIN}",
        ),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, tuple[bytes, str]]]:
    """The seed, every hostile statement, a named pipe, the valid French DOCX and every hostile one in the inbox."""
    proj = make_project(tmp_path_factory.mktemp("hostile") / "project")
    for name, (content, _) in HOSTILE.items():
        proj.write(f"sources/{name}", content)
    os.mkfifo(proj.root / "sources" / "pipe.md")
    inbox = proj.root / "translations" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy2(VALID_DOCX, inbox / VALID_DOCX.name)
    docs = _inbox()
    for name, (data, _) in docs.items():
        (inbox / name).write_bytes(data)
    return proj, docs


def _doit(proj: Project, *args: str, timeout: float = LOAD_TIMEOUT) -> Run:
    """`doit` in the project, failing the test (not hanging it) past `timeout` seconds."""
    proc = subprocess.run(
        [sys.executable, "-m", "doit", *args], cwd=proj.root, capture_output=True, text=True,
        env=checkout_env(), timeout=timeout,
    )  # fmt: skip
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_doit_list_and_clean_work_whatever_the_sources_and_inbox_hold(hostile: tuple[Project, dict]) -> None:
    proj, docs = hostile
    listed = _doit(proj, "list", "--all")
    assert listed.returncode == 0, listed.output
    names = listed.stdout.split()
    assert f"txt:{SEED_SLUG}" in names and f"import:{SEED_SLUG}.fr" in names
    for name in HOSTILE:
        assert f"txt:{Path(name).stem}" in names
    for name in docs:
        assert f"import:{Path(name).stem}" in names
    assert "Traceback" not in listed.output
    cleaned = _doit(proj, "clean")
    assert cleaned.returncode == 0 and "Traceback" not in cleaned.output, cleaned.output


def _unexpected(failures: dict[str, str], basename: str, expected: dict[str, tuple[Any, str]]) -> dict[str, str | None]:
    """Each file whose task did not fail with exactly its expected message, with the message it got."""
    got = {name: failures.get(f"{basename}:{Path(name).stem}") for name in expected}
    return {name: message for name, message in got.items() if message != expected[name][1]}


def test_each_hostile_statement_fails_with_its_message_and_the_seed_builds(hostile: tuple[Project, dict]) -> None:
    proj, _ = hostile
    run = _doit(proj, "txt", timeout=600)
    assert run.returncode != 0 and "Traceback" not in run.output, run.output
    failures = doit_output.failures(run.output)
    assert _unexpected(failures, "txt", HOSTILE) == {}
    assert failures.get("txt:pipe") == (
        "sources/pipe.md: is not a file (a folder, a device or a pipe); a statement is a Markdown text file"
    )
    assert proj.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").count("###") == 1
    assert not (proj.root / "pwned").exists()
    for name in HOSTILE:
        assert not (proj.root / "build" / Path(name).stem).exists()


def test_each_hostile_docx_fails_its_import_with_its_message_and_the_good_one_imports(
    hostile: tuple[Project, dict],
) -> None:
    proj, docs = hostile
    run = _doit(proj, "import", timeout=600)
    assert run.returncode != 0 and "Traceback" not in run.output, run.output
    failures = doit_output.failures(run.output)
    assert _unexpected(failures, "import", docs) == {}
    made = proj.root / "sources" / f"{SEED_SLUG}.fr.md"
    assert "translation_of: china-online-crackdown" in made.read_text(encoding="utf-8")
    for name in docs:
        assert not list((proj.root / "sources").glob(f"*.{name.split('.')[1]}.md"))


def test_one_image_and_a_long_unbroken_run_load_in_bounded_time(project: Project) -> None:
    Image.new("RGB", (8, 8), "red").save(project.root / "sources" / "square.png")
    run = "x" * 300_000
    project.write("sources/long-run.md", _statement("date: 2018-11-23", f"![A red square](square.png)\n\n{run}\n"))
    started = time.monotonic()
    listed = _doit(project, "list", "--all", timeout=LOAD_TIMEOUT)
    assert listed.returncode == 0 and f"txt:{SEED_SLUG}" in listed.stdout.split(), listed.output
    assert time.monotonic() - started < LOAD_TIMEOUT
    source = project.root / "sources" / "long-run.md"
    found = images.referenced_files(statement.sniff(source).images, source, project.root / "layouts", "default")
    assert found == [project.root / "sources" / "square.png"]


def test_image_names_are_found_as_the_single_pattern_found_them() -> None:
    text = "See ![a](img/a.png), b.JPEG and (c.svg) but not .gif alone, x.pngx, nor y.png.txt; z.png.gif\n"
    assert images.candidates(text) == {"img/a.png", "b.JPEG", "c.svg", "z.png.gif", "y.png"}


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 50_000 + "]" * 50_000, "a:\n" + "".join(" " * i + "- x\n" + " " * i + "-\n" for i in range(40))],
)
def test_deep_nesting_is_refused_before_it_is_built_by_either_yaml_parser(text: str) -> None:
    """Also by PyYAML's pure-Python parser, whose composer would overflow the stack (libyaml stops at 1000)."""
    with pytest.raises(frontmatter._Refused, match=DEEP):
        frontmatter._check_events(yaml.SafeLoader(text))
    with pytest.raises(frontmatter.InputError) as raised:
        frontmatter.parse_yaml(text, "deep.md", first_line=2)
    assert str(raised.value).endswith(DEEP)


def test_a_billion_laughs_is_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(frontmatter.InputError, match="YAML anchor"):
        frontmatter.parse_yaml(LAUGHS, "laughs.md", first_line=2)
    assert time.monotonic() - started < 5


def test_brand_files_still_read_as_before() -> None:
    for path in sorted((REPO / "layouts").glob("*/_brand.yml")):
        data, lines = frontmatter.parse_yaml(path.read_text(encoding="utf-8"), str(path), first_line=1)
        assert data == yaml.safe_load(path.read_text(encoding="utf-8")) and lines


# --- the build cache ---------------------------------------------------------------------------------------


class _Plant:
    """A pickle that, if ever loaded, leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
        return (os.system, (f"touch '{self.marker}'",))


def test_a_pickle_where_the_sniff_cache_was_is_never_loaded(tmp_path: Path) -> None:
    sources, build = tmp_path / "sources", tmp_path / "build" / "_cache"
    sources.mkdir()
    (sources / "a.md").write_text("---\ntitle: A\ndate: 2018-11-23\nslug: s-a\n---\n\nText.\n")
    marker = tmp_path / "code-ran"
    code = statement._sniff_code()
    build.mkdir(parents=True)
    payload = pickle.dumps(_Plant(marker))
    for name in (f"sniffs-{code}.pickle", f"sniffs-{code}.json", "sniffs.pickle"):
        (build / name).write_bytes(payload)
    statement._loaded.clear()
    statement._seen.clear()
    found = statement.sniff_folder(sources, build / "sniffs.json")
    assert [s.slug for _, s in found] == ["s-a"]
    assert not marker.exists()


def test_a_corrupt_or_forged_sniff_cache_is_a_miss(tmp_path: Path) -> None:
    sources, index = tmp_path / "sources", tmp_path / "build" / "_cache" / "sniffs.json"
    sources.mkdir()
    source = sources / "a.md"
    source.write_text("---\ntitle: A\ndate: 2018-11-23\nslug: s-a\n---\n\nText.\n")
    statement._loaded.clear()
    statement._seen.clear()
    first = statement.sniff_folder(sources, index)
    kept = next(index.parent.glob("sniffs-*.json"))
    version = list(statement._version(source) or ())
    for broken in ("{not json", "[" * 100_000, '{"sniffs": 5}', '{"sniffs": [[1, 2, 3, 4]]}'):
        kept.write_text(broken)
        statement._loaded.clear()
        statement._seen.clear()
        again = statement.sniff_folder(sources, index)
        assert [(p, s.slug, s.stem) for p, s in again] == [(p, s.slug, s.stem) for p, s in first]
    # An entry forged for the file's exact version is data like any other: the slug is checked again.
    kept.write_text(json.dumps({"sniffs": [[str(source), version, {"slug": "../../../outside"}, "0" * 64, []]]}))
    statement._loaded.clear()
    statement._seen.clear()
    assert [(s.slug, s.stem) for _, s in statement.sniff_folder(sources, index)] == [("a", "a")]


def test_a_pickle_or_damaged_entry_in_the_brand_cache_is_never_loaded(tmp_path: Path) -> None:
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    try:
        brand._load_cached.cache_clear()
        with cache.using(tmp_path / "build" / "_cache"):
            first = brand.load(tmp_path / "layouts", "default", tmp_path)
        entries = sorted((tmp_path / "build" / "_cache").rglob("*.brand.json"))
        assert len(entries) == 1
        marker = tmp_path / "code-ran"
        for content in (pickle.dumps(_Plant(marker)), b'{"name": "default"}', b"\xff"):
            entries[0].write_bytes(content)
            entries[0].with_name(entries[0].name.replace(".brand.json", ".brand")).write_bytes(
                pickle.dumps(_Plant(marker))
            )
            brand._load_cached.cache_clear()
            with cache.using(tmp_path / "build" / "_cache"):
                again = brand.load(tmp_path / "layouts", "default", tmp_path)
            assert again.organisation == first.organisation and again.colors == first.colors
            assert not marker.exists()
    finally:
        brand._load_cached.cache_clear()


@pytest.mark.parametrize("slug", ["/tmp/elsewhere", "../../outside", "a\x00b"])
def test_an_inbox_docx_naming_another_folder_never_stops_the_loading(tmp_path: Path, slug: str) -> None:
    inbox = tmp_path / "translations" / "inbox"
    inbox.mkdir(parents=True)
    (tmp_path / "sources").mkdir()

    def renamed(name: str, data: bytes) -> tuple[bytes, int]:
        if name == "docProps/custom.xml":
            data = data.replace(SEED_SLUG.encode(), slug.replace("\x00", "&#0;").encode())
        return data, zipfile.ZIP_DEFLATED

    docx = inbox / "named.fr.docx"
    docx.write_bytes(_rezip(renamed))
    assert importer.target_of(docx, tmp_path) is None
    loaded = list(translations.import_tasks(tmp_path))
    assert [t["name"] for t in loaded] == [None, "named.fr"] and "targets" not in loaded[1]


def test_every_damaged_cache_entry_is_a_miss(project: Project) -> None:
    """Whatever build/_cache holds (a CI cache of another branch, a full disk), the next run rebuilds the same."""
    assert project.doit("txt").returncode == 0
    wire = project.output(SEED_SLUG, ".txt").read_bytes()
    entries = [p for p in (project.root / "build" / "_cache").rglob("*") if p.is_file()]
    assert len(entries) >= 4  # the sniffs, the brand, the pandoc version, the parsed body
    for entry in entries:
        entry.write_bytes(b"\xff\xfe not ours \x00 [{")
    listed = project.doit("list", "--all")
    assert listed.returncode == 0 and f"txt:{SEED_SLUG}" in listed.stdout.split(), listed.output
    again = project.doit("--always-execute", "txt")
    assert again.returncode == 0 and "Traceback" not in again.output, again.output
    assert project.output(SEED_SLUG, ".txt").read_bytes() == wire


def test_a_forged_name_or_language_in_the_sniff_index_stays_inside_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, index = tmp_path / "sources", tmp_path / "build" / "_cache" / "sniffs.json"
    sources.mkdir()
    (sources / "a.md").write_text("---\ntitle: A\ndate: 2018-11-23\n---\n\nText.\n")
    (sources / "a.fr.md").write_text("---\ntitle: A\ndate: 2018-11-23\n---\n\nTexte.\n")
    monkeypatch.setattr(statement, "_seen", {})
    monkeypatch.setattr(statement, "_loaded", set())
    statement.sniff_folder(sources, index)
    kept = next(index.parent.glob("sniffs-*.json"))
    data = json.loads(kept.read_text())
    assert data["names"] == {"a.fr.md": ["a", "fr"], "a.md": ["a", None]}
    data["names"] = {"a.md": ["../../outside", None], "a.fr.md": ["a", "../../x"]}
    data["languages"] = {"../../x": True}
    kept.write_text(json.dumps(data))
    # A new process that finds the forged index: what is unsafe in a path is worked out again.
    monkeypatch.setattr(statement, "_seen", {})
    monkeypatch.setattr(statement, "_loaded", set())
    monkeypatch.setattr(statement, "_file_names", {})
    monkeypatch.setattr(statement, "_languages", {})
    found = [(s.slug, s.stem) for _, s in statement.sniff_folder(sources, index)]
    assert found == [("a", "a.fr"), ("a", "a")]
    assert "../../x" not in statement._languages


def test_a_forged_image_name_in_the_sniff_index_is_never_taken(tmp_path: Path) -> None:
    sources, index = tmp_path / "sources", tmp_path / "build" / "_cache" / "sniffs.json"
    sources.mkdir()
    (sources / "a.md").write_text("---\ntitle: A\ndate: 2018-11-23\n---\n\n![Map](map.png)\n", encoding="utf-8")
    statement._loaded.clear()
    statement._seen.clear()
    assert [s.images for _, s in statement.sniff_folder(sources, index)] == [("map.png",)]
    written = next(index.parent.glob("sniffs-*.json"))
    kept = json.loads(written.read_text(encoding="utf-8"))
    kept["sniffs"][0][4] = ["../../../etc/passwd\u0000.png"]
    written.write_text(json.dumps(kept), encoding="utf-8")
    statement._loaded.clear()
    statement._seen.clear()
    assert [s.images for _, s in statement.sniff_folder(sources, index)] == [("map.png",)]  # read again from the file
    assert not images.is_candidate("../x\u0000.png") and images.is_candidate("img/map.png")
