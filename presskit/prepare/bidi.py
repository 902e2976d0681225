"""Right-to-left statements: what is written left to right inside them keeps its own order.

A phone number (`+32 2 000 00 00`), an e-mail address, a URL, a handle (`@name`) or a Latin-script name or
sentence inside Arabic or Hebrew text is laid out by the Unicode bidirectional algorithm as part of the
right-to-left text around it: the groups of a phone number come out reversed and a sentence's full stop at its
other end. Each such run is isolated once, here: in pandoc's tree as a `Span` with `dir="ltr"` (which the HTML
writer makes a `<span dir="ltr">` and the DOCX writer a run without `w:rtl`), in text as the Unicode isolates
LRI … PDI for plain-text readers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from presskit import language
from presskit.prepare import pandoc, tree

Node = dict[str, Any]

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
"""The Unicode isolates: left-to-right, right-to-left and first-strong isolate, and their end."""
_OPENERS = (LRI, RLI, FSI)
_ISOLATES = re.compile(f"[{LRI}{RLI}{FSI}{PDI}]")
_CONTAINERS = {"Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript", "Quoted",
               "Cite", "Link", "Span"}  # fmt: skip
_SPACES = {"Space", "SoftBreak"}
_TRAILING = re.compile(r"[.,;:!?\u060c\u061b\u061f\u06d4)\]\"'’”»]+$")
_RTL_PUNCTUATION = "\u060c\u061b\u061f"
"""The Arabic comma, semicolon and question mark: written after a word, they end a left-to-right run there."""
_SENTENCE_END = re.compile(r"[.!?][\"'’”»)]*$")
_NUMBER = re.compile(r"^[+(]?[\d().\-/+]*\d[\d().\-/]*$")


def is_rtl(lang: str) -> bool:
    """Whether a statement's language is written right to left."""
    return language.direction(lang) == "rtl"


def _strong(text: str) -> tuple[bool, bool]:
    """Whether text holds a strong right-to-left letter, and whether it holds a strong left-to-right one."""
    rtl = ltr = False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            rtl = True
        elif kind == "L":
            ltr = True
    return rtl, ltr


def _kind(text: str) -> str:
    """`R` for text with right-to-left letters, `L` for left-to-right text, `N` for a number, `S` for the rest."""
    rtl, ltr = _strong(text)
    if rtl:
        return "R"
    if ltr:
        return "L"
    return "N" if _NUMBER.match(text) else "S"


def _token(node: Node) -> str:
    """How an inline element takes part in a run: its kind, `space`, or `X` for what a run cannot cross."""
    kind = node["t"]
    if kind in _SPACES:
        return "space"
    if kind == "Str":
        return _kind(node["c"])
    if kind == "Code":
        return "R" if _strong(node["c"][1])[0] else "L"
    if kind in _CONTAINERS:
        if kind == "Span" and any(k == "dir" for k, _ in node["c"][0][2]):
            return "X"  # the writer set its direction already
        return _kind(pandoc.stringify([node]))
    return "X"


def _is_sentence(nodes: list[Node]) -> bool:
    """Whether a run reads as a sentence (three words or more, some in lower case) rather than a name or address."""
    words = [n["c"] for n in nodes if n["t"] == "Str"]
    return len(words) >= 3 and any(w[:1].islower() for w in words)


def _ends_run(nodes: list[Node]) -> bool:
    """Whether a run inside right-to-left text ends here: after a full sentence, or an address or number that ends
    one (`press@example.org.`), but not after an abbreviation (`Mr.`)."""
    last = nodes[-1]
    if last["t"] == "Str" and last["c"][-1:] in _RTL_PUNCTUATION:
        return True  # `CET،`: the comma is the right-to-left text's
    if last["t"] != "Str" or not _SENTENCE_END.search(last["c"]):
        return False
    words = [n for n in nodes if n["t"] == "Str"]
    return _is_sentence(nodes) or (len(words) == 1 and bool(re.search(r"[@/\d]", last["c"])))


def _isolated(nodes: list[Node]) -> list[Node]:
    """A run as a left-to-right span; punctuation ending a name or an address stays with the text around it."""
    after: list[Node] = []
    last = nodes[-1]
    if last["t"] == "Str" and not _is_sentence(nodes):
        found = _TRAILING.search(last["c"])
        if found and found.start() > 0:
            cut = found.start() + _closing_kept(pandoc.stringify(nodes)[: -len(found.group())], found.group())
            if cut < len(last["c"]):
                nodes = [*nodes[:-1], {"t": "Str", "c": last["c"][:cut]}]
                after = [{"t": "Str", "c": last["c"][cut:]}]
    return [{"t": "Span", "c": [["", [], [["dir", "ltr"]]], nodes]}, *after]


