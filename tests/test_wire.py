"""Wire copy: golden files, and the newswire's rules checked line by line on the real outputs.

Refresh the golden files after an intended change of the wire copy with:

    PRESSKIT_REFRESH_GOLDEN=1 python3 -m pytest tests/test_wire.py -k golden
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from presskit.errors import InputError
from presskit.formats import wire
from presskit.prepare import prepared
from presskit.read import statement
from tests.conftest import SAMPLES, SEED_SLUG, SEED_SOURCE, Project, make_project
from tests.extract import in_order

GOLDEN = Path(__file__).parent / "golden"
SEED_TITLE = "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"


def lines_of(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8")  # must be valid UTF-8
    assert "\r" not in text and text.endswith("\n")
    return text.split("\n")[:-1]


def single_token(line: str) -> bool:
    return " " not in line.strip()


def paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line:
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def render_variant(tmp_path: Path, source: Path, wire_settings: dict[str, object]) -> str:
    """The wire copy of `source` with the default brand's wire settings changed."""
    proj = make_project(tmp_path / "variant", seed=False)
    brand_file = proj.root / "layouts" / "default" / "_brand.yml"
    data = yaml.safe_load(brand_file.read_text(encoding="utf-8"))
    data["defaults"]["presskit"]["wire"].update(wire_settings)
    brand_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    target = proj.root / "sources" / source.name
    shutil.copy2(source, target)
    st_, brand = statement.load(target, proj.root, proj.root / "sources", proj.root / "layouts")
    return wire.render(prepared.of(st_, brand))


