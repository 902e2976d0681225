"""Wire copy: plain text that a newswire form or a plain-text e-mail takes as it is."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import emoji
from anyascii import anyascii
from wcwidth import iter_graphemes, wcswidth

from presskit import language, output
from presskit.formats import templates
from presskit.prepare import bidi, pandoc
from presskit.prepare.prepared import Prepared, correction_inlines

Node = dict[str, Any]
_SPACE = ("Space", "SoftBreak")
# Characters no line may start with, in CJK typesetting (kinsoku shori, the line-start prohibited classes of
# JIS X 4051: closing brackets, hyphens, dividing punctuation, middle dots, full stops, commas, iteration marks,
# the prolonged sound mark and small kana, full and half width), and the quotes of the wire itself.
_NO_BREAK_BEFORE = set(
    "、。，．・：；？！）」』】〕〉》〗〙〛｝］｠’”〟»…‥‐゠–〜～‼⁇⁈⁉ー゛゜々〻ヽヾゝゞ)]}?!:;"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ｡､･ｰｧｨｩｪｫｬｭｮｯ｣"
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
# Characters no line may end with: the opening brackets (line-end prohibited in JIS X 4051).
_NO_BREAK_AFTER = set("（「『【〔〈《〖〘〚｛［｟‘“«([{｢〝")
_INSEPARABLE = set("—―…‥〳〴〵")
"""Characters that are never parted from the same character beside them: `——`, `……`."""
_CITY = re.compile(r"^\s*\{(?:CITY|city)\}[,\s]*|(?<![,\s])[,\s]*\{(?:CITY|city)\}")  # linear: see _LOOSE
_ASCII_FIRST = {"\u2014": "--", "\u2013": "-", "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " "}


def width_of(text: str) -> int:
    """Display width in columns: wide (CJK) characters and emoji count two, an emoji sequence as one emoji."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _is_wide(cluster: str) -> bool:
    """Whether a grapheme cluster takes two columns: a CJK character or an emoji (of one or more code points)."""
    return unicodedata.east_asian_width(cluster[0]) in ("W", "F") or width_of(cluster) == 2


def _is_hangul(cluster: str) -> bool:
    """Whether a cluster is a Korean syllable or letter: Korean breaks lines between words, at spaces."""
    code = ord(cluster[0])
    return 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


_THAI = re.compile(r"[\u0e00-\u0e7f]")


def _breaks_beside(cluster: str) -> bool:
    """Whether a line may break before or after a cluster without a space: a wide one other than Korean.

    A Thai syllable with SARA AM (`จำ`) is two columns wide, yet breaks only between words.
    """
    return _is_wide(cluster) and not _is_hangul(cluster) and not _THAI.match(cluster)


def thai_words(text: str) -> list[str]:
    """Thai text cut into words (pythainlp's dictionary segmenter `newmm`); the words join back into the text."""
    # pythainlp would otherwise create a data folder in the user's home on import, and may download corpora.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import word_tokenize

    words = [w for w in word_tokenize(text, engine="newmm", keep_whitespace=True) if w]
    return words if "".join(words) == text else [text]


