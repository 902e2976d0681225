"""doit tasks: one per statement and output format, one per brand for its DOCX reference document."""

from __future__ import annotations

import bisect
import importlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from presskit import bounds, cache, output
from presskit.errors import InputError
from presskit.formats import BY_NAME, FORMATS, Format
from presskit.prepare import pandoc
from presskit.project import Project
from presskit.read import brand as brands
from presskit.read import images, labels, statement
from presskit.tasks import code, collector
from presskit.tasks.checker import config_changed
from presskit.translate import translation


def sniff_sources(project: Project) -> list[tuple[Path, statement.Sniff]]:
    """Every source of `sources/`, sorted, with what naming its tasks needs (kept in the build cache)."""
    with output.confined(project.root):
        return statement.sniff_folder(project.sources, project.cache / "sniffs.json")


@lru_cache(maxsize=1)
def engine_versions() -> dict[str, str]:
    """Versions of the rendering engines, read once per process."""
    from importlib.metadata import version

    return {"pandoc": pandoc.version(), "weasyprint": version("weasyprint"), "python-docx": version("python-docx"),
            "css-inline": version("css-inline"), "cairosvg": version("cairosvg"), "fonttools": version("fonttools"),
            "pypdfium2": version("pypdfium2")}  # fmt: skip


def format_code(fmt: Format) -> str:
    """The version of the code that makes a format's outputs: the task layer's and the format module's."""
    return code.version(__name__, fmt.module)


def relative(path: Path, project: Project) -> str:
    """A path as tasks name it: relative to the project's root when inside it, else as it is."""
    # What Path.relative_to gives for a file under the root, as string operations: it is called some
    # twenty thousand times while doit loads a thousand statements, and pathlib's version is slow.
    text, root = str(path), os.path.join(str(project.root), "")
    return text[len(root) :] if text.startswith(root) else text


def brand_assets(project: Project, layout: str) -> list[Path]:
    """Files a brand file names (logo and font files), read cheaply; none when the brand file is broken."""
    return list(brands.asset_files(project.layouts, layout))


BRAND_FILES = ("html", "pdf", "eml", "card")
"""The outputs that read the files a brand names: each shows the logo, its lettering drawn from the brand's font
files, and the page, the PDF and the card embed the fonts themselves. They depend on the brand's fingerprint of
those files (`assets_file`), one file_dep where there were five: a thousand statements' no-op checks four
thousand, not twenty thousand."""


def assets_file(project: Project, layout: str) -> Path:
    """The fingerprint of a brand's logo and font files, which the `assets` task writes: their MD5s."""
    return project.reference_doc(layout).with_suffix(".assets.json")


def write_assets(files: list[str], target: str, root: str) -> None:
    """Write the fingerprint of a brand's files: each file's path and MD5, changed only when a file's bytes do."""
    import hashlib
    import json

    base = Path(root)
    found = {name: hashlib.md5((base / name).read_bytes(), usedforsecurity=False).hexdigest() for name in files}
    with output.confined(base):
        output.write(Path(target), json.dumps(found, indent=1, sort_keys=True).encode("utf-8"))


def layout_deps(project: Project, layout: str, names: tuple[str, ...]) -> list[str]:
    """The layout files a format reads for a brand, as doit file_dep entries."""
    brand_file = brands.folder(project.layouts, layout) / brands.BRAND_FILE
    if not brand_file.is_file():
        return []
    files = [brand_file, *labels.paths(project.layouts, layout)]
    files += [brands.layout_file(project.layouts, layout, n) for n in names]
    return [relative(p, project) for p in files if p.exists()]


def statement_tasks(project: Project) -> Iterator[dict[str, Any]]:
    """Tasks for every statement in `sources/`: one per format, named after the statement.

    Handed over as they are made, not gathered first: ten thousand statements' task dicts held all at once
    only raised the memory `doit` needs.
    """
    with collector.held():  # doit turns each dict into a Task while this generator waits
        for fmt in FORMATS:
            yield group(fmt.basename, f"build the {fmt.doc} of every statement")
        # What reads the project's cache folder is done first, with the folder in use, never while doit has the
        # generator: the sources' sniffs and language versions, and the versions of the engines and of the code,
        # which every task after finds in memory. Switching the folder in and out for each of thousands of
        # tasks cost more than making them.
        with cache.using(project.cache):
            found = sniff_sources(project)
            languages = translation.task_context(translation.scan(project.sources, project.layouts, found))
            engine_versions()
            for fmt in FORMATS:
                format_code(fmt)
        yield from _statement_tasks(project, found, languages)


