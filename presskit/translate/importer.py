"""Import a translated DOCX: read it with pandoc's DOCX reader and write `sources/<slug>.<lang>.md`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypandoc
import yaml
from lxml import etree

from presskit import language, output
from presskit.errors import InputError, fail
from presskit.formats.docx import (
    CORRECTION_STYLE,
    DATELINE_STYLE,
    FRAME_STYLES,
    HEAD_STYLES,
    TAIL_STYLES,
    UPDATED_STYLE,
    rewritten,
)
from presskit.prepare import bidi, media, pandoc, tree
from presskit.read import frontmatter, statement
from presskit.translate import docxread, translation
from presskit.translate.docxread import DOCUMENT, Docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
MARKDOWN = "markdown-smart-simple_tables-multiline_tables-grid_tables"
"""The Markdown written: characters as the translator typed them (no `smart`), tables as pipe tables."""
UNTRANSLATED = ("date", "layout", "embargo", "tags", "contact")
"""Front matter a translation takes from its original."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_META_STYLES = ("Title", "Subtitle", "Author")
"""The paragraphs pandoc writes before everything else, from the title and summary: read back as they are."""
_PANDOC_META_STYLES = ("Date", "Abstract")
"""Other styles pandoc's DOCX reader takes out of the body as metadata."""


@dataclass(frozen=True)
class Translated:
    """What a translated DOCX says."""

    slug: str
    """The statement it translates."""
    source_sha256: str
    """SHA-256 of the original's source the DOCX was made from."""
    lang: str | None
    """Its language, from the file name or the document; None when neither tells."""
    title: str
    """Translated headline."""
    summary: str | None
    """Translated summary."""
    dateline: str | None
    """Translated dateline city."""
    body: pandoc.Ast
    """Translated body, as pandoc's AST."""
    comments: tuple[str, ...]
    """Reviewers' comments, which the import drops."""
    updated: bool = False
    """Whether the DOCX shows an updated line: the version translated was updated after it was sent."""
    correction: str | None = None
    """Translated correction note, as plain text."""


def properties(doc: Docx) -> dict[str, str]:
    """The custom document properties of a DOCX."""
    root = doc.optional_xml("docProps/custom.xml")
    if root is None:
        return {}
    return {p.get("name"): "".join(p.itertext()).strip() for p in root if p.get("name")}


def lang_from_name(path: Path) -> str | None:
    """The language a file name gives, as in `statement.fr.docx`."""
    return statement.slug_from_name(path)[1]


def normalize_lang(tag: str) -> str:
    """A language tag as sources are named: `fr-FR` stays, `zh-CN` becomes `zh-Hans`, `zh-HK` `zh-Hant-HK`."""
    return language.from_word_lang(tag)


def document_lang(doc: Docx) -> str | None:
    """The language most of the document's text is marked with, as a translator's tool leaves it."""
    body = doc.xml(DOCUMENT)
    styles = doc.optional_xml("word/styles.xml")
    default: dict[str, str] = {}
    if styles is not None:
        node = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", _NS)
        if node is not None:
            default = {k.split("}")[-1]: v for k, v in node.attrib.items()}
    votes: Counter[str] = Counter()
    for run in body.iter(f"{{{W}}}r"):
        text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
        if not text.strip():
            continue
        node = run.find("w:rPr/w:lang", _NS)
        attrs = dict(default)
        if node is not None:
            attrs.update({k.split("}")[-1]: v for k, v in node.attrib.items()})
        if _CJK.search(text):
            lang = attrs.get("eastAsia")
        elif _ARABIC.search(text):
            lang = attrs.get("bidi")
        else:
            lang = attrs.get("val")
        if lang:
            votes[lang] += len(text)
    if not votes:
        return None
    return normalize_lang(votes.most_common(1)[0][0])


def _style_ids(styles: Any, names: tuple[str, ...]) -> set[str]:
    ids: set[str] = set()
    for style in styles.iter(f"{{{W}}}style"):
        name = style.find("w:name", _NS)
        if name is not None and name.get(f"{{{W}}}val") in names:
            ids.add(style.get(f"{{{W}}}styleId"))
    return ids | {n.replace(" ", "") for n in names}


def _visible_text(p: Any) -> str:
    """Text of a paragraph with tracked changes accepted: insertions kept, deletions gone."""
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))


