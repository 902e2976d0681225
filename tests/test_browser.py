"""The newsroom page in a real browser (headless Chromium): no sideways scrolling, no axe-core violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SEED_SLUG, Project

from presskit import proof

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = (SEED_SLUG, "rich")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    assert proof.chromium(), "Chromium is needed: ./setup test installs it"
    with proof.browser() as instance:
        yield instance


@pytest.mark.parametrize("stem", PAGES)
@pytest.mark.parametrize("width", proof.WIDTHS)
def test_no_horizontal_scrolling(built: Project, chromium: Any, stem: str, width: int) -> None:
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(built.output(stem, ".html").as_uri())
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{stem} at {width} px scrolls sideways: {scroll} > {client}"
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                              && !e.closest('table, pre'))
                 .map(e => e.tagName + '.' + e.className)"""
        )
        assert wide == [], f"{stem} at {width} px: elements beyond the window: {wide}"
    finally:
        page.close()
    shot = built.output(stem, ".html").parent / "proof" / f"{stem}-{width}.png"
    proof.screenshot(chromium, built.output(stem, ".html"), width, shot)
    assert shot.stat().st_size > 5000
    print(f"screenshot: {shot}")


@pytest.mark.parametrize("stem", PAGES)
@pytest.mark.parametrize("width", proof.WIDTHS)
def test_axe_finds_no_violation(built: Project, chromium: Any, stem: str, width: int) -> None:
    assert AXE.is_file(), f"{AXE} is missing: ./setup test installs axe-core"
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(built.output(stem, ".html").as_uri())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"""
        )
    finally:
        page.close()
    assert violations == [], f"{stem} at {width} px: {violations}"


def test_axe_does_report_a_broken_page(tmp_path: Path, chromium: Any) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><img src='x.png'><p style='color:#eee'>faint</p></body></html>")
    page = chromium.new_page()
    try:
        page.goto(broken.as_uri())
        page.add_script_tag(path=str(AXE))
        ids = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    finally:
        page.close()
    assert {"image-alt", "html-has-lang", "color-contrast"} <= set(ids)
