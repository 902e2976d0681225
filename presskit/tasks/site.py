"""doit tasks of the newsroom: `doit site` publishes every statement out of embargo into `build/site/`.

One basename per kind of page, one task per page; each task's `config_changed` holds exactly what its page shows,
so a change rebuilds the pages that show it and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Creator = Callable[[], Iterator[dict[str, Any]]]

BASENAMES = ("site", "unpublish", "stylesheet", "page", "index", "tag", "year", "home", "notfound", "feed", "sitemap",
             "robots", "search")  # fmt: skip
"""The basenames of the newsroom's tasks (doit needs them before it makes the tasks)."""


WHOLE = ("list", "clean", "forget", "ignore", "info")
"""doit's commands that need every task made up front: `doit list` shows them, `doit clean` removes their files."""

INPUTS = "site-inputs"
"""The group of every statement output the newsroom copies: `doit site` makes its own tasks once it has run."""

FORMATS = ("html", "pdf", "docx", "txt", "card")
"""The formats whose outputs a statement's page is made from, offers for download, or shows when shared."""


def _when(argv: list[str]) -> str:
    """When doit gets the newsroom's tasks for a command line: `settled`, `now`, or `reached`.

    `doit site` (the daily run) has them made once every output they copy is built (`settled`), so that those
    already up to date are known then and left out; another command naming them (`doit page:slug`), `doit list`,
    `doit clean` and `doit -v 2 site`, which shows every task, has them all made at once (`now`); any other
    only if doit reaches them (`reached`), so that a plain `doit` never reads what the newsroom needs.
    """
    from presskit.tasks.progress import verbosity

    named = {arg.split(":", 1)[0] for arg in argv[1:]} & set(BASENAMES)
    if len(argv) > 1 and argv[1] in WHOLE:
        return "now"
    if named == {"site"} and verbosity(argv[1:]) < 2:
        return "settled"
    return "now" if named else "reached"


def made_when_named(argv: list[str]) -> Callable[[Creator], Creator]:
    """How doit gets the newsroom's tasks for the command line `argv` (see `_when`)."""
    when = _when(argv)
    if when == "now":
        return lambda creator: creator
    from doit import create_after

    later = {"executed": INPUTS} if when == "settled" else {}
    made: Callable[[Creator], Creator] = create_after(creates=list(BASENAMES), **later)
    return made


def inputs() -> dict[str, Any]:
    """The group `site-inputs`: every statement's outputs in `FORMATS`."""
    return {
        "basename": INPUTS,
        "doc": "every statement's outputs that the newsroom publishes (doit site builds them first)",
        "actions": None,
        "task_dep": list(FORMATS),
        "uptodate": [True],  # nothing of its own to do: a group that is due would start doit's workers
    }


def tasks(project: Any, argv: list[str]) -> Iterator[dict[str, Any]]:
    """Every task of the newsroom, its statements as published at `PRESSKIT_NOW` or the clock.

    For `doit site`, made once every output they copy is up to date, the tasks that doit's own checks would
    find up to date are left out: a thousand pages cost a no-op more than the checks of a thousand outputs.
    """
    from presskit import cache
    from presskit.errors import InputError
    from presskit.site import listing
    from presskit.tasks import collector, journal

    try:
        moment = listing.now(os.environ)
    except InputError as exc:
        yield {"basename": "site", "doc": "publish the newsroom into build/site/", "actions": [(_refuse, [str(exc)])],
               "uptodate": [False]}  # fmt: skip
        return
    opened = journal.TaskByTaskDB.opened if _when(argv) == "settled" else None
    with collector.held():  # doit turns each dict into a Task while this waits
        with cache.using(project.cache):
            made = list(_settled_or_made(project, moment, opened))
        yield from made


def _settled_or_made(project: Any, moment: Any, opened: Any) -> Iterator[dict[str, Any]]:
    """The newsroom's tasks; with doit's database `opened`, those doit would find up to date left out.

    When the newsroom's inputs are those its tasks were last made from, the tasks kept then (`recall`) say
    what to check, and when all are up to date none is made again.
    """
    from presskit.site import search
    from presskit.tasks import checker, recall

    if opened is None:
        yield from _closing(project, _made(project, moment)[1], set())
        return
    inputs = recall.inputs(project, (__name__,), search.version())
    recalled = recall.recall(project, inputs, moment)
    if recalled is not None:  # the same tasks as last made: those kept say which are up to date
        settled = checker.settled(recalled, opened.record)
        if len(settled) == len(recalled):
            yield from _closing(project, recalled, settled)
            return
        made = _made(project, moment)[1]
    else:  # made anew, judged, and kept for the next run
        embargoes, made = _made(project, moment)
        settled = checker.settled(made, opened.record)
        recall.keep(project, inputs, moment, embargoes, made)
    yield from _closing(project, made, settled)


