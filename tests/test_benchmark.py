"""The benchmark: its statements are real statements, and each scenario builds what it claims to."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    for st in statements:
        assert 1500 < len(st.body) < 6000, st.display  # about the size of the seed statement
        assert {"BulletList", "BlockQuote", "Link", "Para"} <= _kinds(pandoc.parse(st.body, st.display)), st.display


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = [p.read_text(encoding="utf-8") for p in corpus.write_statements(tmp_path / "a", 6)]
    second = [p.read_text(encoding="utf-8") for p in corpus.write_statements(tmp_path / "b", 6)]
    assert first == second


def test_small_run_measures_every_scenario(tmp_path: Path) -> None:
    result, work = tmp_path / "result.json", tmp_path / "work"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--n", "2", "--noop-n", "3", "--repeats", "1",
         "--json", str(result), "--workdir", str(work), "--keep"],
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
    assert len(dumped) == m["cold_big_n2"]["tasks"]  # the same tasks, with presskit's own file_dep lists
    assert all(any(d.endswith(".md") for d in t["file_dep"]) for t in dumped if t["basename"] != "reference")
    assert m["edit_one"]["kinds"] == dict.fromkeys(compared, 1)
    assert m["edit_print_css"]["kinds"] == {"pdf": 2}
    for key, measure in m.items():
        assert measure["seconds"] > 0 and measure["peak_mb"] > 10, key
    assert set(report["targets"]) and all(isinstance(v, bool) for v in report["targets"].values())
    assert "| cold build, doit -n 1 | 2 |" in proc.stdout
    # The baseline and the floor really render: their PDFs hold the statements' text.
    for folder in ("baseline/baseline", "floor/floor"):
        pdfs = sorted((work / folder).glob("*.pdf"))
        assert len(pdfs) == 2, folder
        assert "journalists" in pdf_text(pdfs[0]).lower(), folder
