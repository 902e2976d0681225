"""Translations: which statements translate which, whether they are up to date, and importing a translated DOCX."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit import language, output
from presskit.errors import InputError
from presskit.read import brand as brands
from presskit.read import frontmatter, statement

INBOX = Path("translations") / "inbox"
"""Where translated DOCX files are put to be imported, relative to the project."""
ORIGINALS = Path("translations") / "originals"
"""Copies of the originals that translations were made from, by slug and SHA-256, for paragraph diffs."""
RECORD = Path("translations") / "imported.json"
"""What each import wrote, to tell a hand-edited translation from an imported one."""
BACKUPS = Path("translations") / "backup"
"""Hand-edited translations that an import replaced."""
SHA256 = re.compile(r"[0-9a-f]{64}")
"""A SHA-256 as presskit writes it."""
STALE = "This translation may not reflect the latest version of the original, updated {date}."
"""The note of a stale translation, for a labels file that has no `stale` entry."""


@dataclass(frozen=True)
class Entry:
    """What the translation machinery needs to know about a source, read cheaply."""

    path: Path
    """The Markdown file."""
    slug: str
    """Name of the statement's folder in `build/`."""
    stem: str
    """Base name of its outputs."""
    lang: str
    """Its language: the `lang` field, else the file name's `.LANG`, else the brand's."""
    translation_of: str | None
    """Slug of the original, for a translation."""
    source_sha256: str | None
    """SHA-256 of the original the translation was made from."""
    sha256: str
    """SHA-256 of this file."""
    date: str | None
    """The `date` field as written."""
    layout: str
    """Its layout."""
    updated: str | None = None
    """The `updated` field as written."""


def scan(
    sources: Path, layouts: Path, sniffed_sources: list[tuple[Path, statement.Sniff]] | None = None
) -> list[Entry]:
    """Every statement of `sources/`, read without failing: a broken file gets its problems reported by its build.

    `sniffed_sources` are the sources as the caller has just sniffed them (`statement.sniff_folder`), if it has.
    """
    entries = []
    brand_langs: dict[str, str] = {}
    if sniffed_sources is None:
        sniffed_sources = [(path, statement.sniff(path)) for path in sorted(sources.glob("*.md"), key=str)]
    for path, sniffed in sniffed_sources:
        fields = sniffed.fields
        _, name_lang = statement.slug_from_name(path)
        named = fields.get("lang")
        written = named if isinstance(named, str) and statement.is_language_code(named) else None

        def brand_lang(layout: str = sniffed.layout) -> str:
            if layout not in brand_langs:
                brand_langs[layout] = _brand_lang(layouts, layout)
            return brand_langs[layout]

        lang = language.statement_language(written, name_lang, brand_lang)
        of = fields.get("translation_of")
        sha = fields.get("source_sha256")
        entries.append(
            Entry(
                path=path,
                slug=sniffed.slug,
                stem=sniffed.stem,
                lang=str(lang),
                translation_of=of if isinstance(of, str) else None,
                source_sha256=sha if isinstance(sha, str) and SHA256.fullmatch(sha) else None,
                sha256=sniffed.sha256,
                date=str(fields["date"]) if "date" in fields else None,
                layout=sniffed.layout,
                updated=str(fields["updated"]) if "updated" in fields else None,
            )
        )
    return entries


def _brand_lang(layouts: Path, layout: str) -> str:
    return brands.written_lang(layouts, layout) or "en"  # its shape only: the brand's check says if it is one


def original_of(entry: Entry, entries: list[Entry]) -> Entry | None:
    """The original a translation names, if it is in `sources/`."""
    if entry.translation_of is None:
        return None
    return next((e for e in entries if e.translation_of is None and e.slug == entry.translation_of), None)


def is_stale(entry: Entry, entries: list[Entry]) -> bool:
    """True for a translation whose original has changed since it was made."""
    original = original_of(entry, entries)
    return original is not None and entry.source_sha256 != original.sha256


def task_context(entries: list[Entry]) -> dict[Path, dict[str, Any]]:
    """For each source, what its outputs show about its language versions: a value for config_changed."""
    by_slug: dict[str, list[Entry]] = defaultdict(list)
    originals: dict[str, Entry] = {}
    for e in entries:
        by_slug[e.translation_of or e.slug].append(e)
        if e.translation_of is None:
            originals.setdefault(e.slug, e)  # the first, as original_of finds it
    context: dict[Path, dict[str, Any]] = {}
    for e in entries:
        family = by_slug[e.translation_of or e.slug]
        versions = [[o.lang, o.stem] for o in family if o.path != e.path and o.slug == e.slug]
        # A lookup by slug, not original_of: that walks every entry, for each of thousands of translations.
        original = originals.get(e.translation_of) if e.translation_of is not None else None
        stale = None
        if original is not None and e.source_sha256 != original.sha256:
            stale = original.date or ""
            if original.updated and re.match(r"\d{4}-\d{2}-\d{2}", original.updated):
                stale = original.updated[:10]  # the note names the day of the update, not of the first release
        context[e.path] = {"versions": versions, "stale_since": stale}
    return context


