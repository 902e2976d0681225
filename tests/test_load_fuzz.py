"""Fuzzing what doit reads while it loads tasks: any front matter, body or inbox DOCX loads, fails alone, and quickly.

Hypothesis writes front matter from YAML's special characters (tags, anchors, aliases, brackets, long
numbers), bodies with image names and long unbroken runs, and inbox DOCX files: random bytes, random
zip archives (any member name, any compression) and the committed DOCX with bytes changed. Each example
runs in-process what `doit` runs: the task generation of `dodo.py`, the full check of a statement and the
import of a DOCX. It asserts no exception but InputError, no file written outside the project and a
bounded time. One real `doit list` and `doit import` end the file. Budget: PRESSKIT_EXAMPLES examples
(default 8), derandomized; search harder with `PRESSKIT_EXAMPLES=300 python3 -m pytest tests/test_load_fuzz.py`.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.errors import InputError
from presskit.project import Project as Context
from presskit.read import images, statement
from presskit.tasks import proof, statements, translations
from presskit.translate import importer
from tests.conftest import REPO, SEED_SLUG, Project, make_project

EXAMPLES = int(os.environ.get("PRESSKIT_EXAMPLES", "8"))
BOUND = 20.0
"""Seconds one example may take, generously: before these checks, one file could take minutes or crash."""
VALID_DOCX = REPO / "translations" / "inbox" / f"{SEED_SLUG}.fr.docx"
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
YAML_PIECES = [
    "[", "]", "{", "}", ",", ": ", "- ", "\n", "\n  ", "  ", "&a ", "*a", "!!int ", "!!python/object:os.system ",
    "!x ", "? ", "'", '"', "#", "|\n", ">\n", "title", "date", "layout", "slug", "lang", "2018-02-30", "2018-11-23",
    "7" * 4400, "1:2:3", "0x1F", "0o17", ".inf", "~", "null", "yes", "\t", "---", "...", "%YAML 1.1\n", "<<", "=",
    "\\", "\\0", "\x00", "\ufeff", "é", "中", "../", "/etc", "\r",
]  # fmt: skip
BODY_PIECES = [
    "![a](square.png)", "![b](../outside.png)", "x" * 3000, ".png" * 200, " ", "\n\n", "(", ")", "[", "]", "`",
    "<", ">", "|", "'", '"', "a.svg", "b.JPEG", "c.gif ", "\\", "é", "\x00",
]  # fmt: skip
FRONT = st.one_of(
    st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join),
    st.text(max_size=300),
    st.integers(1, 60).map(lambda n: "tags: " + "[" * n + "]" * n),
)
BODY = st.one_of(st.lists(st.sampled_from(BODY_PIECES), max_size=30).map("".join), st.text(max_size=300))
NAMES = ["word/document.xml", "docProps/custom.xml", "word/styles.xml", "[Content_Types].xml", "../../evil.txt",
         "/abs.xml", "word/media/a.png", "a" * 300]  # fmt: skip
XML = [b"<?xml version='1.0'?><a/>", b"<!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>", b"<",
       b"\x00\xff", b"<w:document xmlns:w='x'><w:body/></w:document>"]  # fmt: skip
METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are part of the attack
        for name, data, method in members:
            z.writestr(zipfile.ZipInfo(name, (2018, 11, 23, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


def _mutated(changes: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(VALID_DOCX.read_bytes())
    for at, value in changes:
        data[at % len(data)] = value
    return bytes(data[:cut] if cut else data)


MEMBER = st.tuples(
    st.sampled_from(NAMES) | st.text(min_size=1, max_size=20),
    st.sampled_from(XML) | st.binary(max_size=200),
    st.sampled_from(METHODS),
)
DOCX = st.one_of(
    st.binary(max_size=3000),
    st.lists(MEMBER, max_size=6).map(_zip),
    st.builds(
        _mutated,
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4),
        st.none() | st.integers(100, 50_000),
    ),
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project holding the seed, beside a folder that must stay as it is."""
    base = tmp_path_factory.mktemp("fuzz")
    (base / "outside").mkdir()
    (base / "outside" / "kept.txt").write_text("kept\n")
    proj = make_project(base / "project")
    from PIL import Image

    Image.new("RGB", (4, 4), "blue").save(proj.root / "sources" / "square.png")
    return proj


