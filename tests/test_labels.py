"""A brand's own labels.yml: missing labels fall back one by one to the default layout's; mistakes name the line."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from presskit.errors import InputError
from presskit.project import Project as Context
from presskit.read import brand as brands
from presskit.read import labels
from presskit.tasks import statements
from tests import doit_output
from tests.conftest import Project, make_project
from tests.extract import docx_paragraphs, html_text, pdf_text

PARTIAL = "en:\n  contact: Media contact\nfr:\n  immediate: À DIFFUSER IMMÉDIATEMENT\n"
"""A brand's labels giving one English and one French label: every other label comes from the default layout."""


def _statement(lang: str) -> str:
    return f"---\ntitle: Partial labels\ndate: 2024-03-01\nlayout: asia-pacific\nlang: {lang}\n---\n\nBody text.\n"


@pytest.fixture
def partial(tmp_path: Path) -> Project:
    """A project whose asia-pacific brand has a labels.yml with only two labels."""
    proj = make_project(tmp_path / "project", seed=False)
    proj.write("layouts/asia-pacific/labels.yml", PARTIAL)
    return proj


def _brand(proj: Project) -> brands.Brand:
    return brands.load(proj.root / "layouts", "asia-pacific", proj.root)


def test_missing_labels_fall_back_one_by_one(partial: Project) -> None:
    brand = _brand(partial)
    english, french, swahili = (labels.for_lang(brand, lang) for lang in ("en-GB", "fr-CA", "sw"))
    assert (english["contact"], english["immediate"], english["kind"]) == (
        "Media contact", "FOR IMMEDIATE RELEASE", "Press statement"
    )  # fmt: skip
    # the brand's French, then the default layout's French, before any English
    assert (french["immediate"], french["contact"], french["about"]) == (
        "À DIFFUSER IMMÉDIATEMENT", "Contact presse", "À propos de {organisation}"
    )  # fmt: skip
    # a language nobody wrote labels for: the brand's English first, then the default layout's
    assert (swahili["contact"], swahili["immediate"]) == ("Media contact", "FOR IMMEDIATE RELEASE")
    default_en = labels.for_lang(brands.load(partial.root / "layouts", "default", partial.root), "en")
    assert set(english) == set(french) == set(swahili) == set(default_en)


def test_a_brand_with_a_partial_labels_file_builds_every_format(partial: Project) -> None:
    partial.write("sources/partial.md", _statement("en"))
    partial.write("sources/partial-fr.md", _statement("fr"))
    run = partial.doit("html:partial", "pdf:partial", "docx:partial", "txt:partial", "eml:partial", "txt:partial-fr")
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output and "KeyError" not in run.output
    wire = partial.output("partial", ".txt").read_text(encoding="utf-8").splitlines()
    assert wire[0] == "FOR IMMEDIATE RELEASE" and "Media contact:" in wire
    page = html_text(partial.output("partial", ".html"))
    assert "Press statement" in page and "Media contact" in page
    assert "Media contact" in pdf_text(partial.output("partial", ".pdf"))
    paragraphs = docx_paragraphs(partial.output("partial", ".docx"))
    assert any(style == "Contact" and text.startswith("Media contact: ") for style, text in paragraphs)
    msg = email.message_from_bytes(partial.output("partial", ".eml").read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Partial labels"
    french = partial.output("partial-fr", ".txt").read_text(encoding="utf-8").splitlines()
    assert french[0] == "À DIFFUSER IMMÉDIATEMENT" and "Contact presse\u202f:" in french  # French spacing


BAD_LABELS = """\
en:
  kind: Media release
  immediat: RELEASE NOW
french:
  contact: Contact
fr: Communiqué
de:
  about: Über {organization}
es:
  page: Página {n de {m}
"""
BAD_MESSAGES = [
    "layouts/asia-pacific/labels.yml:3: immediat: unknown label; did you mean 'immediate'?",
    "layouts/asia-pacific/labels.yml:4: french: unknown language section; name it with a language code such as "
    "en, fr, es or zh-Hant",
    "layouts/asia-pacific/labels.yml:6: fr: must be a list of 'label: text' lines",
    "layouts/asia-pacific/labels.yml:8: about: unknown placeholder {organization}; use {organisation}, {n}, {m} "
    "or {date}",
    "layouts/asia-pacific/labels.yml:10: page: has an unmatched brace; write placeholders as {organisation}, {n}, "
    "{m}, {date}",
]


def test_mistakes_in_a_labels_file_name_file_and_line(partial: Project) -> None:
    partial.write("layouts/asia-pacific/labels.yml", BAD_LABELS)
    partial.write("sources/partial.md", _statement("en"))
    run = partial.doit("txt:partial")
    assert run.returncode != 0
    assert "Traceback" not in run.output
    assert doit_output.failures(run.output)["txt:partial"].splitlines() == BAD_MESSAGES


def test_a_label_that_is_not_text_is_refused(partial: Project) -> None:
    partial.write("layouts/asia-pacific/labels.yml", "en:\n  contact:\n    - Media\n")
    with pytest.raises(InputError) as caught:
        labels.for_lang(_brand(partial), "en")
    assert str(caught.value) == "layouts/asia-pacific/labels.yml:2: contact: must be text on one line; put it in quotes"


def test_a_default_labels_file_without_english_is_refused(partial: Project) -> None:
    partial.write("layouts/default/labels.yml", "fr:\n  kind: Communiqué\n")
    with pytest.raises(InputError) as caught:
        labels.for_lang(_brand(partial), "fr")
    assert str(caught.value) == "layouts/default/labels.yml: needs an 'en' section with every label"


def test_a_brand_with_its_own_labels_also_depends_on_the_default_ones(partial: Project) -> None:
    deps = statements.layout_deps(Context(partial.root), "asia-pacific", ())
    assert "layouts/asia-pacific/labels.yml" in deps and "layouts/default/labels.yml" in deps
