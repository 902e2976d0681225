"""Task generation is pure: each task reads exactly the files it declares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from presskit import tasks
from presskit.tasks import FORMATS, Project, reference_tasks, statement_tasks
from tests.conftest import SEED_SLUG
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
    assert "layouts/default/fonts/Lato-Regular.ttf" in deps["pdf"]
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
        tasks.code_version.cache_clear()
        found = _tasks(project)
        return {fmt.basename: found[f"{fmt.basename}:{SEED_SLUG}"]["uptodate"][0].config["code"] for fmt in FORMATS}

    package = tmp_path / "presskit"
    shutil.copytree(tasks.PACKAGE, package)
    monkeypatch.setattr(tasks, "PACKAGE", package)
    before = codes()
    with (package / "pdf.py").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    after = codes()
    assert {name for name in before if before[name] != after[name]} == {"pdf"}
    with (package / "statement.py").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    assert all(after[name] != code for name, code in codes().items())


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
    assets = tasks.brand_assets(Project(project.root), "default")
    assert project.root / "layouts" / "default" / "logo.svg" in assets
