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


def nodes(value: Any, into: Callable[[Node], Any] | None = None) -> Iterator[Node]:
    """Every element (a dict with `t`, and any other dict) under `value`, in document order.

    `into` gives what under a dict is walked, as in `walk`.
    """
    if into is not None:
        for node, _ in walk(value, into):
            yield node
        return
    # `walk` without what it carries: every format and check asks this, for every element of every statement
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(node.values()))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def walk(
    value: Any,
    into: Callable[[Node], Any] | None = None,
    down: Callable[[Node, Any], Any] | None = None,
    top: Any = None,
) -> Iterator[tuple[Node, Any]]:
    """Every element (a dict with `t`, and any other dict) under `value`, in document order, each with what `down`
    makes of it and of what its parent was given (`top` above the outermost): its depth, say.

    `into` gives what under a dict is walked: all its values unless it says otherwise (an element's content
    alone, a part of it, or nothing). Iterative, so that a deeply nested document cannot exhaust Python's stack;
    a caller that stops early (at a depth it refuses) ends the walk there.
    """
    stack: list[tuple[Any, Any]] = [(value, top)]
    while stack:
        node, given = stack.pop()
        if isinstance(node, dict):
            own = given if down is None else down(node, given)
            yield node, own
            stack.append((list(node.values()) if into is None else into(node), own))
        elif isinstance(node, list):
            stack.extend((child, given) for child in reversed(node))


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