@pytest.mark.parametrize("name", [SEED_SLUG, "rich"])
def test_golden(built: Project, name: str) -> None:
    produced = built.output(name, ".txt").read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("PRESSKIT_REFRESH_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
        pytest.skip(f"refreshed {golden.name}: review it with git diff")  # a refreshed file proves nothing
    assert golden.is_file(), "no golden file: see this module's docstring for the refresh command"
    assert produced == golden.read_text(encoding="utf-8")


def test_seed_opening_lines(built: Project) -> None:
    lines = lines_of(built.output(SEED_SLUG, ".txt"))
    assert lines[0] == "FOR IMMEDIATE RELEASE"
    assert lines[1] == ""
    headline = paragraphs(lines)[1]
    assert " ".join(headline) == SEED_TITLE.upper()
    lead = paragraphs(lines)[2]
    assert lead[0].startswith("SYDNEY, 23 November 2018 -- The Chinese Government’s online crackdown")


def test_seed_every_line_within_width(built: Project) -> None:
    for n, line in enumerate(lines_of(built.output(SEED_SLUG, ".txt")), 1):
        assert wire.width_of(line) <= 72 or single_token(line), f"line {n} is too long: {line!r}"
        assert line == line.rstrip(), f"line {n} has trailing spaces"


def test_seed_paragraphs_one_blank_line_apart_and_all_there(built: Project) -> None:
    path = built.output(SEED_SLUG, ".txt")
    text = path.read_text(encoding="utf-8")
    assert "\n\n\n" not in text
    body = [p for p in SEED_SOURCE.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n") if p.strip()]
    body = [p.lstrip("> ").strip() for p in body]
    assert in_order(body, text) == []
    wire_paragraphs = [" ".join(p) for p in paragraphs(lines_of(path))]
    # every source paragraph is one wire paragraph of its own (the first behind the dateline)
    for source in body[1:]:
        assert any(" ".join(source.split()) == " ".join(w.split()) for w in wire_paragraphs), source[:40]


def test_seed_has_no_markup(built: Project) -> None:
    text = built.output(SEED_SLUG, ".txt").read_text(encoding="utf-8")
    assert not re.search(r"[*_`<>]|\]\(|&[#\w]+;|^#", text, re.MULTILINE)


def test_seed_quote_is_indented(built: Project) -> None:
    lines = lines_of(built.output(SEED_SLUG, ".txt"))
    quote = next(p for p in paragraphs(lines) if "blatant attempt" in " ".join(p))
    assert all(line.startswith("    ") and not line.startswith("     ") for line in quote)
    assert quote[0].startswith("    “The Chinese Government’s crackdown")


def test_seed_closing_lines(built: Project) -> None:
    lines = lines_of(built.output(SEED_SLUG, ".txt"))
    paras = paragraphs(lines)
    assert paras[-1] == [" " * 34 + "###"]
    about = paras[-2]
    assert about[0] == "About International Federation of Journalists – Asia-Pacific"
    assert "The IFJ represents more than 600,000 journalists in 140 countries." in " ".join(about)
    contact = paras[-3]
    assert contact == ["Contact:", "IFJ Asia-Pacific", "REPLACE-ME@example.invalid"]


def test_rich_lists_hang_and_nested_tight_list_has_no_blank_line(built: Project) -> None:
    lines = lines_of(built.output("rich", ".txt"))
    i = lines.index("- Legal threats:")
    assert lines[i + 1 : i + 3] == ["  - defamation suits, often criminal;", "  - “foreign agent” laws."]
    j = next(n for n, line in enumerate(lines) if line.startswith("- Attacks on reporters"))
    assert lines[j + 1].startswith("  elections") and lines[j + 2].startswith("  camera")
    assert lines[lines.index("1. Governments must investigate every killing.") + 1].startswith("2. Employers")


def test_rich_headings_emphasis_tables_and_long_url(built: Project) -> None:
    lines = lines_of(built.output("rich", ".txt"))
    assert "FINDINGS" in lines and "FIGURES" in lines
    text = "\n".join(lines)
    assert "said Zoë Martín, the" in text  # emphasis without markers
    table = lines[lines.index("FIGURES") + 2 : lines.index("FIGURES") + 7]
    assert table[0].split() == ["Region", "Killed", "Jailed"]
    assert set(table[1]) <= {"-", " "}
    assert table[2].endswith("32     120") and table[3].endswith(" 6      45")
    assert len({len(row) for row in table}) == 1, "columns are aligned"
    # the table too wide for 72 columns becomes a list, one labelled item per cell
    assert "- Country: Ruritania" in lines
    url = "https://example.org/data/2018/safety-report/annex-with-a-very-long-path-that-cannot-break/complete.csv"
    assert url in lines, "an unbreakable URL stands alone on its line"
    for n, line in enumerate(lines, 1):
        assert wire.width_of(line) <= 72 or single_token(line), f"line {n} is too long: {line!r}"


def test_rich_references_are_unambiguous(built: Project) -> None:
    lines = lines_of(built.output("rich", ".txt"))
    notes_at, links_at = lines.index("Notes:"), lines.index("Links:")
    body = "\n".join(lines[:notes_at])
    notes_text = "\n".join(lines[notes_at:links_at])
    notes = {m.group(1): m.group(2) for m in re.finditer(r"^\[(\d+)\] (.*)$", notes_text, re.M)}
    links = {m.group(1): m.group(2) for m in re.finditer(r"^\[(\d+)\] (\S+)$", "\n".join(lines[links_at:]), re.M)}
    assert not set(notes) & set(links), "a number names both a note and a link"
    used = set(re.findall(r"\[(\d+)\]", body)) | set(re.findall(r"\[(\d+)\]", " ".join(notes.values())))
    assert used == set(notes) | set(links)
    assert notes["1"].startswith("Killed, Jailed, Silenced")
    assert links["2"] == "https://example.org/letter"
    assert body.count("[2]") == 2, "the same URL keeps its number"
    assert links["4"] == "https://example.org/unions"  # a link inside a note is numbered on
    assert "the federation’s letter [2]" in body
    assert "https://example.org/reports/2018/safety." in body, "a bare URL stays as it is"


def test_ascii_option(tmp_path: Path) -> None:
    raw = render_variant(tmp_path, SAMPLES / "rich.md", {"ascii": True})
    raw.encode("ascii")  # pure 7-bit
    text = " ".join(raw.split())
    assert "Zoe Martin" in text
    assert "EUR12,000 -- paid by members --" in text
    assert 'statement on the "state of the profession"' in text
    assert "JOURNALISTS' SAFETY REPORT -- EVERY CONSTRUCT" in text
    assert "?" not in text
    assert not re.search(r"&[#\w]+;", text)


@pytest.mark.parametrize("width", [40, 100])
def test_width_from_brand(tmp_path: Path, width: int) -> None:
    text = render_variant(tmp_path, SAMPLES / "rich.md", {"width": width})
    lines = text.split("\n")
    assert max(wire.width_of(ln) for ln in lines if not single_token(ln)) <= width
    # the lines are filled: some come close to the width
    assert max(wire.width_of(ln) for ln in lines if not single_token(ln)) > width - 12


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("title", "China’s Online Crackdown Continues with Twitter, Weibo and Wechat Shutdowns"),
        ("as-written", SEED_TITLE),
    ],
)
def test_headline_policy(tmp_path: Path, style: str, expected: str) -> None:
    source = tmp_path / "2018-11-23-china-online-crackdown.md"
    source.write_text(SEED_SOURCE.read_text(encoding="utf-8").replace("layout: asia-pacific\n", ""), encoding="utf-8")
    text = render_variant(tmp_path, source, {"headline": style, "width": 100})
    assert text.split("\n")[2] == expected