def _closing_kept(text: str, trailing: str) -> int:
    """How many of the marks after a run close brackets the run opened (`(IFJ)`): they stay inside it, with their
    opening ones, or the two would be drawn on different sides."""
    open_ = {")": text.count("(") - text.count(")"), "]": text.count("[") - text.count("]")}
    kept = 0
    for char in trailing:
        if open_.get(char, 0) <= 0:
            break
        open_[char] -= 1
        kept += 1
    return kept


def _unclosed_bracket(nodes: list[Node]) -> int | None:
    """The position of the element opening a bracket that the run does not close, or None."""
    opened: list[int] = []
    for position, node in enumerate(nodes):
        for char in pandoc.stringify([node]) if node["t"] not in _SPACES else "":
            if char in "([":
                opened.append(position)
            elif char in ")]" and opened:
                opened.pop()
    return opened[0] if opened else None


def _worth(kinds: list[str], nodes: list[Node]) -> bool:
    """Whether a run needs isolating: it has Latin-script text, or more than one number (a phone number)."""
    if "L" in kinds:
        return True
    numbers = [n for n, k in zip(nodes, kinds, strict=True) if k == "N"]
    return len(numbers) > 1 or any(n.get("t") == "Str" and n["c"].startswith("+") for n in numbers)


def isolate_inlines(inlines: list[Node], *, whole: bool = True) -> list[Node]:
    """Inlines of right-to-left text with each left-to-right run (numbers, addresses, Latin text) in a `dir=ltr` span.

    Without `whole`, a list that is one left-to-right run is left as it is: the element holding it is isolated
    where it stands.
    """
    kinds = [_token(n) for n in inlines]
    if not whole and "R" not in kinds:
        return inlines
    mixed = "R" in kinds
    out: list[Node] = []
    i = 0
    while i < len(inlines):
        if kinds[i] not in ("L", "N"):
            out.append(inlines[i])
            i += 1
            continue
        end = i
        while end < len(inlines) and kinds[end] in ("L", "N", "S", "space"):
            end += 1
            if mixed and _ends_run(inlines[i:end]):
                break  # each sentence its own run, in the order of the right-to-left text around them
        last = end - 1
        while kinds[last] in ("space", "S"):  # a run ends on a word, a number or an address
            last -= 1
        unclosed = _unclosed_bracket(inlines[i : last + 1])
        if unclosed is not None:  # `2018 (23:01 GMT، ...)`: the bracket closes in the right-to-left text
            if unclosed == 0:
                out.append(inlines[i])
                i += 1
                continue
            end = i + unclosed
            last = end - 1
            while kinds[last] in ("space", "S"):
                last -= 1
        run, run_kinds = inlines[i : last + 1], kinds[i : last + 1]
        out.extend(_isolated(run) if _worth(run_kinds, run) else run)
        out.extend(inlines[last + 1 : end])
        i = end
    return out


def _in_node(node: Node) -> Node:
    """An element with the left-to-right runs of its own inline content isolated."""
    kind, c = node["t"], node.get("c", [])
    if kind in ("Para", "Plain"):
        return {**node, "c": isolate_inlines(c)}
    if kind == "Header":
        return {**node, "c": [c[0], c[1], isolate_inlines(c[2])]}
    if kind == "LineBlock":
        return {**node, "c": [isolate_inlines(line) for line in c]}
    if kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
        return {**node, "c": isolate_inlines(c, whole=False)}
    if kind in ("Quoted", "Cite", "Link", "Span"):
        return {**node, "c": [c[0], isolate_inlines(c[1], whole=False), *c[2:]]}
    return node


def isolate(ast: pandoc.Ast, lang: str) -> pandoc.Ast:
    """A document with its left-to-right runs isolated when its language is written right to left, else as it is."""
    if not ast.get("blocks") or not is_rtl(lang):
        return ast
    return {**ast, "blocks": tree.rebuild(ast["blocks"], node=_in_node)}


def _mark(node: Node) -> Node:
    """An isolated span with the isolate characters inside it; any other element as it is."""
    if node["t"] != "Span" or (direction := dict(node["c"][0][2]).get("dir")) not in ("ltr", "rtl"):
        return node
    opener = LRI if direction == "ltr" else RLI
    return {"t": "Span", "c": [node["c"][0], [{"t": "Str", "c": opener}, *node["c"][1], {"t": "Str", "c": PDI}]]}


def marked(ast: pandoc.Ast) -> pandoc.Ast:
    """A document whose isolated spans also hold the isolate characters, for readers that apply the bidirectional
    algorithm to the text alone and ignore what the markup says (LibreOffice ignores a DOCX run's `w:rtl`)."""
    return {**ast, "blocks": tree.rebuild(ast.get("blocks", []), node=_mark)}


