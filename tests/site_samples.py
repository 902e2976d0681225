"""Published statements in English, French, Chinese and Arabic, and their pages, for the newsroom's tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from presskit.site.catalog import Entry, Newsroom, Version

NEWSROOM = Newsroom(
    name="IFJ Asia-Pacific", base_url="https://example.org/newsroom/", languages=("en", "fr", "zh-Hans", "ar")
)
UTC = dt.UTC
SYDNEY = dt.timezone(dt.timedelta(hours=11))


def _entry(stem: str, lang: str, title: str, summary: str, tags: tuple[str, ...], day: int, **kw: object) -> Entry:
    slug = stem.split(".")[0]
    date = dt.date(2018, 11, day)
    published = kw.pop("published", dt.datetime(2018, 11, day, tzinfo=UTC))
    versions = kw.pop("versions", (Version(lang, f"{slug}/{stem}.html"),))
    return Entry(
        stem=stem,
        slug=slug,
        lang=lang,
        direction="rtl" if lang == "ar" else "ltr",
        title=title,
        summary=summary,
        tags=tags,
        date=date,
        published=published,  # type: ignore[arg-type]
        updated=kw.pop("updated", published),  # type: ignore[arg-type]
        layout="default",
        versions=versions,  # type: ignore[arg-type]
    )


CRACKDOWN_VERSIONS = (
    Version("en", "china-online-crackdown/china-online-crackdown.html"),
    Version("fr", "china-online-crackdown/china-online-crackdown.fr.html"),
    Version("zh-Hans", "china-online-crackdown/china-online-crackdown.zh-Hans.html"),
)
CRACKDOWN = _entry(
    "china-online-crackdown", "en", "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns",
    "The IFJ has voiced strong concerns for freedom of expression in China.", ("China", "press freedom"), 23,
    published=dt.datetime(2018, 11, 23, 3, 0, tzinfo=UTC), updated=dt.datetime(2018, 11, 23, 15, 5, tzinfo=SYDNEY),
    versions=CRACKDOWN_VERSIONS,
)  # fmt: skip
SAFETY = _entry(
    "safety-summit", "en", "Journalists’ safety summit opens in Manila", "Unions meet on the killings of reporters.",
    ("safety",), 26,
)  # fmt: skip
WAGES = _entry(
    "fair-wages", "en", "Fair wages for freelance photographers", "", ("press freedom", "freelances"), 20,
    updated=dt.datetime(2018, 11, 25, 9, 30, tzinfo=UTC),
)  # fmt: skip
CRACKDOWN_FR = _entry(
    "china-online-crackdown.fr", "fr", "La répression en ligne continue en Chine",
    "La FIJ s’inquiète pour la liberté d’expression en Chine.", ("Chine", "liberté de la presse"), 23,
    versions=CRACKDOWN_VERSIONS,
)  # fmt: skip
CRACKDOWN_ZH = _entry(
    "china-online-crackdown.zh-Hans", "zh-Hans", "中国网络打压持续，推特、微博和微信账户遭关闭",
    "国际记者联合会对中国的言论自由表示强烈关注。", ("中国", "新闻自由"), 23, versions=CRACKDOWN_VERSIONS,
)  # fmt: skip
JOURNALISTS_AR = _entry(
    "journalists-at-risk.ar", "ar", "الصحفيون في خطر في المنطقة", "الاتحاد الدولي للصحفيين يدعو إلى حماية الصحفيين.",
    ("حرية الصحافة",), 24,
)  # fmt: skip
ENTRIES = (CRACKDOWN, SAFETY, WAGES, CRACKDOWN_FR, CRACKDOWN_ZH, JOURNALISTS_AR)

BODIES = {
    "china-online-crackdown": (
        "The Chinese Government’s online crackdown has continued with the shutdown of thousands of social "
        "media accounts, among them the account of the activist Wu Gan.",
        "Activists have been pressured by police to delete sensitive tweets.",
    ),
    "safety-summit": ("Delegates from the Philippines discussed the impunity of those who kill reporters.",),
    "fair-wages": ("Freelance photographers are paid late, when they are paid at all.",),
    "china-online-crackdown.fr": (
        "La répression en ligne du gouvernement chinois s’est poursuivie avec la fermeture de milliers de "
        "comptes sur les réseaux sociaux.",
        "Des militants ont subi des pressions policières pour effacer des gazouillis.",
    ),
    "china-online-crackdown.zh-Hans": (
        "中国政府的网络打压仍在继续，数千个社交媒体账户被关闭。",
        "据香港自由新闻报道，警方向维权人士施压，要求他们删除敏感推文。",
    ),
    "journalists-at-risk.ar": (
        "اعتقلت السلطات عددا من الصحفيين في الأسبوع الماضي وأغلقت مكاتب صحيفتين.",
        "يطالب الاتحاد بالإفراج الفوري عن جميع الصحفيين المعتقلين.",
    ),
}

SQUARE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def page_html(entry: Entry) -> str:
    """A statement page shaped as presskit's HTML output, with the site's marks for Pagefind."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in BODIES[entry.stem])
    versions = " · ".join(
        f'<a href="{Path(v.page).name}" hreflang="{v.lang}" lang="{v.lang}">{v.lang}</a>' for v in entry.versions
    )
    extra = ""
    if entry is CRACKDOWN:
        extra = (
            '<p>See <a href="../fair-wages/fair-wages.html">the wages statement</a>, the '
            '<a href="china-online-crackdown.pdf">PDF</a> and a note<a href="#fn1" id="fnref1"><sup>1</sup></a>.</p>\n'
            f'<p><img src="{SQUARE}" alt="Protesters outside the embassy"> in Sydney.</p>\n'
            f'<figure><img src="{SQUARE}" alt="A map">'
            "<figcaption>Where the accounts were closed</figcaption></figure>\n"
            '<section class="footnotes"><ol><li id="fn1">'
            '<p>Figures of the HKFP. <a href="#fnref1">↩</a></p></li></ol></section>'
        )
    return f"""<!DOCTYPE html>
<html lang="{entry.lang}" dir="{entry.direction}">
<head><meta charset="utf-8"><title>{html.escape(entry.title)} – {NEWSROOM.name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header class="masthead"><a href="../index.html">{NEWSROOM.name}</a></header>
<main>
  <article data-pagefind-body>
    <header class="statement-header">
      <p class="kind" data-pagefind-ignore>Press statement</p>
      <h1>{html.escape(entry.title)}</h1>
      <p class="summary">{html.escape(entry.summary)}</p>
      <p class="dateline"><span class="city">Sydney</span>, <time datetime="{entry.date}">{entry.date}</time></p>
      <nav class="versions" aria-label="Languages" data-pagefind-ignore>{versions}</nav>
    </header>
    <div class="statement-body">
{paragraphs}
{extra}
    </div>
    <footer class="statement-footer" data-pagefind-ignore>
      <section class="contact"><h2>Contact</h2><p><a href="mailto:press@example.org">press@example.org</a></p></section>
      <section class="about"><h2>About</h2><p>The IFJ represents journalists everywhere.</p></section>
    </footer>
  </article>
</main>
</body>
</html>
"""


def write_site(site: Path) -> None:
    """The statement pages of `ENTRIES` in `site`, where the newsroom puts them."""
    for entry in ENTRIES:
        target = site / entry.page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(entry), encoding="utf-8")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server's handler that logs nothing."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """`folder` served over HTTP from 127.0.0.1 while the block runs: the address of its root, `http://...:port`."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
