"""Make the WOFF2 pieces of every layout's font files, shipped in `layouts/<name>/fonts/web/`.

    python3 tools/webfonts.py

Pages carry their brand's fonts as WOFF2 pieces (presskit/formats/webfonts.py). A build makes the pieces it
lacks and keeps them in build/_cache, which costs about a second a font face on the first page of a fresh
build; the pieces shipped beside a layout's fonts spare every build that. Run this after adding or replacing a
font file, or after fontTools is updated (a test fails until then), and commit `fonts/web/`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from presskit import output  # noqa: E402
from presskit.formats import webfonts  # noqa: E402

FONT_SUFFIXES = (".ttf", ".otf")


def main() -> None:
    """Write the pieces of each font file under layouts/, and remove pieces no font file makes any more."""
    for folder in sorted({p.parent for s in FONT_SUFFIXES for p in (ROOT / "layouts").glob(f"*/fonts/*{s}")}):
        shipped = folder / webfonts.SHIPPED
        wanted: set[str] = set()
        for font in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
            data = font.read_bytes()
            for name, codes in webfonts.named_pieces(font):
                file = webfonts.shipped_name(font, name, codes)
                wanted.add(file)
                if not (shipped / file).is_file():
                    output.write(shipped / file, webfonts.make_piece(data, codes))
                    print(f"made {(shipped / file).relative_to(ROOT)}")
        for old in sorted(shipped.glob("*.woff2")) if shipped.is_dir() else []:
            if old.name not in wanted:
                old.unlink()
                print(f"removed {old.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