def _word_cuts(word: str) -> set[int]:
    """Offsets inside a word without spaces where a line may break: between two Thai words."""
    if not _THAI.search(word):
        return set()
    cuts, offset = set(), 0
    for piece in thai_words(word)[:-1]:
        offset += len(piece)
        if _THAI.match(word[offset - 1]) or _THAI.match(word[offset]):
            cuts.add(offset)
    return cuts


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split text into (token, space before) pairs; lines may break between any two wide characters.

    Text is read by grapheme cluster, so that an emoji made of several code points (a flag, a skin tone,
    a ZWJ sequence) is never cut in two. Thai, written without spaces between words, breaks between words.
    """
    out: list[tuple[str, bool]] = []
    for word in text.split(" "):
        if not word:
            continue
        space = True
        piece, last = "", ""
        cuts, offset = _word_cuts(word), 0
        for cluster in iter_graphemes(word):
            # A line may break beside a wide character, but never before a closing mark nor after an opening one.
            if (
                piece
                and (_breaks_beside(last) or _breaks_beside(cluster) or offset in cuts)
                and cluster not in _NO_BREAK_BEFORE
                and last not in _NO_BREAK_AFTER
                and not (cluster == last and cluster in _INSEPARABLE)
            ):
                out.append((piece, space))
                space, piece = False, ""
            piece += cluster
            last = cluster
            offset += len(cluster)
        if piece:
            out.append((piece, space))
    return out


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Fill text to `width` columns; a token longer than the line stands alone on its own line."""
    lines: list[str] = []
    for segment in text.split("\n"):
        line, prefix = "", first if not lines else rest
        # Only ordinary spaces are break opportunities: a no-break space (French `mot ;`) holds its words together.
        for token, space in _tokens(" ".join(_SPACES.split(segment.strip(" \t")))):
            candidate = f"{line} {token}" if line and space else line + token
            if line and width_of(prefix + candidate) > width:
                lines.append(prefix + line)
                prefix, line = rest, token
            else:
                line = candidate
        lines.append(prefix + line)
    return bidi.closed_lines(ln.rstrip() for ln in lines)