def _closing(project: Any, made: list[dict[str, Any]], settled: set[str]) -> Iterator[dict[str, Any]]:
    """Removal of what is no longer published, the groups, the tasks of `made` not `settled`, and `site`."""
    from presskit.site import pages
    from presskit.tasks import checker
    from presskit.tasks.checker import config_changed
    from presskit.tasks.statements import group

    site_rel = str(pages.site_folder(project).relative_to(project.root))
    published = sorted(t[len(site_rel) + 1 :] for task in made for t in task["targets"])
    made = [task for task in made if checker.task_name(task) not in settled]
    kept = {task["basename"] for task in made} | set(GROUPS)
    yield {
        "basename": "unpublish",
        "doc": "remove from build/site/ what is no longer published: embargoed, removed or renamed statements",
        "actions": [(unpublish, [str(project.root), published, list(KEPT)])],
        "uptodate": [config_changed({"published": published, "kept": list(KEPT)})],
    }
    for basename in GROUPS:
        yield group(basename, f"every {GROUPS[basename]} of the newsroom")
    for task in made:  # removal first: a page never waits on it to leave
        yield {**task, "task_dep": ["unpublish", *(d for d in task.get("task_dep", []) if d in kept)]}
    yield {
        "basename": "site",
        "doc": "publish every statement out of embargo as a newsroom in build/site/ (PRESSKIT_NOW sets the time)",
        "actions": None,
        "task_dep": sorted({"unpublish", *kept}),  # removal even when every page is up to date
        "uptodate": [True],  # nothing of its own to do: a group that is due would start doit's workers
        "meta": {"settled": len(settled)},  # the reporter counts them as up to date
    }


