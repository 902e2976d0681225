"""Reproducible outputs: two clean builds, in different folders, clocks, zones and PATHs, give the same bytes."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from presskit.tasks import statements
from tests.conftest import SAMPLES, SEED_SLUG, Project, make_project

PICTURES = """\
---
title: Pictures
date: 2019-05-03
dateline: Tunis
---

A photo ![a blue square](photo.png) and a drawing:

![A gradient drawn in SVG](drawing.svg)
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><defs><linearGradient id="g">'
    '<stop offset="0" stop-color="#c00"/><stop offset="1" stop-color="#00c"/></linearGradient></defs>'
    '<rect width="40" height="20" fill="url(#g)"/></svg>'
)
FAKE_PANDOC = "#!/bin/sh\necho 'pandoc 99.0'\necho 'not the pinned pandoc' >&2\nexit 3\n"


def _project(root: Path) -> Project:
    proj = make_project(root)
    proj.write("sources/rich.md", (SAMPLES / "rich.md").read_text(encoding="utf-8"))
    proj.write("sources/pictures.md", PICTURES)
    proj.write("sources/drawing.svg", SVG)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 120, 200)).save(buffer, "PNG")
    (root / "sources" / "photo.png").write_bytes(buffer.getvalue())
    return proj


def _outputs(proj: Project) -> dict[str, bytes]:
    build = proj.root / "build"
    return {
        str(p.relative_to(build)): p.read_bytes()
        for p in sorted(build.glob("*/*"))
        if p.parent.name != "_cache" and not p.name.startswith(".")
    }


def test_two_clean_builds_in_different_places_and_settings_give_identical_bytes(tmp_path: Path) -> None:
    first = _project(tmp_path / "a")
    second = _project(tmp_path / "elsewhere" / "with a longer, odd folder name – ü")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "pandoc").write_text(FAKE_PANDOC)
    (fake_bin / "pandoc").chmod(0o755)

    env_first = {**os.environ, "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    env_first.pop("SOURCE_DATE_EPOCH", None)
    # another zone, another locale, a build clock given as a different date, and a "newer" pandoc first on the PATH
    env_second = {
        **env_first,
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "fr_FR.UTF-8" if Path("/usr/lib/locale/fr_FR.utf8").exists() else "C.UTF-8",
        "SOURCE_DATE_EPOCH": "1700000000",
        "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
    }
    every = ("reference", *(fmt.basename for fmt in statements.FORMATS))  # the share cards too
    run = first.doit(*every, env=env_first)
    assert run.returncode == 0, run.output
    run = second.doit(*every, env=env_second)
    assert run.returncode == 0, run.output

    a, b = _outputs(first), _outputs(second)
    expected = {f"{stem}/{stem}{fmt.suffix}" for stem in (SEED_SLUG, "rich", "pictures") for fmt in statements.FORMATS}
    assert expected <= set(a)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    for name, data in a.items():
        assert b"/elsewhere/" not in data and str(tmp_path).encode() not in data, name


def test_dates_in_the_outputs_come_from_the_statement(built: Project) -> None:
    reader = PdfReader(built.output(SEED_SLUG, ".pdf"))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:20181123")
    assert reader.metadata["/ModDate"].startswith("D:20181123")

    with zipfile.ZipFile(built.output(SEED_SLUG, ".docx")) as archive:
        core = archive.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in archive.infolist()}
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core) == [
        ("created", "2018-11-23T00:00:00Z"),
        ("modified", "2018-11-23T00:00:00Z"),
    ]
    assert stamps == {(2018, 11, 23, 0, 0, 0)}
