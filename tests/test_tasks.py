"""Task generation is pure: each task reads exactly the files it declares."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presskit.formats import FORMATS
from presskit.project import Project
from presskit.tasks import code, statements
from presskit.tasks.statements import reference_tasks, statement_tasks
from tests.conftest import SEED_SLUG, SEED_SOURCE, checkout_env, make_project
from tests.conftest import Project as ProjectCopy


def _tasks(project: ProjectCopy) -> dict[str, dict]:
    tasks = list(statement_tasks(Project(project.root))) + list(reference_tasks(Project(project.root)))
    return {f"{t['basename']}:{t['name']}": t for t in tasks if t.get("name")}


def test_one_task_per_statement_and_format(project: ProjectCopy) -> None:
    tasks = _tasks(project)
    for fmt in FORMATS:
        task = tasks[f"{fmt.basename}:{SEED_SLUG}"]
        assert task["targets"] == [f"build/{SEED_SLUG}/{SEED_SLUG}{fmt.suffix}"]
        assert "sources/2018-11-23-china-online-crackdown.md" in task["file_dep"]
        assert "layouts/asia-pacific/_brand.yml" in task["file_dep"]
        assert task["uptodate"], "options and engine versions are tracked with config_changed"
    assert {"reference:default", "reference:asia-pacific"} <= set(tasks)


def test_each_format_reads_only_its_layout_files(project: ProjectCopy) -> None:
    tasks = _tasks(project)
    deps = {fmt.basename: set(tasks[f"{fmt.basename}:{SEED_SLUG}"]["file_dep"]) for fmt in FORMATS}
    assert "layouts/default/print.css" in deps["pdf"]
    # the logo's lettering is drawn from the font files; the page, the PDF and the card embed them too: each
    # depends on the brand's fingerprint of them, which the `assets` task keeps from the files themselves
    stamp = "build/_reference/asia-pacific.assets.json"
    assert {fmt for fmt, files in deps.items() if stamp in files} == {"html", "pdf", "eml", "card"}
    assert not any(f.endswith((".ttf", ".svg")) for files in deps.values() for f in files)
    assets = tasks["assets:asia-pacific"]
    assert assets["targets"] == [stamp]
    assert {"layouts/default/fonts/Lato-Regular.ttf", "layouts/asia-pacific/logo.svg"} <= set(assets["file_dep"])
    assert "layouts/default/wire.txt" in deps["txt"]
    assert "build/_reference/asia-pacific.docx" in deps["docx"]
    for fmt, files in deps.items():
        if fmt != "pdf":
            assert "layouts/default/print.css" not in files
        if fmt != "txt":
            assert "layouts/default/wire.txt" not in files


def test_a_change_of_code_changes_only_the_formats_it_renders(
    project: ProjectCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def codes() -> dict[str, str]:
        code.cache_clear()
        found = _tasks(project)
        return {fmt.basename: found[f"{fmt.basename}:{SEED_SLUG}"]["uptodate"][0].config["code"] for fmt in FORMATS}

    package = tmp_path / "presskit"
    shutil.copytree(code.PACKAGE, package)
    monkeypatch.setattr(code, "PACKAGE", package)
    before = codes()
    with (package / "formats" / "docx.py").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    after = codes()
    assert {name for name in before if before[name] != after[name]} == {"docx"}
    with (package / "formats" / "pdf.py").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    again = codes()
    # the e-mail reads the PDF, not its code; the share card is laid out with the PDF's engine and stylesheets
    assert {name for name in after if after[name] != again[name]} == {"pdf", "card"}
    with (package / "read" / "statement.py").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    assert all(again[name] != found for name, found in codes().items())


def test_the_code_of_a_format_is_every_module_it_imports(tmp_path: Path) -> None:
    """The derived list holds every presskit module a real build of each format loads, and nothing else."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from presskit.formats import BY_NAME\n"
        "from presskit.tasks import statements\n"
        "fmt = BY_NAME[sys.argv[1]]\n"
        "result = statements.render(fmt.basename, sys.argv[2], sys.argv[3], sys.argv[4])\n"
        "assert result is None or isinstance(result, dict), result\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('presskit'))))\n"
    )
    proj = make_project(tmp_path / "project")
    assert proj.doit("reference").returncode == 0
    for fmt in FORMATS:
        target = proj.output(SEED_SLUG, fmt.suffix)
        for other in fmt.reads_outputs:
            assert proj.doit(f"{other}:{SEED_SLUG}").returncode == 0
        proc = subprocess.run(
            [sys.executable, "-c", script, fmt.basename, str(proj.root / "sources" / SEED_SOURCE.name), str(target),
             str(proj.root)],
            capture_output=True, text=True, env=checkout_env(), cwd=proj.root, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        loaded = set(json.loads(proc.stdout.splitlines()[-1]))
        derived = set(code.modules("presskit.tasks.statements", fmt.module))
        assert loaded <= derived, f"{fmt.basename}: loaded but not tracked: {sorted(loaded - derived)}"
        unused = derived - loaded
        assert not unused, f"{fmt.basename}: tracked but never loaded: {sorted(unused)}"


def test_broken_front_matter_still_gives_tasks(project: ProjectCopy) -> None:
    project.write("sources/broken.md", "---\ntitle: [unclosed\n---\n\nText.\n")
    tasks = _tasks(project)
    assert "pdf:broken" in tasks
    assert tasks["pdf:broken"]["targets"] == ["build/broken/broken.pdf"]


def test_same_slug_twice_names_both_files(project: ProjectCopy) -> None:
    project.write("sources/2018-11-24-china-online-crackdown.md", "---\ntitle: T\ndate: 2018-11-24\n---\n\nText.\n")
    run = project.doit("txt")
    assert run.returncode != 0
    assert (
        "sources/2018-11-23-china-online-crackdown.md and sources/2018-11-24-china-online-crackdown.md: slug: "
        "both statements would be built as build/china-online-crackdown/china-online-crackdown.*; "
        "give one of them another file name or a 'slug' field"
    ) in run.output


def test_a_logo_written_with_path_and_alt_is_a_dependency(project: ProjectCopy) -> None:
    brand_file = project.root / "layouts" / "default" / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    brand_file.write_text(text.replace("  medium: mark\n", "  medium:\n    path: logo.svg\n    alt: The federation\n"))
    assets = statements.brand_assets(Project(project.root), "default")
    assert project.root / "layouts" / "default" / "logo.svg" in assets
