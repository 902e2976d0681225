"""E-mail addresses are checked where they are read: a statement's front matter and a brand's `_brand.yml`."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.errors import InputError
from presskit.read import brand as brands
from presskit.read import statement
from tests import doit_output
from tests.conftest import Project, make_project

BAD = "press@ex@ample.org"
REASON = "the part after the @-sign contains invalid characters: '@'"


def _message(where: str, field: str, address: str, reason: str) -> str:
    return f"{where}: {field}: '{address}' is not an e-mail address ({reason}); write it as name@example.org"


def _source(address: str) -> str:
    """A statement whose contact's address (line 6) is `address`, as written in YAML."""
    return f"---\ntitle: Bad\ndate: 2024-03-01\ncontact:\n  name: Desk\n  email: {address}\n---\n\nX.\n"


@pytest.fixture
def bare(tmp_path: Path) -> Project:
    """A project without statements."""
    return make_project(tmp_path / "project", seed=False)


def _load(proj: Project, name: str) -> None:
    statement.load(proj.root / "sources" / name, proj.root, proj.root / "sources", proj.root / "layouts")


def test_a_bad_contact_address_fails_every_format_with_file_and_line(bare: Project) -> None:
    bare.write("sources/bad.md", _source(BAD))
    run = bare.doit("txt:bad", "eml:bad")
    assert run.returncode != 0 and "Traceback" not in run.output
    assert doit_output.failures(run.output)["txt:bad"] == _message("sources/bad.md:6", "contact.email", BAD, REASON)
    assert "eml:bad" in doit_output.skipped(run.output) | set(doit_output.failures(run.output))


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("press", "an email address must have an @-sign"),
        ("press office@example.org", "the email address contains invalid characters before the @-sign: SPACE"),
        ("presse@localhost", "the part after the @-sign is not valid. It should have a period"),
        ("zoë@example.org", "internationalized characters before the @-sign are not supported: 'ë'"),
        ("press@example.org.", "an email address cannot end with a period"),
    ],
)
def test_each_kind_of_bad_address_gets_its_reason(bare: Project, address: str, reason: str) -> None:
    bare.write("sources/bad.md", _source(f"'{address}'"))
    with pytest.raises(InputError) as caught:
        _load(bare, "bad.md")
    assert str(caught.value) == _message("sources/bad.md:6", "contact.email", address, reason)


def test_a_bad_brand_address_names_the_brand_file_and_line(bare: Project) -> None:
    bare.write("sources/plain.md", "---\ntitle: Plain\ndate: 2024-03-01\n---\n\nX.\n")
    brand_file = bare.root / "layouts" / "default" / "_brand.yml"
    lines = brand_file.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("email: press@example.org"))
    lines[number - 1] = lines[number - 1].replace("press@example.org", BAD)
    brand_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = bare.doit("txt:plain")
    assert run.returncode != 0 and "Traceback" not in run.output
    expected = _message(f"layouts/default/_brand.yml:{number}", "defaults.presskit.contact.email", BAD, REASON)
    assert doit_output.failures(run.output)["txt:plain"] == expected


def test_the_placeholder_address_of_a_new_project_is_accepted(bare: Project) -> None:
    # the seed's contact: .invalid is reserved for addresses that never reach anyone (RFC 2606)
    assert brands.address_problem("REPLACE-ME@example.invalid") is None
    assert brands.address_problem("press@example.org") is None
    assert brands.address_problem("press@sub.example.invalid") is None
    assert brands.address_problem("press@example.test") is not None  # other special-use names stay refused
    bare.write("sources/ok.md", _source("REPLACE-ME@example.invalid"))
    _load(bare, "ok.md")
