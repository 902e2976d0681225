"""Every statement is bounded: in time, in memory, in the size of its document and its drawings.

A statement past a bound fails with a message naming it and the bound, the others are built, and
with one process (`doit -n 1`) the queue goes on. Inputs that gave a traceback give a message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import re
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from PIL import Image

from presskit import bounds, output
from presskit.errors import InputError
from presskit.formats import docx
from presskit.prepare import conventions, media, pandoc
from presskit.read import brand
from tests import doit_output
from tests.conftest import SEED_SLUG, Project, make_project

FRONT = "---\ntitle: {title}\ndate: 2018-11-23\n{extra}---\n\n"
# A long body: WeasyPrint lays it out in several seconds and grows by well over 100 MB doing so.
LONG_BODY = "\n\n".join(f"Paragraph {i} of a very long statement, " + "with words " * 40 for i in range(1500)) + "\n"


def statement(title: str, body: str, extra: str = "") -> str:
    """A statement's text."""
    return FRONT.format(title=title, extra=extra) + body


def layout(proj: Project, name: str, settings: str = "", fonts: str = "") -> None:
    """A layout folder `name`: the default brand with extra `defaults.presskit` settings and font entries."""
    text = (proj.root / "layouts" / "default" / "_brand.yml").read_text(encoding="utf-8")
    text = text.replace("path: fonts/", "path: ../default/fonts/")
    if settings:
        text = text.replace("\n  presskit:\n", f"\n  presskit:\n{settings}", 1)
    if fonts:
        text = text.replace("\n  fonts:\n", f"\n  fonts:\n{fonts}", 1)
    folder = proj.root / "layouts" / name
    folder.mkdir()
    (folder / "_brand.yml").write_text(text, encoding="utf-8")
    shutil.copy2(proj.root / "layouts" / "default" / "logo.svg", folder / "logo.svg")


# --- time and memory --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    """A slow statement (1 s allowed), a greedy one (100 MB allowed) queued before the seed; PDFs with one process."""
    proj = make_project(tmp_path_factory.mktemp("bounds") / "project")
    layout(proj, "hasty", "    render_seconds: 1\n")
    layout(proj, "frugal", "    render_megabytes: 100\n    render_seconds: 600\n")
    proj.write("sources/a-slow.md", statement("Slow", LONG_BODY, "layout: hasty\n"))
    greedy = LONG_BODY.replace("Paragraph", "Section")
    proj.write("sources/b-greedy.md", statement("Greedy", greedy, "layout: frugal\n"))
    started = time.monotonic()
    run = proj.doit("-n", "1", "pdf")
    assert time.monotonic() - started < 120
    return proj, run.output


def test_a_statement_past_its_time_bound_fails_naming_it_and_the_bound(bounded: tuple[Project, str]) -> None:
    proj, out = bounded
    assert doit_output.failures(out)["pdf:a-slow"] == (
        "sources/a-slow.md: the PDF took longer than 1 s, the limit set by render_seconds in "
        "layouts/hasty/_brand.yml; shorten the statement or simplify its images, or raise the limit in the "
        "brand file if the statement really needs more"
    )
    assert not proj.output("a-slow", ".pdf").exists()
    assert "Traceback" not in out


def test_a_statement_past_its_memory_bound_fails_naming_it_and_the_bound(bounded: tuple[Project, str]) -> None:
    proj, out = bounded
    assert doit_output.failures(out)["pdf:b-greedy"] == (
        "sources/b-greedy.md: the PDF needed more than 100 MB of memory, the limit set by render_megabytes in "
        "layouts/frugal/_brand.yml; shorten the statement or simplify its images, or raise the limit in the "
        "brand file if the statement really needs more"
    )
    assert not proj.output("b-greedy", ".pdf").exists()


def test_the_queue_goes_on_after_a_bounded_statement(bounded: tuple[Project, str]) -> None:
    proj, out = bounded
    assert proj.output(SEED_SLUG, ".pdf").read_bytes().startswith(b"%PDF")
    assert re.search(r"^built .*; 2 statements failed: a-slow, b-greedy$", out, re.MULTILINE), out


def test_the_bound_interrupts_python_code_and_is_lifted_afterwards() -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as caught, bounds.bounded("sources/x.md", "html"):
        bounds.limit(1, 2000, "layouts/default/_brand.yml")
        while True:
            with contextlib.suppress(Exception):  # a library swallowing every error cannot swallow the bound
                sum(range(10_000))
    assert time.monotonic() - started < 3
    assert str(caught.value).startswith(
        "sources/x.md: the web page took longer than 1 s, the limit set by render_seconds in layouts/default/_brand.yml"
    )
    assert bounds.remaining() is None
    time.sleep(TICK_AND_MORE)  # no timer left behind to interrupt the next task