def marked_inlines(inlines: list[Node]) -> list[Node]:
    """Inlines whose isolated spans also hold the isolate characters (see `marked`)."""
    result: list[Node] = tree.rebuild(inlines, node=_mark)
    return result


def _words(text: str) -> list[Node]:
    """Plain text as `Str` and `Space` inlines, every space kept."""
    out: list[Node] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _segments(text: str, lang: str) -> list[tuple[str, bool]]:
    """Text as (piece, isolated left to right) pairs; one piece, not isolated, in a left-to-right statement."""
    if not text or not is_rtl(lang):
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    for node in isolate_inlines(_words(text)):
        if node["t"] == "Span":
            out.append((pandoc.stringify(node["c"][1]), True))
        else:
            out.append((node["c"] if node["t"] == "Str" else " ", False))
    return out


def html(text: str, lang: str) -> Markup:
    """Text for an HTML template, escaped, each left-to-right run of a right-to-left statement in `<span dir="ltr">`."""
    return Markup("").join(
        Markup('<span dir="ltr">{}</span>').format(piece) if isolated else escape(piece)
        for piece, isolated in _segments(text, lang)
    )


def plain(text: str, lang: str) -> str:
    """Text for a plain-text reader, each left-to-right run of a right-to-left statement between LRI and PDI."""
    return "".join(f"{LRI}{piece}{PDI}" if isolated else piece for piece, isolated in _segments(text, lang))


def without_isolates(text: str) -> str:
    """Text without the isolate characters presskit writes into the DOCX and the wire copy (it adds them again)."""
    return _ISOLATES.sub("", text)


def closed_lines(lines: Iterable[str]) -> list[str]:
    """Lines with every isolate closed on its own line and reopened on the next.

    A plain-text reader applies the bidirectional algorithm to each line alone, so an isolate left open at a
    line's end would not reach the next.
    """
    out: list[str] = []
    open_: list[str] = []
    for line in lines:
        text = "".join(open_) + line if open_ and line else line
        if not line:
            out.append(line)
            continue
        stack: list[str] = []
        for char in text:
            if char in _OPENERS:
                stack.append(char)
            elif char == PDI and stack:
                stack.pop()
        out.append(text + PDI * len(stack))
        open_ = stack
    return out


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_AFTER_BIDI = {"adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
               "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
               "cnfStyle", "rPr", "sectPr", "pPrChange"}  # fmt: skip
"""The children of `w:pPr` that the schema puts after `w:bidi` (Word refuses a part whose order is wrong)."""
_AFTER_RTL = {"cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"}
"""The children of `w:rPr` that the schema puts after `w:rtl`."""


def _child_before(parent: Any, name: str, later: set[str]) -> None:
    """Insert an empty `w:<name>` in `parent` before its first child named in `later`, else at its end."""
    from lxml import etree

    element = etree.Element(f"{{{_W}}}{name}")
    for index, child in enumerate(parent):
        if etree.QName(child).localname in later:
            parent.insert(index, element)
            return
    parent.append(element)


def word_document(xml: bytes) -> bytes:
    """A right-to-left DOCX body (`word/document.xml`): every paragraph right to left (`w:bidi`), every run of
    right-to-left text marked `w:rtl`, and no run of left-to-right text so marked.

    pandoc marks the body's paragraphs, but not the title, author and subtitle it makes from the metadata, nor
    the paragraphs presskit writes itself (the date).
    """
    from lxml import etree

    root = etree.fromstring(xml)
    w = f"{{{_W}}}"
    for paragraph in root.iter(f"{w}p"):
        properties = paragraph.find(f"{w}pPr")
        if properties is None:
            properties = etree.Element(f"{w}pPr")
            paragraph.insert(0, properties)
        if properties.find(f"{w}bidi") is None:
            _child_before(properties, "bidi", _AFTER_BIDI)
    for run in root.iter(f"{w}r"):
        text = "".join(t.text or "" for t in run.iter(f"{w}t"))
        rtl, ltr = _strong(text)
        marks = run.find(f"{w}rPr")
        marked = marks is not None and marks.find(f"{w}rtl") is not None
        if rtl and not marked:
            if marks is None:
                marks = etree.Element(f"{w}rPr")
                run.insert(0, marks)
            _child_before(marks, "rtl", _AFTER_RTL)
        elif ltr and not rtl and marked and marks is not None:
            marks.remove(marks.find(f"{w}rtl"))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