def group(basename: str, doc: str) -> dict[str, Any]:
    """A task group, such as `pdf` (the PDFs of every statement): it has nothing to do of its own, so it is never due.

    doit hands a group that is due to a worker process: it started its workers for the groups alone when every
    output was up to date, which cost a no-op over a thousand statements a tenth of its time.
    """
    return {"basename": basename, "name": None, "doc": doc, "uptodate": [True]}


WARNINGS = "warnings"
"""The value a render task saves: its statement's warnings and notes, as printed."""


def _statement_tasks(
    project: Project, found: list[tuple[Path, statement.Sniff]], languages: dict[Path, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path, sniff in found:
        by_stem[sniff.stem].append(path)
    shared: dict[tuple[str, str], list[str]] = {}
    for path, sniff in found:
        clash = by_stem[sniff.stem]
        if len(clash) > 1:
            if path == clash[0]:
                yield from _clash_tasks(project, sniff.stem, clash)
            continue
        for fmt in FORMATS:
            yield format_task(project, fmt, path, sniff, languages.get(path), shared=shared)


def format_deps(project: Project, fmt: Format, layout: str) -> list[str]:
    """The files an output reads besides its statement: the same for every statement of a layout."""
    deps = layout_deps(project, layout, fmt.layout_files)
    if fmt.basename in BRAND_FILES and brand_assets(project, layout):
        deps.append(relative(assets_file(project, layout), project))
    if fmt.basename == "docx" and (brands.folder(project.layouts, layout) / brands.BRAND_FILE).is_file():
        deps.append(relative(project.reference_doc(layout), project))
    return deps


def format_task(
    project: Project,
    fmt: Format,
    source: Path,
    sniff: statement.Sniff,
    languages: dict[str, Any] | None = None,
    *,
    shared: dict[tuple[str, str], Any] | None = None,
) -> dict[str, Any]:
    """The task building one output of one statement; `languages` is what it shows of its language versions.

    `shared` keeps, across the tasks of one run, what many tasks have in common: `format_deps` per format
    and layout, each statement's images, one `config_changed` per format, layout and language versions.
    Made for every task, they were most of the time `doit` takes to load ten thousand statements.
    """
    shared = {} if shared is None else shared
    if ("build", "") not in shared:
        shared["build", ""] = [relative(project.build, project), str(project.root)]
    build, root = shared["build", ""]
    # Paths as strings: pathlib's operations were a third of what naming a thousand statements' tasks cost.
    # What every format of a statement shares is worked out for its first (its images, found by the sniff).
    text = str(source)
    per_statement = shared.get(("statement", text))
    if per_statement is None:
        found = images.referenced_files(sniff.images, source, project.layouts, sniff.layout)
        stem = os.path.join(build, sniff.slug, sniff.stem)
        pictures = [relative(p, project) for p in found]
        per_statement = (relative(source, project), stem, os.path.join(root, stem), pictures, repr(languages))
        shared["statement", text] = per_statement
    source_rel, stem, absolute, pictures, versions_shown = per_statement
    target = stem + fmt.suffix
    key = (fmt.basename, sniff.layout)
    if key not in shared:
        shared[key] = sorted(set(format_deps(project, fmt, sniff.layout)))
    extra = [*pictures, *(stem + BY_NAME[other].suffix for other in fmt.reads_outputs)]
    if extra:
        deps = sorted({source_rel, *shared[key], *extra})
    else:
        deps = list(shared[key])
        if source_rel not in deps:
            bisect.insort(deps, source_rel)
    # A translation's outputs show whether it is stale and name the other versions: only a change of
    # that rebuilds them, not every edit of the original.
    checked = ("config", f"{fmt.basename}\0{sniff.layout}\0{versions_shown}")
    if checked not in shared:
        versions = engine_versions()
        config: dict[str, Any] = {
            "format": fmt.basename,
            "layout": sniff.layout,
            **{e: versions[e] for e in fmt.engines},
            "code": format_code(fmt),
            "languages": languages or {},
        }
        shared[checked] = config_changed(config)
    return {
        "basename": fmt.basename,
        "name": sniff.stem,
        "doc": f"{fmt.doc} of {source_rel}",
        "actions": [(render, [fmt.basename, text, absolute + fmt.suffix, root, languages])],
        "file_dep": deps,
        "targets": [target],
        "uptodate": [shared[checked]],
        "clean": True,
    }


def _clash_tasks(project: Project, stem: str, paths: list[Path]) -> Iterator[dict[str, Any]]:
    names = " and ".join(relative(p, project) for p in paths)
    message = (
        f"{names}: slug: both statements would be built as build/{stem.split('.')[0]}/{stem}.*; "
        "give one of them another file name or a 'slug' field"
    )
    for fmt in FORMATS:
        yield {
            "basename": fmt.basename,
            "name": stem,
            "doc": f"{fmt.doc} of {names} (slug clash)",
            "actions": [(_refuse, [message])],
            "file_dep": [relative(p, project) for p in paths],
        }


def reference_tasks(project: Project) -> Iterator[dict[str, Any]]:
    """One task per brand generating its DOCX reference document from the brand file."""
    with cache.using(project.cache):
        tasks = list(_reference_tasks(project))
    yield from tasks


def _reference_tasks(project: Project) -> Iterator[dict[str, Any]]:
    yield group("reference", "generate each brand's DOCX reference document")
    yield group("assets", "fingerprint each brand's logo and font files")
    for layout in brands.layout_names(project.layouts):
        assets = sorted({relative(p, project) for p in brand_assets(project, layout)})
        if assets:
            stamp = relative(assets_file(project, layout), project)
            yield {
                "basename": "assets",
                "name": layout,
                "doc": f"fingerprint of the {layout} brand's logo and font files",
                "actions": [(write_assets, [assets, stamp, str(project.root)])],
                "file_dep": assets,
                "targets": [stamp],
                "clean": True,
                "meta": {"bookkeeping": True},  # not an output: the reporter neither shows nor counts it
            }
        target = project.reference_doc(layout)
        deps = layout_deps(project, layout, ()) + [relative(p, project) for p in brand_assets(project, layout)]
        versions = engine_versions()
        yield {
            "basename": "reference",
            "name": layout,
            "doc": f"DOCX reference document of the {layout} brand",
            "actions": [(build_reference, [layout, str(target), str(project.root)])],
            "file_dep": sorted(set(deps)),
            "targets": [relative(target, project)],
            "uptodate": [
                config_changed(
                    {
                        "pandoc": versions["pandoc"],
                        "python-docx": versions["python-docx"],
                        "fonttools": versions["fonttools"],  # the logo's lettering, drawn as outlines
                        "code": format_code(BY_NAME["docx"]),
                    }
                )
            ],
            "clean": True,
        }


def _refuse(message: str) -> TaskFailed:
    return TaskFailed(message)


def guarded(project: Project, work: Callable[[], None]) -> TaskFailed | None:
    """Run a task's work within its project (its cache, writes in its folders only); a mistake becomes its failure."""
    try:
        with cache.using(project.cache), output.confined(project.root):
            work()
    except InputError as exc:
        return TaskFailed(str(exc))
    return None


def render(
    fmt: str, source: str, target: str, root: str, languages: dict[str, Any] | None = None
) -> TaskFailed | dict[str, list[str]] | None:
    """doit action: check a statement and render one output format of it.

    Its statement's warnings go back to doit as the task's values (from a worker process too), for the
    reporter to print once per statement whichever of its outputs were built. Without warnings it
    returns nothing, so that doit's database keeps no empty value for each of thousands of tasks.
    """
    from presskit.prepare.prepared import prepare  # only an output that is built needs it, not naming tasks

    project = Project(Path(root))
    found: list[str] = []

    def work() -> None:
        prepared = prepare(project, Path(source), languages)
        found.extend(str(w) for w in prepared.warnings)
        importlib.import_module(BY_NAME[fmt].module).build(prepared, Path(target))

    def bounded() -> None:
        with bounds.bounded(os.path.relpath(source, root), fmt):
            work()

    failed = guarded(project, bounded)
    if failed is not None:
        return failed
    return {WARNINGS: found} if found else None


def build_reference(layout: str, target: str, root: str) -> TaskFailed | None:
    """doit action: generate a brand's DOCX reference document."""
    project = Project(Path(root))

    def work() -> None:
        brand = brands.load(project.layouts, layout, project.root)
        bounds.limit(brand.render_seconds, brand.render_megabytes, os.path.relpath(brand.path, project.root))
        importlib.import_module(BY_NAME["docx"].module).reference(brand, Path(target))

    def bounded() -> None:
        with bounds.bounded(os.path.relpath(project.layouts / layout / brands.BRAND_FILE, root), "docx"):
            work()

    return guarded(project, bounded)