TICK_AND_MORE = bounds.TICK * 3


def test_pandoc_is_stopped_at_the_bound() -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="took longer than 1 s"), bounds.bounded("sources/x.md", "docx"):
        bounds.limit(1, 2000, "layouts/default/_brand.yml")
        pandoc.convert("> " * 20_000 + "deep\n" + "[a](b) " * 200_000, pandoc.READER, "docx", "x")
    assert time.monotonic() - started < 4


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("    render_seconds: 0\n", "defaults.presskit.render_seconds: must be a whole number from 1 to 3600"),
        (
            "    render_megabytes: lots\n",
            "defaults.presskit.render_megabytes: must be a whole number from 100 to 64000",
        ),
    ],
)
def test_bound_settings_are_checked(tmp_path: Path, settings: str, message: str) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    layout(proj, "odd", settings)
    with pytest.raises(InputError) as caught:
        brand.load(proj.root / "layouts", "odd", proj.root)
    assert str(caught.value) == f"layouts/odd/_brand.yml: {message}"


# --- the size of the document -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Intro.\n\n" + "".join("> " * 250 + "deep\n"),
            "sources/x.md:8: body: quotes or lists are nested more than 20 deep; a statement needs three or four "
            "levels at most: flatten the structure",
        ),
        (
            "".join(f"# Heading {i}\n\nText.\n\n" for i in range(2_001)),
            "sources/x.md:8006: body: the statement has 2,001 headings; at most 2,000 are allowed: split it into "
            "several statements",
        ),
        (
            "".join(f"Text.[^{i}]\n\n[^{i}]: Note.\n\n" for i in range(1_001)),
            "sources/x.md:4008: body: the statement has 1,001 footnotes; at most 1,000 are allowed: keep the notes "
            "a reader needs",
        ),
        (
            "".join(f"- item {i}\n" for i in range(10_001)),
            "sources/x.md:10006: body: the statement has 10,001 list items; at most 10,000 are allowed: publish "
            "long lists as a document",
        ),
        (
            "*_" * 20 + "x" + "_*" * 20 + "\n",
            "sources/x.md: body: emphasis, links or other formatting are nested more than 30 deep; remove the "
            "repeated markup",
        ),
    ],
    ids=["quotes-250-deep", "headings", "footnotes", "list-items", "emphasis"],
)
def test_document_limits(body: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        bounds.check_document(pandoc.parse(body, "sources/x.md"), "sources/x.md", body, 6)
    assert str(caught.value) == message


def test_a_real_statement_is_within_the_document_limits() -> None:
    body = "# Head\n\n> quoted\n>\n> - a\n>   - b\n>     1. c\n\n"
    body += "Text[^1] *and **more [link](https://x.org)**.*\n\n[^1]: A note.\n"
    bounds.check_document(pandoc.parse(body, "x"), "x", body, 6)


BRACKETS = (
    "sources/x.md:{line}: body: square brackets are nested more than 8 deep in one paragraph, which takes minutes "
    "to read; remove the extra brackets, or write a bracket that is only text as \\["
)


@pytest.mark.parametrize(
    ("body", "line"),
    [("Intro.\n\n" + "[" * 40 + "x" + "]" * 40, 8), ("[" * 5 + "x\n" + "[" * 4 + "y\n", 7), ("[[[[[[[[[x", 6)],
    ids=["nested-40", "unclosed-over-two-lines", "unclosed-9"],
)
def test_brackets_nested_too_deep_are_refused_before_pandoc_reads_them(body: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        bounds.check_source(body, "sources/x.md", 6)
    assert str(caught.value) == BRACKETS.format(line=line)


def test_brackets_of_real_statements_pass() -> None:
    body = "[![A photo](a.png)](https://x.org) [[1]](#n) \\[" * 50 + "\n\n" + "[" * 5 + "\n\n" + "[" * 5 + "x\n"
    bounds.check_source(body * 1000, "sources/x.md", 6)


def test_deep_quotes_and_brackets_give_messages_and_the_rest_builds(project: Project) -> None:
    project.write("sources/deep.md", statement("Deep", "Intro.\n\n" + "> " * 250 + "deep\n"))
    project.write("sources/brackets.md", statement("Brackets", "Intro.\n\n" + "[" * 40 + "x" + "]" * 40 + "\n"))
    started = time.monotonic()
    run = project.doit("txt")
    assert time.monotonic() - started < 60  # pandoc alone took more than 7 minutes over the brackets
    failures = doit_output.failures(run.output)
    assert failures["txt:deep"] == (
        "sources/deep.md:8: body: quotes or lists are nested more than 20 deep; a statement needs three or four "
        "levels at most: flatten the structure"
    )
    assert failures["txt:brackets"] == BRACKETS.format(line=8).replace("sources/x.md", "sources/brackets.md")
    assert "Traceback" not in run.output
    assert project.output(SEED_SLUG, ".txt").is_file()
    assert re.search(r"^built .*; 2 statements failed: brackets, deep$", run.stdout, re.MULTILINE), run.stdout


# --- drawings ---------------------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'


def _use_bomb(levels: int = 8, copies: int = 10) -> str:
    """A few hundred bytes drawing copies**levels rectangles through nested <use>."""
    text = f'{SVG}<defs><rect id="l0" width="1" height="1"/>'
    for i in range(1, levels + 1):
        text += f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * copies + "</g>"
    return text + f'</defs><use xlink:href="#l{levels}"/></svg>'


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (
            _use_bomb(),
            "draws more than 20,000 shapes once its <use> copies are expanded; simplify the image or export it "
            "again as a PNG",
        ),
        (
            f'{SVG}<g id="a"><use xlink:href="#a"/></g></svg>',
            "has a <use> element that refers to itself or to an element containing it (#a); the drawing would "
            "never end: export the image again",
        ),
        (
            f'{SVG}<defs><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></defs><use href="#a"/></svg>',
            "has a <use> element that refers to itself or to an element containing it (#a); the drawing would "
            "never end: export the image again",
        ),
        (
            f'{SVG}<style>@\\69mport "http://127.0.0.1:9/x.css";</style><rect width="5" height="5"/></svg>',
            "refers to another file or address (@import) in its styles; remove it",
        ),
        (
            f"{SVG}<style>rect {{ fill: \\75rl(http://127.0.0.1:9/x.png) }}</style><rect/></svg>",
            "refers to another file or address (http://127.0.0.1:9/x.png) in its styles; remove it",
        ),
        (
            f'{SVG}<rect style="fill: u\\72l(http://127.0.0.1:9/y.png)" width="5" height="5"/></svg>',
            "refers to another file or address (http://127.0.0.1:9/y.png) in its styles; remove it",
        ),
    ],
    ids=["use-bomb", "self-use", "use-loop", "escaped-import", "escaped-url-style", "escaped-url-attribute"],
)
def test_svg_problems(svg: str, problem: str) -> None:
    started = time.monotonic()
    assert media.svg_problem(svg.encode("utf-8")) == problem
    assert time.monotonic() - started < 2


