"""Bad input: every mistake gets its exact message (file, line, field, what to do), and the rest still builds.

One project holds the seed, a few good but unusual statements and one statement per mistake; a single
real `doit` run builds it, and each test reads what that run did.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from presskit.formats import BUILT_BY_DEFAULT
from tests import doit_output
from tests.conftest import SEED_SLUG, Project, Run, checkout_env, make_project
from tests.extract import docx_paragraphs, html_text, html_tree, pdf_text

FORMATS = tuple(f.basename for f in BUILT_BY_DEFAULT)
RENDERED = tuple(f.basename for f in BUILT_BY_DEFAULT if not f.reads_outputs)
"""Formats rendered from the statement itself; the others (the e-mail) wait for those and are skipped."""
EMBARGO_HOW = "write it with an offset or a zone, e.g. '2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'"

# file name -> (content, the exact message every task of the statement fails with)
BAD: dict[str, tuple[str | bytes, str]] = {
    "tab-indent.md": (
        "---\ntitle: Tabs\ndate: 2018-11-23\ncontact:\n\tname: Desk\n---\n\nBody.\n",
        "sources/tab-indent.md:5: the front matter uses a tab for indentation; indent with spaces, not tabs",
    ),
    "unclosed-quote.md": (
        '---\ntitle: "Unclosed\ndate: 2018-11-23\n---\n\nBody.\n',
        "sources/unclosed-quote.md:3: the front matter is not valid YAML (found unexpected end of stream): "
        "a quote is not closed: end the value with the same quote it starts with",
    ),
    "no-front-matter.md": (
        "Just a body, pasted without front matter.\n",
        "sources/no-front-matter.md:1: no front matter: start the file with a line '---', then lines such as "
        "'title: ...' and 'date: YYYY-MM-DD', then another '---' line",
    ),
    "missing-title.md": (
        "---\ndate: 2018-11-23\n---\n\nBody.\n",
        "sources/missing-title.md:2: title: is missing; add a line such as 'title: Our statement on ...' "
        "to the front matter",
    ),
    "missing-date.md": (
        "---\ntitle: No date\n---\n\nBody.\n",
        "sources/missing-date.md:2: date: is missing; add a line such as 'date: 2018-11-23' (year-month-day)",
    ),
    "bad-day.md": (
        "---\ntitle: Bad day\ndate: 2018-02-30\n---\n\nBody.\n",
        "sources/bad-day.md:3: date: '2018-02-30' is not a day of the calendar; check the month and day",
    ),
    "zoneless-embargo.md": (
        "---\ntitle: Embargo\ndate: 2018-11-23\nembargo: 2018-11-24 00:01\n---\n\nBody.\n",
        "sources/zoneless-embargo.md:4: embargo: '2018-11-24 00:01' has no time zone, so nobody knows when it "
        f"ends; {EMBARGO_HOW}",
    ),
    "unknown-key.md": (
        "---\ntitle: Unknown\ndate: 2018-11-23\ndatline: Sydney\n---\n\nBody.\n",
        "sources/unknown-key.md:4: datline: unknown field; did you mean 'dateline'?",
    ),
    "tags-mapping.md": (
        "---\ntitle: Tags\ndate: 2018-11-23\ntags: {a: 1}\n---\n\nBody.\n",
        "sources/tags-mapping.md:4: tags: must be a list such as [press freedom, China] or text such as "
        "'press freedom, China'",
    ),
    "unknown-layout.md": (
        "---\ntitle: Layout\ndate: 2018-11-23\nlayout: asia-pacfic\n---\n\nBody.\n",
        "sources/unknown-layout.md:4: layout: 'asia-pacfic' is not a layout of this project "
        "(layouts/ has: asia-pacific, default); did you mean 'asia-pacific'?",
    ),
    "invalid-utf8.md": (
        b"---\ntitle: Latin-1\ndate: 2018-11-23\n---\n\nCaf\xe9 au lait.\n",
        "sources/invalid-utf8.md:6: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 in your editor",
    ),
    "utf16.md": (
        "---\ntitle: Wide\ndate: 2018-11-23\n---\n\nBody.\n".encode("utf-16"),
        "sources/utf16.md: the file is saved as UTF-16; save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
    ),
    "binary.md": (
        b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 8,
        "sources/binary.md: this is not a text file (it contains NUL bytes); "
        "a statement is Markdown text saved as UTF-8",
    ),
    "empty-body.md": (
        "---\ntitle: Empty\ndate: 2018-11-23\n---\n\n  \n\n",
        "sources/empty-body.md:4: body: the statement has no text after the front matter",
    ),
    "2018-11-23-twin.md": (
        "---\ntitle: Twin one\ndate: 2018-11-23\n---\n\nBody.\n",
        "sources/2018-11-23-twin.md and sources/2018-11-24-twin.md: slug: both statements would be built as "
        "build/twin/twin.*; give one of them another file name or a 'slug' field",
    ),
    "2018-11-24-twin.md": ("---\ntitle: Twin two\ndate: 2018-11-24\n---\n\nBody.\n", ""),
    "no-alt.md": (
        "---\ntitle: Picture\ndate: 2018-11-23\n---\n\nFirst.\n\n![](square.png)\n",
        "sources/no-alt.md:8: image: 'square.png' has no description; write what it shows between the brackets, "
        "e.g. ![Delegates at the congress in Tunis](square.png), for readers who cannot see it",
    ),
    "missing-image.md": (
        "---\ntitle: Picture\ndate: 2018-11-23\n---\n\nFirst.\n\n![A photo](photo-of-the-congress.jpg)\n",
        "sources/missing-image.md:8: image: 'photo-of-the-congress.jpg' was not found in sources/ or "
        "layouts/default/; check the file name and its folder",
    ),
}
BAD_NAMES = [name for name, (_, message) in BAD.items() if message]
OUTSIDE = "---\ntitle: Kept elsewhere\ndate: 2018-11-23\n---\n\nA statement outside the project.\n"
LINK_MESSAGE = "sources/linked.md: is a symbolic link to a file outside sources/; copy the file into sources/ instead"

# Good statements that look unusual: a byte-order mark with CRLF, tags as text, spaces and accents in the name.
BOM_CRLF = "\ufeff---\r\ntitle: Mark and CRLF\r\ndate: 2018-11-23\r\n---\r\n\r\nSaved by a Windows editor.\r\n"
TAGS_TEXT = "---\ntitle: Tags as text\ndate: 2018-11-23\ntags: \"a, b\"\n---\n\nTags written as text.\n"
ODD_NAME = "Déclaration de presse Ünïcode 2018.md"
ODD_TEXT = "---\ntitle: Déclaration\ndate: 2018-11-23\nlang: fr\n---\n\nUne déclaration au nom accentué.\n"


def _unexplained(run: Run, stem: str, message: str) -> list[str]:
    """Tasks of a broken statement that did not fail with `message`.

    A format that reads other outputs (the e-mail reads the PDF and the wire copy) may instead be
    skipped by doit because those failed.
    """
    failures = _failures(run)
    return [
        f"{fmt}:{stem}: {failures.get(f'{fmt}:{stem}')!r}"
        for fmt in FORMATS
        if failures.get(f"{fmt}:{stem}") != message
        and not (fmt not in RENDERED and f"{fmt}:{stem}" in doit_output.skipped(run.output))
    ]


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Run]:
    """The seed, three good but unusual statements and every bad one, built once."""
    base = tmp_path_factory.mktemp("bad")
    proj = make_project(base / "project")
    for name, (content, _) in BAD.items():
        path = proj.root / "sources" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (proj.root / "sources" / "square.png").write_bytes(_png())
    (base / "outside.md").write_text(OUTSIDE, encoding="utf-8")
    (proj.root / "sources" / "linked.md").symlink_to(base / "outside.md")
    (proj.root / "sources" / "bom-crlf.md").write_bytes(BOM_CRLF.encode("utf-8"))
    proj.write("sources/tags-text.md", TAGS_TEXT)
    proj.write(f"sources/{ODD_NAME}", ODD_TEXT)
    return proj, proj.doit()


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 20, 20)).save(buffer, "PNG")
    return buffer.getvalue()


def _failures(run: Run) -> dict[str, str]:
    return doit_output.failures(run.output)


def test_the_build_fails_without_a_traceback(bad_build: tuple[Project, Run]) -> None:
    _, run = bad_build
    assert run.returncode != 0
    assert "Traceback" not in run.output
    assert "TaskError" not in run.output and "PythonAction Error" not in run.output, run.output


@pytest.mark.parametrize("name", BAD_NAMES)
def test_each_mistake_has_its_exact_message_in_every_format(bad_build: tuple[Project, Run], name: str) -> None:
    proj, run = bad_build
    stem = "twin" if "twin" in name else name.removesuffix(".md")
    assert _unexplained(run, stem, BAD[name][1]) == [], run.output[-3000:]
    assert not (proj.root / "build" / stem).exists()


def test_a_link_out_of_sources_is_refused(bad_build: tuple[Project, Run]) -> None:
    proj, run = bad_build
    assert _unexplained(run, "linked", LINK_MESSAGE) == []
    assert not (proj.root / "build" / "linked").exists()


def test_the_other_statements_still_build(bad_build: tuple[Project, Run]) -> None:
    proj, run = bad_build
    for stem in (SEED_SLUG, "bom-crlf", "tags-text", "declaration-de-presse-unicode-2018"):
        for fmt in FORMATS:
            assert f"{fmt}:{stem}" in run.executed, stem
            assert f"{fmt}:{stem}" not in _failures(run)
            assert proj.output(stem, f".{fmt}").stat().st_size > 0
    assert "China’s online crackdown continues" in pdf_text(proj.output(SEED_SLUG, ".pdf"))


def test_a_byte_order_mark_and_crlf_are_accepted_silently(bad_build: tuple[Project, Run]) -> None:
    proj, _ = bad_build
    assert html_tree(proj.output("bom-crlf", ".html")).findtext(".//h1") == "Mark and CRLF"
    assert "Saved by a Windows editor." in html_text(proj.output("bom-crlf", ".html"))
    wire = proj.output("bom-crlf", ".txt").read_bytes()
    assert b"\r" not in wire and b"\xef\xbb\xbf" not in wire
    assert "Saved by a Windows editor." in wire.decode("utf-8")
    assert ("Title", "Mark and CRLF") in docx_paragraphs(proj.output("bom-crlf", ".docx"))


def test_tags_written_as_text_are_split_at_commas(bad_build: tuple[Project, Run]) -> None:
    proj, _ = bad_build
    keywords = html_tree(proj.output("tags-text", ".html")).xpath("//meta[@name='keywords']/@content")
    assert keywords == ["a, b"]


def test_a_file_name_with_spaces_and_accents_gets_a_clean_slug(bad_build: tuple[Project, Run]) -> None:
    proj, _ = bad_build
    folder = proj.root / "build" / "declaration-de-presse-unicode-2018"
    expected = sorted(f"declaration-de-presse-unicode-2018.{f}" for f in FORMATS)
    assert sorted(p.name for p in folder.iterdir()) == expected
    assert "Une déclaration au nom accentué." in html_text(folder / "declaration-de-presse-unicode-2018.html")


def test_a_10_mb_statement_is_refused_with_its_limit_in_bounded_memory(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 12 + "\n\n"
    body = paragraph * (10_000_000 // len(paragraph) + 1)
    proj.write("sources/huge.md", f"---\ntitle: Huge\ndate: 2018-11-23\n---\n\n{body}")
    # doit runs in a child of a small wrapper, so that the wrapper can report that child's peak memory alone
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'doit'], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'rc': p.returncode, 'out': p.stdout + p.stderr, 'peak_kb': peak}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], cwd=proj.root, capture_output=True, text=True,
                          timeout=600, env=checkout_env())  # fmt: skip
    result = json.loads(proc.stdout)
    assert result["rc"] != 0
    message = (
        "sources/huge.md: the file is 10.0 MB; a statement may be at most 1 MB: remove pasted images or data, "
        "and link to large material instead"
    )
    assert _unexplained(Run(result["rc"], result["out"], ""), "huge", message) == [], result["out"][-2000:]
    assert result["peak_kb"] < 400_000, f"doit used {result['peak_kb']} kB"
