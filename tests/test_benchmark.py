"""The benchmark: its statements are real statements, and each scenario builds what it claims to."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from presskit.prepare import pandoc
from presskit.read import statement
from presskit.translate import translation
from tests.conftest import REPO
from tests.extract import pdf_text

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus


def _kinds(ast: pandoc.Ast) -> set[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "t" in node:
                found.add(node["t"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    return found


def test_generated_statements_load_and_have_the_shape_of_real_ones(tmp_path: Path) -> None:
    paths = corpus.make_project(tmp_path, 12)
    assert len(paths) == 12
    loaded = [statement.load(p, tmp_path, tmp_path / "sources", tmp_path / "layouts") for p in paths]
    statements = [st for st, _ in loaded]
    assert {brand.name for _, brand in loaded} == {"default", "asia-pacific"}
    originals = {st.slug for st in statements if st.translation_of is None}
    translations = [st for st in statements if st.translation_of is not None]
    assert len(translations) >= 2
    entries = translation.scan(tmp_path / "sources", tmp_path / "layouts")
    for st in translations:
        assert st.translation_of in originals
        assert st.source.name == f"{st.slug}.{st.lang}.md"
        assert not translation.is_stale(next(e for e in entries if e.path == st.source), entries)  # as imported
    assert {"fr", "es"} <= {st.lang for st in translations}
    assert len(translations) == 3  # a quarter of the archive
    without_lang = [p for p in paths if "\nlang:" not in p.read_text(encoding="utf-8").split("\n---", 1)[0]]
    assert len(without_lang) == 3 and not any(p in {st.source for st in translations} for p in without_lang)
    assert {st.lang for st, _ in loaded if st.source in without_lang} == {"en-GB"}  # the brand's language
    for st in statements:
        assert 1500 < len(st.body.encode("utf-8")) < 7000, st.display  # about the size of the seed statement
        assert {"BulletList", "BlockQuote", "Link", "Para"} <= _kinds(pandoc.parse(st.body, st.display)), st.display


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = [p.read_text(encoding="utf-8") for p in corpus.write_statements(tmp_path / "a", 6)]
    second = [p.read_text(encoding="utf-8") for p in corpus.write_statements(tmp_path / "b", 6)]
    assert first == second


def test_small_run_measures_every_scenario(tmp_path: Path) -> None:
    result, work = tmp_path / "result.json", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--n", "2", "--noop-n", "3", "--repeats", "1",
         "--archive-n", "0", "--json", str(result), "--workdir", str(work), "--keep"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(result.read_text(encoding="utf-8"))
    formats, m = report["formats"], report["measures"]
    assert {"html", "pdf", "docx", "txt"} <= set(formats)
    compared = ["html", "pdf", "docx", "txt"]  # what the hand-written pipeline makes
    layouts = 2
    for key in ("cold_n1", "cold_n2", "cold_plain"):
        assert m[key]["kinds"] == {"reference": layouts, **dict.fromkeys(compared, 2)}, key
    assert m["cold_big_n2"]["tasks"] == len(formats) * 3 + layouts
    assert m["noop_n"]["tasks"] == m["noop_big"]["tasks"] == m["bare_noop_big"]["tasks"] == 0
    assert m["deps_noop_big"]["tasks"] == 0
    dumped = json.loads((work / "bare-deps" / "tasks.json").read_text(encoding="utf-8"))
    built = [t for t in dumped if t["default"]]
    assert len(built) == m["cold_big_n2"]["tasks"]  # the same tasks, with presskit's own file_dep lists
    assert all(any(d.endswith(".md") for d in t["file_dep"]) for t in built if t["basename"] != "reference")
    loaded = {"proof-pages", "card", "assets"}  # not default tasks, but loaded, as by presskit
    assert {t["basename"] for t in dumped if not t["default"]} == loaded
    assert m["edit_one"]["kinds"] == dict.fromkeys(compared, 1)
    assert m["edit_print_css"]["kinds"] == {"pdf": 2}
    for key, measure in m.items():
        assert measure["seconds"] > 0 and measure["peak_mb"] > 10, key
    assert set(report["targets"]) and all(isinstance(v, bool) for v in report["targets"].values())
    assert "| cold build, doit -n 1 | 2 |" in proc.stdout
    # The preview: a save reaches the page before the PDF, and the PDF is measured against the floor.
    assert 0 < m["preview_page"]["seconds"] < m["preview_pdf"]["seconds"]
    assert m["preview_page"]["seconds"] <= m["preview_loaded"]["seconds"]
    assert {"preview: page <= 0.3 s", "preview: PDF <= floor for the seed + 0.1 s"} <= set(report["targets"])
    assert m["floor_seed_warm"]["seconds"] < m["floor_seed"]["seconds"]
    # The baseline and the floor really render: their PDFs hold the statements' text.
    for folder in ("baseline/baseline", "floor/floor"):
        pdfs = sorted((work / folder).glob("*.pdf"))
        assert len(pdfs) == 2, folder
        assert "journalists" in pdf_text(pdfs[0]).lower(), folder


def _records(database: Path) -> dict[str, dict[str, Any]]:
    """What doit recorded per task, comparable between two builds: file states by size and MD5, deps: as a set."""
    with sqlite3.connect(database) as db:
        found = {task: json.loads(data) for task, data in db.execute("select task_id, task_data from doit")}
    for record in found.values():
        for key, value in record.items():
            if key == "deps:":
                record[key] = sorted(value)
            elif isinstance(value, list) and len(value) == 3:  # (modification time, size, MD5) of a file_dep
                record[key] = "an output" if key.startswith("build/") else value[1:]
    return found


def test_archive_scenario_records_what_a_real_build_records(tmp_path: Path) -> None:
    result, work = tmp_path / "result.json", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--archive-only", "--archive-n", "3", "--growth", "2",
         "--archive-repeats", "1", "--json", str(result), "--workdir", str(work), "--keep"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(result.read_text(encoding="utf-8"))
    formats, m = report["formats"], report["measures"]
    assert report["archive_sizes"] == [2, 3]
    for size in (2, 3):
        assert m[f"archive_prime_{size}"]["tasks"] == len(formats) * size + 2  # every output, and the brands'
        assert m[f"archive_noop_{size}"]["tasks"] == m[f"bare_noop_{size}"]["tasks"] == 0
        assert m[f"archive_list_{size}"]["tasks"] == m[f"bare_list_{size}"]["tasks"]  # as many tasks listed
        assert m[f"archive_list_{size}"]["tasks"] > (len(formats) + 1) * size  # proof-pages are listed too
        for key in ("archive_list", "bare_list", "archive_noop", "bare_noop"):
            assert m[f"{key}_{size}"]["seconds"] > 0 and m[f"{key}_{size}"]["peak_mb"] > 10, key
            assert isinstance(report["ratios"][f"{key.split('_')[0]}_{key.split('_')[1]}_over_bare_{size}"]
                              if key.startswith("archive") else 0.0, float)  # fmt: skip
    assert "| archive: no-op | 3 | 0 |" in proc.stdout and "| bare doit: no-op | 3 | 0 |" in proc.stdout
    assert set(report["targets"]) == {
        "archive: doit list --all / bare <= 1.5 (N=3)",
        "archive: no-op / bare <= 1.5 (N=3)",
        "archive: no-op peak memory <= 500 MB (N=3)",
        "archive: no-op / bare <= 1.5 (N=2)",
    }
    archive = work / "archive-3"
    texts = [p.read_text(encoding="utf-8") for p in sorted((archive / "sources").glob("*.md"))]
    assert sum("translation_of:" in t for t in texts) == 1 and sum("\nlang:" not in t for t in texts) == 1
    # The same archive built for real records the same state of the same tasks, but for the outputs' bytes.
    real = tmp_path / "real"
    real.mkdir()
    for name in ("sources", "layouts"):
        shutil.copytree(archive / name, real / name, copy_function=shutil.copy2)
    shutil.copy2(archive / "dodo.py", real / "dodo.py")
    env = {**__import__("os").environ, "PYTHONPATH": str(work / "code")}
    built = subprocess.run([sys.executable, "-m", "doit"], cwd=real, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert _records(real / ".doit.db") == _records(archive / ".doit.db")
    assert (real / "build/arrests-0001/arrests-0001.fr.pdf").read_bytes().startswith(b"%PDF")


def test_site_scenario_builds_the_newsroom_and_one_statement_added(tmp_path: Path) -> None:
    result, work = tmp_path / "result.json", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--site-only", "--site-n", "8", "--archive-repeats", "1",
         "--json", str(result), "--workdir", str(work), "--keep"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(result.read_text(encoding="utf-8"))
    m = report["measures"]
    assert m["site_cold_8"]["kinds"]["page"] == 8 and m["site_cold_8"]["kinds"]["search"] == 1
    assert m["site_noop_8"]["tasks"] == m["site_plain_noop_8"]["tasks"] == 0
    assert m["site_own_outputs_8"]["kinds"] == {kind: 1 for kind in ("card", "docx", "html", "pdf", "txt")}
    added = m["site_added_8"]["kinds"]
    assert {kind: added[kind] for kind in ("html", "pdf", "docx", "txt", "card", "page", "sitemap", "search")} == {
        kind: 1 for kind in ("html", "pdf", "docx", "txt", "card", "page", "sitemap", "search")
    }
    assert set(report["targets"]) == {
        "site: no-op doit site / no-op doit <= 1.2 (N=8)",
        "site: one added <= its own outputs + 2 s (N=8)",
    }
    assert "| site: one added, doit site | 1 |" in proc.stdout
    # the stand-in pages are real pages: the newsroom indexed them
    site = work / "site-8" / "build" / "site"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert b"<main" in (site / "arrests-0002" / "arrests-0002.html").read_bytes()
