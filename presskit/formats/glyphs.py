"""No missing glyph: every character a format will draw must be in the brand's fonts or an installed one."""

from __future__ import annotations

import bisect
import io
import json
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from wcwidth import iter_graphemes

from presskit import cache
from presskit.errors import InputError, Problem, fail
from presskit.read.brand import Brand, not_a_font

Ranges = tuple[tuple[int, ...], tuple[int, ...]]
"""Merged code point ranges as (starts, ends), ends inclusive, for bisection."""

_SCRIPTS = (
    ((0x0370, 0x03FF), "Greek", "fonts-dejavu-core"),
    ((0x1F00, 0x1FFF), "Greek", "fonts-dejavu-core"),
    ((0x1EA0, 0x1EFF), "Vietnamese", "fonts-dejavu-core"),
    ((0x0590, 0x05FF), "Hebrew", "fonts-noto-core"),
    ((0xFB1D, 0xFB4F), "Hebrew", "fonts-noto-core"),
    ((0x0600, 0x08FF), "Arabic", "fonts-noto-core"),
    ((0xFB50, 0xFDFF), "Arabic", "fonts-noto-core"),
    ((0xFE70, 0xFEFF), "Arabic", "fonts-noto-core"),
    ((0x0900, 0x097F), "Devanagari", "fonts-noto-core"),
    ((0xA8E0, 0xA8FF), "Devanagari", "fonts-noto-core"),
    ((0x0E00, 0x0E7F), "Thai", "fonts-noto-core"),
    ((0x3040, 0x30FF), "Japanese", "fonts-noto-cjk"),
    ((0x1100, 0x11FF), "Korean", "fonts-noto-cjk"),
    ((0x3130, 0x318F), "Korean", "fonts-noto-cjk"),
    ((0xAC00, 0xD7AF), "Korean", "fonts-noto-cjk"),
    ((0x2E80, 0x9FFF), "Chinese", "fonts-noto-cjk"),
    ((0xF900, 0xFAFF), "Chinese", "fonts-noto-cjk"),
    ((0xFF00, 0xFFEF), "Chinese", "fonts-noto-cjk"),
    ((0x20000, 0x3FFFF), "Chinese", "fonts-noto-cjk-extra"),
    ((0x1F000, 0x1FAFF), "emoji", "fonts-noto-color-emoji"),
    ((0x2600, 0x27BF), "emoji", "fonts-noto-color-emoji"),
)
"""The scripts presskit sets, by block, with the Debian font package that draws them (the fix an error names);
anything else: fonts-noto-core."""


def _drawn(char: str) -> bool:
    """Whether a character needs a glyph: not whitespace, control, format or variation selector."""
    if char.isspace():
        return False
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def _merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return tuple(starts), tuple(ends)


def _covered(ranges: Ranges, code: int) -> bool:
    starts, ends = ranges
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def _kept(name: str) -> Ranges | None:
    data = cache.get(name, "ranges")
    if data is None:
        return None
    try:
        starts, ends = json.loads(data)
    except (ValueError, TypeError, RecursionError):  # a damaged entry is a miss
        return None
    if not all(isinstance(v, list) and all(type(n) is int for n in v) for v in (starts, ends)):
        return None
    return tuple(starts), tuple(ends)


def _keep(name: str, ranges: Ranges) -> Ranges:
    cache.put(name, "ranges", json.dumps(ranges).encode("utf-8"))
    return ranges


class _Damaged(Exception):
    """A font file fontTools cannot read."""


@lru_cache(maxsize=64)
def _file_ranges(path: Path, _mtime: int) -> Ranges:
    # Kept in the build cache: reading a font's character map is most of the check, in every new process.
    data = path.read_bytes()
    name = cache.key("font ranges", data)
    found = _kept(name)
    if found is not None:
        return found
    from fontTools.ttLib import TTFont

    try:
        with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # fontTools raises many kinds of errors for a damaged font
        raise _Damaged from None
    return _keep(name, _merge((code, code) for code in cmap))


@lru_cache(maxsize=1)
def system_ranges() -> Ranges:
    """What every font fontconfig offers covers, together (WeasyPrint falls back on any of them)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return (), ()
    listing = subprocess.run([fc_list, "--format", "%{charset}\n"], check=True, capture_output=True, text=True).stdout
    name = cache.key("fc-list ranges", listing)
    kept = _kept(name)
    if kept is not None:
        return kept
    found: list[tuple[int, int]] = []
    for token in listing.split():
        start, _, end = token.partition("-")
        found.append((int(start, 16), int(end or start, 16)))
    return _keep(name, _merge(found))


EMOJI_FAMILY = "Noto Color Emoji"
"""The colour emoji font the PDF names, from the Debian package fonts-noto-color-emoji."""


@lru_cache(maxsize=1)
def emoji_font() -> Path | None:
    """The file of the colour emoji font, if fontconfig has it."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listing = subprocess.run(
        [fc_list, f":family={EMOJI_FAMILY}", "--format", "%{file}\n"], check=True, capture_output=True, text=True
    ).stdout
    files = sorted(Path(line) for line in listing.splitlines() if line.strip())
    return files[0] if files else None


