"""The project being built: where its statements, brands and outputs are, passed to whatever needs them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from presskit.read import brand as brands


@dataclass(frozen=True)
class Project:
    """Where a press office keeps its statements, layouts and outputs."""

    root: Path
    """The folder holding `dodo.py`."""

    @property
    def sources(self) -> Path:
        """Statements, one Markdown file each."""
        return self.root / "sources"

    @property
    def layouts(self) -> Path:
        """Brands, one folder each."""
        return self.root / "layouts"

    @property
    def build(self) -> Path:
        """Generated outputs."""
        return self.root / "build"

    @property
    def cache(self) -> Path:
        """Results kept between tasks and runs (`build/_cache`); deleting it only costs time."""
        return self.build / "_cache"

    @property
    def translations(self) -> Path:
        """The translators' inbox, and the originals translations were made from."""
        return self.root / "translations"

    def reference_doc(self, layout: str) -> Path:
        """The DOCX reference document generated for a brand."""
        return self.build / "_reference" / f"{brands.folder(self.layouts, layout).name}.docx"
