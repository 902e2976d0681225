"""`doit serve`: a preview on 127.0.0.1 that rebuilds what a save changed and reloads the open browser.

The rebuilds run in the server's own process through the render action `doit` runs (`statements.render`),
so pandoc's parses, WeasyPrint and the brand stay loaded between saves. Only files under `build/` are served;
the reload script and the mistake overlay are added to a page as it is sent, never to the built file.
"""

from __future__ import annotations

import collections
import html
import http.server
import json
import mimetypes
import os
import queue
import signal
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from doit.exceptions import TaskFailed

from presskit.errors import InputError
from presskit.formats import BY_NAME
from presskit.project import Project
from presskit.read import brand as brands
from presskit.read import images, statement
from presskit.tasks import statements
from presskit.tasks.preview import DEFAULT_PORT
from presskit.translate import translation

HOST = "127.0.0.1"
"""The only address the preview listens on: it shows unpublished statements."""
ORDER = ("html", "txt", "pdf", "docx", "eml")
"""The formats a save rebuilds, the page first: it is what the browser reloads."""
EVENTS = "/_preview/events"
KEEPALIVE = 10.0
"""Seconds between comments on an idle event stream: a closed browser tab is noticed by the failed write."""
TYPES = {".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8", ".eml": "text/plain; charset=utf-8"}


_SCRIPT = """<script>(() => {
  const stem = %s, since = %d;
  const events = new EventSource("%s?since=" + since);
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.kind === "page" && (stem === null || event.stem === stem || event.stem === "*")) location.reload();
  };
})();</script>"""
_STYLE = """<style>
#presskit-preview-bar { position: fixed; right: 0.5rem; bottom: 0.5rem; z-index: 2147483646; font: 13px/1.4 sans-serif;
  background: #1b1f24; color: #fff; padding: 0.3rem 0.6rem; border-radius: 4px; opacity: 0.85; }
#presskit-preview-bar a { color: #fff; margin: 0 0.3rem; }
#presskit-preview-overlay { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; max-height: 60vh;
  overflow: auto; margin: 0; padding: 1rem; background: #fff3f3; color: #8a0000; border-bottom: 3px solid #c00;
  font: 14px/1.5 monospace; white-space: pre-wrap; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.3); }
</style>"""


@dataclass(frozen=True)
class Entry:
    """A statement the preview shows: its source, what names its outputs, and its language versions."""

    source: Path
    sniff: statement.Sniff
    languages: dict[str, Any] | None

    def target(self, project: Project, fmt: str) -> Path:
        """Where one of its outputs is built."""
        return project.build / self.sniff.slug / f"{self.sniff.stem}{BY_NAME[fmt].suffix}"