def _made(project: Any, moment: Any) -> tuple[tuple[Any, ...], list[dict[str, Any]]]:
    """The moments the newsroom's embargoes end, and its tasks but removal, the groups and `site`, inputs first."""
    from presskit.read.brand import BASE_LAYOUT
    from presskit.site import listing, pages, search
    from presskit.site.catalog import feed_path
    from presskit.tasks import code
    from presskit.tasks.checker import config_changed
    from presskit.tasks.statements import brand_assets, layout_deps, relative

    newsroom, entries = listing.published(project, moment)
    site = pages.site_facts(newsroom, listing.newsroom_brand(project)[2])
    root = str(project.root)
    version = code.version(pages.__name__)

    def templates(*names: str) -> list[str]:
        return sorted(layout_deps(project, BASE_LAYOUT, tuple(f"{pages.TEMPLATES}/{name}" for name in names)))

    site_rel = str(pages.site_folder(project).relative_to(project.root))

    def target(relative: str) -> str:
        return f"{site_rel}/{relative}"

    made: list[dict[str, Any]] = []
    build = str(project.build.relative_to(project.root))
    newsroom_assets = [relative(p, project) for p in brand_assets(project, BASE_LAYOUT)]
    # site.css names the newsroom's font files (by their content): a page loads those of its fonts from there
    page_deps = [*templates("head.html", "bar.html", "header.html", "search.html", "feed.html"), target("site.css")]
    css_deps = sorted({*templates("site.css"), *layout_deps(project, BASE_LAYOUT, ("brand.css", "page.css"))})
    # first: site.css is read by every page, and `checker.settled` judges a task after those making its inputs
    made.append({
        "basename": "stylesheet",
        "doc": "the newsroom's stylesheet, site.css, and the brand's fonts it loads",
        "actions": [(publish, ["stylesheet", root, {}])],
        "file_dep": sorted({*css_deps, *newsroom_assets}),
        "targets": [target("site.css")],
        "uptodate": [config_changed({"code": version})],
        "clean": [(_remove, [root, [target("site.css")], pages.FONTS])],
    })  # fmt: skip
    for entry in entries:
        plan = pages.statement_page(entry, site)
        built = f"{build}/{entry.slug}/{entry.stem}"
        suffixes = [".html", *plan["downloads"], pages.CARD]
        made.append({
            "basename": "page",
            "name": entry.stem,
            "doc": f"the newsroom's page of {entry.stem}, its downloads beside it",
            "actions": [(publish, ["page", root, plan])],
            "file_dep": sorted({*page_deps, *(built + suffix for suffix in suffixes)}),
            "targets": [target(f"{entry.slug}/{entry.stem}{suffix}") for suffix in suffixes],
            "uptodate": [config_changed({**plan, "code": version})],
            "clean": True,
        })  # fmt: skip
    digests: dict[tuple[str, str], str] = {}

    def shown(entry: dict[str, Any], kind: str = "listing") -> str:
        # What a listing (or a feed) shows of a statement, as a digest: made once, though the statement is on
        # several pages.
        found = digests.get((kind, entry["stem"]))
        if found is None:
            text = json.dumps(entry, sort_keys=True, ensure_ascii=False)
            found = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
            digests[kind, entry["stem"]] = found
        return found

    listing_deps = templates("base.html", "listing.html", "header.html", "search.html", "feed.html")
    listings = pages.listing_pages(newsroom, entries, site)
    for plan in listings:
        kind = plan["kind"]
        named = {} if kind == "home" else {"name": _listing_name(plan)}
        made.append({
            "basename": kind,
            **named,
            "doc": f"the newsroom's {_KINDS[kind]} {plan['target']}",
            "actions": [(publish, ["listing", root, plan])],
            "file_dep": listing_deps,
            "targets": [target(plan["target"])],
            "uptodate": [config_changed({**plan, "entries": [shown(e) for e in plan["entries"]], "code": version})],
            "clean": True,
        })  # fmt: skip
    missing = pages.not_found_page(newsroom, site)
    made.append({
        "basename": "notfound",
        "doc": "the newsroom's 404 page",
        "actions": [(publish, ["notfound", root, missing])],
        "file_dep": sorted({*css_deps, *templates("base.html", "404.html", "header.html", "search.html", "feed.html")}),
        "targets": [target("404.html")],
        "uptodate": [config_changed({**missing, "code": version})],
        "clean": True,
    })  # fmt: skip
    facts = pages.newsroom_facts(newsroom)
    pages_of = {entry.stem: target(entry.page) for entry in entries}
    for lang, tag, shown_entries in _feeds(entries):
        plan = {"target": feed_path(lang, tag), "lang": lang, "tag": tag, "newsroom": facts,
                "entries": [{**pages.entry_facts(e), "versions": []} for e in shown_entries]}  # fmt: skip
        made.append({
            "basename": "feed",
            "name": plan["target"].removesuffix("/feed.atom").replace("/tags/", "/"),
            "doc": f"the newsroom's Atom feed {plan['target']}",
            "actions": [(publish, ["feed", root, plan])],
            "file_dep": [pages_of[e.stem] for e in shown_entries],  # each entry's full text is read from its page
            "targets": [target(plan["target"])],
            "uptodate": [config_changed({**plan, "entries": [shown(e, "feed") for e in plan["entries"]],
                                         "code": version})],
            "clean": True,
        })  # fmt: skip
    listed = [plan["target"] for plan in listings]
    mapped_entries = [pages.entry_facts(e) for e in entries]
    mapped = {"target": "sitemap.xml", "newsroom": facts, "pages": listed, "entries": mapped_entries}
    shown_in_map = [[e["slug"] + "/" + e["stem"], e["updated"], e["versions"]] for e in mapped_entries]
    made.append({
        "basename": "sitemap",
        "doc": "the newsroom's sitemap.xml, for search engines",
        "actions": [(publish, ["sitemap", root, mapped])],
        "targets": [target("sitemap.xml")],
        "uptodate": [config_changed({"base_url": newsroom.base_url, "pages": listed, "entries": shown_in_map,
                                     "code": version})],
        "clean": True,
    })  # fmt: skip
    robots = {"target": "robots.txt", "newsroom": facts}
    made.append({
        "basename": "robots",
        "doc": "the newsroom's robots.txt, naming its sitemap",
        "actions": [(publish, ["robots", root, robots])],
        "targets": [target("robots.txt")],
        "uptodate": [config_changed({"base_url": newsroom.base_url, "code": version})],
        "clean": True,
    })  # fmt: skip
    before = sorted({t["basename"] for t in made})
    indexed = sorted(pages_of.values())
    made.append({
        "basename": "search",
        "doc": "the newsroom's search index, pagefind/, built from every statement's page once all are written",
        "actions": [(publish, ["search", root, {}])],
        "file_dep": indexed,
        "task_dep": before,  # Pagefind reads every page of the site: it runs last
        "targets": [target(f"{search.FOLDER}/pagefind-entry.json")],
        "uptodate": [config_changed({"pages": indexed, "pagefind": search.version(), "code": version})],
        "clean": [(_remove, [root, [], search.FOLDER])],
    })  # fmt: skip
    return newsroom.embargoes, made


