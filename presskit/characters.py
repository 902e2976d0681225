"""Characters that must not reach a document property, an XML part or an e-mail header."""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Control characters other than tab and line breaks, and code points XML cannot hold at all."""
_XML_INVALID = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The bytes of the ASCII control characters XML 1.0 forbids; UTF-8 never uses them inside another character."""
HOW_TO_FIX = "delete it (retype the text around it if your editor does not show it)"


def control_problem(value: str) -> str | None:
    """What is wrong with text holding an invisible control character, naming the first one; else None."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return (
        f"holds the invisible control character U+{ord(found.group()):04X}, which Word and mail programs "
        f"refuse; {HOW_TO_FIX}"
    )


def first_control(value: str) -> int | None:
    """Index of the first control character of a text, or None."""
    found = CONTROL.search(value)
    return None if found is None else found.start()


def encoded_word_problem(value: str) -> str | None:
    """What is wrong with header text that a mail program would decode (RFC 2047 `=?charset?b?...?=`); else None.

    Python's e-mail package and mail programs decode such a word into any text, line breaks included.
    """
    start = value.find("=?")
    if start < 0 or value.find("?=", start + 2) < 0:
        return None
    return (
        "holds '=?...?=', which mail programs read as an encoded word and replace by other text; "
        "write the text itself, without '=?' and '?='"
    )


def xml_safe(content: bytes) -> bytes:
    """UTF-8 XML without the control characters XML forbids, which would make the whole file unreadable."""
    return _XML_INVALID.sub(b"", content)
