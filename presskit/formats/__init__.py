"""One module per output format, rendered from a prepared statement; this registry names them.

Each format module has `build(prepared, target)`. The registry is plain data, so that doit can name
every task without importing an engine; the code an output depends on is derived from its module's
imports (`presskit.tasks.code`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """An output format: its doit basename, file suffix, module, and the layout files and engines it reads."""

    basename: str
    """doit basename, e.g. `pdf`."""
    suffix: str
    """File suffix of the output."""
    doc: str
    """What the output is, for `doit list`."""
    module: str
    """The module whose `build(prepared, target)` makes it."""
    layout_files: tuple[str, ...]
    """Layout files it reads (looked up in the brand's folder, then the base layout)."""
    engines: tuple[str, ...]
    """Engines whose version changes the output (fontTools draws the logo's lettering in all but the wire copy)."""
    reads_outputs: tuple[str, ...] = ()
    """Other formats whose output files it reads (they become file_dep)."""
    default: bool = True
    """Built by a plain `doit`; the others only when asked for (`doit card`) or needed (by the site)."""


FORMATS = (
    Format("html", ".html", "web newsroom page", "presskit.formats.html", ("page.html", "page.css", "brand.css"),
           ("pandoc", "fonttools")),
    Format("pdf", ".pdf", "branded PDF", "presskit.formats.pdf", ("print.html", "print.css", "brand.css"),
           ("pandoc", "weasyprint", "fonttools")),
    Format("docx", ".docx", "DOCX for translators", "presskit.formats.docx", (), ("pandoc", "fonttools")),
    Format("txt", ".txt", "plain-text wire copy", "presskit.formats.wire", ("wire.txt",), ()),
    Format("eml", ".eml", "press e-mail draft", "presskit.formats.mail", ("email.html",),
           ("pandoc", "css-inline", "cairosvg", "fonttools"), reads_outputs=("pdf", "txt")),
    Format("card", ".card.png", "share card", "presskit.formats.card", ("card.html", "card.css", "brand.css"),
           ("weasyprint", "pypdfium2", "fonttools"), default=False),
)  # fmt: skip
BY_NAME = {f.basename: f for f in FORMATS}
BUILT_BY_DEFAULT = tuple(f for f in FORMATS if f.default)
"""The formats a plain `doit` builds for every statement."""
