"""Benchmark presskit against the pipeline a user would write by hand, and against the engines alone.

    python3 benchmarks/run.py            # the full run: N=100 cold builds, N=1000 no-op (about 15 minutes)
    python3 benchmarks/run.py --quick    # the same scenarios on a few statements, to check the script

Prints a table and writes JSON (benchmarks/results.json unless --json says otherwise). Every figure is
the wall time of a fresh process tree, and the peak resident memory of the largest process in it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

COMPARED = ("html", "pdf", "docx", "txt")
"""The outputs the hand-written pipeline makes."""
ENV = dict(os.environ)
"""Environment of every measured process: PYTHONPATH points at the snapshot of the code."""


@dataclass
class Measure:
    """One timed command."""

    name: str
    seconds: float
    peak_mb: float
    tasks: int | None = None
    statements: int | None = None
    kinds: dict[str, int] | None = None

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
    return Measure(name, seconds, usage.ru_maxrss / 1024, len(executed), statements, kinds)


def doit(root: Path, name: str, *args: str, statements: int | None = None) -> Measure:
    """`doit` in a project, as a user runs it."""
    return timed([sys.executable, "-m", "doit", *args], root, name, statements)


def median(runs: list[Measure]) -> Measure:
    """The run with the median time (peak memory is the largest of all runs)."""
    ordered = sorted(runs, key=lambda m: m.seconds)
    middle = ordered[len(ordered) // 2]
    return Measure(
        middle.name, middle.seconds, max(m.peak_mb for m in runs), middle.tasks, middle.statements, middle.kinds
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


def floor(root: Path) -> None:
    """The engines alone in one warm process: three pandoc conversions and one WeasyPrint PDF per statement.

    WeasyPrint lays out the very page presskit makes, with the same stylesheets and PDF options.
    """
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


# --- the bare doit reference: the same number of trivial tasks ---------------------------------------------

BARE_DODO = '''"""As many trivial tasks as presskit defines, each depending on one source file."""
from pathlib import Path

BASENAMES = __BASENAMES__

DOIT_CONFIG = {"backend": "sqlite3", "dep_file": ".doit.db", "continue": True}
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
'''

DEPS_DODO = '''"""presskit's tasks and file_dep lists, with trivial actions: what doit alone needs to check them."""
import json

DOIT_CONFIG = {"backend": "sqlite3", "dep_file": ".doit.db", "continue": True}
with open("tasks.json", encoding="utf-8") as f:
    TASKS = json.load(f)


def nothing():
    return True


def task_all():
    for basename in dict.fromkeys(t["basename"] for t in TASKS):
        yield {"basename": basename, "name": None}
    for t in TASKS:
        yield {"basename": t["basename"], "name": t["name"], "actions": [nothing], "file_dep": t["file_dep"]}