GROUPS = {"page": "statement's page", "index": "index page", "tag": "tag page", "year": "year archive",
          "feed": "Atom feed"}  # fmt: skip


_KINDS = {"index": "index page", "tag": "tag page", "year": "year archive", "home": "front page"}

KEPT = ("pagefind", "fonts")
"""Folders of `build/site/` that tasks fill with files named by their tool, left alone by `unpublish`."""


FEED_LENGTH = 50
"""Statements in a feed, newest first: what a feed reader polls for; the index pages list the whole archive."""


def _feeds(entries: list[Any]) -> Iterator[tuple[str, str | None, list[Any]]]:
    """Each feed: its language, its tag (None for the language's own feed) and its statements, newest first."""
    from presskit.site.catalog import tagged

    by_lang: dict[str, list[Any]] = {}
    for entry in entries:  # each language written one way: `listing.published` gives its tags in standard form
        by_lang.setdefault(entry.lang, []).append(entry)
    for lang, listed in sorted(by_lang.items(), key=lambda item: item[0].lower()):
        newest = sorted(listed, key=lambda e: (e.published, e.stem), reverse=True)
        yield lang, None, newest[:FEED_LENGTH]
        for tag, statements in tagged(newest):
            yield lang, tag, statements[:FEED_LENGTH]


def _listing_name(plan: dict[str, Any]) -> str:
    """A listing's task name: its language, then its page, tag or year (`en-gb`, `en-gb/page-2`, `en-gb/china`,
    `en-gb/china/page-2`, `en-gb/2019/page-1`)."""
    folder, _, rest = plan["target"].partition("/")
    if plan["kind"] == "tag":
        rest = rest.removeprefix("tags/")
    return f"{folder}/{rest}".removesuffix("/index.html").removesuffix(".html")


def publish(kind: str, root: str, plan: dict[str, Any]) -> Any:
    """doit action: write one of the newsroom's pages (`kind` names its writer in `pages.WRITERS`).

    A mistake in a layout file (a template, `labels.yml`) is the task's failure, naming the file, not a traceback.
    """
    from presskit.project import Project
    from presskit.site import pages
    from presskit.tasks.statements import guarded

    project = Project(Path(root))
    return guarded(project, lambda: pages.WRITERS[kind](project, plan))


def unpublish(root: str, published: list[str], kept: list[str]) -> None:
    """doit action: delete every file of `build/site/` that is not published (and folders left empty)."""
    from presskit.project import Project
    from presskit.site.pages import site_folder

    site = site_folder(Project(Path(root)))
    wanted = set(published)
    if not site.is_dir():
        return
    for folder, _dirs, files in os.walk(site, topdown=False):
        relative = os.path.relpath(folder, site)
        parts = [] if relative == "." else relative.split(os.sep)
        if parts and parts[0] in kept:
            continue
        for name in files:
            path = "/".join([*parts, name])
            if path not in wanted:
                os.unlink(os.path.join(folder, name))
        if parts and not os.listdir(folder):
            os.rmdir(folder)


def _remove(root: str, files: list[str], folder: str) -> None:
    """doit clean: remove a task's files and the folder of `build/site/` it fills."""
    import shutil

    from presskit.project import Project
    from presskit.site.pages import site_folder

    for name in files:
        (Path(root) / name).unlink(missing_ok=True)
    shutil.rmtree(site_folder(Project(Path(root))) / folder, ignore_errors=True)


def _refuse(message: str) -> Any:
    from doit.exceptions import TaskFailed

    return TaskFailed(message)
