"""`doit proof`: pictures of every PDF page and the page at two widths, gathered on build/proof.html."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import SAMPLES, SEED_SLUG, Project
from tests.extract import html_tree


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_proof_sheet(project: Project) -> None:
    (project.root / "sources" / "rich.md").write_text(SAMPLES.joinpath("rich.md").read_text(encoding="utf-8"))
    run = project.doit("proof")
    assert run.returncode == 0, run.output
    assert {"proof-pages:china-online-crackdown", "proof-pages:rich", "proof"} <= set(run.executed)
    sheet = project.root / "build" / "proof.html"
    tree = html_tree(sheet)
    sources = [img.get("src") for img in tree.iter("img")]
    for stem in (SEED_SLUG, "rich"):
        folder = project.output(stem, ".pdf").parent / "proof"
        manifest = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        pages = len(PdfReader(str(project.output(stem, ".pdf"))).pages)
        assert manifest["pdf_pages"] == [f"{stem}-pdf-{n}.png" for n in range(1, pages + 1)]
        for name in manifest["pdf_pages"]:
            width, height = png_size(folder / name)
            assert 500 < width < 700 and height > width, "an A4 page at 70 dpi"
            assert f"{stem}/proof/{name}" in sources
        for width in (375, 1280):
            shot = folder / f"{stem}-{width}.png"
            assert png_size(shot)[0] == width and png_size(shot)[1] >= 900
            assert f"{stem}/proof/{shot.name}" in sources
        print(f"proof pictures: {folder}")
    for src in sources:
        assert (sheet.parent / src).is_file(), src
    print(f"proof sheet: {sheet}")

    again = project.doit("proof")
    assert again.returncode == 0 and again.executed == [], again.output


def test_proof_is_not_a_default_task(project: Project) -> None:
    run = project.doit()
    assert run.returncode == 0, run.output
    assert not any(task.startswith("proof") for task in run.executed)
    assert not (project.root / "build" / "proof.html").exists()