# --- status -------------------------------------------------------------------------------------------------


def paragraphs(body: str) -> list[str]:
    """The paragraphs of a Markdown body, each on one line."""
    return [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]


def paragraph_diff(old_body: str, new_body: str) -> list[str]:
    """What changed between two versions of a body, paragraph by paragraph, numbered as in the new one."""
    old, new = paragraphs(old_body), paragraphs(new_body)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                out.append(f"paragraph {j + 1} changed: {word_changes(old[i], new[j])}")
                out.append(f"    now: {_excerpt(new[j])}")
            continue
        if tag in ("replace", "insert"):
            for j in range(j1, j2):
                out.append(f"paragraph {j + 1} {'changed' if tag == 'replace' else 'added'}: {_excerpt(new[j])}")
        if tag == "replace":
            out.extend(f"    was: {_excerpt(old[i])}" for i in range(i1, i2))
        if tag == "delete":
            out.extend(f"paragraph removed after paragraph {j1}: {_excerpt(old[i])}" for i in range(i1, i2))
    return out


def word_changes(old: str, new: str, most: int = 4) -> str:
    """The words that changed between two versions of a paragraph, e.g. `“uses” → “users”`."""
    a, b = old.split(), new.split()
    changes: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        before, after = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if tag == "replace":
            changes.append(f"{_excerpt(before, 40)} → {_excerpt(after, 40)}")
        elif tag == "insert":
            changes.append(f"added {_excerpt(after, 40)}")
        elif tag == "delete":
            changes.append(f"removed {_excerpt(before, 40)}")
    shown = "; ".join(changes[:most])
    return shown + (f"; and {len(changes) - most} more changes" if len(changes) > most else "")


def _excerpt(text: str, length: int = 90) -> str:
    return f"“{text if len(text) <= length else text[: length - 1].rstrip() + '…'}”"


def snapshot_path(root: Path, slug: str, sha256: str) -> Path:
    """Where the copy of an original with this SHA-256 is kept."""
    return root / ORIGINALS / slug / f"{sha256}.md"


def keep_exported(root: Path, st: statement.Statement) -> None:
    """Keep the version of an original whose DOCX was just built: the import accepts translations of it."""
    if st.translation_of is not None:
        return
    target = snapshot_path(root, st.slug, st.sha256)
    if target.exists():
        return
    data = st.source.read_bytes()
    if hashlib.sha256(data).hexdigest() == st.sha256:  # not edited since it was read
        output.write(target, data)


def status(root: Path) -> str:
    """For every original in `sources/`, each language: up to date, stale (with what changed) or missing."""
    sources, layouts = root / "sources", root / "layouts"
    entries = scan(sources, layouts)
    lines: list[str] = []
    originals = [e for e in entries if e.translation_of is None]
    for original in originals:
        rel = os.path.relpath(original.path, root)
        lines.append(f"{original.slug} ({rel}, {original.lang})")
        try:
            required = brands.load(layouts, original.layout, root).languages
        except (InputError, OSError):
            required = ()
        translations = [e for e in entries if e.translation_of == original.slug]
        for tr in sorted(translations, key=lambda e: e.lang):
            state = "stale" if is_stale(tr, entries) else "up to date"
            lines.append(f"  {tr.lang:<8} {state:<11} {os.path.relpath(tr.path, root)}")
            if state == "stale":
                try:
                    changes = _changes(root, original, tr)
                except InputError as exc:  # a broken original (or kept copy) is named, the status goes on
                    changes = [f"the changed paragraphs cannot be shown: {problem}" for problem in exc.problems]
                lines.extend(f"           {ln}" for ln in changes)
        for lang in required:
            if language.covers(lang, original.lang) or any(language.covers(lang, t.lang) for t in translations):
                continue
            lines.append(f"  {lang:<8} missing")
    orphans = [e for e in entries if e.translation_of and not original_of(e, entries)]
    for e in orphans:
        lines.append(
            f"{os.path.relpath(e.path, root)}: translation_of: no statement in sources/ has the slug "
            f"'{e.translation_of}'"
        )
    return "\n".join(lines) if lines else "no statements in sources/"


def _changes(root: Path, original: Entry, translation: Entry) -> list[str]:
    old = snapshot_path(root, original.slug, translation.source_sha256 or "")
    if not translation.source_sha256 or not old.is_file():
        return ["the original changed since this translation was made; the version it was made from is not "
                f"kept in {ORIGINALS}/, so the changed paragraphs cannot be shown"]  # fmt: skip
    display = os.path.relpath(original.path, root)
    old_body = frontmatter.split(frontmatter.decode(old.read_bytes(), str(old)), str(old)).body
    new_body = frontmatter.split(frontmatter.decode(original.path.read_bytes(), display), display).body
    changes = paragraph_diff(old_body, new_body)
    if not changes:
        return ["only the front matter of the original changed"]
    return ["changed in the original since this translation was made:", *(f"  {c}" for c in changes)]
