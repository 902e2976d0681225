"""The translator's DOCX: pandoc's writer with a reference document generated from the brand."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from presskit import characters, language, output
from presskit.formats import logo, templates
from presskit.prepare import bidi, media, pandoc, tree
from presskit.prepare.prepared import Prepared, correction_inlines
from presskit.read import brand as brands
from presskit.read import labels
from presskit.read.brand import Brand
from presskit.read.statement import Statement

CONTACT_STYLE = "Contact"
DATELINE_STYLE = "Dateline"
NOTICE_STYLE = "Translation Note"
VERSIONS_STYLE = "Language Versions"
BOILERPLATE_STYLE = "Boilerplate"
EMBARGO_STYLE = "Embargo"
DATE_STYLE = "Date"
UPDATED_STYLE = "Updated"
CORRECTION_STYLE = "Correction"
FRAME_STYLES = (
    DATELINE_STYLE, DATE_STYLE, NOTICE_STYLE, VERSIONS_STYLE, EMBARGO_STYLE, CONTACT_STYLE, BOILERPLATE_STYLE,
    UPDATED_STYLE, CORRECTION_STYLE,
)  # fmt: skip
"""Paragraph styles presskit puts around the body: what a translated DOCX brings back in them is not body text."""
HEAD_STYLES = (EMBARGO_STYLE, NOTICE_STYLE, VERSIONS_STYLE, DATELINE_STYLE, DATE_STYLE, UPDATED_STYLE, CORRECTION_STYLE)
"""The frame before the body, in the order `document` writes it (after pandoc's title paragraphs)."""
TAIL_STYLES = (CONTACT_STYLE, BOILERPLATE_STYLE)
"""The frame after the body, in the order `document` writes it: one contact paragraph, then the boilerplate."""
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
LOGO_HEIGHT_MM = 10
"""Height of the logo in the page header."""





def para(value: str | list[dict[str, Any]]) -> dict[str, Any]:
    """A paragraph block of text or inlines."""
    return {"t": "Para", "c": pandoc.words(value) if isinstance(value, str) else value}


def styled(style: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """A Div whose paragraphs take the named Word paragraph style."""
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def meta_text(value: str) -> dict[str, Any]:
    """A metadata value holding text."""
    return {"t": "MetaInlines", "c": pandoc.words(value)}


def link(label: str, url: str) -> dict[str, Any]:
    """An inline link."""
    return {"t": "Link", "c": [["", [], []], pandoc.words(label), [url, ""]]}


def document(prepared: Prepared) -> pandoc.Ast:
    """The AST of the DOCX: the body framed by title, date line, contact and boilerplate."""
    statement, brand, words = prepared.statement, prepared.brand, prepared.words
    ast, _ = prepared.embedded(svg_as_png=True)  # inlined: pandoc's sandbox reads no files
    ast = {**ast, "blocks": autofit_tables(ast["blocks"])}
    date_text = _field_text(language.long_date(statement.date, statement.lang), statement.lang)
    meta: dict[str, Any] = {
        "title": meta_text(statement.title),
        "author": {"t": "MetaList", "c": [meta_text(brand.organisation)]},
        "presskit-date": {"t": "MetaString", "c": date_text},
        # Word and LibreOffice choose Chinese glyph forms by region tag (zh-CN), not by script (zh-Hans).
        "lang": {"t": "MetaString", "c": language.word_lang(statement.lang)},
        "subject": meta_text(statement.summary or statement.title),
        "keywords": {"t": "MetaList", "c": [meta_text(t) for t in statement.tags]},
        "presskit-slug": {"t": "MetaString", "c": statement.slug},
        "presskit-lang": {"t": "MetaString", "c": statement.lang},
        "presskit-source-sha256": {"t": "MetaString", "c": statement.sha256},
    }
    updated = templates.updated_line(statement, words)
    updated = _field_text(updated, statement.lang) if updated is not None else None
    if updated is not None:
        meta["presskit-updated"] = {"t": "MetaString", "c": updated}
    if statement.summary:
        meta["subtitle"] = meta_text(statement.summary)
    if language.direction(statement.lang) == "rtl":
        meta["dir"] = {"t": "MetaString", "c": "rtl"}
    ast["meta"] = meta
    ast["blocks"] = _heading(statement, date_text) + _correction(prepared, updated) + ast["blocks"]
    if statement.embargo is not None:
        ast["blocks"].insert(0, styled(EMBARGO_STYLE, [para(templates.release_line(statement, words))]))
    contact = statement.contact
    lines: list[dict[str, Any]] = [*pandoc.words(f"{words['contact']}: {contact.name}"), {"t": "LineBreak"},
                                   link(contact.email, f"mailto:{contact.email}")]  # fmt: skip
    if contact.phone:
        lines += [{"t": "LineBreak"}, *pandoc.words(contact.phone)]
    about = [para(words["about"].format(organisation=brand.organisation))]
    about += prepared.about.get("blocks", [])  # Markdown, as in every format
    if brand.social:
        about.append(para(", ".join(f"{s.network}: {s.handle}" for s in brand.social)))
    ast["blocks"] += [styled(CONTACT_STYLE, [para(lines)]), styled(BOILERPLATE_STYLE, about)]
    if bidi.is_rtl(statement.lang):  # the frame's names, addresses and numbers too, and the title from the metadata
        for value in meta.values():
            if value["t"] == "MetaInlines":
                value["c"] = bidi.marked_inlines(bidi.isolate_inlines(value["c"]))
            elif value["t"] == "MetaList":
                for item in value["c"]:
                    item["c"] = bidi.marked_inlines(bidi.isolate_inlines(item["c"]))
        ast = bidi.marked(bidi.isolate(ast, statement.lang))
    return ast


_NUMBER_BEFORE_RTL = re.compile(r"(?<=\d) (?=[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])")


def _field_text(text: str, lang: str) -> str:
    """The text of a field (the date, the updated line) of a right-to-left statement with a right-to-left mark after
    each number followed by a word: LibreOffice sets a field's text as one piece and drops the space between a
    number and a right-to-left word (`23نوفمبر`), which the mark keeps."""
    return _NUMBER_BEFORE_RTL.sub("\u200f ", text) if bidi.is_rtl(lang) else text


def _heading(statement: Statement, date_text: str) -> list[dict[str, Any]]:
    """The notice of a stale translation, the dateline city, then the date as a field, out of the translatable text.

    The date is a DOCPROPERTY field showing the `presskit-date` property: Word and LibreOffice show it, while
    translation tools treat a field as a placeholder, so the date is never translated by hand.
    """
    blocks: list[dict[str, Any]] = []
    if statement.notice:
        blocks.append(styled(NOTICE_STYLE, [para(statement.notice)]))
    if statement.versions:
        names = ", ".join(v.name for v in statement.versions)
        blocks.append(styled(VERSIONS_STYLE, [para(names)]))
    if statement.opening_dated:  # the text opens with its own dateline, date and all
        return blocks
    if statement.dateline and not statement.opening:
        blocks.append(styled(DATELINE_STYLE, [para(statement.dateline)]))
    field = (
        f'<w:p><w:pPr><w:pStyle w:val="{DATE_STYLE}"/></w:pPr>'
        '<w:fldSimple w:instr=" DOCPROPERTY presskit-date \\* MERGEFORMAT ">'
        f"<w:r><w:t>{escape(date_text)}</w:t></w:r></w:fldSimple></w:p>"
    )
    blocks.append({"t": "RawBlock", "c": ["openxml", field]})
    return blocks


def _correction(prepared: Prepared, updated: str | None) -> list[dict[str, Any]]:
    """The updated line (a field, as the date is: its words are presskit's) and the correction note, as the frame."""
    if updated is None:
        return []
    field = (
        f'<w:p><w:pPr><w:pStyle w:val="{UPDATED_STYLE}"/></w:pPr>'
        '<w:fldSimple w:instr=" DOCPROPERTY presskit-updated \\* MERGEFORMAT ">'
        f"<w:r><w:t>{escape(updated)}</w:t></w:r></w:fldSimple></w:p>"
    )
    blocks: list[dict[str, Any]] = [{"t": "RawBlock", "c": ["openxml", field]}]
    if inlines := correction_inlines(prepared):
        blocks.append(styled(CORRECTION_STYLE, [para(inlines)]))
    return blocks


_CORRECTION_STYLES = {
    UPDATED_STYLE: '<w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr><w:rPr><w:b/><w:bCs/>'
    '<w:color w:val="{primary}"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>',
    CORRECTION_STYLE: '<w:pPr><w:pBdr><w:left w:val="single" w:sz="24" w:space="6" w:color="{secondary}"/></w:pBdr>'
    '<w:spacing w:before="0" w:after="240"/><w:ind w:left="170"/></w:pPr><w:rPr><w:i/><w:iCs/>'
    '<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>',
}
"""How the updated line and the correction look: set on the DOCX of a corrected statement only, so that the
reference document, and with it the DOCX of every other statement, stays as it was."""


def correction_styles(data: bytes, brand: Brand) -> bytes:
    """The DOCX with the Updated and Correction paragraph styles in the brand's colours."""
    colours = {k: brand.colors[k].lstrip("#")[:6].upper() for k in ("primary", "secondary")}

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if info.filename != "word/styles.xml":
            return info, content
        text = content.decode("utf-8")
        for name, props in _CORRECTION_STYLES.items():
            definition = (
                f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{name}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="BodyText"/><w:qFormat/>{props.format(**colours)}</w:style>'
            )
            text, found = re.subn(rf'<w:style\b[^>]*w:styleId="{name}"[^>]*>.*?</w:style>', definition, text,
                                  flags=re.DOTALL)  # fmt: skip
            if not found:
                text = text.replace("</w:styles>", definition + "</w:styles>")
        return info, text.encode("utf-8")

    return rewritten(data, edit)


def render(prepared: Prepared, reference: Path, target: Path) -> None:
    """Write the statement's DOCX to `target`, atomically."""
    statement = prepared.statement
    with output.replacing(target) as temp:
        pandoc.write(document(prepared), "docx", statement.display, f"--reference-doc={reference}", outputfile=temp)
        data = complex_script(east_asian(in_language(temp.read_bytes(), prepared), statement.lang), statement.lang)
        if bidi.is_rtl(statement.lang):
            data = rewritten(data, _right_to_left)
        if statement.updated is not None:
            data = correction_styles(data, prepared.brand)
        temp.write_bytes(dated(data, statement.date, statement.updated))


def _right_to_left(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    """A part of a right-to-left statement's DOCX with every paragraph right to left: body, footnotes, header, footer.

    The footer's `Page N of M` is in the statement's language (`in_language`), so it reads right to left too.
    """
    text_part = re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", info.filename)
    return info, bidi.word_document(content) if text_part else content


def in_language(data: bytes, prepared: Prepared) -> bytes:
    """The DOCX with the organisation in its header and `Page N of M` in its footer in the statement's language.

    The reference document, one per brand, names them in the brand's own language.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    brand = prepared.brand
    own = brands.load(brand.folder.parent, brand.name, prepared.project.root)
    own_page, page = labels.for_lang(own, own.lang)["page"], prepared.words["page"]
    if (own.organisation, own_page) == (brand.organisation, page):
        return data
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        name = info.filename
        if not (name.startswith(("word/header", "word/footer")) and name.endswith(".xml")):
            return info, content
        root = parse_xml(content)
        for node in root.iter(drawing):
            if node.get("descr") == own.organisation:
                node.set("descr", brand.organisation)
        for node in root.iter(qn("w:t")):
            if node.text == own.organisation:
                node.text = brand.organisation
        for paragraph in root.iter(qn("w:p")):
            if any(f.get(qn("w:instr")) == "PAGE" for f in paragraph.iter(qn("w:fldSimple"))):
                for child in [c for c in paragraph if c.tag != qn("w:pPr")]:
                    paragraph.remove(child)
                _page_numbers(paragraph, page)
        return info, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return rewritten(data, edit)


def east_asian(data: bytes, lang: str) -> bytes:
    """The DOCX with East Asian text in the language's own CJK font.

    The theme's East Asian font is a Japanese one: Chinese would be set in Japanese glyph forms.
    """
    font = language.cjk_font(lang)
    if font is None:
        return data

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if info.filename == "word/styles.xml":
            content = re.sub(rb'w:eastAsiaTheme="[^"]*"', f'w:eastAsia="{escape(font)}"'.encode(), content)
        return info, content

    return rewritten(data, edit)


# Languages Word sets as complex scripts, left to right: the language's region tag and the Noto font of its script.
_COMPLEX = {
    "th": ("th-TH", "Noto Sans Thai"), "hi": ("hi-IN", "Noto Sans Devanagari"),
    "mr": ("mr-IN", "Noto Sans Devanagari"), "ne": ("ne-NP", "Noto Sans Devanagari"),
}  # fmt: skip


def complex_script(data: bytes, lang: str) -> bytes:
    """The DOCX with Thai or Devanagari text tagged and set as Word sets complex scripts.

    Word keeps a complex script's language in `w:bidi` and its font in `w:cs`. Given as the document's Latin
    language (`w:val="th"`), Thai makes LibreOffice draw every digit of the document in the Thai font, which
    has none: the numbers vanish.
    """
    found = _COMPLEX.get(language.base(lang))
    if found is None:
        return data
    tag, font = found

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if info.filename == "word/styles.xml":
            content = re.sub(rb'w:cstheme="[^"]*"', f'w:cs="{escape(font)}"'.encode(), content)
            content = re.sub(
                rb"<w:lang\b[^>]*/>",
                lambda m: re.sub(
                    rb'w:val="[^"]*"',
                    b'w:val="en-US"',
                    re.sub(rb'w:bidi="[^"]*"', f'w:bidi="{tag}"'.encode(), m.group(0)),
                ),
                content,
            )
        return info, content

    return rewritten(data, edit)


def dated(data: bytes, date: dt.date, updated: dt.datetime | None = None) -> bytes:
    """The DOCX with the statement's date as its creation date and archive timestamps, and only valid XML.

    pandoc in its sandbox ignores SOURCE_DATE_EPOCH and writes 1970; the statement's date is
    what a translator should see, and it keeps the bytes the same from one build to the next.
    A control character in any XML part (the statement's check refuses them) would make Word refuse the file.
    """
    stamp = f"{date.isoformat()}T00:00:00Z"
    changed = updated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if updated is not None else stamp

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if info.filename.endswith((".xml", ".rels")):
            content = characters.xml_safe(content)
        if info.filename == "docProps/core.xml":
            content = re.sub(rb"(<dcterms:created\b[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            content = re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*", rb"\g<1>" + changed.encode(), content)
        return _stamped(info.filename, (min(max(date.year, 1980), 2107), date.month, date.day, 0, 0, 0)), content

    return rewritten(data, edit)


def rewritten(data: bytes, edit: Callable[[zipfile.ZipInfo, bytes], tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """A DOCX (a zip archive) with each part passed through `edit`, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(*edit(info, source.read(info.filename)))
    return buffer.getvalue()


def reference(brand: Brand, target: Path) -> None:
    """Generate the brand's reference DOCX (styles, header and footer) from the brand file."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document(io.BytesIO(pandoc.default_data_file("reference.docx")))
    primary, foreground = (
        RGBColor.from_string(brand.colors[k].lstrip("#")[:6].upper()) for k in ("primary", "foreground")
    )
    styles = doc.styles

    def style(name: str, *, font: str | None = None, size: float | None = None, color: Any = None,
              bold: bool | None = None, italic: bool | None = None, base: str | None = None,
              indent: float | None = None, before: float | None = None, after: float | None = None,
              align: Any = None) -> Any:  # fmt: skip
        try:
            st = styles[name]
        except KeyError:
            st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = styles[base or "Body Text"]
            st.quick_style = True
        if font:
            st.font.name = font
            fonts = st.element.rPr.rFonts
            for theme in ("w:asciiTheme", "w:hAnsiTheme"):  # a theme font would win over the brand's
                fonts.attrib.pop(qn(theme), None)
        if align is not None:
            st.paragraph_format.alignment = align
        if size:
            st.font.size = Pt(size)
            _complex_size(st.element.rPr, round(size * 2))  # right-to-left runs take this size, not w:sz
        if color is not None:
            st.font.color.rgb = color
        if bold is not None:
            st.font.bold = bold
        if italic is not None:
            st.font.italic = italic
        fmt = st.paragraph_format
        if indent is not None:
            fmt.left_indent = Mm(indent)
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        return st

    style("Normal", font=brand.body_font, size=11, color=foreground)
    style("Body Text", before=0, after=8)
    style("First Paragraph", before=0, after=8)
    title = style("Title", font=brand.heading_font, size=24, color=primary, bold=True, after=6)
    title.paragraph_format.alignment = None  # flush with the text's start, as the PDF and page set it
    subtitle = style("Subtitle", font=brand.body_font, size=13, color=foreground, bold=False, italic=False, after=6)
    for spacing in subtitle.element.rPr.findall(qn("w:spacing")):  # letter-spacing of pandoc's default
        subtitle.element.rPr.remove(spacing)
    style(DATE_STYLE, size=10, color=primary, bold=True, after=18)
    style(DATELINE_STYLE, size=10, color=primary, bold=True, before=6, after=0)
    style(NOTICE_STYLE, size=10, italic=True, color=foreground, after=8)
    style(VERSIONS_STYLE, size=9, color=foreground, after=6)
    style(EMBARGO_STYLE, size=11, color=primary, bold=True, before=0, after=10)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        style(f"Heading {level}", font=brand.heading_font, size=size, color=primary, bold=True, before=14, after=4)
    style("Block Text", italic=True, indent=10, color=foreground)
    style(CONTACT_STYLE, size=10, before=18, after=4)
    style(BOILERPLATE_STYLE, size=9.5, color=foreground, after=4)
    styles["Hyperlink"].font.color.rgb = primary

    section = doc.sections[0]
    if brand.page_size == "Letter":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    head = style("Header", font=brand.heading_font, size=10, color=primary, bold=True, after=0)
    head.paragraph_format.tab_stops.clear_all()
    text_width = section.page_width - section.left_margin - section.right_margin
    head.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    style("Footer", font=brand.body_font, size=8.5, color=foreground, align=WD_ALIGN_PARAGRAPH.CENTER)
    header = section.header.paragraphs[0]
    logo = header.add_run().add_picture(io.BytesIO(logo_png(brand)), height=Mm(LOGO_HEIGHT_MM))
    logo._inline.docPr.set("descr", brand.organisation)  # alt text for screen readers
    header.add_run("\t" + brand.organisation)
    _page_numbers(section.footer.paragraphs[0]._p, labels.for_lang(brand, brand.lang)["page"])
    buffer = io.BytesIO()
    doc.save(buffer)
    output.write(target, _stable_zip(buffer.getvalue()))


def _complex_size(properties: Any, half_points: int) -> None:
    """Set a style's size for complex-script text (Arabic, Hebrew), which Word and LibreOffice read from `w:szCs`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in properties.findall(qn("w:szCs")):
        properties.remove(old)
    size = OxmlElement("w:szCs")
    size.set(qn("w:val"), str(half_points))
    properties.find(qn("w:sz")).addnext(size)


def _page_numbers(paragraph: Any, pattern: str) -> None:
    """Fill a footer paragraph (its `w:p` element) with `Page N of M` as Word fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    before, _, rest = pattern.partition("{n}")
    middle, _, after = rest.partition("{m}")
    for piece, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if piece:
            paragraph.add_r().text = piece
        if field:
            element = OxmlElement("w:fldSimple")
            element.set(qn("w:instr"), field)
            run = OxmlElement("w:r")
            value = OxmlElement("w:t")
            value.text = "1"
            run.append(value)
            element.append(run)
            paragraph.append(element)


def autofit_tables(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks whose tables let Word size the columns by their content.

    The widths pandoc reads from the dashes of a pipe table can leave a column too narrow for one word,
    which Word then breaks letter by letter.
    """

    def fitted(node: dict[str, Any]) -> dict[str, Any]:
        if node["t"] != "Table":
            return node
        attr, caption, specs, *rest = node["c"]
        return {"t": "Table", "c": [attr, caption, [[align, {"t": "ColWidthDefault"}] for align, _ in specs], *rest]}

    result: list[dict[str, Any]] = tree.rebuild(blocks, node=fitted)
    return result


def logo_png(brand: Brand) -> bytes:
    """The brand's logo as a PNG sharp enough for print at the header's height (Word shows no SVG everywhere)."""
    if brand.logo.suffix.lower() != ".svg":
        return brand.logo.read_bytes()
    height = round(LOGO_HEIGHT_MM / 25.4 * 300)
    return media.svg_to_png(logo.svg(brand), height=height, display=str(brand.path), field="logo")


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so that the same brand gives the same bytes."""
    return rewritten(data, lambda info, content: (_stamped(info.filename, _FIXED_TIME), content))


def _stamped(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A compressed archive entry dated `when`, whatever the clock said when it was made."""
    entry = zipfile.ZipInfo(name, when)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's DOCX for translators, and keep the version of the original it was made from."""
    from presskit.translate import translation

    st, brand = prepared.statement, prepared.brand
    render(prepared, prepared.project.reference_doc(brand.name), target)
    translation.keep_exported(prepared.project.root, st)
