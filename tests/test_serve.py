"""`doit serve`: the preview rebuilds on a save and reloads the browser, shows mistakes, serves only build/."""

from __future__ import annotations

import contextlib
import fcntl
import html
import http.client
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import SEED_SLUG, Project, checkout_env

PAGE = f"/build/{SEED_SLUG}/{SEED_SLUG}.html"
SOURCE = "sources/2018-11-23-china-online-crackdown.md"
URL = re.compile(r"^preview on http://127\.0\.0\.1:(\d+)/ ")
BAD_DATE = f"{SOURCE}:3: date: '2018-13-45' is not a day of the calendar; check the month and day"


@dataclass
class Server:
    """A running `doit serve` and what it printed so far."""

    proc: subprocess.Popen[str]
    port: int
    lines: list[str]

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        """A raw GET: the path is sent exactly as written, `..` included."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host or f"127.0.0.1:{self.port}")
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def wait_for(self, text: str, seconds: float = 60) -> None:
        """Wait (bounded) until the server has printed a line containing `text`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            assert self.proc.poll() is None, "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in {''.join(self.lines)}")

    def stop(self, signum: int = signal.SIGINT, seconds: float = 10) -> tuple[int, float]:
        """Send a signal; the exit code and how long the server took to stop."""
        started = time.monotonic()
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout=seconds)
        return code, time.monotonic() - started