@dataclass
class _Writer:
    """Renders pandoc blocks to plain-text lines, collecting link URLs and footnotes.

    Links and footnotes share one sequence of reference numbers, so that `[2]` names exactly one
    entry of either the notes or the links.
    """

    lang: str
    ascii: bool = False
    links: dict[str, int] = field(default_factory=dict)
    note_blocks: list[tuple[int, list[Node]]] = field(default_factory=list)
    references: int = 0

    def _reference(self) -> int:
        self.references += 1
        return self.references

    def url(self, url: str) -> str:
        """A URL as the copy shows it: in ASCII copy, non-ASCII characters are percent-encoded."""
        return quote(url, safe="".join(chr(c) for c in range(33, 127))) if self.ascii else url

    def text(self, value: str) -> str:
        """Text of the statement, transliterated in ASCII copy."""
        return to_ascii(value) if self.ascii else value

    def inline(self, nodes: list[Node]) -> str:
        out: list[str] = []
        for node in nodes:
            kind: str = node["t"]
            c: Any = node.get("c", [])
            if kind == "Str":
                out.append(self.text(c))
            elif kind in _SPACE:
                out.append(" ")
            elif kind == "LineBreak":
                out.append("\n")
            elif kind in ("Code", "Math"):
                out.append(self.text(c[1]))
            elif kind == "RawInline":
                continue
            elif kind == "Quoted":
                marks = language.quotes(self.lang)
                start, end = marks[:2] if c[0]["t"] == "DoubleQuote" else marks[2:]
                quoted = f"{start}{self.inline(c[1])}{end}"
                out.append(self.text(quoted))
            elif kind == "Link":
                label, url = self.inline(c[1]), c[2][0]
                plain = url.removeprefix("mailto:")
                if pandoc.stringify(c[1]).strip() in (url, plain):
                    out.append(self.url(plain))  # a bare URL or address stays as it is
                elif not url or url.startswith("#"):
                    out.append(label)
                else:
                    if url not in self.links:
                        self.links[url] = self._reference()
                    out.append(f"{label} [{self.links[url]}]")
            elif kind == "Image":
                alt = self.inline(c[1]).strip()
                out.append(f"[{alt}]" if alt else "")
            elif kind == "Note":
                number = self._reference()
                self.note_blocks.append((number, c))
                out.append(f"[{number}]")
            elif kind == "Span" and (direction := dict(c[0][2]).get("dir")) in ("ltr", "rtl"):
                opener = bidi.LRI if direction == "ltr" else bidi.RLI
                out.append(f"{opener}{self.inline(c[1])}{bidi.PDI}")  # a plain-text reader's own isolate
            elif kind in ("Span", "Cite"):
                out.append(self.inline(c[1]))
            elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
                out.append(self.inline(c))
        return "".join(out)

    def blocks(self, nodes: list[Node], width: int, gap: bool = True) -> list[str]:
        """Lines of a list of blocks, one blank line between blocks unless `gap` is false (tight lists)."""
        chunks = [self.block(node, width) for node in nodes]
        out: list[str] = []
        for chunk in chunks:
            if not chunk:
                continue
            if out and gap:
                out.append("")
            out.extend(chunk)
        return out

    def block(self, node: Node, width: int) -> list[str]:
        kind: str = node["t"]
        c: Any = node.get("c", [])
        if kind in ("Para", "Plain"):
            text = self.inline(c).strip()
            return wrap(text, width) if text else []
        if kind == "Header":
            return wrap(language.upper(self.inline(c[2]), self.lang), width)
        if kind == "BlockQuote":
            return [f"    {ln}".rstrip() for ln in self.blocks(c, width - 4)]
        if kind == "BulletList":
            return self.items(["-"] * len(c), c, width)
        if kind == "OrderedList":
            start, style, delim = c[0][0], c[0][1]["t"], c[0][2]["t"]
            return self.items([_marker(start + i, style, delim) for i in range(len(c[1]))], c[1], width)
        if kind == "DefinitionList":
            out: list[str] = []
            for term, definitions in c:
                out.extend(wrap(self.inline(term), width))
                for definition in definitions:
                    out.extend(f"    {ln}".rstrip() for ln in self.blocks(definition, width - 4))
            return out
        if kind == "CodeBlock":
            return [ln for raw in self.text(c[1]).split("\n") for ln in _hard_wrap(f"    {raw}", width)]
        if kind == "LineBlock":
            return [ln for line in c for ln in wrap(self.inline(line), width)]
        if kind == "HorizontalRule":
            return ["* * *"]
        if kind == "Table":
            return self.table(c, width)
        if kind == "Figure":
            caption = self.blocks(c[1][1], width)
            return caption or self.blocks(c[2], width)  # the caption says more than the alt text
        if kind == "Div":
            return self.blocks(c[1], width)
        return []  # RawBlock and anything unknown carry no text for the wire

    def items(self, markers: list[str], items: list[list[Node]], width: int) -> list[str]:
        hang = max(width_of(m) for m in markers) + 1
        out: list[str] = []
        loose = any(b["t"] == "Para" for item in items for b in item)
        for marker, item in zip(markers, items, strict=True):
            lines = self.blocks(item, width - hang, gap=loose) or [""]
            if loose and out:
                out.append("")
            out.append(f"{marker.ljust(hang)}{lines[0]}".rstrip())
            out.extend(f"{' ' * hang}{ln}".rstrip() for ln in lines[1:])
        return out

    def table(self, c: list[Any], width: int) -> list[str]:
        caption = self.blocks(c[1][1], width)
        head = [self._row(r) for r in c[3][1]]
        body = [self._row(r) for tb in c[4] for r in tb[2] + tb[3]]
        foot = [self._row(r) for r in c[5][1]]
        rows = head + body + foot
        ncols = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (ncols - len(r)) for r in rows]
        widths = [max((width_of(r[i]) for r in rows), default=0) for i in range(ncols)]
        out = caption + ([""] if caption else [])
        if ncols and sum(widths) + 2 * (ncols - 1) <= width and all("\n" not in cell for r in rows for cell in r):
            aligns = [spec[0]["t"] for spec in c[2]]

            def line(row: list[str]) -> str:
                cells = []
                for i, cell in enumerate(row):
                    pad = " " * (widths[i] - width_of(cell))
                    cells.append(pad + cell if aligns[i] == "AlignRight" else cell + pad)
                return "  ".join(cells).rstrip()

            for r in head:
                out.append(line(r))
            if head:
                out.append("  ".join("-" * w for w in widths))
            out.extend(line(r) for r in body + foot)
            return out
        # Too wide for the line: one block per row, each cell labelled with its column header.
        labels_row = head[-1] if head else [""] * ncols
        for row in body + foot:
            if out and out[-1] != "":
                out.append("")
            for label, cell in zip(labels_row, row, strict=False):
                text = f"{label}: {cell}" if label else cell
                out.extend(wrap(text.replace("\n", " "), width, "- ", "  "))
        return out

    def _row(self, row: list[Any]) -> list[str]:
        return ["\n".join(self.blocks(cell[4], 10_000)).strip() for cell in row[1]]

    def footnotes(self, width: int) -> list[str]:
        """The collected footnotes as `[n] text` paragraphs (notes inside notes are numbered on)."""
        out: list[str] = []
        done = 0
        while done < len(self.note_blocks):
            number, blocks = self.note_blocks[done]
            done += 1
            marker = f"[{number}] "
            lines = self.blocks(blocks, width - len(marker)) or [""]
            if out:
                out.append("")
            out.append(marker + lines[0])
            out.extend(" " * len(marker) + ln if ln else "" for ln in lines[1:])
        return out