def test_an_svg_using_shapes_a_few_times_is_fine() -> None:
    assert media.svg_problem(_use_bomb(levels=3, copies=5).encode("utf-8")) is None


def test_an_svg_larger_than_a_raster_can_be_is_drawn_smaller(tmp_path: Path) -> None:
    path = tmp_path / "huge.svg"
    path.write_text(f'{SVG.replace("10", "20000")}<rect width="20000" height="10000" fill="red"/></svg>')
    _, width = media.png_of_svg(media.Picture(path, "image/svg+xml"))  # the DOCX, drawn at 3x
    assert width == media.MAX_RASTER_SIDE // 3
    png = media.svg_to_png(path.read_bytes(), scale=2)  # the e-mail, at 2x
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (media.MAX_RASTER_SIDE, media.MAX_RASTER_SIDE)


# --- French digit groups ----------------------------------------------------------------------------------


def test_french_digit_groups_take_linear_time_and_memory() -> None:
    words = ["123"] * 20_000  # 80 KB: took 5 s and 2.3 GB when each group was joined to a growing copy
    ast = {"blocks": [{"t": "Para", "c": [x for w in words for x in ({"t": "Str", "c": w}, {"t": "Space"})][:-1]}]}
    started = time.monotonic()
    tracemalloc.start()
    try:
        result = conventions.localize(ast, "fr")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 50_000_000
    assert result["blocks"][0]["c"] == [{"t": "Str", "c": "\u202f".join(words)}]


# --- tracebacks that became messages ----------------------------------------------------------------------


