"""Benchmark presskit against the pipeline a user would write by hand, and against the engines alone.

    python3 benchmarks/run.py                 # the full run: N=100 cold builds, N=1000 no-op, the archive
    python3 benchmarks/run.py --archive-only  # the archive alone: 1,000, 3,000 and 10,000 statements
    python3 benchmarks/run.py --quick         # every scenario on a few statements, to check the script
    python3 benchmarks/run.py --preview-only  # the preview's latency alone, on the seed statement
    python3 benchmarks/run.py --site-only     # `doit site` on the 1,000-statement archive alone

Prints a table and writes JSON (benchmarks/results.json unless --json says otherwise). Every figure is
the wall time of a fresh process tree, and the peak resident memory of the largest process in it; the JSON
also keeps its processor time, and the archive's no-op is compared with bare doit's by that time too.

The archive scenario measures what naming and checking the tasks of a large, unchanged archive costs:
`doit list --all` and a no-op `doit`, at each size of `--growth` and at `--archive-n`, each against a bare
`dodo.py` in the same run that has as many trivial tasks (the same basenames and default tasks as
presskit's, one `file_dep` each, so doit alone loads and checks the same number of tasks).

The archive's dependency database is recorded by running presskit's own tasks with only their actions
replaced: each output task writes a placeholder into its targets (`dodo_prime.py` below), the brands'
reference documents are built for real. doit then records exactly what a real build records: the state of
every file_dep with presskit's checker, the `config_changed` values, the targets, task by task through
presskit's backend. `doit reset-dep` would be cheaper but is not honest here: it records file_deps and
targets, yet never runs the value savers of `config_changed`, so the first "no-op" after it would rebuild
everything. Building 10,000 statements for real would take hours and measure nothing more: a no-op never
reads the outputs, only their existence and the state of the files the tasks depend on (the e-mail's
file_dep on the PDF and wire copy is recorded against the placeholders, as it would be against real ones).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

SEED = corpus.REPO / "sources" / "2018-11-23-china-online-crackdown.md"
"""The statement the preview scenario edits."""
SEED_PAGE = "/build/china-online-crackdown/china-online-crackdown.html"
"""Its page, as the preview serves it."""
COMPARED = ("html", "pdf", "docx", "txt")
"""The outputs the hand-written pipeline makes."""
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Environment of every measured process: PYTHONPATH points at the snapshot of the code. Python keeps each
module's compiled bytecode, as it does on a press office's machine: a machine set not to (some sandboxes and
containers are) would have every run compile presskit's modules again, which bare doit, installed with its
bytecode, never does."""


@dataclass
class Measure:
    """One timed command."""

    name: str
    seconds: float
    peak_mb: float
    tasks: int | None = None
    statements: int | None = None
    kinds: dict[str, int] | None = None
    cpu_seconds: float | None = None
    """Processor time (user and system) of the process tree: less swayed than wall time by a busy machine."""

    @property
    def per_statement(self) -> float | None:
        return self.seconds / self.statements if self.statements else None


def timed(cmd: list[str], cwd: Path, name: str, statements: int | None = None, check: bool = True) -> Measure:
    """Run a command; its wall time and the peak RSS of its largest process (itself or a reaped child)."""
    log = cwd / f".bench-{name.replace(' ', '_')}.log"
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if check and proc.returncode != 0:
        raise SystemExit(f"{name}: {' '.join(cmd)} failed ({proc.returncode}):\n{text[-3000:]}")
    executed = [line[3:].split(":")[0] for line in text.splitlines() if line.startswith(".  ")]
    kinds = {kind: executed.count(kind) for kind in sorted(set(executed))}
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(name, seconds, usage.ru_maxrss / 1024, len(executed), statements, kinds, cpu)


def doit(root: Path, name: str, *args: str, statements: int | None = None) -> Measure:
    """`doit` in a project, as a user runs it."""
    return timed([sys.executable, "-m", "doit", *args], root, name, statements)