class Preview:
    """What the preview knows: the statements, each one's last problems, and the reloads announced."""

    def __init__(self, project: Project, say: Callable[[str], None] = print) -> None:
        self.project = project
        self.say = say
        self.entries: dict[str, Entry] = {}
        self.errors: dict[str, list[str]] = {}
        self.events: collections.deque[tuple[int, dict[str, str]]] = collections.deque(maxlen=200)
        self.generation = 0
        self.announced = threading.Condition()
        self.stopping = threading.Event()
        self.changes: queue.Queue[set[Path]] = queue.Queue()

    # --- what changed and what to rebuild -------------------------------------------------------------------

    def scan(self) -> dict[str, Entry]:
        """Every statement of `sources/` by the stem of its outputs; a clash is left to `doit` to report."""
        found = statements.sniff_sources(self.project)
        languages = translation.task_context(translation.scan(self.project.sources, self.project.layouts))
        counts = collections.Counter(s.stem for _, s in found)
        return {s.stem: Entry(p, s, languages.get(p)) for p, s in found if counts[s.stem] == 1}

    def outdated(self) -> list[str]:
        """Statements with an output missing or older than their source: built when the preview starts."""
        stale = []
        for stem, entry in self.entries.items():
            try:
                written = entry.source.stat().st_mtime_ns
                if any(entry.target(self.project, f).stat().st_mtime_ns < written for f in ORDER):
                    stale.append(stem)
            except OSError:
                stale.append(stem)
        return stale

    def affected(self, paths: set[Path], before: dict[str, Entry]) -> list[str]:
        """The statements a set of saved files changes, those whose own file changed first."""
        edited = [s for s, e in self.entries.items() if before.get(s) != e]
        brands_saved = {p.relative_to(self.project.layouts).parts[0] for p in paths if _under(p, self.project.layouts)}
        if brands_saved:
            self.rebuild_references(brands_saved)
        others = [s for s, e in self.entries.items() if s not in edited and self._uses(e, paths, brands_saved)]
        return edited + others

    def _uses(self, entry: Entry, paths: set[Path], brands_saved: set[str]) -> bool:
        if brands.BASE_LAYOUT in brands_saved or _brand_folder(self.project, entry.sniff.layout) in brands_saved:
            return True
        if not any(_under(p, self.project.sources) and p.suffix != ".md" for p in paths):
            return False
        found = images.referenced_files(entry.sniff.images, entry.source, self.project.layouts, entry.sniff.layout)
        return bool({p.resolve() for p in found} & {p.resolve() for p in paths})

    def rebuild_references(self, saved: set[str]) -> None:
        """Generate again the DOCX reference documents of the brands saved (every brand for the base layout)."""
        for layout in brands.layout_names(self.project.layouts):
            if brands.BASE_LAYOUT in saved or layout in saved:
                self._reference(layout)

    def _reference(self, layout: str) -> None:
        target = self.project.reference_doc(layout)
        failed = statements.build_reference(layout, str(target), str(self.project.root))
        if failed is not None:
            self.say(failed.message)

    # --- building ---------------------------------------------------------------------------------------------

    def build(self, stem: str) -> None:
        """Render a statement's outputs, the page first; a mistake keeps the last good outputs and is shown."""
        entry = self.entries[stem]
        root = str(self.project.root)
        took = []
        for fmt in ORDER:
            if self.stopping.is_set():
                return
            if fmt == "docx" and not self.project.reference_doc(entry.sniff.layout).exists():
                self._reference(entry.sniff.layout)
            started = time.monotonic()
            target = str(entry.target(self.project, fmt))
            result = statements.render(fmt, str(entry.source), target, root, languages=entry.languages)
            if isinstance(result, TaskFailed):
                self.errors[stem] = result.message.splitlines()
                self.say(result.message)
                self.announce(stem, "page")
                return
            took.append(f"{fmt} {time.monotonic() - started:.2f} s")
            if fmt == "html":
                self.errors.pop(stem, None)
                for warning in (result or {}).get(statements.WARNINGS, []):
                    self.say(warning)  # once a save, as `doit` prints them once a statement
            self.announce(stem, "page" if fmt == "html" else fmt)
        self.say(f"rebuilt {os.path.relpath(entry.source, root)}: {', '.join(took)}")

    def changed(self, paths: set[Path]) -> None:
        """Files were saved: rebuild what they change, and tell the browsers."""
        before, self.entries = self.entries, self.scan()
        for stem in set(before) - set(self.entries):
            self.errors.pop(stem, None)
        if set(before) != set(self.entries):
            self.announce("*", "page")  # the list of statements changed
        for stem in self.affected(paths, before):
            self.build(stem)

    def announce(self, stem: str, kind: str) -> None:
        """Tell every open preview that a statement's page (or its other outputs) changed."""
        with self.announced:
            self.generation += 1
            self.events.append((self.generation, {"stem": stem, "kind": kind}))
            self.announced.notify_all()

    def since(self, generation: int) -> list[tuple[int, dict[str, str]]]:
        """The events after a generation, waiting a little for one; none when stopping."""
        with self.announced:
            self.announced.wait_for(lambda: self.generation > generation or self.stopping.is_set(), KEEPALIVE)
            return [e for e in self.events if e[0] > generation]

    def stop(self) -> None:
        """End every event stream and the watcher."""
        self.stopping.set()
        with self.announced:
            self.announced.notify_all()

    # --- pages ------------------------------------------------------------------------------------------------

    def index(self) -> bytes:
        """The list of statements, each with its page, PDF, wire copy and DOCX."""
        rows = []
        for stem, entry in sorted(self.entries.items()):
            links = " · ".join(
                f'<a href="{html.escape(self.url(entry, fmt))}">{label}</a>'
                for fmt, label in (("html", "page"), ("pdf", "PDF"), ("txt", "wire copy"), ("docx", "DOCX"))
            )
            title = entry.sniff.fields.get("title")
            name = os.path.relpath(entry.source, self.project.root)
            problems = "".join(f"<pre>{html.escape(line)}</pre>" for line in self.errors.get(stem, []))
            rows.append(f"<li><strong>{html.escape(str(title or stem))}</strong> <small>{html.escape(name)}</small>"
                        f"<br>{links}{problems}</li>")  # fmt: skip
        body = f"<h1>Statements</h1><ul>{''.join(rows) or '<li>no statement in sources/</li>'}</ul>"
        page = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>presskit preview</title>'
            "<style>body{font:15px/1.5 sans-serif;margin:2rem}li{margin:0 0 1rem}pre{color:#8a0000;margin:0}</style>"
            f"</head><body>{body}{self.script(None)}</body></html>"
        )
        return page.encode("utf-8")

    def url(self, entry: Entry, fmt: str) -> str:
        """The preview's address of an output."""
        rel = entry.target(self.project, fmt).relative_to(self.project.build)
        return "/build/" + urllib.parse.quote(rel.as_posix())

    def script(self, stem: str | None) -> str:
        """The reload script of a page: it listens to the preview's events."""
        return _SCRIPT % (json.dumps(stem).replace("<", "\\u003c"), self.generation, EVENTS)

    def decorated(self, page: bytes, stem: str) -> bytes:
        """A built page as the preview sends it: the reload script, links to the other outputs, and the
        statement's problems above the last good version."""
        added = [_STYLE]
        problems = self.errors.get(stem)
        if problems:
            lines = html.escape("\n".join(problems))
            added.append(f'<pre id="presskit-preview-overlay" role="alert">{lines}</pre>')
        entry = self.entries.get(stem)
        if entry is not None:
            links = " ".join(
                f'<a href="{html.escape(self.url(entry, fmt))}">{label}</a>'
                for fmt, label in (("pdf", "PDF"), ("txt", "wire copy"), ("docx", "DOCX"))
            )
            added.append(f'<div id="presskit-preview-bar"><a href="/">all statements</a> {links}</div>')
        added.append(self.script(stem))
        extra = "".join(added).encode("utf-8")
        end = page.lower().rfind(b"</body>")
        return page + extra if end < 0 else page[:end] + extra + page[end:]

    def placeholder(self, stem: str) -> bytes:
        """The page of a statement never built yet: its problems, if any, and a reload when it is built."""
        page = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(stem)}</title></head>'
        return self.decorated(f"{page}<body><p>not built yet</p></body></html>".encode(), stem)


