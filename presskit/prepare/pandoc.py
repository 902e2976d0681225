"""Parse a statement body once with pandoc, then feed every writer from the same AST."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from presskit import bounds, cache
from presskit.errors import fail
from presskit.prepare import tree

# The pandoc bundled with pypandoc-binary, so that another pandoc on the PATH cannot change the output.
# Found without importing pypandoc, which doit's loading of the tasks does not need.
_SPEC = importlib.util.find_spec("pypandoc")
BUNDLED = Path(_SPEC.origin).parent / "files" / "pandoc" if _SPEC and _SPEC.origin else None
if BUNDLED is not None and BUNDLED.exists():
    os.environ.setdefault("PYPANDOC_PANDOC", str(BUNDLED))

READER = "markdown-yaml_metadata_block-raw_tex-raw_attribute"
"""Pandoc Markdown; the front matter is already split off, and raw LaTeX means nothing in a press statement."""

Ast = dict[str, Any]


@lru_cache(maxsize=1)
def version() -> str:
    """The version of the pinned pandoc, asked once per binary and kept in the build cache."""
    name = None
    with contextlib.suppress(OSError, KeyError):
        binary = os.environ["PYPANDOC_PANDOC"]
        found = os.stat(binary)
        name = cache.key("pandoc version", binary, str(found.st_ino), str(found.st_size), str(found.st_mtime_ns))
    kept = cache.get_text(name, "version") if name else None
    if kept is not None and 0 < len(kept) < 40:
        return kept
    import pypandoc

    answer = str(pypandoc.get_pandoc_version())
    if name:
        cache.put(name, "version", answer.encode("utf-8"))
    return answer


def parse(markdown: str, display: str) -> Ast:
    """Parse a Markdown body into pandoc's JSON AST, once per distinct body."""
    try:
        return json.loads(cached(markdown, READER, "json", display))
    except (ValueError, RecursionError):  # a damaged cache entry (build/ is not ours alone): convert again
        result = convert(markdown, READER, "json", display)
        cache.put(cache.key(version(), READER, "json", markdown), "json", result.encode("utf-8"))
        cached.cache_clear()
        return json.loads(result)


@lru_cache(maxsize=32)
def cached(source: str, reader: str, writer: str, display: str, *args: str) -> str:
    """A text conversion, remembered in this process and in the project's cache under the hash of its inputs."""
    name = cache.key(version(), reader, writer, *args, source)
    kept = cache.get_text(name, writer)
    if kept is not None:
        return kept
    result = convert(source, reader, writer, display, *args)
    cache.put(name, writer, result.encode("utf-8"))
    return result


def convert(source: str, reader: str, writer: str, display: str, *args: str, outputfile: Path | None = None) -> str:
    """Run the pinned pandoc in its sandbox, within the output's bounds; an error becomes an InputError."""
    import subprocess

    command = [_binary(), f"--from={reader}", f"--to={writer}", "--sandbox", "--quiet", *args]
    # warnings about ids or math are noise to users (--quiet)
    if outputfile is not None:
        command.append(f"--output={outputfile}")
    if (megabytes := bounds.megabytes()) is not None:
        command += ["+RTS", f"-M{max(megabytes, 64)}m", "-RTS"]  # GHC's heap limit: a message, not a swap storm
    try:
        # subprocess.run kills pandoc on any exception, the bound's own interruption included
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=bounds.remaining())
    except subprocess.TimeoutExpired:
        raise bounds.Exceeded("time") from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", errors="replace").strip()
        if "Heap exhausted" in error:
            raise bounds.Exceeded("memory")
        detail = error.splitlines()[-1] if error else "unknown error"
        raise fail(display, f"pandoc could not convert the statement: {detail}")
    return done.stdout.decode("utf-8")


@lru_cache(maxsize=1)
def _binary() -> str:
    if os.environ.get("PYPANDOC_PANDOC"):
        return os.environ["PYPANDOC_PANDOC"]
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def write(ast: Ast, writer: str, display: str, *args: str, outputfile: Path | None = None) -> str:
    """Convert an AST with one of pandoc's writers; text outputs are cached."""
    if outputfile is None:
        return cached(json.dumps(ast), "json", writer, display, *args)
    return convert(json.dumps(ast), "json", writer, display, *args, outputfile=outputfile)


def default_data_file(name: str) -> bytes:
    """A file of pandoc's own data, e.g. its default `reference.docx`."""
    import subprocess

    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", name], check=True, capture_output=True
    ).stdout


_BREAKABLE = re.compile(r"[ \t\r\n]+")
"""The spaces a line may break at; str.split would take the no-break ones too."""


def words(value: str) -> list[dict[str, Any]]:
    """Plain text as inlines, `Str` and `Space`; a no-break space (French `«`, `»`, `600 000`) stays inside its word."""
    inlines: list[dict[str, Any]] = []
    stripped = value.strip(" \t\r\n")
    for i, word in enumerate(_BREAKABLE.split(stripped) if stripped else []):
        if i:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def stringify(inlines: list[dict[str, Any]]) -> str:
    """Plain text of a list of inline AST elements (notes left out)."""
    out: list[str] = []
    for node in tree.nodes(inlines, into=_text_parts):
        kind, content = node.get("t"), node.get("c")
        if kind == "Str":
            out.append(str(content))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(str(content[-1]) if content else "")
    return "".join(out)


_WRAPPED = ("Link", "Image", "Span", "Cite", "Quoted")
"""Inline elements whose text is their second part (after attributes, a citation list or the kind of quote)."""


def _text_parts(node: dict[str, Any]) -> Any:
    """What of an inline element holds text `stringify` takes: a note and raw markup hold none it shows."""
    kind, content = node.get("t"), node.get("c")
    if kind in ("Str", "Code", "Math", "Note", "RawInline") or not isinstance(content, list):
        return ()
    if kind in _WRAPPED:
        return content[1] if content else ()
    return content