def test_dateline_pattern_and_end_mark_from_brand(tmp_path: Path) -> None:
    text = render_variant(tmp_path, SAMPLES / "rich.md", {"dateline": "{city} ({date}) -", "end_mark": "-30-"})
    assert "\nBrussels (22 November 2018) - Journalists’ unions" in text
    assert text.rstrip("\n").split("\n")[-1].strip() == "-30-"


def test_dateline_without_city_drops_its_separator() -> None:
    assert wire.dateline("{CITY}, {date} --", None, "23 November 2018") == "23 November 2018 --"
    assert wire.dateline("{date}, {CITY} --", None, "23 November 2018") == "23 November 2018 --"
    assert wire.dateline("{CITY}, {date} --", "Brussels", "23 November 2018") == "BRUSSELS, 23 November 2018 --"


def test_month_names_in_the_statements_language(tmp_path: Path) -> None:
    source = tmp_path / "communique.md"
    source.write_text(
        "---\ntitle: Communiqué\ndate: 2018-11-23\ndateline: Bruxelles\nlang: fr\n---\n\nLa FIJ a dit.\n",
        encoding="utf-8",
    )
    text = render_variant(tmp_path, source, {})
    assert "\nBRUXELLES, 23 novembre 2018 -- La FIJ a dit." in text
    assert text.startswith("POUR DIFFUSION IMMÉDIATE\n")


@pytest.mark.parametrize(
    ("settings_", "field"),
    [
        ({"dateline": "{TOWN}, {date}"}, "wire.dateline"),
        ({"dateline": "{CITY} --"}, "wire.dateline"),
        ({"end_mark": "END"}, "wire.end_mark"),
        ({"width": 30}, "wire.width"),
    ],
)
def test_bad_wire_settings_are_reported(tmp_path: Path, settings_: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        render_variant(tmp_path, SAMPLES / "rich.md", settings_)
    assert f"layouts/default/_brand.yml: defaults.presskit.{field}: " in str(caught.value)


words = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.text(alphabet="新闻自由记者联合会。，", min_size=1, max_size=30),
    st.text(alphabet="x/:.-", min_size=60, max_size=120),  # an unbreakable token longer than any line
)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=60), st.integers(min_value=40, max_value=100))
def test_wrap_never_exceeds_width_unless_one_token(parts: list[str], width: int) -> None:
    text = " ".join(parts)
    lines = wire.wrap(text, width)
    for line in lines:
        assert wire.width_of(line) <= width or single_token(line)
    assert "".join("".join(lines).split()) == "".join(text.split()), "no character lost or added"