def _style_of(node: Any, names: dict[str, str]) -> str | None:
    """The style name of a body paragraph among `names` (style id -> name), or None."""
    if node.tag != f"{{{W}}}p":
        return None
    style = node.find("w:pPr/w:pStyle", _NS)
    return names.get(style.get(f"{{{W}}}val")) if style is not None else None


def _frame(children: list[Any], names: dict[str, str]) -> list[tuple[Any, str]]:
    """The frame paragraphs among the body's top-level elements, as the exporter writes them, with their styles.

    Only the run of frame styles right after the title (in the exporter's order) and the contact and
    boilerplate at the end are frame: a paragraph styled Dateline or Contact anywhere else is body text.
    """
    found: list[tuple[Any, str]] = []
    i = 0
    while i < len(children) and _style_of(children[i], names) in _META_STYLES:
        i += 1
    expected = list(HEAD_STYLES)
    while i < len(children) and (style := _style_of(children[i], names)) in expected:
        found.append((children[i], style))
        expected = expected[expected.index(style) + 1 :]
        i += 1
    j = len(children) - 1
    while j >= i and children[j].tag != f"{{{W}}}p":  # the section properties close the body
        j -= 1
    contact, boilerplate = TAIL_STYLES
    while j >= i and _style_of(children[j], names) == boilerplate:
        found.append((children[j], boilerplate))
        j -= 1
    if j >= i and _style_of(children[j], names) == contact:
        found.append((children[j], contact))
    return found


def _without_frame(data: bytes, source: Docx) -> tuple[bytes, dict[str, list[str]], tuple[str, ...]]:
    """The DOCX without presskit's frame paragraphs, the frame's text by style, and the comments.

    Body paragraphs that carry a frame style, or a style pandoc would read as metadata, lose that
    style: their text stays body text.
    """
    doc = source.xml(DOCUMENT)
    styles = source.optional_xml("word/styles.xml")
    names: dict[str, str] = {}
    for name in (*FRAME_STYLES, *_META_STYLES, *_PANDOC_META_STYLES):
        for style_id in _style_ids(styles, (name,)) if styles is not None else {name.replace(" ", "")}:
            names[style_id] = name
    body = doc.find("w:body", _NS)
    children = list(body) if body is not None else []
    frame: dict[str, list[str]] = {}
    framed = _frame(children, names)
    for p, name in sorted(framed, key=lambda found: children.index(found[0])):
        frame.setdefault(name, []).append(_visible_text(p).strip())
        body.remove(p)
    leading = set()
    for child in children:
        if _style_of(child, names) not in _META_STYLES:
            break
        leading.add(child)
    for p in doc.iter(f"{{{W}}}p"):
        if p not in leading and _style_of(p, names) is not None:
            style = p.find("w:pPr/w:pStyle", _NS)
            style.getparent().remove(style)
    comments: list[str] = []
    if (notes := source.optional_xml("word/comments.xml")) is not None:
        for comment in notes.iter(f"{{{W}}}comment"):
            author = comment.get(f"{{{W}}}author") or "someone"
            text = " ".join("".join(p.itertext()).strip() for p in comment.iter(f"{{{W}}}p")).strip()
            comments.append(f"{author}: {text}")

    def edit(info: zipfile.ZipInfo, content: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if info.filename == DOCUMENT:
            content = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True)
        return info, content

    return rewritten(data, edit), frame, tuple(comments)