def _under(path: Path, folder: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.join(os.path.abspath(folder), ""))


def _brand_folder(project: Project, layout: str) -> str:
    try:
        return brands.folder(project.layouts, layout).name
    except InputError:  # a layout name the statement's build reports: nothing of a brand to follow
        return ""


def resolve(build: Path, url_path: str) -> Path | None:
    """The file under `build/` a request names, or None: no `..`, no hidden or `_` folder, no link leading out."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
    if not path.startswith("/build/"):
        return None
    parts = path[len("/build/") :].split("/")
    if any(p in ("", ".", "..") or p[0] in "._" or "\\" in p or "\0" in p for p in parts):
        return None
    candidate = build.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(build.resolve()) and real.is_file() else None


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers the preview's requests: the list, the event stream, and files under `build/`."""

    preview: Preview
    server_version = "presskit-preview"

    def do_GET(self) -> None:
        """Send the list, the event stream, or a file of `build/`."""
        port = cast(tuple[str, int], self.server.server_address)[1]
        if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
            self.send_error(400, "this preview answers only http://127.0.0.1")  # another site's name for 127.0.0.1
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == "/":
            self._send(self.preview.index(), "text/html; charset=utf-8")
        elif path == EVENTS:
            self._events()
        else:
            self._file()

    def _file(self) -> None:
        preview = self.preview
        file = resolve(preview.project.build, self.path)
        path = urllib.parse.urlsplit(self.path).path
        stem = urllib.parse.unquote(path).rsplit("/", 1)[-1].removesuffix(".html")
        if file is None:
            entry = preview.entries.get(stem)
            if entry is not None and path == preview.url(entry, "html"):  # a page not built yet
                self._send(preview.placeholder(stem), TYPES[".html"])
            else:
                self.send_error(404)
            return
        try:
            data = file.read_bytes()
        except OSError:
            self.send_error(404)
            return
        kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".html":
            data = preview.decorated(data, stem)
        self._send(data, kind)

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            seen = int(query.get("since", ["0"])[0])
        except ValueError:
            seen = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        try:
            while not preview.stopping.is_set():
                found = preview.since(seen)
                for generation, event in found:
                    self.wfile.write(f"id: {generation}\ndata: {json.dumps(event)}\n\n".encode())
                    seen = generation
                if not found:
                    self.wfile.write(b": waiting\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the tab was closed

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal shows the rebuilds."""


class Server(http.server.ThreadingHTTPServer):
    """The HTTP server, one thread per request; the event streams do not keep it from stopping."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer (a reload, a closed tab) is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def server(preview: Preview, port: int) -> Server:
    """The preview's HTTP server on 127.0.0.1 (not started)."""
    return Server((HOST, port), type("PreviewHandler", (Handler,), {"preview": preview}))


def watch(preview: Preview, folders: Iterable[Path]) -> None:
    """Queue the files saved in the folders until the preview stops."""
    import watchfiles

    for changes in watchfiles.watch(*folders, stop_event=preview.stopping, raise_interrupt=False):
        preview.changes.put({Path(p) for _, p in changes})


def serve(root: str, port: int = DEFAULT_PORT) -> TaskFailed | None:
    """Serve the preview until Ctrl-C or SIGTERM, rebuilding on each save."""
    project = Project(Path(root))
    preview = Preview(project, say=lambda text: print(text, flush=True))
    try:
        httpd = server(preview, port)
    except OSError as exc:
        return TaskFailed(f"doit serve: port {port}: {exc.strerror}; choose another with --port")
    asked_to_stop: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        if asked_to_stop:
            raise KeyboardInterrupt  # a second Ctrl-C does not wait for the render under way
        asked_to_stop.append(signum)
        preview.stopping.set()  # the render under way stops after its current output

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    folders = [f for f in (project.sources, project.layouts) if f.is_dir()]
    threads = [threading.Thread(target=httpd.serve_forever, daemon=True),
               threading.Thread(target=watch, args=(preview, folders), daemon=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    try:
        print(f"preview on http://{HOST}:{httpd.server_address[1]}/ (Ctrl-C stops it)", flush=True)
        preview.entries = preview.scan()
        pending = preview.outdated()
        while not asked_to_stop:
            if pending:
                preview.build(pending.pop(0))
                continue
            try:
                saved = preview.changes.get(timeout=0.2)
            except queue.Empty:
                continue
            while not preview.changes.empty():  # one rebuild for the files an editor saves at once
                saved |= preview.changes.get_nowait()
            preview.changed(saved)
    finally:
        preview.stop()
        httpd.shutdown()
        httpd.server_close()
        for thread in threads:
            thread.join(timeout=5)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print("preview stopped", flush=True)
    return None
