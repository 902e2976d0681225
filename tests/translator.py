"""What a translator does to the DOCX presskit exports: replace each paragraph's text, mark the language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.conftest import SEED_SLUG, Project, checkout_env


def set_language(doc: object, lang: str) -> None:
    """Mark the whole document as written in `lang`, as Word's Set Language or a CAT tool does."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = OxmlElement("w:lang")
        rpr.append(node)
    word_lang = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}.get(lang, lang)
    attribute = "w:eastAsia" if lang.startswith("zh") else "w:bidi" if lang.startswith("ar") else "w:val"
    node.set(qn(attribute), word_lang)
    if attribute != "w:val":
        node.set(qn("w:val"), "en-GB")  # the Latin text in the document stays marked as the default


def translate(source: Path, target: Path, texts: dict[str, str], lang: str) -> list[str]:
    """Write `target`: `source` with every paragraph whose text is a key of `texts` replaced by its value.

    Returns the keys that matched no paragraph, so that a caller can tell the translation is complete.
    """
    doc = Document(str(source))
    unused = dict(texts)
    for paragraph in doc.paragraphs:
        key = paragraph.text.strip()
        if key not in texts:
            continue
        unused.pop(key, None)
        runs = paragraph.runs
        runs[0].text = texts[key]
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
        for link in paragraph._p.findall(qn("w:hyperlink")):
            paragraph._p.remove(link)
    set_language(doc, lang)
    doc.save(str(target))
    return list(unused)


def export(project: Project, stem: str = SEED_SLUG) -> Path:
    """Build the DOCX a translator gets."""
    run = project.doit(f"docx:{stem}")
    assert run.returncode == 0, run.output
    return project.output(stem, ".docx")


def import_docx(project: Project, docx: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Import one DOCX with the command the README gives."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "presskit",
            "--root",
            str(project.root),
            "import",
            str(docx),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=project.root,
        env=checkout_env(),
    )
