"""Read a DOCX from outside hands (a translator's file): bounded in size, checked part by part, XML without entities.

A DOCX is a zip archive of XML parts. Everything about it is checked from the archive's directory
before a byte is unpacked, and every part is read through a bounded stream, so that a zip bomb, an
encrypted or oddly compressed archive, or XML declaring entities gives a message naming the file.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from presskit.errors import fail

MAX_FILE = 50_000_000
"""Largest DOCX accepted, in bytes; a translated press statement with its photos is a few megabytes."""
MAX_PARTS = 1_000
"""Most parts (files of the archive) accepted; Word writes a few dozen."""
MAX_PART = 50_000_000
"""Largest part accepted once unpacked, in bytes."""
MAX_TOTAL = 150_000_000
"""Most bytes all parts may unpack to together."""
MAX_RATIO = 100
"""Highest compression ratio accepted for a part of more than RATIO_FROM bytes; Word's XML packs about 10:1."""
RATIO_FROM = 1_000_000
DOCUMENT = "word/document.xml"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of a compound file: Word's format for a password-protected document, and the old .doc."""
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_OTHER_METHODS = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma", 9: "deflate64"}
_AGAIN = "open it in Word and save it again as .docx, then import it again"


class Docx:
    """A checked DOCX: its parts' sizes and methods are sane, and each part is read with a bound."""

    def __init__(self, data: bytes, display: str) -> None:
        self.display = display
        if data.startswith(_OLE):
            raise fail(
                display,
                "is protected with a password or saved in the old Word format (.doc): remove the password "
                "(File > Info > Protect Document) and save it as Word Document (.docx), then import it again",
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except Exception:  # zipfile raises many kinds of errors for a damaged archive
            raise fail(display, "is not a Word document (DOCX); save the translation as .docx and import it again") \
                from None  # fmt: skip
        if len(infos) > MAX_PARTS:
            raise fail(display, f"holds {len(infos)} files; a Word document holds a few dozen: {_AGAIN}")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if name in seen:
                raise fail(display, f"holds two parts named '{_short(name)}', which Word never writes: {_AGAIN}")
            seen.add(name)
            if info.flag_bits & 0x1:
                raise fail(display, f"is encrypted ('{_short(name)}' needs a password): {_AGAIN} without a password")
            if info.compress_type not in _METHODS:
                method = _OTHER_METHODS.get(info.compress_type, f"method {info.compress_type}")
                raise fail(display, f"'{_short(name)}' is compressed with {method}, which Word never uses: {_AGAIN}")
            total += info.file_size
            if info.file_size > MAX_PART:
                raise fail(
                    display,
                    f"'{_short(name)}' would unpack to {info.file_size / 1e6:.0f} MB; a translated statement is "
                    f"far smaller: {_AGAIN}",
                )
            if total > MAX_TOTAL:
                raise fail(
                    display,
                    f"would unpack to more than {MAX_TOTAL / 1e6:.0f} MB; a translated statement is far smaller: "
                    f"{_AGAIN}",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
                raise fail(
                    display,
                    f"'{_short(name)}' is packed {ratio:.0f} to 1, as no Word document is (a zip bomb): {_AGAIN}",
                )
        self.names = frozenset(seen)
        if DOCUMENT not in self.names:
            raise fail(
                display,
                f"is not a Word document: it has no {DOCUMENT}; save the translation in Word as .docx "
                "and import it again",
            )

    def read(self, name: str) -> bytes:
        """The bytes of one part, unpacked no further than the size the directory gives (checked above)."""
        info = self._zip.getinfo(name)
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except Exception as exc:  # zlib, CRC, truncated data: zipfile has no single error for a damaged part
            raise fail(self.display, f"is damaged ('{_short(name)}' cannot be unpacked: {_reason(exc)}); {_AGAIN}") \
                from None  # fmt: skip
        if len(data) != info.file_size:
            raise fail(self.display, f"is damaged ('{_short(name)}' is not the size it says); {_AGAIN}")
        return data

    def verify(self) -> None:
        """Unpack every part once, so that a damaged one is reported before any is used."""
        for name in sorted(self.names):
            self.read(name)

    def xml(self, name: str) -> Any:
        """One part parsed as XML, refusing a DOCTYPE: entities are never expanded, nothing is fetched."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            root = etree.fromstring(self.read(name), parser)
        except etree.XMLSyntaxError as exc:
            raise fail(self.display, f"is damaged ('{_short(name)}' is not well-formed XML: {exc.msg}); {_AGAIN}") \
                from None  # fmt: skip
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise fail(
                self.display,
                f"'{_short(name)}' declares a DOCTYPE or entities, which Word never writes: {_AGAIN}",
            )
        return root

    def optional_xml(self, name: str) -> Any:
        """A part parsed as XML, or None when the document has no such part."""
        return self.xml(name) if name in self.names else None


def load(path: Path, display: str) -> tuple[bytes, Docx]:
    """A DOCX file's bytes, read only if it is a regular file of sane size, and the checked document."""
    try:
        found = path.stat()
    except OSError as exc:
        raise fail(display, f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(found.st_mode):
        raise fail(display, "is not a file (a folder, a device or a pipe); put the translated .docx itself here")
    if found.st_size > MAX_FILE:
        raise fail(display, f"is {found.st_size / 1e6:.0f} MB; a translated statement is a few MB at most: {_AGAIN}")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as exc:
        raise fail(display, f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE:
        raise fail(display, f"is larger than {MAX_FILE / 1e6:.0f} MB; a translated statement is a few MB at most")
    return data, Docx(data, display)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 80 else text[:79] + "…"


def _short(name: str) -> str:
    return name if len(name) <= 60 else name[:59] + "…"
