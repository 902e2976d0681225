"""Language conventions applied to a statement body: quotation marks and French spacing."""

from __future__ import annotations

import copy
import re
from typing import Any

from presskit import language
from presskit.prepare import pandoc, tree

NNBSP = "\u202f"
"""Narrow no-break space, which French sets before `; : ! ?` and inside « »."""

Node = dict[str, Any]
_BEFORE = ";:!?»"
_SPACES = " \u00a0\u2009\u202f"
# A closing sign directly after a letter, digit or closing mark, at the end of a word: `mot:` -> `mot :`.
# Times (10:30) and addresses (https://) are left alone because a letter or digit follows the sign.
_TIGHT_BEFORE = re.compile(rf"(?<=[\w)\]’”.…»])([{re.escape(_BEFORE)}])(?=$|[^\w/])")
_DIGIT_END = re.compile(r"\d\Z")
_GROUP = re.compile(r"\d{3}(?!\d)")
"""Digit groups, `30 000`, which French separates with a narrow no-break space."""
_TIGHT_AFTER = re.compile(r"«(?=\S)")
# Only from the first space of a run: tried from every space of it, a long run took quadratic time.
_LOOSE = re.compile(rf"(?<![{_SPACES}])[{_SPACES}]+([{re.escape(_BEFORE)}])|«[{_SPACES}]+")


def localize(ast: pandoc.Ast, lang: str) -> pandoc.Ast:
    """A copy of the AST with the language's quotation marks (`language.quotes`) and, in French, its spacing."""
    result = copy.copy(ast)
    french = language.base(lang) == "fr"
    marks = language.quotes(lang)

    def localized(items: list[Any]) -> list[Any]:
        return _inlines(items, french, marks) if tree.is_inlines(items) else items

    result["blocks"] = tree.rebuild(ast["blocks"], items=localized)
    return result


_OPENS_AFTER = " \t\u00a0\u202f([{«‹„“‘—–-/"
"""What a quotation mark follows when it opens a quotation rather than closes one."""


def typographic(text: str, lang: str) -> str:
    """Plain text (a title, a summary) with the marks pandoc gives the body: `’` for an apostrophe, the language's
    quotation marks for straight ones (`L'IFJ dit "non"` is `L’IFJ dit « non »` in French)."""
    if "'" not in text and '"' not in text:
        return text
    marks = language.quotes(lang)
    out: list[str] = []
    double_open = single_open = False
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _OPENS_AFTER and not after.isspace()
        if char == '"':
            # in scripts without spaces (Chinese, Japanese) a quotation opens right after a letter
            if not double_open and (opens or (not before.isascii() and before.isalpha() and not after.isspace())):
                out.append(marks[0])
                double_open = True
            else:
                out.append(marks[1] if double_open else "”")
                double_open = False
        elif char == "'":
            # an apostrophe unless it opens a quotation that a later mark closes (`'quoted' words`)
            closing = re.search(r"(?<=\S)'(?!\w)", text[i + 1 :])
            if not single_open and opens and closing and not after.isdigit():
                out.append(marks[2])
                single_open = True
            elif single_open and not before.isspace() and not after.isalnum():
                out.append(marks[3])
                single_open = False
            else:
                out.append("’")
        else:
            out.append(char)
    return "".join(out)


def french_spacing(text: str) -> str:
    """French spacing of plain text: a narrow no-break space before `; : ! ? »` and after `«`."""
    text = _LOOSE.sub(lambda m: NNBSP + m.group(1) if m.group(1) else "«" + NNBSP, text)
    text = _TIGHT_BEFORE.sub(lambda m: NNBSP + m.group(1), text)
    text = re.sub(rf"(?<=[^\s{NNBSP}])»", NNBSP + "»", text)
    return _TIGHT_AFTER.sub("«" + NNBSP, text)


_BREAKS = {"Space", "SoftBreak", "LineBreak", "Str"}


def _inlines(nodes: list[Node], french: bool, marks: tuple[str, str, str, str]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if node["t"] == "Quoted":
            start, end = marks[:2] if node["c"][0]["t"] == "DoubleQuote" else marks[2:]
            out += [{"t": "Str", "c": start}, *node["c"][1], {"t": "Str", "c": end}]
        else:
            out.append(node)
    if not french:
        return _merge(out)
    spaced = [{"t": "Str", "c": french_spacing(n["c"])} if n["t"] == "Str" else n for n in _join_spaces(_merge(out))]
    # Signs next to emphasis or a link: `*mot* :` and `«*mot*»` are in different nodes.
    for i, node in enumerate(spaced):
        if node["t"] != "Str":
            continue
        prev = spaced[i - 1] if i else None
        nxt = spaced[i + 1] if i + 1 < len(spaced) else None
        text = node["c"]
        if prev is not None and prev["t"] not in _BREAKS and text[:1] in _BEFORE:
            text = NNBSP + text
        if nxt is not None and nxt["t"] not in _BREAKS and text.endswith("«"):
            text += NNBSP
        spaced[i] = {"t": "Str", "c": text}
    return spaced


def _merge(nodes: list[Node]) -> list[Node]:
    """Join neighbouring Str nodes, so that quotation marks become part of their words."""
    out: list[Node] = []
    for node in nodes:
        if node["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + node["c"]}
        elif node["t"] != "Str" or node["c"]:
            out.append(node)
    return out


def _join_spaces(nodes: list[Node]) -> list[Node]:
    """Turn the space around `«`, `»` and before `; : ! ?` into part of the word, so it cannot break.

    A joined word is kept as a list of parts and joined once: a paragraph of `123 123 123 ...` is one
    long word, and building it by repeated concatenation took time and memory in its square.
    """
    out: list[Node] = []
    parts: list[str] | None = None  # the parts of the Str at out[-1], while it may still grow
    i = 0
    while i < len(nodes):
        node = nodes[i]
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        joined = parts is not None and node["t"] == "Space" and nxt is not None and nxt["t"] == "Str"
        if joined and parts is not None and nxt is not None and _joins(parts[-1], nxt["c"]):
            parts += [NNBSP, nxt["c"]]
            i += 2
            continue
        _close(out, parts)
        out.append(node)
        parts = [node["c"]] if node["t"] == "Str" else None
        i += 1
    _close(out, parts)
    return out


def _close(out: list[Node], parts: list[str] | None) -> None:
    if parts is not None and len(parts) > 1:
        out[-1] = {"t": "Str", "c": "".join(parts)}


def _joins(before: str, after: str) -> bool:
    """Whether the space between two words becomes a narrow no-break space."""
    return before.endswith("«") or after[:1] in _BEFORE or bool(_DIGIT_END.search(before) and _GROUP.match(after))
