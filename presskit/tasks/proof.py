"""The proof sheet: every statement's PDF pages and newsroom page, as pictures on one page to look over."""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from presskit import output
from presskit.errors import InputError, Problem

WIDTHS = (375, 1280)
"""Window widths of the page screenshots: a phone and a laptop."""
PDF_DPI = 70
"""Resolution of the PDF page pictures."""
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")
_SHEET_CSS = """
body { font: 15px/1.4 "DejaVu Sans", sans-serif; margin: 1.5rem; background: #e9eaed; color: #1b1f24; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin: 2rem 0 0.5rem; }
.row { display: flex; gap: 1rem; align-items: flex-start; overflow-x: auto; padding-bottom: 0.5rem; }
figure { margin: 0; flex: none; } figcaption { font-size: 0.8rem; color: #444; }
img { display: block; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
.pdf img { width: 420px; height: auto; } .w375 img { width: 240px; height: auto; }
.w1280 img { width: 640px; height: auto; }
"""


def chromium() -> str:
    """The Chromium the screenshots are taken with: `$CHROMIUM`, else `chromium` on the PATH."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise InputError([Problem("build", None, None, "the proof sheet needs Chromium; run ./setup test for it")])
    return found


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright, closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise InputError(
            [Problem("build", None, None, "the proof sheet needs Playwright; run ./setup test to install it")]
        ) from None
    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


def screenshot(instance: Any, page: Path, width: int, target: Path) -> None:
    """A full-length screenshot of a page at a window width, written atomically."""
    tab = instance.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(page.resolve().as_uri())
        with output.replacing(target) as temp:
            tab.screenshot(path=str(temp), full_page=True, type="png")
    finally:
        tab.close()


def pdf_pages(pdf: Path, folder: Path, prefix: str) -> list[Path]:
    """Each page of a PDF as a PNG in `folder`, named `PREFIX-pdf-N.png`."""
    output.check(folder / f"{prefix}-pdf-1.png")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{prefix}-pdf-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(PDF_DPI), str(pdf), str(Path(scratch) / "page")],
            check=True,
            capture_output=True,
        )
        made = sorted(Path(scratch).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for number, picture in enumerate(made, 1):
            target = folder / f"{prefix}-pdf-{number}.png"
            os.replace(picture, target)
            pages.append(target)
    return pages


def render(title: str, pdf: Path, page: Path, folder: Path, manifest: Path) -> None:
    """Picture a statement's PDF pages and its page at both widths; list them in `manifest`."""
    prefix = manifest.stem
    pages = pdf_pages(pdf, folder, prefix)
    shots = []
    with browser() as instance:
        for width in WIDTHS:
            target = folder / f"{prefix}-{width}.png"
            screenshot(instance, page, width, target)
            shots.append({"width": width, "file": target.name})
    entry = {"title": title, "pdf": pdf.name, "page": page.name, "pdf_pages": [p.name for p in pages], "screens": shots}
    output.write(manifest, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")


def sheet(manifests: list[Path], target: Path) -> None:
    """One HTML page showing every statement's pictures side by side."""
    parts = ["<!DOCTYPE html>", '<html lang="en">', '<meta charset="utf-8">', "<title>Proof sheet</title>",
             f"<style>{_SHEET_CSS}</style>", "<h1>Proof sheet</h1>"]  # fmt: skip
    for manifest in manifests:
        entry = _entry(manifest)
        if entry is None:
            parts.append(
                f"<section><h2>{html.escape(manifest.stem)}</h2><p>The pictures of this statement are missing or "
                f"damaged ({html.escape(manifest.name)}); run <code>doit proof</code> again.</p></section>"
            )
            continue
        base = manifest.parent.relative_to(target.parent).as_posix()
        statement = manifest.parent.parent.relative_to(target.parent).as_posix()
        parts.append(f"<section><h2>{html.escape(entry['title'])}</h2>")
        parts.append(
            f'<p><a href="{statement}/{html.escape(entry["pdf"])}">PDF</a> · '
            f'<a href="{statement}/{html.escape(entry["page"])}">page</a></p><div class="row">'
        )
        for number, name in enumerate(entry["pdf_pages"], 1):
            parts.append(
                f'<figure class="pdf"><img src="{base}/{html.escape(name)}" alt="PDF page {number}">'
                f"<figcaption>PDF page {number} of {len(entry['pdf_pages'])}</figcaption></figure>"
            )
        for shot in entry["screens"]:
            width = int(shot["width"])
            parts.append(
                f'<figure class="w{width}"><img src="{base}/{html.escape(shot["file"])}" alt="page at {width} px">'
                f"<figcaption>page at {width} px</figcaption></figure>"
            )
        parts.append("</div></section>")
    output.write(target, "\n".join(parts) + "\n")


def _entry(manifest: Path) -> dict[str, Any] | None:
    """What a statement's pictures manifest lists, or None when it is missing or not shaped as `render` writes it."""
    try:
        entry = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        return None

    def name(value: Any) -> bool:
        return isinstance(value, str) and "/" not in value and "\\" not in value

    if (
        isinstance(entry, dict)
        and isinstance(entry.get("title"), str)
        and name(entry.get("pdf"))
        and name(entry.get("page"))
        and isinstance(entry.get("pdf_pages"), list)
        and all(name(p) for p in entry["pdf_pages"])
        and isinstance(entry.get("screens"), list)
        and all(isinstance(s, dict) and type(s.get("width")) is int and name(s.get("file")) for s in entry["screens"])
    ):
        return entry
    return None


def tasks(project: Any) -> Iterator[dict[str, Any]]:
    """doit tasks: `proof-pages` pictures each statement's PDF and page, `proof` gathers them on one sheet."""
    from presskit.tasks import collector

    with collector.held():
        yield from _tasks(project)


def _tasks(project: Any) -> Iterator[dict[str, Any]]:
    from presskit.tasks import statements
    from presskit.tasks.checker import config_changed

    yield {"basename": "proof-pages", "name": None, "doc": "picture the PDF and page of every statement"}
    manifests: list[str] = []
    found = statements.sniff_sources(project)
    stems = Counter(sniff.stem for _, sniff in found)
    # Paths as strings, as for the format tasks: ten thousand statements' pathlib operations took a second.
    root = str(project.root)
    build = statements.relative(project.build, project)
    code = str(Path(__file__))
    checked = config_changed({"widths": list(WIDTHS), "dpi": PDF_DPI})  # one for every statement
    for source, sniff in found:
        if stems[sniff.stem] > 1:
            continue  # the format tasks report the clash
        folder = os.path.join(build, sniff.slug)
        pdf, page = os.path.join(folder, f"{sniff.stem}.pdf"), os.path.join(folder, f"{sniff.stem}.html")
        manifest = os.path.join(folder, "proof", f"{sniff.stem}.json")
        manifests.append(manifest)
        absolute = [os.path.join(root, p) for p in (pdf, page, manifest)]
        yield {
            "basename": "proof-pages",
            "name": sniff.stem,
            "doc": f"pictures of the PDF and page of {statements.relative(source, project)}",
            "actions": [(_render_action, [str(source), *absolute, root])],
            "file_dep": [pdf, page, code],
            "targets": [manifest],
            "uptodate": [checked],
            "clean": True,
        }
    target = project.build / "proof.html"
    yield {
        "basename": "proof",
        "doc": "build/proof.html: every statement's PDF pages and page screenshots, side by side",
        "actions": [(_sheet_action, [[os.path.join(root, m) for m in manifests], str(target), str(project.root)])],
        "file_dep": [*manifests, code],
        "targets": [statements.relative(target, project)],
        "clean": True,
    }


def _render_action(source: str, pdf: str, page: str, manifest: str, root: str) -> Any:
    from presskit.project import Project
    from presskit.read import statement
    from presskit.tasks import statements

    project = Project(Path(root))

    def work() -> None:
        st, _ = statement.load(Path(source), project.root, project.sources, project.layouts)
        render(st.title, Path(pdf), Path(page), Path(manifest).parent, Path(manifest))

    return statements.guarded(project, work)


def _sheet_action(manifests: list[str], target: str, root: str) -> Any:
    from presskit.project import Project
    from presskit.tasks import statements

    def work() -> None:
        sheet([Path(m) for m in manifests], Path(target))
        print(f"proof sheet: {target}")

    return statements.guarded(Project(Path(root)), work)
