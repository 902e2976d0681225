"""Generate an archive of realistic press statements: lists, quotes, links, two brands, translations."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COUNTRIES = ["Myanmar", "the Philippines", "Hong Kong", "Pakistan", "Sri Lanka", "Cambodia", "Indonesia", "Nepal",
             "Bangladesh", "India", "Afghanistan", "Fiji", "Turkey", "Mexico", "Belarus", "Ethiopia"]  # fmt: skip
CITIES = ["Sydney", "Brussels", "Manila", "Kathmandu", "Jakarta", "Colombo", "Dhaka", "Kabul"]
TOPICS = ["press freedom", "safety", "online censorship", "gender equality", "labour rights", "impunity",
          "elections", "public media"]  # fmt: skip
PEOPLE = ["Anthony Bellanger", "Zoë Martín", "Jane Worthington", "Dominique Pradalié", "Sabina Inderjit",
          "Nguyễn Thị Lan", "Olivier Côté"]  # fmt: skip

SENTENCES = {
    "en": [
        "The {org} has condemned the arrest of {n} journalists in {country} this week.",
        "Police detained the reporters while they were covering a protest outside the parliament.",
        "According to the local union, the journalists were held for more than {n} hours without access to lawyers.",
        "Several media outlets have been ordered to remove reports on the demonstrations from their websites.",
        "The government has not responded to requests for comment from the union or from the {org}.",
        "This is the {nth} case of its kind recorded by the union since the start of the year.",
        "Press freedom groups say the new law gives the authorities broad powers to shut down news sites.",
        "The union has called on the authorities to release the journalists immediately and drop all charges.",
        "Journalists in {country} continue to work under threat, with many forced into self-censorship.",
        "The {org} will raise the case with the United Nations Special Rapporteur on freedom of expression.",
    ],
    "fr": [
        "La {org} condamne l’arrestation de {n} journalistes en {country} cette semaine.",
        "La police a interpellé les reporters alors qu’ils couvraient une manifestation devant le parlement.",
        "Selon le syndicat local, les journalistes ont été détenus plus de {n} heures sans accès à un avocat.",
        "Plusieurs médias ont reçu l’ordre de retirer de leurs sites les articles sur les manifestations.",
        "Le gouvernement n’a pas répondu aux demandes de commentaires du syndicat ni de la {org}.",
        "Il s’agit du {nth} cas de ce type recensé par le syndicat depuis le début de l’année.",
        "Les organisations de défense de la liberté de la presse estiment que la nouvelle loi est dangereuse.",
        "Le syndicat demande la libération immédiate des journalistes et l’abandon de toutes les poursuites.",
    ],
    "es": [
        "La {org} condena la detención de {n} periodistas en {country} esta semana.",
        "La policía detuvo a los reporteros mientras cubrían una protesta frente al parlamento.",
        "Según el sindicato local, los periodistas estuvieron retenidos más de {n} horas sin acceso a abogados.",
        "Varios medios recibieron la orden de retirar de sus sitios web las noticias sobre las protestas.",
        "El gobierno no ha respondido a las solicitudes de comentarios del sindicato ni de la {org}.",
        "Es el {nth} caso de este tipo registrado por el sindicato desde comienzos de año.",
        "Las organizaciones de libertad de prensa advierten que la nueva ley da amplios poderes a las autoridades.",
        "El sindicato pide la liberación inmediata de los periodistas y que se retiren todos los cargos.",
    ],
    "zh-Hans": [
        "{org}谴责本周在{country}逮捕{n}名记者。",
        "警方在记者报道议会外的抗议活动时将其拘留。",
        "据当地工会称，这些记者在没有律师的情况下被关押了{n}个多小时。",
        "多家媒体被责令从其网站上删除有关示威活动的报道。",
        "政府尚未回应工会和{org}的置评请求。",
        "这是工会今年以来记录的第{nth}起此类案件。",
        "新闻自由组织表示，新法律赋予当局关闭新闻网站的广泛权力。",
        "工会呼吁当局立即释放记者并撤销所有指控。",
    ],
}
LABELS = {
    "en": ("The union’s demands:", "said", "Read the full report"),
    "fr": ("Les revendications du syndicat :", "a déclaré", "Lire le rapport complet"),
    "es": ("Las demandas del sindicato:", "dijo", "Lea el informe completo"),
    "zh-Hans": ("工会的要求：", "表示", "阅读完整报告"),
}
TRANSLATION_LANGS = ["fr", "es", "zh-Hans"]
TRANSLATION_EVERY = 3
"""One original in this many gets a translation: a quarter of the archive are translations."""
WITHOUT_LANG_EVERY = 3
"""One original in this many has no `lang` field (its brand's language applies): a quarter of the archive."""


def _body(rng: random.Random, lang: str, country: str) -> str:
    """About the size and shape of the seed statement: paragraphs, a list, a quote, links."""
    org = "IFJ" if lang == "en" else "FIJ"

    def sentence() -> str:
        return rng.choice(SENTENCES[lang]).format(
            org=org, n=rng.randint(2, 40), nth=rng.randint(3, 19), country=country
        )

    def paragraph(count: int) -> str:
        joiner = "" if lang.startswith("zh") else " "
        return joiner.join(sentence() for _ in range(count))

    demands, said, report = LABELS[lang]
    slug = rng.choice(TOPICS).replace(" ", "-")
    blocks = [paragraph(rng.randint(3, 4)) for _ in range(rng.randint(3, 4))]
    blocks.insert(1, f"{paragraph(2)} See [the union’s statement](https://example.org/unions/{slug}) for details.")
    blocks.append(demands + "\n\n" + "\n".join(f"- {sentence()}" for _ in range(rng.randint(3, 5))))
    blocks.append(f"{rng.choice(PEOPLE)}, {said}:\n\n> “{paragraph(2)}”")
    blocks.append(f"{paragraph(2)} [{report}](https://example.org/reports/{slug}/{rng.randint(1000, 9999)}).")
    return "\n\n".join(blocks) + "\n"


def _front(title: str, date: dt.date, lang: str | None, layout: str, city: str, extra: str = "") -> str:
    named = f"lang: {lang}\n" if lang else ""
    return (
        f'---\ntitle: "{title}"\ndate: {date.isoformat()}\ndateline: {city}\n{named}layout: {layout}\n'
        f"tags: [press freedom, {city}]\nsummary: The federation condemns the arrest of journalists.\n{extra}---\n\n"
    )


def write_statements(sources: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` statement files into `sources/`, deterministically.

    A quarter of them are translations, written as `doit import` writes them (`slug.LANG.md` with
    `translation_of` and the `source_sha256` of the original), a quarter are originals without a `lang` field.
    """
    rng = random.Random(seed)
    sources.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    start = dt.date(2016, 1, 4)
    index = 0
    while len(written) < count:
        country = rng.choice(COUNTRIES)
        layout = "asia-pacific" if index % 2 else "default"
        date = start + dt.timedelta(days=index * 3)
        slug = f"arrests-{index:04d}"
        title = f"Journalists arrested in {country} while covering protests ({index})"
        path = sources / f"{date.isoformat()}-{slug}.md"
        lang = None if index % WITHOUT_LANG_EVERY == 0 else "en"
        path.write_text(_front(title, date, lang, layout, rng.choice(CITIES)) + _body(rng, "en", country), "utf-8")
        written.append(path)
        if index % TRANSLATION_EVERY == 1 and len(written) < count:
            lang = TRANSLATION_LANGS[(index // TRANSLATION_EVERY) % len(TRANSLATION_LANGS)]
            translated = sources / f"{slug}.{lang}.md"
            made_from = hashlib.sha256(path.read_bytes()).hexdigest()  # an up-to-date translation, as imported
            extra = f"translation_of: {slug}\nsource_sha256: {made_from}\n"
            front = _front(f"{title} [{lang}]", date, lang, layout, rng.choice(CITIES), extra)
            translated.write_text(front + _body(rng, lang, country), "utf-8")
            written.append(translated)
        index += 1
    return written


def make_project(root: Path, count: int, code: Path = REPO) -> list[Path]:
    """A fresh project at `root`: dodo.py and layouts/ from `code`, and `count` generated statements."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy2(code / "dodo.py", root / "dodo.py")
    shutil.copytree(code / "layouts", root / "layouts")
    return write_statements(root / "sources", count)


def snapshot(code: Path, commit: str | None = None) -> Path:
    """Copy presskit, dodo.py and layouts/ as they are now (or at a git commit): edits during a run change nothing."""
    if code.exists():
        shutil.rmtree(code)
    if commit:
        code.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit, "presskit", "layouts", "dodo.py"], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        return code
    shutil.copytree(REPO / "presskit", code / "presskit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "layouts", code / "layouts")
    shutil.copy2(REPO / "dodo.py", code / "dodo.py")
    return code