def _marker(n: int, style: str, delim: str) -> str:
    if style in ("LowerAlpha", "UpperAlpha"):
        text = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            text = chr(ord("a") + r) + text
        text = text.upper() if style == "UpperAlpha" else text
    elif style in ("LowerRoman", "UpperRoman"):
        text = _roman(n)
        text = text if style == "UpperRoman" else text.lower()
    else:
        text = str(n)
    return {"OneParen": f"{text})", "TwoParens": f"({text})"}.get(delim, f"{text}.")


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _hard_wrap(line: str, width: int) -> list[str]:
    """Cut a line that may not be filled (preformatted text) into lines of `width` columns, between clusters."""
    out = []
    while width_of(line) > width:
        clusters = list(iter_graphemes(line))
        cut = len(clusters)
        while cut > 1 and width_of("".join(clusters[:cut])) > width:
            cut -= 1
        head = "".join(clusters[:cut])
        if not head.strip():  # not one cluster fits beside the indent: a longer line beats an endless loop
            break
        out.append(head.rstrip())
        line = "    " + "".join(clusters[cut:])
    out.append(line.rstrip())
    return out


def headline(title: str, style: str, lang: str = "en") -> str:
    """The headline in the brand's case style."""
    if style == "upper":
        return language.upper(title, lang)
    if style == "title":
        small = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
        words = title.split(" ")
        return " ".join(
            w if (i and w.lower() in small) or not w[:1].islower() else w[:1].upper() + w[1:]
            for i, w in enumerate(words)
        )
    return title


def dateline(pattern: str, city: str | None, date_text: str, lang: str = "en") -> str:
    """The dateline in the brand's pattern; without a city, the city and its separator are left out."""
    if not city:
        pattern = _CITY.sub("", pattern)
    return pattern.format(CITY=language.upper(city or "", lang), city=city or "", date=date_text).strip()