def _meta_text(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if not value:
        return None
    if value["t"] == "MetaInlines":
        text = pandoc.stringify(value["c"])
    elif value["t"] == "MetaBlocks":
        text = " ".join(pandoc.stringify(b.get("c", [])) for b in value["c"])
    elif value["t"] == "MetaString":
        text = value["c"]
    else:
        return None
    return " ".join(text.split()) or None


def _plain(nodes: Any) -> Any:
    """The AST without the anchors and wrappers Word adds, which would show in Markdown as `[]{#_Toc1}`."""

    def unwrapped(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for node in items:
            if isinstance(node, dict) and node.get("t") in ("Span", "Div"):
                attr, content = node["c"]
                if not attr[1] and all(k in ("custom-style",) for k, _ in attr[2]):
                    out.extend(content)
                    continue
                if node["t"] == "Span" and not content:
                    continue
            out.append(node)
        return out

    return tree.rebuild(nodes, items=unwrapped)


def read(path: Path, display: str, lang: str | None = None) -> Translated:
    """Read a translated DOCX; raise InputError when it is not a presskit DOCX."""
    data, doc = docxread.load(path, display)
    doc.verify()  # every part unpacks (within bounds) before pandoc or the rewrite below reads any
    props = properties(doc)
    slug, sha = props.get("presskit-slug"), props.get("presskit-source-sha256")
    if not slug or not sha:
        raise fail(
            display,
            "this DOCX was not exported by presskit (it has no presskit-slug property): translate the DOCX "
            "presskit builds in build/<slug>/ and import that file",
        )
    # A translator's file is untrusted: what names a file or a version is checked before anything else.
    changed = "the DOCX's properties were changed after presskit exported it; translate the DOCX presskit built"
    if not statement.is_slug(slug):
        raise fail(display, f"{slug!r} is not the slug of a statement; {changed}", field="presskit-slug")
    if not translation.SHA256.fullmatch(sha):
        raise fail(
            display, f"{sha!r} is not a SHA-256 (64 digits 0-9 and a-f); {changed}", field="presskit-source-sha256"
        )
    chosen = _language(path, doc, display, lang, slug)
    stripped, frame, comments = _without_frame(data, doc)
    with tempfile.TemporaryDirectory() as tmp:
        temp = Path(tmp) / "translation.docx"
        temp.write_bytes(stripped)
        try:
            ast = json.loads(
                pypandoc.convert_file(
                    str(temp), "json", format="docx", extra_args=["--track-changes=accept"], sandbox=True
                )
            )
        except RuntimeError as exc:
            detail = (str(exc).strip().splitlines() or ["unknown error"])[-1]
            raise fail(display, f"pandoc could not read the DOCX: {detail}") from None
    title = _meta_text(ast["meta"], "title")
    if not title:
        raise fail(display, "the headline (the paragraph in the Title style) is missing or empty")
    body = {"pandoc-api-version": ast["pandoc-api-version"], "meta": {}, "blocks": _plain(ast["blocks"])}
    dateline = " ".join(frame.get(DATELINE_STYLE, [])).strip() or None
    correction = " ".join(" ".join(frame.get(CORRECTION_STYLE, [])).split()) or None
    return Translated(
        slug=slug,
        source_sha256=sha,
        lang=normalize_lang(chosen) if chosen else None,
        title=title,
        summary=_meta_text(ast["meta"], "subtitle"),
        dateline=dateline,
        body=body,
        comments=comments,
        updated=UPDATED_STYLE in frame,
        correction=_escaped(correction) if correction else None,
    )


def _escaped(text: str) -> str:
    """Plain text as Markdown that reads back as the same text: the correction is Markdown."""
    return re.sub(r"([\\`*_\[\]<>#|~^$])", r"\\\1", text)


def _language(path: Path, doc: Docx, display: str, given: str | None, slug: str) -> str | None:
    """The translation's language, from `--lang`, the file name or the document, checked to be a language code."""
    how = f"name the file like {slug}.fr.docx (with the language code) or give it with --lang"
    if given is not None:
        if not statement.is_language_code(given):
            raise fail(display, f"--lang: {given!r} is not a language code; use one such as fr, es or zh-Hans")
        return given
    named = lang_from_name(path)  # only ever a language code
    if named:
        return named
    marked = document_lang(doc)
    if marked is not None and not statement.is_language_code(marked):
        raise fail(display, f"the document is marked as written in {marked!r}, which is not a language code; {how}")
    return marked


def target_of(docx: Path, root: Path) -> Path | None:
    """The source file a DOCX of the inbox imports to, if its name or properties tell; read cheaply."""
    try:
        _, doc = docxread.load(docx, str(docx))
        slug = properties(doc).get("presskit-slug")
        lang = lang_from_name(docx) or document_lang(doc)
    except InputError:
        return None  # the import task reports it
    if not slug or not lang or not statement.is_slug(slug) or not statement.is_language_code(normalize_lang(lang)):
        return None  # the import itself says what is wrong
    return root / "sources" / f"{slug}.{normalize_lang(lang)}.md"


def markdown(tr: Translated, original: Path, lang: str) -> str:
    """The translation's source file: the original's untranslated fields, the translated ones and the body."""
    fields = frontmatter.read(original, str(original)).fields
    head: dict[str, Any] = {"title": tr.title}
    if tr.summary:
        head["summary"] = tr.summary
    if tr.dateline:
        head["dateline"] = tr.dateline
    head["lang"] = lang
    for key in UNTRANSLATED:
        if key in fields:
            head[key] = fields[key]
    # The time of an update is the original's; the correction note was translated with the text.
    if tr.updated and "updated" in fields:
        head["updated"] = fields["updated"]
        if tr.correction:
            head["correction"] = tr.correction
    head["translation_of"] = tr.slug
    head["source_sha256"] = tr.source_sha256
    lines = []
    for key, value in head.items():
        if key == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            lines.append(f"date: {value}\n")  # as people write it; presskit reads dates as text
            continue
        flow = None if isinstance(value, list) else False
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=flow)
        lines.append(dumped)
    body = pandoc.write(tr.body, MARKDOWN, str(original), "--wrap=none").strip() + "\n"
    return bidi.without_isolates("---\n" + "".join(lines) + f"---\n\n{body}")  # the DOCX's, added on export


def _images(value: Any) -> list[dict[str, Any]]:
    """The Image nodes of an AST, in reading order."""
    return list(media.images(value))


def restore_images(body: pandoc.Ast, original: Path, display: str) -> pandoc.Ast:
    """The body with the original's image files in place of the copies Word embedded, the translated alt text kept.

    The DOCX carries images as `media/rId7.png`; the translation shows the same images as its original.
    """
    text = frontmatter.read(original, str(original)).body
    theirs = _images(pandoc.parse(text, str(original))["blocks"])
    ours = _images(body["blocks"])
    if len(ours) != len(theirs):
        raise fail(
            display,
            f"the DOCX has {len(ours)} image(s) and the original {len(theirs)}; a translation keeps the original's "
            "images: put them back (or remove the added ones) in the DOCX and import it again",
        )
    for mine, source in zip(ours, theirs, strict=True):
        mine["c"][0] = source["c"][0]  # the original's attributes (size, id)
        mine["c"][2] = [source["c"][2][0], mine["c"][2][1]]  # the original's file, the translated title
    return body


def check_version(slug: str, sha: str, original: translation.Entry, entries: list[translation.Entry], root: Path,
                  display: str) -> None:  # fmt: skip
    """Raise InputError unless `sha` is a version of the statement `slug` that presskit knows it exported.

    Known are: its current version, the versions kept in translations/originals/<slug>/ (every DOCX
    build of it keeps one), the versions its translations were made from, and its translations themselves
    (the DOCX of a translation, sent out for review).
    """
    family = [e for e in entries if e.translation_of == slug]
    known = {original.sha256, *(e.source_sha256 for e in family), *(e.sha256 for e in family)}
    if sha in known or translation.snapshot_path(root, slug, sha).is_file():
        return
    rel = os.path.relpath(original.path, root)
    other = next((e for e in entries if e.sha256 == sha), None)
    if other is None:
        kept = sorted((root / translation.ORIGINALS).glob(f"*/{sha}.md"))
        other = next((e for e in entries if kept and e.slug == kept[0].parent.name and e.translation_of is None), None)
    if other is not None:
        raise fail(
            display,
            f"this DOCX says it translates {rel} (presskit-slug '{slug}'), but it was exported from "
            f"{os.path.relpath(other.path, root)}; it was not imported: check which statement the translator was "
            "sent, and import the DOCX of that statement",
            field="presskit-slug",
        )
    raise fail(
        display,
        f"this DOCX says it was made from a version of {rel} that presskit has no record of (presskit-source-sha256 "
        f"{sha[:12]}...): not the current one, nor one kept in {translation.ORIGINALS}/{slug}/ when its DOCX was "
        f"built; it was not imported: build the DOCX again (doit docx:{slug}) and have the translation carried over",
        field="presskit-source-sha256",
    )


def _record(root: Path) -> tuple[dict[str, dict[str, str]], str | None]:
    """What each import wrote, and a warning when the record is damaged (it is then read as empty)."""
    path = root / translation.RECORD
    if not path.exists():
        return {}, None
    try:
        data = json.loads(frontmatter.read_settings(path, str(translation.RECORD)))
    except (InputError, ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        data = None
    if isinstance(data, dict) and all(
        isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values()) for entry in data.values()
    ):
        return data, None
    return {}, (
        f"{translation.RECORD}: warning: the record of past imports is damaged and was read as empty; a translation "
        "edited since its import is kept in the backup folder before it is replaced"
    )


def run(docx: Path, root: Path, *, lang: str | None = None, force: bool = False) -> str:
    """Import one translated DOCX, returning what was done; raises InputError for a DOCX that cannot be imported."""
    with output.confined(root):
        return _run(docx, root, lang, force)


def _run(docx: Path, root: Path, lang: str | None, force: bool) -> str:
    display = os.path.relpath(docx, root)
    tr = read(docx, display, lang)
    entries = translation.scan(root / "sources", root / "layouts")
    original = next((e for e in entries if e.translation_of is None and e.slug == tr.slug), None)
    if original is None:
        raise fail(
            display,
            f"this DOCX is a translation of '{tr.slug}', but no statement in sources/ has that slug; "
            "put the original back in sources/ or import the DOCX into the project it came from",
        )
    reviewed = next((e for e in entries if e.translation_of == tr.slug and e.sha256 == tr.source_sha256), None)
    check_version(tr.slug, tr.source_sha256, original, entries, root, display)
    if reviewed is not None and reviewed.source_sha256:
        # The DOCX of a translation, sent out for review: it still translates the original it was made from.
        tr = dataclasses.replace(tr, source_sha256=reviewed.source_sha256)
    if tr.lang is None:
        raise fail(
            display,
            "cannot tell the language of the translation: name the file like "
            f"{tr.slug}.fr.docx (with the language code) or give it with --lang",
        )
    if language.covers(tr.lang, original.lang) and language.base(tr.lang) == language.base(original.lang):
        raise fail(
            display,
            f"the document is marked {tr.lang}, the language of the original, so the translation's language is "
            f"unknown: name the file like {tr.slug}.fr.docx (with the language code) or give it with --lang",
        )
    messages: list[str] = []
    if tr.comments:
        listed = "; ".join(f"[{c}]" for c in tr.comments)
        messages.append(f"{display}: warning: {len(tr.comments)} comment(s) were not imported: {listed}")
    lang = tr.lang
    tr = dataclasses.replace(tr, body=restore_images(tr.body, original.path, display))
    target = root / "sources" / f"{tr.slug}.{lang}.md"
    rel = os.path.relpath(target, root)
    text = markdown(tr, original.path, lang)
    # Keep the original this translation was made from, so that later changes can be shown paragraph by paragraph.
    if tr.source_sha256 == original.sha256:
        snapshot = translation.snapshot_path(root, tr.slug, original.sha256)
        if not snapshot.exists():
            output.write(snapshot, original.path.read_bytes())
    docx_sha = hashlib.sha256(docx.read_bytes()).hexdigest()
    record, damaged = _record(root)
    if damaged is not None:
        messages.append(damaged)
    previous = record.get(rel, {})
    current = target.read_bytes() if target.exists() else None
    current_sha = hashlib.sha256(current).hexdigest() if current is not None else None
    edited = current is not None and current_sha != previous.get("sha256")
    if current is not None and current.decode("utf-8", errors="replace") == text:
        messages.append(f"{rel}: unchanged (already imported from {display})")
    elif edited and previous.get("docx") == docx_sha and not force:
        messages.append(
            f"{rel}: kept as it is: it was edited after {display} was imported; to replace it with the DOCX, "
            f"run python3 -m presskit import {display} --force"
        )
    else:
        if edited and current is not None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            backup = root / translation.BACKUPS / f"{target.stem}.{stamp}.md"
            output.write(backup, current)
            messages.append(
                f"{rel}: was edited by hand since the last import; the old file is kept as "
                f"{os.path.relpath(backup, root)}"
            )
        output.write(target, text)
        messages.append(f"{rel}: imported from {display}")
    written = target.read_bytes()
    entry = {"sha256": hashlib.sha256(written).hexdigest(), "docx": docx_sha}
    if previous != entry and written.decode("utf-8", errors="replace") == text:
        record[rel] = entry
        output.write(root / translation.RECORD, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return "\n".join(messages)
