"""The newsroom page in a real browser (headless Chromium): no sideways scrolling, no axe-core violation."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import pytest

from presskit.tasks import proof
from tests.conftest import SEED_SLUG, Project

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = (SEED_SLUG, "rich")



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
        violations = axe_violations(page)
    finally:
        page.close()
    assert violations == [], f"{stem} at {width} px: {violations}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong in the page open in a browser tab: each rule broken, with the elements breaking it."""
    assert AXE.is_file(), f"{AXE} is missing: ./setup test installs axe-core"
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return found


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


def _scroll_regions(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => {
             const r = t.closest('.table-scroll');
             return r && {role: r.getAttribute('role'), name: r.getAttribute('aria-label'),
                          tabindex: r.getAttribute('tabindex'), scrolls: r.scrollWidth > r.clientWidth};
           })"""
    )


@pytest.mark.parametrize("width", proof.WIDTHS)
def test_every_table_sits_in_a_named_focusable_region(built: Project, chromium: Any, width: int) -> None:
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(built.output("rich", ".html").as_uri())
        regions = _scroll_regions(page)
    finally:
        page.close()
    assert len(regions) == 2 and None not in regions, regions
    assert [r["name"] for r in regions] == [
        "Region, Killed, Jailed",
        "Country, Legal framework under which journalists were prosecuted in the period, "
        "Outcome of the cases brought before the courts",
    ]
    assert {(r["role"], r["tabindex"]) for r in regions} == {("region", "0")}


def test_keyboard_reaches_and_scrolls_a_wide_table(project: Project, chromium: Any) -> None:
    # a reference number no line can break: the table is wider than a phone, whatever the font
    project.write("sources/wide.md", WIDE_TABLE.format(long="RUR-2018-" + "0123456789" * 8))
    run = project.doit("html:wide")
    assert run.returncode == 0, run.output
    page = chromium.new_page(viewport={"width": 375, "height": 900})
    try:
        page.goto(project.output("wide", ".html").as_uri())
        target = "document.querySelector('.table-scroll')"
        assert page.evaluate(f"{target}.scrollWidth > {target}.clientWidth"), "the table should scroll in its region"
        for _ in range(60):  # Tab through the links before it, as a keyboard user does
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === {target}"):
                break
        else:
            pytest.fail("Tab never reached the wide table")
        style = f"getComputedStyle({target})"
        outline = page.evaluate(f"[{style}.outlineStyle, parseFloat({style}.outlineWidth)]")
        assert outline[0] != "none" and outline[1] >= 2, f"no visible focus outline: {outline}"
        assert page.evaluate(f"{target}.scrollLeft") == 0
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(f"{target}.scrollLeft > 0", timeout=5000)
    finally:
        page.close()


WIDE_TABLE = """---
title: Cases in the courts
date: 2018-11-23
---

| Case file | Court | Reference | Status |
|---|---|---|---|
| {long} | Supreme Court of Ruritania | {long} | Appeal pending before the constitutional chamber |
"""


def test_email_html_part_never_scrolls_in_its_column(project: Project, chromium: Any, tmp_path: Path) -> None:
    project.write("sources/wide.md", WIDE_TABLE.format(long="RUR-2018-" + "0123456789" * 8))
    run = project.doit("eml:wide")
    assert run.returncode == 0, run.output
    msg = email.message_from_bytes(project.output("wide", ".eml").read_bytes(), policy=email.policy.default)
    part = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    html = tmp_path / "email.html"
    html.write_text(part.get_content(), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 800, "height": 900})
    try:
        page.goto(html.as_uri())
        column = page.evaluate("document.querySelector('table.column').getBoundingClientRect().width")
        scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        tables = page.evaluate(
            "[...document.querySelectorAll('.statement-body table')].map(t => t.getBoundingClientRect().width)"
        )
    finally:
        page.close()
    assert column == 600, f"the e-mail column is {column} px wide"
    assert scroll[0] <= scroll[1], f"the e-mail scrolls sideways: {scroll}"
    assert tables and max(tables) <= 600 - 48, f"a table is wider than the column's text: {tables}"
