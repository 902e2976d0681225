"""Walking pandoc's document tree: every node in document order, or a rebuilt copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Node = dict[str, Any]

INLINES = frozenset({
    "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
    "SmallCaps", "Quoted", "Cite", "Code", "Math", "RawInline", "Link", "Image", "Note", "Span",
})  # fmt: skip
"""Element types of pandoc's inline content."""
_WALKED = ("c", "blocks")


def nodes(value: Any) -> Iterator[Node]:
    """Every element (a dict with `t`, and any other dict) under `value`, in document order.

    Iterative, so that a deeply nested document cannot exhaust Python's stack.
    """
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def rebuild(
    value: Any,
    node: Callable[[Node], Any] | None = None,
    items: Callable[[list[Any]], list[Any]] | None = None,
) -> Any:
    """A copy of `value` (a document, blocks, an element) rebuilt from the leaves up: `node` may replace each element
    once its content is rebuilt, `items` each list once its members are.

    Only a document's blocks and an element's content (`c`) are walked; its metadata, attributes and other fields
    are kept as they are.
    Bounded in depth by `bounds.check_document`, which every statement passes before any format walks it.
    """
    if isinstance(value, list):
        rebuilt = [rebuild(v, node, items) for v in value]
        return items(rebuilt) if items is not None else rebuilt
    if isinstance(value, dict):
        copied = {k: (rebuild(v, node, items) if k in _WALKED else v) for k, v in value.items()}
        return node(copied) if node is not None and "t" in copied else copied
    return value


def is_inlines(value: list[Any]) -> bool:
    """Whether a non-empty list holds inline elements only (a paragraph's content, a link's text)."""
    return bool(value) and all(isinstance(v, dict) and v.get("t") in INLINES for v in value)