def brand_ranges(brand: Brand) -> Ranges:
    """What the font files a brand ships cover, together."""
    starts: list[tuple[int, int]] = []
    for font in brand.font_files:
        try:
            file_starts, file_ends = _file_ranges(font.path, font.path.stat().st_mtime_ns)
        except _Damaged:
            name = os.path.relpath(font.path, brand.folder)
            raise fail(os.path.relpath(brand.path), not_a_font(name), field="typography.fonts") from None
        starts.extend(zip(file_starts, file_ends, strict=True))
    return _merge(starts)


def clusters(text: str) -> list[str]:
    """The grapheme clusters of `text`: what a reader sees as one character, e.g. a flag or `👩🏽‍💻`."""
    return list(iter_graphemes(text))


def _needed(cluster: str) -> list[int]:
    """Code points of a cluster that need a glyph of their own.

    Joiners, variation selectors and tags only select or combine glyphs. A skin-tone modifier or a regional
    indicator is drawn as part of one emoji glyph: it is checked, and named, with the cluster it belongs to.
    """
    return [ord(char) for char in cluster if _drawn(char)]


def missing(text: str, brand: Brand) -> list[str]:
    """Grapheme clusters of `text` that neither the brand's font files nor any installed font can draw, in order."""
    own, system = brand_ranges(brand), system_ranges()
    absent = {c for c in set(text) if _drawn(c) and not (_covered(own, ord(c)) or _covered(system, ord(c)))}
    if not absent:  # the usual case, found without splitting the whole text into clusters
        return []
    found = {cluster for cluster in clusters(text) if not absent.isdisjoint(cluster)}
    return sorted(found, key=text.index)


def is_emoji(cluster: str) -> bool:
    """Whether a cluster is an emoji (a flag, a person with a skin tone, a ZWJ sequence, a pictograph)."""
    import emoji

    return bool(emoji.is_emoji(cluster))


def package_for(cluster: str) -> str:
    """The Debian package with a font that draws `cluster`."""
    if is_emoji(cluster):
        return "fonts-noto-color-emoji"
    found = _script(cluster)
    return found[1] if found else "fonts-noto-core"


def _script(cluster: str) -> tuple[str, str] | None:
    """The script of a cluster's first drawn character and its font package, if presskit's table has it."""
    code = next(iter(_needed(cluster)), ord(cluster[0]))
    for (start, end), name, package in _SCRIPTS:
        if start <= code <= end:
            return name, package
    return None


def script_name(cluster: str) -> str | None:
    """The name of the script a cluster is written in, as the missing-glyph message says it (`Devanagari`)."""
    found = _script(cluster)
    return found[0] if found else None


def describe(cluster: str) -> str:
    """A character as people can find it: `'ا' (U+0627 ARABIC LETTER ALEF)`, `'🇺🇦' (emoji Ukraine: U+1F1FA U+1F1E6)`."""
    codes = " ".join(f"U+{ord(char):04X}" for char in cluster)
    if is_emoji(cluster):
        import emoji

        name = emoji.demojize(cluster).strip(":").replace("_", " ")
        return f"'{cluster}' (emoji {name}: {codes})"
    names = " + ".join(f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}" for char in cluster)
    return f"'{cluster}' ({names})"


def check(text: str, brand: Brand, display: str, source_text: str = "") -> None:
    """Raise InputError when a character of `text` has no glyph, naming the characters and the fix."""
    absent = missing(text, brand)
    if not absent:
        return
    shown = ", ".join(describe(c) for c in absent[:8]) + (f" and {len(absent) - 8} more" if len(absent) > 8 else "")
    packages = sorted({package_for(c) for c in absent})
    scripts = sorted({name for c in absent if (name := script_name(c)) and not is_emoji(c)})
    drawing = f", which draws {' and '.join(scripts)}" if scripts else ""
    fix = (
        f"no installed font has {'this character' if len(absent) == 1 else 'these characters'}: {shown}; "
        f"install the font package {' or '.join(packages)}{drawing} (e.g. `apt-get install {packages[0]}`), "
        f"or add a font file that has {'it' if len(absent) == 1 else 'them'} to layouts/{brand.name}/fonts/ "
        "and list it under "
        f"typography.fonts in layouts/{brand.name}/_brand.yml"
    )
    line = next((n for n, row in enumerate(source_text.splitlines(), 1) if absent[0] in row), None)
    raise InputError([Problem(display, line, "text", fix)])