def _read(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@contextlib.contextmanager
def serving(project: Project) -> Iterator[Server]:
    """`doit serve --port 0` in the project, stopped (killed if it must) at the end."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "doit", "serve", "--port", "0"],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=checkout_env(),
    )
    lines: list[str] = []
    assert proc.stdout is not None
    threading.Thread(target=_read, args=(proc.stdout, lines), daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        port = None
        while port is None and time.monotonic() < deadline:
            found = [m for m in map(URL.match, lines) if m]
            if found:
                port = int(found[0].group(1))
            elif proc.poll() is not None:
                raise AssertionError("".join(lines))
            time.sleep(0.05)
        assert port is not None, "".join(lines)
        yield Server(proc, port, lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_reloads_on_a_save_and_shows_a_mistake_until_it_is_fixed(project: Project) -> None:
    from playwright.sync_api import expect

    from presskit.tasks import proof

    source = project.root / SOURCE
    with serving(project) as server, proof.browser() as chromium:
        server.wait_for(f"rebuilt {SOURCE}")
        tab = chromium.new_page()
        tab.goto(f"http://127.0.0.1:{server.port}{PAGE}")
        expect(tab.locator("h1")).to_contain_text("China’s online crackdown")
        assert tab.locator("#presskit-preview-overlay").count() == 0

        sentence = "The federation will publish its full report on Monday."
        source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        expect(tab.locator("body")).to_contain_text(sentence, timeout=30_000)

        _edit(source, "date: 2018-11-23", "date: 2018-13-45")
        overlay = tab.locator("#presskit-preview-overlay")
        expect(overlay).to_have_text(BAD_DATE, timeout=30_000)
        assert sentence in tab.locator("body").inner_text()  # the last good version, under the overlay

        _edit(source, "date: 2018-13-45", "date: 2018-11-23")
        expect(overlay).to_have_count(0, timeout=30_000)
        expect(tab.locator("body")).to_contain_text(sentence)
        tab.close()
        code, _ = server.stop()
    assert code == 0
    built = project.output(SEED_SLUG, ".html").read_text(encoding="utf-8")
    assert sentence in built
    assert "EventSource" not in built and "presskit-preview" not in built  # only the served copy has them
    assert sentence in project.output(SEED_SLUG, ".txt").read_text(encoding="utf-8")


def test_only_files_under_build_are_served(project: Project) -> None:
    secret = project.root / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    with serving(project) as server:
        server.wait_for(f"rebuilt {SOURCE}")
        status, body = server.get(f"/build/{SEED_SLUG}/{SEED_SLUG}.txt")
        assert status == 200 and body.startswith(b"FOR IMMEDIATE RELEASE\n")
        status, body = server.get("/")
        assert status == 200 and f'href="{PAGE}"'.encode() in body
        (project.root / "build" / SEED_SLUG / "leak.txt").symlink_to(secret)
        for path in (
            "/../dodo.py",
            "/build/../dodo.py",
            "/build/%2e%2e/dodo.py",
            "/build/..%2fsecret.txt",
            str(secret),
            f"/build/{secret}",
            f"/build//{secret}",
            "/dodo.py",
            "/sources/2018-11-23-china-online-crackdown.md",
            f"/build/{SEED_SLUG}/leak.txt",
            "/build/_cache/",
            "/build/",
        ):
            status, body = server.get(path)
            assert status == 404, path
            assert b"not for the browser" not in body and b"DOIT_CONFIG" not in body
        status, _ = server.get("/", host="attacker.example")  # another site's name pointing at 127.0.0.1
        assert status == 400
        code, _ = server.stop()
    assert code == 0


def _listening(port: int) -> set[str]:
    """Local addresses of the listening TCP sockets on a port, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table, encoding="ascii") as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, _, hex_port = local.rpartition(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_it_listens_on_loopback_only_and_stops_cleanly(project: Project, signum: int) -> None:
    with serving(project) as server:
        assert _listening(server.port) == {"0100007F"}  # 127.0.0.1, and no IPv6 or wildcard socket
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", server.port), timeout=5):
            pass
        code, seconds = server.stop(signum)
        assert code == 0, "".join(server.lines)
        assert seconds < 8, seconds
        assert server.lines[-1] == "preview stopped\n", "".join(server.lines)
    assert _listening(server.port) == set()


def test_a_port_in_use_is_a_clear_message(project: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = project.doit("serve", "--port", str(port))
    assert run.returncode == 1
    assert run.stdout == f"doit serve: port {port}: Address already in use; choose another with --port\n"


OTHER = "---\ntitle: A statement of the default brand\ndate: 2018-11-23\n---\n\nThe federation said so.\n"


def test_a_save_rebuilds_the_statements_it_changes(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from presskit import serve
    from presskit.project import Project as Context

    project.write("sources/2018-11-23-other.md", OTHER)
    project.write("sources/photo-notes.txt", "not an image of anyone")
    preview = serve.Preview(Context(project.root), say=lambda _: None)
    monkeypatch.setattr(preview, "rebuild_references", lambda saved: None)
    preview.entries = preview.scan()
    assert set(preview.entries) == {SEED_SLUG, "other"}
    layouts = project.root / "layouts"
    unchanged = dict(preview.entries)
    assert preview.affected({layouts / "asia-pacific" / "_brand.yml"}, unchanged) == [SEED_SLUG]
    assert sorted(preview.affected({layouts / "default" / "print.css"}, unchanged)) == [SEED_SLUG, "other"]
    assert preview.affected({project.root / "sources" / "photo-notes.txt"}, unchanged) == []

    source = project.root / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    before, preview.entries = preview.entries, preview.scan()
    assert preview.affected({source}, before) == [SEED_SLUG]


def test_only_serve_runs_in_doits_own_process() -> None:
    from presskit.tasks import workers

    assert workers.for_command_line(["doit", "serve", "--port", "0"]) == 0
    assert workers.for_command_line(["doit"]) == workers.for_command_line(["doit", "pdf:serve-x"]) >= 1


def test_ctrl_c_at_a_terminal_stops_it(project: Project) -> None:
    leader, follower = pty.openpty()

    def controlling_terminal() -> None:  # the terminal turns Ctrl-C into SIGINT for its foreground processes
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "doit", "serve", "--port", "0"],
        cwd=project.root, stdin=follower, stdout=follower, stderr=follower, env=checkout_env(),
        start_new_session=True, preexec_fn=controlling_terminal,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    try:
        deadline = time.monotonic() + 60
        while b"rebuilt " not in shown and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                shown += os.read(leader, 65536)
        assert b"preview on http://127.0.0.1:" in shown, shown
        os.write(leader, b"\x03")
        assert proc.wait(timeout=10) == 0
        with contextlib.suppress(OSError):  # the terminal closes with the process
            while select.select([leader], [], [], 0.5)[0] and (data := os.read(leader, 65536)):
                shown += data
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(leader)
    assert shown.replace(b"\r", b"").endswith(b"preview stopped\n"), shown
    assert b"Traceback" not in shown


def test_a_saved_brand_file_rebuilds_its_statements(project: Project) -> None:
    brand = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    with serving(project) as server:
        server.wait_for(f"rebuilt {SOURCE}")
        _edit(brand, "primary: teal", "primary: '#123456'")
        deadline = time.monotonic() + 60
        while sum(line.startswith(f"rebuilt {SOURCE}") for line in server.lines) < 2:
            assert time.monotonic() < deadline, "".join(server.lines)
            time.sleep(0.05)
        status, body = server.get(PAGE)
        assert server.stop()[0] == 0
    assert status == 200 and b"#123456" in body
    assert "#123456" in project.output(SEED_SLUG, ".html").read_text(encoding="utf-8")


def test_a_statement_never_built_shows_its_problem(project: Project) -> None:
    project.write("sources/broken.md", OTHER.replace("2018-11-23", "2018-02-30"))
    message = "sources/broken.md:3: date: '2018-02-30' is not a day of the calendar; check the month and day"
    with serving(project) as server:
        server.wait_for(message)
        status, page = server.get("/build/broken/broken.html")
        _, index = server.get("/")
        assert server.stop()[0] == 0
    shown = html.escape(message).encode()
    assert status == 200
    assert b'<pre id="presskit-preview-overlay" role="alert">' + shown + b"</pre>" in page
    assert b"EventSource" in page
    assert shown in index
    assert not (project.root / "build" / "broken").exists()