_CMAP_ENTRY = re.compile(rb"^<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>$")
_FONT_SET = re.compile(rb"^/(\S+) \S+ Tf$")
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def pdf_clusters(_document: Any, pdf: Any) -> None:
    """Make each glyph standing for several letters of right-to-left text (the lam-alef ligature, a letter with
    its vowel mark) copy out of the PDF in logical order, whatever the reader: a WeasyPrint `finisher`.

    WeasyPrint maps such a glyph to its letters in logical order (`لا`), which pypdf reads right, but poppler
    (pdftotext, Evince) spreads the letters over the glyph's width left to right and then reverses the
    right-to-left line by position, giving `ال`. Each such glyph instead stands for its first letter, preceded in
    the content stream by an empty glyph of no width for each following letter: readers that reorder glyph by
    glyph, by their order or by their position, all give the letters in logical order. Nothing drawn changes.
    """
    import pydyf

    objects = pdf.objects
    fonts = {
        obj.reference: obj
        for obj in objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font" and "ToUnicode" in obj
    }
    companions: dict[bytes, dict[int, list[int]]] = {}  # resource name: glyph: empty glyphs written before it
    for holder in objects:
        if not isinstance(holder, pydyf.Dictionary):
            continue
        for name, reference in list(holder.items()):
            font = fonts.get(reference) if isinstance(reference, bytes) else None
            if font is not None and "DescendantFonts" in font:
                found = _split_clusters(objects, font)
                if found:
                    companions[str(name).encode()] = found
    if not companions:
        return
    for stream in objects:
        if isinstance(stream, pydyf.Stream) and stream.stream:
            stream.stream = _with_companions(stream.stream, companions)


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _split_clusters(objects: list[Any], font: Any) -> dict[int, list[int]]:
    """Rewrite a font's ToUnicode map and widths so that each right-to-left cluster glyph stands for its first
    letter and new empty glyphs for the others; the empty glyphs to write before each cluster glyph, last first."""
    import pydyf

    cmap = objects[_number(font["ToUnicode"])]
    subfont = objects[_number(font["DescendantFonts"][0])]
    lines = [line if isinstance(line, bytes) else str(line).encode() for line in cmap.stream]
    mapped: dict[int, str] = {}
    for line in lines:
        if entry := _CMAP_ENTRY.match(line):
            mapped[int(entry.group(1), 16)] = bytes.fromhex(entry.group(2).decode()).decode("utf-16-be", "replace")
    clusters = {g: text for g, text in mapped.items() if len(text) > 1 and _strong(text)[0] and not _strong(text)[1]}
    if not clusters:
        return {}
    top = max(mapped)  # the subset keeps every glyph number up to the highest used, unused ones empty
    free = (g for g in range(top - 1, 0, -1) if g not in mapped)
    letters: dict[str, int] = {}
    rest: dict[int, list[int]] = {}
    for glyph, text in sorted(clusters.items()):
        empties = []
        for letter in text[1:]:
            if letter not in letters:
                spare = next(free, None)
                if spare is None:
                    return {}
                letters[letter] = spare
            empties.append(letters[letter])
        rest[glyph] = empties[::-1]  # drawn left to right: the last letter first
    out: list[bytes] = []
    for line in lines:
        entry = _CMAP_ENTRY.match(line)
        if entry and int(entry.group(1), 16) in clusters:
            first = clusters[int(entry.group(1), 16)][0]
            line = b"<%s> <%s>" % (entry.group(1), first.encode("utf-16-be").hex().encode())
        if line == b"endcmap":
            items = sorted((g, letter) for letter, g in letters.items())
            for start in range(0, len(items), 100):
                batch = items[start : start + 100]
                out.append(b"%d beginbfchar" % len(batch))
                out.extend(b"<%04x> <%s>" % (g, letter.encode("utf-16-be").hex().encode()) for g, letter in batch)
                out.append(b"endbfchar")
        out.append(line)
    cmap.stream = out
    for glyph in sorted(letters.values()):
        subfont["W"].extend([glyph, pydyf.Array([0])])
    return rest


def _with_companions(operations: list[Any], companions: dict[bytes, dict[int, list[int]]]) -> list[Any]:
    """A content stream with the empty glyphs written before each cluster glyph of the fonts that have some."""
    current: dict[int, list[int]] = {}

    def glyphs(found: re.Match[bytes]) -> bytes:
        hexa = found.group(1)
        if len(hexa) % 4:
            return found.group(0)
        out: list[bytes] = []
        for i in range(0, len(hexa), 4):
            glyph = int(hexa[i : i + 4], 16)
            out.extend(b"%04x" % g for g in current.get(glyph, ()))
            out.append(hexa[i : i + 4])
        return b"<" + b"".join(out) + b">"

    result = []
    for operation in operations:
        if isinstance(operation, bytes):
            if font := _FONT_SET.match(operation):
                current = companions.get(font.group(1), {})
            elif current and operation.endswith((b"TJ", b"Tj")):
                operation = _HEX.sub(glyphs, operation)
        result.append(operation)
    return result