def test_dates_out_of_range_give_messages(project: Project) -> None:
    project.write("sources/ancient.md", statement("Ancient", "Text.\n", "embargo: '0001-01-01 00:00+05:00'\n"))
    project.write("sources/far.md", statement("Far", "Text.\n").replace("2018-11-23", "2108-01-01"))
    run = project.doit("txt")
    failures = doit_output.failures(run.output)
    assert failures["txt:ancient"] == (
        "sources/ancient.md:4: embargo: '0001-01-01 00:00+05:00' falls outside the years 1 to 9999 once converted "
        "to UTC; check the year"
    )
    assert failures["txt:far"] == (
        "sources/far.md:3: date: '2108-01-01' is not between the years 1900 and 2100; check the year"
    )
    assert "Traceback" not in run.output
    assert project.output(SEED_SLUG, ".txt").is_file()


def test_a_docx_dated_after_the_zip_format_ends_is_still_written() -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    dated = docx.dated(buffer.getvalue(), dt.date(2150, 6, 1))
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:
        assert archive.infolist()[0].date_time[0] == 2107


def test_a_font_file_that_is_not_a_font_gives_a_message(project: Project) -> None:
    entry = "    - family: Fake\n      source: file\n      files:\n        - path: fonts/fake.ttf\n"
    layout(project, "fake", fonts=entry)
    (project.root / "layouts" / "fake" / "fonts").mkdir()
    (project.root / "layouts" / "fake" / "fonts" / "fake.ttf").write_text("<html>not a font</html>")
    layout(project, "broken", fonts=entry)
    (project.root / "layouts" / "broken" / "fonts").mkdir()
    (project.root / "layouts" / "broken" / "fonts" / "fake.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 64)
    project.write("sources/fake.md", statement("Fake", "Text.\n", "layout: fake\n"))
    project.write("sources/broken.md", statement("Broken", "Text.\n", "layout: broken\n"))
    run = project.doit("-n", "1", "txt:fake", "pdf:broken")
    failures = doit_output.failures(run.output)
    assert failures["txt:fake"] == (
        "layouts/fake/_brand.yml: typography.fonts: fonts/fake.ttf is not a font file (TrueType, OpenType or "
        "WOFF), or it is damaged; download the font again"
    )
    assert failures["pdf:broken"] == (
        "layouts/broken/_brand.yml: typography.fonts: fonts/fake.ttf is not a font file (TrueType, OpenType or "
        "WOFF), or it is damaged; download the font again"
    )
    assert "Traceback" not in run.output


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.EACCES, "the folder cannot be written (permission denied); make it writable"),
        (errno.EROFS, "the folder cannot be written (read-only file system); make it writable"),
    ],
)
def test_an_unwritable_folder_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, "refused")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as caught:
        output.write(tmp_path / "build" / "slug" / "slug.pdf", b"data")
    assert str(caught.value).startswith(f"build/slug: {message}")


def test_a_full_disk_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(InputError) as caught:
        output.write(tmp_path / "build" / "slug" / "slug.txt", b"data")
    assert str(caught.value) == (
        "build/slug: the disk is full, so the output could not be written; free some space and run doit again"
    )
    assert list((tmp_path / "build" / "slug").iterdir()) == []  # nothing half-written left behind


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_a_read_only_or_full_build_folder_fails_with_messages(project: Project) -> None:
    build = project.root / "build"
    build.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=128k", "tmpfs", str(build)):
        pytest.skip("mounting a small file system needs root")
    try:
        run = project.doit("-n", "1", f"txt:{SEED_SLUG}", f"pdf:{SEED_SLUG}")
    finally:
        _mount("-o", "remount,ro", str(build))
        run_ro = project.doit("-n", "1", f"html:{SEED_SLUG}")
        subprocess.run(["umount", str(build)], check=True)
    assert project.output(SEED_SLUG, ".txt").exists() is False  # unmounted: the tmpfs held it
    assert doit_output.failures(run.output)[f"pdf:{SEED_SLUG}"] == (
        f"build/{SEED_SLUG}: the disk is full, so the output could not be written; free some space and run doit again"
    )
    assert f"txt:{SEED_SLUG}" not in doit_output.failures(run.output)
    assert doit_output.failures(run_ro.output)[f"html:{SEED_SLUG}"].startswith(
        f"build/{SEED_SLUG}: the folder cannot be written (read-only file system)"
    )
    assert "Traceback" not in run.output + run_ro.output