def median(runs: list[Measure]) -> Measure:
    """The run with the median time (peak memory is the largest of all runs, processor time the median of all)."""
    ordered = sorted(runs, key=lambda m: m.seconds)
    middle = ordered[len(ordered) // 2]
    cpus = sorted(m.cpu_seconds for m in runs if m.cpu_seconds is not None)
    cpu = cpus[len(cpus) // 2] if cpus else None
    return Measure(
        middle.name, middle.seconds, max(m.peak_mb for m in runs), middle.tasks, middle.statements, middle.kinds, cpu
    )


# --- the hand-written pipeline and the engine floor, run as child processes of this script ---------------


def _brand_css(root: Path, layout: str, embed_fonts: bool) -> str:
    from presskit.formats import glyphs, templates
    from presskit.read import brand

    loaded = brand.load(root / "layouts", layout, root)
    return templates.render(loaded, "brand.css", embed_fonts=embed_fonts, emoji_font=glyphs.emoji_font())


def _layout(path: Path) -> str:
    head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    return "asia-pacific" if "layout: asia-pacific" in head else "default"


def baseline(root: Path) -> None:
    """What a Makefile would do: one pandoc process per output, WeasyPrint through pandoc for the PDF."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    styles = root / "baseline-css"
    styles.mkdir(exist_ok=True)
    for layout in ("default", "asia-pacific"):
        (styles / f"{layout}-print.css").write_text(
            _brand_css(root, layout, True) + (root / "layouts/default/print.css").read_text(), "utf-8"
        )
        (styles / f"{layout}-page.css").write_text(
            _brand_css(root, layout, False) + (root / "layouts/default/page.css").read_text(), "utf-8"
        )
    for source in sorted((root / "sources").glob("*.md")):
        layout, out = _layout(source), root / "baseline" / source.stem
        out.parent.mkdir(exist_ok=True)
        for args in (
            ["-s", "--pdf-engine=weasyprint", "--css", str(styles / f"{layout}-print.css"), "-o", f"{out}.pdf"],
            ["-o", f"{out}.docx"],
            ["-s", "--embed-resources", "--css", str(styles / f"{layout}-page.css"), "-o", f"{out}.html"],
            ["-t", "plain", "-o", f"{out}.txt"],
        ):
            subprocess.run([pandoc, str(source), *args], check=True, cwd=root, capture_output=True)


def floor_inputs(root: Path) -> None:
    """Untimed: presskit's own print page of each statement, and each brand's stylesheets, for the floor."""
    from presskit.formats import glyphs, pdf, templates
    from presskit.prepare import prepared
    from presskit.read import brand, statement

    ready = root / "floor-input"
    ready.mkdir(exist_ok=True)
    for layout in ("default", "asia-pacific"):
        loaded = brand.load(root / "layouts", layout, root)
        css = templates.render(loaded, "brand.css", embed_fonts=True, emoji_font=glyphs.emoji_font())
        (ready / f"{layout}.css").write_text(css, "utf-8")
        print_css = brand.layout_file(root / "layouts", layout, "print.css")
        settings = {"print_css": str(print_css), "folder": str(loaded.folder), "pdf_variant": loaded.pdf_variant}
        (ready / f"{layout}.json").write_text(json.dumps(settings), "utf-8")
    for source in sorted((root / "sources").glob("*.md")):
        st, loaded = statement.load(source, root, root / "sources", root / "layouts")
        (ready / f"{source.stem}.html").write_text(pdf.print_page(prepared.of(st, loaded)), "utf-8")
        (ready / f"{source.stem}.md").write_text(st.body, "utf-8")
        (ready / f"{source.stem}.layout").write_text(loaded.name, "utf-8")


def floor(root: Path, rounds: int = 1, report: Path | None = None) -> None:
    """The engines alone in one warm process: three pandoc conversions and one WeasyPrint PDF per statement.

    WeasyPrint lays out the very page presskit makes, with the same stylesheets and PDF options. With
    `rounds`, the statements are converted that many times over, and each round's seconds written to `report`.
    """
    import resource

    import pypandoc
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    ready, out = root / "floor-input", root / "floor"
    out.mkdir(exist_ok=True)
    fonts = FontConfiguration()
    sheets, options = {}, {}
    for layout in ("default", "asia-pacific"):
        settings = json.loads((ready / f"{layout}.json").read_text("utf-8"))
        brand_css = (ready / f"{layout}.css").read_text("utf-8")
        sheets[layout] = [
            weasyprint.CSS(string=brand_css, base_url=settings["folder"] + "/", font_config=fonts),
            weasyprint.CSS(filename=settings["print_css"], font_config=fonts),
        ]
        options[layout] = {"pdf_variant": settings["pdf_variant"], "pdf_tags": True}
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        for source in sorted((root / "sources").glob("*.md")):
            body = (ready / f"{source.stem}.md").read_text("utf-8")
            layout = (ready / f"{source.stem}.layout").read_text("utf-8")
            target = out / source.stem
            pypandoc.convert_text(body, "html5", format="markdown", verify_format=False)
            pypandoc.convert_text(body, "docx", format="markdown", outputfile=f"{target}.docx", verify_format=False)
            pypandoc.convert_text(body, "plain", format="markdown", verify_format=False)
            page = (ready / f"{source.stem}.html").read_text("utf-8")
            document = weasyprint.HTML(string=page, base_url=str(source.parent) + "/")
            rendered = document.render(font_config=fonts, stylesheets=sheets[layout], **options[layout])
            rendered.write_pdf(f"{target}.pdf", **options[layout])
        took.append(time.perf_counter() - started)
    if report is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report.write_text(json.dumps({"rounds": took, "peak_mb": peak}), encoding="utf-8")


# --- the bare doit reference: the same number of trivial tasks ---------------------------------------------

BARE_DODO = '''"""As many trivial tasks as presskit defines, each depending on one source file."""
from pathlib import Path

BASENAMES = __BASENAMES__
OTHERS = __OTHERS__
DEFAULT = __DEFAULT__

DOIT_CONFIG = {"backend": "sqlite3", "dep_file": ".doit.db", "continue": True, "default_tasks": DEFAULT}
SOURCES = sorted(Path("sources").glob("*.md"))


def nothing():
    return True


def task_reference():
    for layout in ("default", "asia-pacific"):
        yield {"name": layout, "actions": [nothing], "file_dep": [f"layouts/{layout}/_brand.yml"]}


def _outputs(basename):
    for source in SOURCES:
        yield {"basename": basename, "name": source.stem, "actions": [nothing], "file_dep": [str(source)]}


def task_outputs():
    for basename in BASENAMES:
        yield {"basename": basename, "name": None}
        yield from _outputs(basename)


def task_others():
    groups = {}
    for task in OTHERS:  # a task of its own (`new`), or one of a group whose size is not one per statement
        basename, _, name = task.partition(":")
        if name:
            groups.setdefault(basename, []).append(name)
        else:
            yield {"basename": basename, "actions": [nothing], "file_dep": ["layouts/default/_brand.yml"]}
    for basename, names in groups.items():
        yield {"basename": basename, "name": None}
        for name in names:
            yield {"basename": basename, "name": name, "actions": [nothing], "file_dep": ["layouts/default/_brand.yml"]}
'''

DEPS_DODO = '''"""presskit's tasks and file_dep lists, with trivial actions: what doit alone needs to check them."""
import json

with open("tasks.json", encoding="utf-8") as f:
    TASKS = json.load(f)
DEFAULT = list(dict.fromkeys(t["basename"] for t in TASKS if t["default"]))
DOIT_CONFIG = {"backend": "sqlite3", "dep_file": ".doit.db", "continue": True, "default_tasks": DEFAULT}


def nothing():
    return True


def task_all():
    for basename in dict.fromkeys(t["basename"] for t in TASKS):
        yield {"basename": basename, "name": None}
    for t in TASKS:
        yield {"basename": t["basename"], "name": t["name"], "actions": [nothing], "file_dep": t["file_dep"]}
'''


PRIME_DODO = '''"""presskit's dodo.py, each output task writing a placeholder into its targets instead of rendering."""
from pathlib import Path

import dodo
from dodo import *  # DOIT_CONFIG (backend, checker, reporter, default tasks) exactly as the project has it

FORMATS = __FORMATS__


def placeholder(targets):
    for target in targets:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(b"placeholder of " + target.encode("utf-8") + b"\\n")


def primed(creator):
    def tasks():
        made = creator()
        for task in [made] if isinstance(made, dict) else made:
            if task.get("basename") in FORMATS and task.get("actions") and task.get("targets"):
                task = {**task, "actions": [(placeholder, [list(task["targets"])])]}
            yield task

    tasks.__doc__ = creator.__doc__
    return tasks


for _name in [n for n in dir(dodo) if n.startswith("task_")]:
    globals()[_name] = primed(getattr(dodo, _name))
'''


SITE_PRIME_DODO = '''"""dodo_prime.py, each HTML output a real page of one statement, its stem swapped."""
from pathlib import Path

import dodo_prime
from dodo_prime import *  # the project's tasks, each output task writing a stand-in

PAGE = Path(__PAGE__).read_text(encoding="utf-8")
STEM = __STEM__


def placeholder(targets):
    for target in targets:
        if target.endswith(".html"):  # the newsroom reads and indexes the page: one of real size and shape
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).write_text(PAGE.replace(STEM, Path(target).name[: -len(".html")]), encoding="utf-8")
        else:
            stand_in([target])


stand_in = dodo_prime.placeholder
dodo_prime.placeholder = placeholder
'''

SITE_TASKS = ("page", "index", "tag", "year", "home", "notfound", "stylesheet", "feed", "sitemap", "robots", "search",
              "unpublish")  # fmt: skip
"""The newsroom's own tasks, as `doit site` reports them."""


def dump_tasks(root: Path, out: Path) -> None:
    """The tasks of a project's dodo.py: basename, name, file_dep (absolute) and whether it is a default task."""
    import importlib.util

    os.chdir(root)
    sys.argv = ["doit"]  # as a plain `doit` is run
    spec = importlib.util.spec_from_file_location("dodo", root / "dodo.py")
    assert spec is not None and spec.loader is not None
    dodo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dodo)
    wanted = set(dodo.DOIT_CONFIG["default_tasks"])
    found = []
    for name in dir(dodo):
        creator = getattr(dodo, name)
        delayed = getattr(creator, "doit_create_after", None)
        if name.startswith("task_") and not getattr(delayed, "creates", None):  # the newsroom's: only when named
            made = creator()
            for task in [made] if isinstance(made, dict) else made:
                basename = task.get("basename", name[5:])
                if task.get("name"):
                    deps = [str(root / d) for d in task.get("file_dep", [])]
                    default = basename in wanted
                    found.append({"basename": basename, "name": task["name"], "file_dep": deps, "default": default})
    out.write_text(json.dumps(found), encoding="utf-8")


# --- the scenarios ------------------------------------------------------------------------------------------


def fresh(work: Path, name: str, count: int) -> Path:
    root = work / name
    corpus.make_project(root, count, work / "code")
    return root


def run_floor(root: Path, count: int) -> Measure:
    """The floor on a project: its inputs made by presskit first (not timed), then the engines alone (timed)."""
    subprocess.run([sys.executable, __file__, "--floor-inputs", str(root)], env=ENV, check=True)
    return timed([sys.executable, __file__, "--floor", str(root)], root, "floor", count)


def run_warm_floor(root: Path, rounds: int) -> Measure:
    """The floor in a process that has converted the statements once already: the median of the later rounds."""
    subprocess.run([sys.executable, __file__, "--floor-inputs", str(root)], env=ENV, check=True)
    report = root / "floor-warm.json"
    subprocess.run([sys.executable, __file__, "--floor-warm", str(root), str(rounds + 1), str(report)],
                   env=ENV, check=True, capture_output=True)  # fmt: skip
    found = json.loads(report.read_text(encoding="utf-8"))
    later = sorted(found["rounds"][1:])
    return Measure("floor, warm", later[len(later) // 2], found["peak_mb"], None, len(list(root.glob("sources/*.md"))))


def output_formats(code: Path) -> list[str]:
    """The formats `doit` builds for each statement, as the snapshot's dodo.py says."""
    found = subprocess.run(
        [sys.executable, "-c", "import dodo; print(' '.join(dodo.DOIT_CONFIG['default_tasks']))"],
        cwd=code,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [name for name in found if name != "reference"]


def edit_statement(root: Path, round_: int) -> None:
    source = sorted((root / "sources").glob("*.md"))[0]
    with source.open("a", encoding="utf-8") as f:
        f.write(f"\nThe union will publish an update on this case (revision {round_}).\n")


def listed(root: Path) -> tuple[list[str], list[str], list[str]]:
    """A project's tasks as doit lists them: basenames with a task per statement, the other tasks, the defaults."""
    names = subprocess.run(
        [sys.executable, "-m", "doit", "list", "--all", "--quiet"], cwd=root, env=ENV, check=True,
        capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    statements = len(list((root / "sources").glob("*.md")))
    counts: dict[str, int] = {}
    for name in names:
        if ":" in name:
            basename = name.split(":", 1)[0]
            counts[basename] = counts.get(basename, 0) + 1
    default = subprocess.run(
        [sys.executable, "-c", "import dodo; print(' '.join(dodo.DOIT_CONFIG['default_tasks']))"],
        cwd=root, env=ENV, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    per_statement = [b for b, count in counts.items() if count == statements and b != "reference"]
    grouped = {n.split(":", 1)[0] for n in names if ":" in n}
    others = [n for n in names if n.split(":", 1)[0] not in [*per_statement, "reference"] and n not in grouped]
    return per_statement, others, default


def make_bare(root: Path, like: Path, basenames: list[str], others: list[str], default: list[str]) -> Path:
    """A bare doit project beside `like`: its sources and layouts, as many trivial tasks as presskit has."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(like / "sources", root / "sources", dirs_exist_ok=True)
    shutil.copytree(like / "layouts", root / "layouts", dirs_exist_ok=True)
    dodo = BARE_DODO.replace("__BASENAMES__", repr(basenames)).replace("__DEFAULT__", repr(default))
    dodo = dodo.replace("__OTHERS__", repr(others))
    (root / "dodo.py").write_text(dodo, encoding="utf-8")
    return root


def lines(measure: Measure, root: Path) -> Measure:
    """A `doit list` measure, with the number of tasks it listed."""
    log = root / f".bench-{measure.name.replace(' ', '_')}.log"
    measure.tasks = sum(1 for line in log.read_text(errors="replace").splitlines() if line.strip())
    measure.kinds = None
    return measure


def run(args: argparse.Namespace) -> dict[str, object]:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="presskit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    code = corpus.snapshot(work / "code", args.commit)
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    formats = output_formats(code)
    results: dict[str, Measure] = {}

    def step(label: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {label}", file=sys.stderr, flush=True)

    if not args.archive_only and not args.preview_only and not args.site_only:
        classic(args, work, formats, results, step)
    if not args.archive_only and not args.site_only:
        preview(args, work, results, step)
    if args.site_only:
        site(args, work, formats, results, step)
        report = summarise(results, args, formats)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return report
    if args.archive_n and not args.preview_only:
        archive(args, work, formats, results, step)

    report = summarise(results, args, formats)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def classic(
    args: argparse.Namespace, work: Path, formats: list[str], results: dict[str, Measure], step: Callable[[str], None]
) -> None:
    """Cold builds, the engine floor, the hand-written baseline, the no-op and edits, on real builds."""
    n, big, repeats = args.n, args.noop_n, args.repeats
    # The baseline and the floor make HTML, PDF, DOCX and plain text: the N-statement scenarios build those.
    compared = ["reference", *(f for f in formats if f in COMPARED)]
    per_statement = len(compared) - 1

    def check(measure: Measure, expected: int) -> Measure:
        if measure.tasks != expected:
            raise SystemExit(f"{measure.name}: ran {measure.tasks} tasks, expected {expected}: {measure.kinds}")
        return measure

    step(f"cold build, N={n}, doit -n 1")
    one = fresh(work, "cold-n1", n)
    results["cold_n1"] = check(doit(one, "cold -n 1", "-n", "1", *compared, statements=n), per_statement * n + 2)

    step(f"cold build, N={n}, doit -n 2")
    two = fresh(work, "cold-n2", n)
    results["cold_n2"] = check(doit(two, "cold -n 2", "-n", "2", *compared, statements=n), per_statement * n + 2)

    step(f"cold build, N={n}, plain doit (every core the memory allows)")
    plain = fresh(work, "cold-plain", n)
    results["cold_plain"] = check(doit(plain, "cold plain", *compared, statements=n), per_statement * n + 2)

    step("engine floor")
    results["floor"] = run_floor(fresh(work, "floor", n), n)

    if not args.skip_baseline:
        step("hand-written baseline")
        base_root = fresh(work, "baseline", n)
        results["baseline"] = timed([sys.executable, __file__, "--baseline", str(base_root)], base_root, "baseline", n)

    step(f"no-op, N={n}")
    results["noop_n"] = median([check(doit(one, "no-op", *compared, statements=n), 0) for _ in range(repeats)])

    step("one statement edited")
    edits = []
    for i in range(repeats):
        edit_statement(one, i)
        edits.append(check(doit(one, "one statement edited", *compared, statements=1), per_statement))
    results["edit_one"] = median(edits)

    step("engine floor, that statement alone")
    results["floor_one"] = median([run_floor(fresh(work, f"floor-one-{i}", 1), 1) for i in range(repeats)])

    step("print CSS edited")
    with (one / "layouts/default/print.css").open("a", encoding="utf-8") as f:
        f.write("\nh1.title { letter-spacing: 0.01em; }\n")  # a visible change: every PDF differs
    results["edit_print_css"] = check(doit(one, "print CSS edited", *compared, statements=n), n)

    step(f"cold build, N={big}, doit -n 2 (to set up the no-op)")
    archive = fresh(work, "archive", big)
    results["cold_big_n2"] = doit(archive, f"cold N={big} -n 2", "-n", "2", statements=big)
    step(f"no-op, N={big}")
    results["noop_big"] = median([doit(archive, f"no-op N={big}", statements=big) for _ in range(repeats)])

    step(f"bare doit, as many trivial tasks as presskit's for N={big}")
    bare = make_bare(work / "bare", archive, *listed(archive))
    doit(bare, "bare first run")
    results["bare_noop_big"] = median([doit(bare, f"bare no-op N={big}", statements=big) for _ in range(repeats)])

    step("bare doit with presskit's file_dep lists")
    deps = work / "bare-deps"
    deps.mkdir(exist_ok=True)
    dump = [sys.executable, __file__, "--dump-tasks", str(archive), str(deps / "tasks.json")]
    subprocess.run(dump, env=ENV, check=True)
    (deps / "dodo.py").write_text(DEPS_DODO, encoding="utf-8")
    doit(deps, "bare with deps first run")
    results["deps_noop_big"] = median([doit(deps, f"deps no-op N={big}", statements=big) for _ in range(repeats)])


def seed_project(root: Path, code: Path) -> Path:
    """A project holding the seed statement alone."""
    if root.exists():
        shutil.rmtree(root)
    (root / "sources").mkdir(parents=True)
    shutil.copy2(code / "dodo.py", root / "dodo.py")
    shutil.copytree(code / "layouts", root / "layouts")
    shutil.copy2(SEED, root / "sources" / SEED.name)
    return root


class Events:
    """The preview's server-sent events, each with the time it arrived."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.seen: list[tuple[float, dict[str, str]]] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        conn.request("GET", "/_preview/events?since=0")
        response = conn.getresponse()
        while line := response.readline():
            if line.startswith(b"data: "):
                with self.arrived:
                    self.seen.append((time.perf_counter(), json.loads(line[6:])))
                    self.arrived.notify_all()

    def wait(self, after: int, kind: str, seconds: float = 120) -> float:
        """When the first event of a kind after the `after`-th arrived (bounded wait)."""
        with self.arrived:
            found = self.arrived.wait_for(lambda: any(e["kind"] == kind for _, e in self.seen[after:]), seconds)
            if not found:
                raise SystemExit(f"preview: no {kind!r} event within {seconds} s: {self.seen[after:]}")
            return next(t for t, e in self.seen[after:] if e["kind"] == kind)


def _peak_mb(pid: int) -> float:
    """The peak resident memory of a running process, from the kernel."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def preview(args: argparse.Namespace, work: Path, results: dict[str, Measure], step: Callable[[str], None]) -> None:
    """`doit serve` on the seed: from a saved edit to the page's reload event, to the reloaded page (fetched
    again, as the browser does), and to the rebuilt PDF; against the engine floor for the seed alone."""
    code = work / "code"
    if "def task_serve" not in (code / "dodo.py").read_text(encoding="utf-8"):
        step("preview: this code has no `doit serve`; skipped")
        return
    repeats = max(args.repeats, 3)  # a round is short: a few keep one slow save from being the figure
    step("engine floor, the seed alone")
    results["floor_seed"] = median([run_floor(seed_project(work / f"floor-seed-{i}", code), 1) for i in range(repeats)])
    results["floor_seed_warm"] = run_warm_floor(seed_project(work / "floor-seed-warm", code), repeats)
    step("preview: doit serve on the seed, one saved edit at a time")
    root = seed_project(work / "preview", code)
    proc = subprocess.Popen(
        [sys.executable, "-m", "doit", "serve", "--port", "0"], cwd=root, env=ENV,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    printed: list[str] = []
    assert proc.stdout is not None
    threading.Thread(target=lambda: printed.extend(proc.stdout or []), daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("rebuilt ") for line in printed):  # its first build, at start
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"preview: the server did not start:\n{''.join(printed)}")
            time.sleep(0.05)
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(printed)).group(1))  # type: ignore[union-attr]
        events = Events(port)
        time.sleep(0.5)
        pages, loaded, pdfs = [], [], []
        for i in range(repeats):
            after = len(events.seen)
            saved = time.perf_counter()
            edit_statement(root, 100 + i)
            page = events.wait(after, "page") - saved
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", SEED_PAGE)
            body = conn.getresponse().read().decode("utf-8")
            shown = time.perf_counter() - saved
            conn.close()
            if f"(revision {100 + i})" not in body:
                raise SystemExit(f"preview: the reloaded page does not show edit {i}")
            pdf = events.wait(after, "pdf") - saved
            events.wait(after, "eml")  # the round's last output: the next save starts from a quiet server
            peak = _peak_mb(proc.pid)
            pages.append(Measure("preview: page", page, peak, None, 1))
            loaded.append(Measure("preview: page reloaded", shown, peak, None, 1))
            pdfs.append(Measure("preview: PDF", pdf, peak, None, 1))
            time.sleep(0.3)
        results["preview_page"], results["preview_loaded"], results["preview_pdf"] = map(median, (pages, loaded, pdfs))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def archive(
    args: argparse.Namespace, work: Path, formats: list[str], results: dict[str, Measure], step: Callable[[str], None]
) -> None:
    """An unchanged archive: `doit list --all` and a no-op at each size, each against bare doit."""
    repeats = args.archive_repeats
    for size in sorted({*args.growth, args.archive_n}):
        step(f"archive of {size} statements: recording a full build (placeholder outputs)")
        root = fresh(work, f"archive-{size}", size)
        (root / "dodo_prime.py").write_text(PRIME_DODO.replace("__FORMATS__", repr(formats)), encoding="utf-8")
        results[f"archive_prime_{size}"] = doit(root, f"prime {size}", "-f", "dodo_prime.py", statements=size)
        if results[f"archive_prime_{size}"].tasks != len(formats) * size + 2:
            raise SystemExit(f"recording the archive ran {results[f'archive_prime_{size}'].kinds}")
        bare = make_bare(work / f"bare-{size}", root, *listed(root))
        doit(bare, f"bare first run {size}")
        # presskit and bare doit take turns, so that a machine busier for a while slows both alike
        step(f"archive and bare doit of {size} statements, in turn: doit list --all, no-op")
        projects = (("archive", root), ("bare", bare))
        runs: dict[str, list[Measure]] = {f"{who}_{what}": [] for who, _ in projects for what in ("list", "noop")}
        for _ in range(repeats):
            for who, where in projects:
                listing = doit(where, f"{who} list {size}", "list", "--all", statements=size)
                runs[f"{who}_list"].append(lines(listing, where))
            for who, where in projects:
                runs[f"{who}_noop"].append(doit(where, f"{who} no-op {size}", statements=size))
        for who, _ in projects:
            if any(m.tasks for m in runs[f"{who}_noop"]):
                raise SystemExit(f"{who} no-op at {size} ran tasks: {[m.kinds for m in runs[f'{who}_noop']]}")
            results[f"{who}_list_{size}"] = median(runs[f"{who}_list"])
            results[f"{who}_noop_{size}"] = median(runs[f"{who}_noop"])


def site(
    args: argparse.Namespace, work: Path, formats: list[str], results: dict[str, Measure], step: Callable[[str], None]
) -> None:
    """`doit site` on an archive whose statements' outputs are recorded: cold, no-op, and one statement added.

    The outputs are stand-ins (`SITE_PRIME_DODO`), each HTML output a real page of one statement built first, so
    the newsroom copies, reads and indexes pages of real size; the statement added is built for real.
    """
    size = args.site_n
    root = fresh(work, f"site-{size}", size)
    sample = "arrests-0001"
    step(f"newsroom of {size} statements: one real page, then every output recorded (stand-ins)")
    doit(root, "site sample page", f"html:{sample}")
    page = root / "build" / sample / f"{sample}.html"
    with_cards = [*formats, "card"]
    (root / "dodo_prime.py").write_text(PRIME_DODO.replace("__FORMATS__", repr(with_cards)), encoding="utf-8")
    prime = SITE_PRIME_DODO.replace("__PAGE__", repr(str(page))).replace("__STEM__", repr(sample))
    (root / "dodo_site_prime.py").write_text(prime, encoding="utf-8")
    results[f"site_prime_{size}"] = doit(root, f"site prime {size}", "-f", "dodo_site_prime.py", statements=size)
    doit(root, f"site prime cards {size}", "-f", "dodo_site_prime.py", "card", statements=size)
    step(f"newsroom of {size} statements: cold doit site")
    cold = doit(root, f"site cold {size}", "site", statements=size)
    if set(cold.kinds or {}) - set(SITE_TASKS):
        raise SystemExit(f"the cold doit site built statements' outputs: {cold.kinds}")
    results[f"site_cold_{size}"] = cold
    step(f"newsroom of {size} statements: no-op doit site and no-op doit")
    for who, command in (("site_noop", ["site"]), ("site_plain_noop", [])):
        runs = [doit(root, f"{who} {size}", *command, statements=size) for _ in range(args.archive_repeats)]
        if any(m.tasks for m in runs):
            raise SystemExit(f"a no-op ran tasks: {[m.kinds for m in runs]}")
        results[f"{who}_{size}"] = median(runs)
    step(f"newsroom of {size} statements: one statement added")
    like = sorted((root / "sources").glob("*-arrests-0002.md"))[0].read_text(encoding="utf-8")

    def add(name: str) -> None:
        text = re.sub(r"(?m)^date: .*$", "date: 2030-01-01", like.replace("(2)", f"({name})"), count=1)
        (root / "sources" / f"2030-01-01-{name}.md").write_text(text, encoding="utf-8")

    add("site-added-a")  # its outputs, then the site: what each part costs
    outputs = [f"{kind}:site-added-a" for kind in ("html", "pdf", "docx", "txt", "card")]
    results[f"site_own_outputs_{size}"] = doit(root, f"site own outputs {size}", *outputs, statements=1)
    results[f"site_after_outputs_{size}"] = doit(root, f"site after outputs {size}", "site", statements=1)
    add("site-added-b")  # the whole of it, as a user runs it
    added_run = doit(root, f"site added {size}", "site", statements=1)
    statements_built = {kind: n for kind, n in (added_run.kinds or {}).items() if kind not in SITE_TASKS}
    if any(n != 1 for n in statements_built.values()):
        raise SystemExit(f"adding one statement built the outputs of others: {added_run.kinds}")
    results[f"site_added_{size}"] = added_run
    index = [sys.executable, "-c", "import sys; from pathlib import Path; from presskit.site import search; "
             "search.index(Path(sys.argv[1]))", str(root / "build" / "site")]  # fmt: skip
    results[f"site_pagefind_{size}"] = timed(index, root, f"site pagefind {size}", size)


def summarise(results: dict[str, Measure], args: argparse.Namespace, formats: list[str]) -> dict[str, object]:
    def per(key: str) -> float | None:
        return results[key].per_statement if key in results else None

    def seconds(key: str) -> float | None:
        return results[key].seconds if key in results else None

    def cpu(key: str) -> float | None:
        return results[key].cpu_seconds if key in results else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    ratios: dict[str, float | None] = {}
    targets: dict[str, bool] = {}
    if "cold_n1" in results:
        ratios |= {
            "baseline_over_ours": ratio(per("baseline"), per("cold_n1")),
            "baseline_over_ours_n2": ratio(per("baseline"), per("cold_n2")),
            "baseline_over_plain_doit": ratio(per("baseline"), per("cold_plain")),
            "ours_over_floor": ratio(per("cold_n1"), per("floor")),
            "n1_over_n2": ratio(seconds("cold_n1"), seconds("cold_n2")),
            "noop_over_bare": ratio(seconds("noop_big"), seconds("bare_noop_big")),
            "bare_with_our_deps_over_bare": ratio(seconds("deps_noop_big"), seconds("bare_noop_big")),
        }
        edit_over_floor = round(results["edit_one"].seconds - results["floor_one"].seconds, 2)
        ratios["edit_one_minus_floor_one_s"] = edit_over_floor
        classic = ("cold_n1", "cold_n2", "cold_plain", "noop_n", "edit_one", "edit_print_css", "cold_big_n2",
                   "noop_big", "bare_noop_big")  # fmt: skip
        targets |= {
            "cold: baseline/ours >= 5": (ratios["baseline_over_ours"] or 0) >= 5,
            "cold: baseline/plain doit (every core) >= 5": (ratios["baseline_over_plain_doit"] or 0) >= 5,
            "cold: ours/floor <= 1.3": (ratios["ours_over_floor"] or 99) <= 1.3,
            "-n 1 / -n 2 >= 1.7": (ratios["n1_over_n2"] or 0) >= 1.7,
            "no-op / bare <= 1.5": (ratios["noop_over_bare"] or 99) <= 1.5,
            "one edit <= floor for that statement + 0.5 s": edit_over_floor <= 0.5,
            f"peak memory <= 400 MB (N={args.noop_n})": max(results[k].peak_mb for k in classic) <= 400,
        }
    if "preview_pdf" in results:
        ratios |= {
            "preview_page_s": round(results["preview_page"].seconds, 3),
            "preview_page_reloaded_s": round(results["preview_loaded"].seconds, 3),
            "preview_pdf_s": round(results["preview_pdf"].seconds, 3),
            "preview_pdf_minus_floor_seed_s": round(results["preview_pdf"].seconds - results["floor_seed"].seconds, 2),
            "preview_pdf_minus_warm_floor_seed_s": round(
                results["preview_pdf"].seconds - results["floor_seed_warm"].seconds, 2
            ),
        }
        targets |= {
            "preview: page <= 0.3 s": results["preview_loaded"].seconds <= 0.3,
            "preview: PDF <= floor for the seed + 0.1 s": ratios["preview_pdf_minus_floor_seed_s"] <= 0.1,
        }
    sizes = archive_sizes(results)
    for size in sizes:
        ratios[f"archive_list_over_bare_{size}"] = ratio(seconds(f"archive_list_{size}"), seconds(f"bare_list_{size}"))
        ratios[f"archive_noop_over_bare_{size}"] = ratio(seconds(f"archive_noop_{size}"), seconds(f"bare_noop_{size}"))
        ratios[f"archive_noop_over_bare_cpu_{size}"] = ratio(cpu(f"archive_noop_{size}"), cpu(f"bare_noop_{size}"))
    if sizes:
        big, small = sizes[-1], sizes[0]
        targets |= {
            f"archive: doit list --all / bare <= 1.5 (N={big})": (ratios[f"archive_list_over_bare_{big}"] or 99) <= 1.5,
            f"archive: no-op / bare <= 1.5 (N={big})": (ratios[f"archive_noop_over_bare_{big}"] or 99) <= 1.5,
            f"archive: no-op peak memory <= 500 MB (N={big})": results[f"archive_noop_{big}"].peak_mb <= 500,
            f"archive: no-op / bare <= 1.5 (N={small})": (ratios[f"archive_noop_over_bare_{small}"] or 99) <= 1.5,
        }
    for key in [k for k in results if k.startswith("site_cold_")]:
        size = int(key.rsplit("_", 1)[1])
        noop = ratios[f"site_noop_over_plain_noop_{size}"] = (
            ratio(seconds(f"site_noop_{size}"), seconds(f"site_plain_noop_{size}")) or 99
        )
        over = round(results[f"site_added_{size}"].seconds - results[f"site_own_outputs_{size}"].seconds, 2)
        ratios[f"site_added_minus_own_outputs_s_{size}"] = over
        targets |= {
            f"site: no-op doit site / no-op doit <= 1.2 (N={size})": noop <= 1.2,
            f"site: one added <= its own outputs + 2 s (N={size})": over <= 2,
        }
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "command": " ".join(["python3", "benchmarks/run.py", *sys.argv[1:]]),
        "n": args.n,
        "formats": formats,
        "noop_n": args.noop_n,
        "archive_sizes": sizes,
        "repeats": args.repeats,
        "measures": {k: {**asdict(m), "per_statement": m.per_statement} for k, m in results.items()},
        "ratios": ratios,
        "targets": targets,
    }


def archive_sizes(results: dict[str, Measure] | dict[str, object]) -> list[int]:
    """The archive sizes measured, smallest first."""
    return sorted(int(key.rsplit("_", 1)[1]) for key in results if key.startswith("archive_noop_"))


LABELS = {
    "cold_n1": "cold build, doit -n 1",
    "cold_n2": "cold build, doit -n 2",
    "cold_plain": "cold build, plain doit (default workers)",
    "floor": "engine floor (one process)",
    "baseline": "hand-written baseline (pandoc per output)",
    "noop_n": "no-op",
    "edit_one": "one statement edited",
    "floor_one": "engine floor, that statement alone",
    "edit_print_css": "print CSS edited (all PDFs)",
    "cold_big_n2": "cold build, all formats, doit -n 2",
    "noop_big": "no-op, all formats",
    "bare_noop_big": "bare doit no-op, same task count",
    "deps_noop_big": "bare doit no-op, presskit's file_dep lists",
    "floor_seed": "engine floor, the seed alone",
    "floor_seed_warm": "engine floor, the seed, engines already loaded",
    "preview_page": "preview: save to the page's reload event",
    "preview_loaded": "preview: save to the reloaded page",
    "preview_pdf": "preview: save to the rebuilt PDF",
}
ARCHIVE_LABELS = {
    "archive_prime": "archive: full build recorded (placeholder outputs)",
    "archive_list": "archive: doit list --all",
    "bare_list": "bare doit: doit list --all",
    "archive_noop": "archive: no-op",
    "bare_noop": "bare doit: no-op",
}


SITE_LABELS = {
    "site_prime": "site: every output recorded (stand-ins)",
    "site_cold": "site: cold doit site (outputs built)",
    "site_noop": "site: no-op doit site",
    "site_plain_noop": "site: no-op doit",
    "site_own_outputs": "site: one added, its own outputs alone",
    "site_after_outputs": "site: one added, doit site after its outputs",
    "site_added": "site: one added, doit site",
    "site_pagefind": "site: the search index alone (Pagefind)",
}


def table(report: dict[str, object]) -> str:
    measures = report["measures"]
    assert isinstance(measures, dict)
    rows = [(key, label) for key, label in LABELS.items() if key in measures]
    for size in archive_sizes(measures):
        rows += [(f"{key}_{size}", label) for key, label in ARCHIVE_LABELS.items()]
    for size in sorted(int(key.rsplit("_", 1)[1]) for key in measures if key.startswith("site_cold_")):
        rows += [(f"{key}_{size}", label) for key, label in SITE_LABELS.items()]
    lines = [
        "| scenario | N | tasks | seconds | ms/statement | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in rows:
        m = measures[key]
        per = f"{m['per_statement'] * 1000:.2f}" if m["per_statement"] else ""
        tasks = "" if key.startswith(("floor", "baseline", "preview")) else m["tasks"]
        lines.append(f"| {label} | {m['statements']} | {tasks} | {m['seconds']:.2f} | {per} | {m['peak_mb']:.0f} |")
    lines.append("")
    ratios = report["ratios"]
    assert isinstance(ratios, dict)
    lines += [f"- {k}: {v}" for k, v in ratios.items()]
    targets = report["targets"]
    assert isinstance(targets, dict)
    lines += [f"- target {k}: {'met' if ok else 'NOT met'}" for k, ok in targets.items()]
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="statements for the cold builds (default 100)")
    parser.add_argument("--noop-n", type=int, default=1000, help="statements for the no-op (default 1000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each short scenario; the median is kept")
    parser.add_argument("--archive-n", type=int, default=10_000, help="statements of the archive (default 10000)")
    parser.add_argument("--growth", type=_sizes, default=[1000, 3000], help="smaller archives, e.g. 1000,3000")
    parser.add_argument("--archive-repeats", type=int, default=3, help="runs of each archive measure (default 3)")
    parser.add_argument("--archive-only", action="store_true", help="measure the archive alone")
    parser.add_argument("--preview-only", action="store_true", help="measure the preview's latency alone")
    parser.add_argument("--site-only", action="store_true", help="measure `doit site` on the archive alone")
    parser.add_argument("--site-n", type=int, default=1000, help="statements of the site's archive (default 1000)")
    parser.add_argument("--quick", action="store_true", help="N=6, no-op N=40, archives of 10 to 40, one repeat")
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the slow hand-written baseline")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results.json", help="where to write")
    parser.add_argument("--workdir", help="where to build the projects (default: a new temporary folder)")
    parser.add_argument("--commit", help="benchmark the code of this git commit instead of the working tree")
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor-warm", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor-inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump-tasks", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        return floor(args.floor)
    if args.floor_warm:
        return floor(Path(args.floor_warm[0]), int(args.floor_warm[1]), Path(args.floor_warm[2]))
    if args.baseline:
        return baseline(args.baseline)
    if args.floor_inputs:
        return floor_inputs(args.floor_inputs)
    if args.dump_tasks:
        return dump_tasks(*args.dump_tasks)
    if args.quick:
        args.n, args.noop_n, args.repeats = 6, 40, 1
        args.archive_n, args.growth, args.archive_repeats = 40, [10, 20], 1
    started = time.perf_counter()
    report = run(args)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\n{report['total_seconds']} s in all; JSON in {args.json}")


if __name__ == "__main__":
    main()