def _files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def _outside_unchanged(proj: Project, before: dict[Path, int]) -> None:
    after = _files(proj.root.parent)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    allowed = [proj.root / "sources", proj.root / "build", proj.root / "translations", proj.root / ".doit.db"]
    stray = [p for p in changed if not any(p == a or p.is_relative_to(a) for a in allowed)]
    assert not stray, stray


def _load(proj: Project) -> list[dict]:
    """What `dodo.py` does when doit loads tasks."""
    project = Context(proj.root)
    loaded = [*statements.reference_tasks(project), *statements.statement_tasks(project), *proof.tasks(project)]
    return [*loaded, *translations.import_tasks(proj.root), translations.status_task(proj.root)]


@SETTINGS
@given(front=FRONT, body=BODY, raw=st.booleans())
def test_any_statement_loads_and_fails_alone(fuzzed: Project, front: str, body: str, raw: bool) -> None:
    source = fuzzed.root / "sources" / "gen.md"
    text = f"---\n{front}\n---\n\n{body}\n" if not raw else front + body
    source.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    before = _files(fuzzed.root.parent)
    started = time.monotonic()
    loaded = _load(fuzzed)
    assert any(t.get("name") == SEED_SLUG and t["basename"] == "txt" for t in loaded)
    assert any(t.get("name") and t["doc"].endswith("of sources/gen.md") for t in loaded)
    sniff = statement.sniff(source)
    images.referenced_files(sniff.images, source, fuzzed.root / "layouts", sniff.layout)
    try:
        statement.load(source, fuzzed.root, fuzzed.root / "sources", fuzzed.root / "layouts")
    except InputError as exc:
        assert all(str(p).startswith("sources/gen.md") for p in exc.problems), str(exc)
    assert time.monotonic() - started < BOUND
    _outside_unchanged(fuzzed, before)


@SETTINGS
@given(data=DOCX)
def test_any_inbox_docx_loads_and_fails_alone(fuzzed: Project, data: bytes) -> None:
    (fuzzed.root / "sources" / "gen.md").unlink(missing_ok=True)  # left by the test above: not this one's subject
    inbox = fuzzed.root / "translations" / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    docx = inbox / f"{SEED_SLUG}.de.docx"
    docx.write_bytes(data)
    before = _files(fuzzed.root.parent)
    started = time.monotonic()
    loaded = _load(fuzzed)
    assert any(t["basename"] == "import" and t.get("name") == docx.stem for t in loaded)
    target = importer.target_of(docx, fuzzed.root)
    assert target is None or target.resolve().is_relative_to((fuzzed.root / "sources").resolve())
    try:
        importer.run(docx, fuzzed.root)
    except InputError as exc:
        assert str(exc).startswith(f"translations/inbox/{docx.name}: "), str(exc)
    assert time.monotonic() - started < BOUND
    _outside_unchanged(fuzzed, before)


def test_doit_lists_and_imports_beside_random_files(project: Project) -> None:
    """One real doit run over a few files made the way the examples above are."""
    rng = random.Random(16)
    for n in range(4):
        front = "".join(rng.choice(YAML_PIECES) for _ in range(30))
        project.write(f"sources/random-{n}.md", f"---\n{front}\n---\n\n{'x' * 100_000} ![a](b.png)\n")
    inbox = project.root / "translations" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy2(VALID_DOCX, inbox / VALID_DOCX.name)
    (inbox / "random.de.docx").write_bytes(rng.randbytes(5000))
    (inbox / "mutated.es.docx").write_bytes(_mutated([(rng.randrange(10**6), rng.randrange(256))], None))
    members = [(rng.choice(NAMES), rng.choice(XML), rng.choice(METHODS)) for _ in range(5)]
    (inbox / "members.it.docx").write_bytes(_zip(members))
    listed = project.doit("list", "--all")
    assert listed.returncode == 0 and "Traceback" not in listed.output, listed.output
    assert f"txt:{SEED_SLUG}" in listed.stdout.split() and "txt:random-3" in listed.stdout.split()
    imported = project.doit("import")
    assert "Traceback" not in imported.output, imported.output
    assert (project.root / "sources" / f"{SEED_SLUG}.fr.md").is_file()