'''


def dump_tasks(root: Path, out: Path) -> None:
    """The default tasks of a project's dodo.py: basename, name and file_dep (absolute), as JSON."""
    import importlib.util

    os.chdir(root)
    spec = importlib.util.spec_from_file_location("dodo", root / "dodo.py")
    assert spec is not None and spec.loader is not None
    dodo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dodo)
    wanted = set(dodo.DOIT_CONFIG["default_tasks"])
    found = []
    for name in dir(dodo):
        if name.startswith("task_"):
            made = getattr(dodo, name)()
            for task in [made] if isinstance(made, dict) else made:
                if task.get("name") and task.get("basename", name[5:]) in wanted:
                    deps = [str(root / d) for d in task.get("file_dep", [])]
                    found.append({"basename": task.get("basename", name[5:]), "name": task["name"], "file_dep": deps})
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


def run(args: argparse.Namespace) -> dict[str, object]:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="presskit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    n, big, repeats = args.n, args.noop_n, args.repeats
    code = corpus.snapshot(work / "code", args.commit)
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    formats = output_formats(code)
    tasks_per = len(formats)
    results: dict[str, Measure] = {}

    def step(label: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {label}", file=sys.stderr, flush=True)

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

    step(f"cold build, N={n}, doit (in one process)")
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

    step(f"bare doit, {tasks_per * big + 2} trivial tasks")
    bare = work / "bare"
    bare.mkdir(exist_ok=True)
    shutil.copytree(archive / "sources", bare / "sources", dirs_exist_ok=True)
    shutil.copytree(archive / "layouts", bare / "layouts", dirs_exist_ok=True)
    (bare / "dodo.py").write_text(BARE_DODO.replace("__BASENAMES__", repr(formats)), encoding="utf-8")
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

    report = summarise(results, args, formats)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def summarise(results: dict[str, Measure], args: argparse.Namespace, formats: list[str]) -> dict[str, object]:
    def per(key: str) -> float | None:
        return results[key].per_statement if key in results else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    floor_per = per("floor")
    ratios = {
        "baseline_over_ours": ratio(per("baseline"), per("cold_n1")),
        "baseline_over_ours_n2": ratio(per("baseline"), per("cold_n2")),
        "ours_over_floor": ratio(per("cold_n1"), floor_per),
        "n1_over_n2": ratio(results["cold_n1"].seconds, results["cold_n2"].seconds),
        "noop_over_bare": ratio(results["noop_big"].seconds, results["bare_noop_big"].seconds),
        "bare_with_our_deps_over_bare": ratio(results["deps_noop_big"].seconds, results["bare_noop_big"].seconds),
        "edit_one_minus_floor_one_s": round(results["edit_one"].seconds - results["floor_one"].seconds, 2),
    }
    targets = {
        "cold: baseline/ours >= 5": (ratios["baseline_over_ours"] or 0) >= 5,
        "cold: ours/floor <= 1.3": (ratios["ours_over_floor"] or 99) <= 1.3,
        "-n 1 / -n 2 >= 1.7": (ratios["n1_over_n2"] or 0) >= 1.7,
        "no-op / bare <= 1.5": (ratios["noop_over_bare"] or 99) <= 1.5,
        "one edit <= floor for that statement + 0.5 s": ratios["edit_one_minus_floor_one_s"] <= 0.5,
        f"peak memory <= 400 MB (N={args.noop_n})": max(m.peak_mb for m in results.values()) <= 400,
    }
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "command": " ".join(["python3", "benchmarks/run.py", *sys.argv[1:]]),
        "n": args.n,
        "formats": formats,
        "noop_n": args.noop_n,
        "repeats": args.repeats,
        "measures": {k: {**asdict(m), "per_statement": m.per_statement} for k, m in results.items()},
        "ratios": ratios,
        "targets": targets,
    }


LABELS = {
    "cold_n1": "cold build, doit -n 1",
    "cold_n2": "cold build, doit -n 2",
    "cold_plain": "cold build, doit (one process)",
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
}


def table(report: dict[str, object]) -> str:
    measures = report["measures"]
    assert isinstance(measures, dict)
    lines = [
        "| scenario | N | tasks run | seconds | s/statement | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in LABELS.items():
        if key not in measures:
            continue
        m = measures[key]
        per = f"{m['per_statement']:.3f}" if m["per_statement"] else ""
        tasks = "" if key.startswith(("floor", "baseline")) else m["tasks"]
        lines.append(f"| {label} | {m['statements']} | {tasks} | {m['seconds']:.2f} | {per} | {m['peak_mb']:.0f} |")
    lines.append("")
    ratios = report["ratios"]
    assert isinstance(ratios, dict)
    lines += [f"- {k}: {v}" for k, v in ratios.items()]
    targets = report["targets"]
    assert isinstance(targets, dict)
    lines += [f"- target {k}: {'met' if ok else 'NOT met'}" for k, ok in targets.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="statements for the cold builds (default 100)")
    parser.add_argument("--noop-n", type=int, default=1000, help="statements for the no-op (default 1000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each short scenario; the median is kept")
    parser.add_argument("--quick", action="store_true", help="N=6, no-op N=40, one repeat: checks the script")
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the slow hand-written baseline")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "results.json", help="where to write")
    parser.add_argument("--workdir", help="where to build the projects (default: a new temporary folder)")
    parser.add_argument("--commit", help="benchmark the code of this git commit instead of the working tree")
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor-inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump-tasks", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        return floor(args.floor)
    if args.baseline:
        return baseline(args.baseline)
    if args.floor_inputs:
        return floor_inputs(args.floor_inputs)
    if args.dump_tasks:
        return dump_tasks(*args.dump_tasks)
    if args.quick:
        args.n, args.noop_n, args.repeats = 6, 40, 1
    started = time.perf_counter()
    report = run(args)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\n{report['total_seconds']} s in all; JSON in {args.json}")


if __name__ == "__main__":
    main()