def render(prepared: Prepared) -> str:
    """The complete wire copy of a statement."""
    statement, brand = prepared.statement, prepared.brand
    settings = brand.wire
    width = settings.width
    writer = _Writer(statement.lang, settings.ascii)
    tr = writer.text
    words = {k: tr(v) for k, v in prepared.words.items()}
    blocks = list(prepared.body["blocks"])
    correction = _correction(prepared, writer, width)  # before the body: its links are numbered first
    opening = dateline(
        settings.dateline, statement.dateline, language.long_date(statement.date, statement.lang), statement.lang
    )
    opening = templates.punctuate(opening, statement.lang)  # 悉尼，2018年11月23日
    lead = next((i for i, b in enumerate(blocks) if b["t"] in ("Para", "Plain")), None)
    if statement.opening_dated:
        pass  # the text opens with its own dateline, date and all
    elif statement.opening:  # its own city, no date: the date on a line before it, as the other formats show it
        blocks.insert(0, {"t": "Para", "c": [{"t": "Str", "c": language.long_date(statement.date, statement.lang)}]})
    elif lead is None:
        blocks.insert(0, {"t": "Para", "c": [{"t": "Str", "c": opening}]})
    else:
        first = blocks[lead]
        blocks[lead] = {"t": first["t"], "c": [{"t": "Str", "c": opening}, {"t": "Space"}, *first["c"]]}
    body = writer.blocks(blocks, width)
    about = writer.blocks(prepared.about.get("blocks", []), width)
    if brand.social:
        social = ", ".join(f"{s.network}: {s.handle}" for s in brand.social)
        about += wrap(bidi.plain(tr(social), statement.lang), width)
    notes = writer.footnotes(width)
    versions_label = templates.punctuate(f"{words['languages']}:", statement.lang)
    contact_label = templates.punctuate(f"{words['contact']}:", statement.lang)
    lang = statement.lang
    contact = [contact_label, bidi.plain(tr(statement.contact.name), lang),
               bidi.plain(writer.url(statement.contact.email), lang)]  # fmt: skip
    if statement.contact.phone:
        contact.append(bidi.plain(tr(statement.contact.phone), lang))
    links = sorted((number, url) for url, number in writer.links.items())
    about_title = words["about"].format(organisation=tr(brand.organisation))
    text = templates.render(
        brand,
        "wire.txt",
        s=statement,
        extra=statement.extra,
        release=tr(templates.release_line(statement, words)),
        correction=correction,
        headline=wrap(bidi.plain(tr(headline(statement.title, settings.headline, lang)), lang), width),
        body=body,
        notes=notes,
        links=[ln for n, url in links for ln in wrap(f"[{n}] {writer.url(url)}", width, "", "    ")],
        contact=[ln for c in contact for ln in wrap(c, width)],
        about_title="\n".join(wrap(bidi.plain(about_title, statement.lang), width)),
        about=[about] if about else [],
        words=words,
        end_mark=settings.end_mark.center(width).rstrip(),
        notice=wrap(tr(statement.notice), width) if statement.notice else [],
        versions=wrap(tr(f"{versions_label} {', '.join(v.name for v in statement.versions)}"), width)
        if statement.versions
        else [],
    )
    return to_ascii(text) if settings.ascii else text


def _correction(prepared: Prepared, writer: _Writer, width: int) -> list[str]:
    """The lines opening a corrected or updated statement: `CORRECTED <time>`, then the correction note."""
    statement = prepared.statement
    word = templates.correction_word(statement, prepared.brand, prepared.words)
    if word is None or statement.updated is None:
        return []
    lines = wrap(writer.text(f"{word} {language.embargo_time(statement.updated, statement.lang)}"), width)
    note = writer.inline(correction_inlines(prepared)).strip()
    return lines + (wrap(note, width) if note else [])


def to_ascii(text: str) -> str:
    """Readable 7-bit transliteration: `Zoë` to `Zoe`, `—` to `--`, curly quotes to straight, `🇺🇦` to `:Ukraine:`."""
    for char, plain in _ASCII_FIRST.items():
        text = text.replace(char, plain)
    return "".join(_cluster_ascii(cluster) for cluster in iter_graphemes(text))


def _cluster_ascii(cluster: str) -> str:
    """One grapheme cluster in ASCII; an emoji by its name, whole, as a flag or a ZWJ sequence has one name."""
    if cluster.isascii():
        return cluster
    # Only clusters shown as emoji get an emoji name: a lone ©, ™ or ❤ keeps its text transliteration.
    if emoji.is_emoji(cluster) and (len(cluster) > 1 or unicodedata.east_asian_width(cluster) == "W"):
        return anyascii(emoji.demojize(cluster))  # names of flags may have accents: :Curaçao:
    return "".join(anyascii(ch) for ch in cluster)


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's wire copy."""
    output.write(target, render(prepared))
