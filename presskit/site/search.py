"""The newsroom's search: a static index built with Pagefind, searched in the reader's browser, no server.

Pagefind reads every page of the site, indexes the element marked `data-pagefind-body` (a statement's
`<article>`) and leaves out what is marked `data-pagefind-ignore`; it makes one index per language, from each
page's `<html lang>`. The extended Pagefind binary is used: it splits Chinese and Japanese text into words,
which the plain one leaves as whole sentences, so that a word of a Chinese statement is found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from presskit import output
from presskit.errors import InputError, fail

FOLDER = "pagefind"
"""The index's folder in the site, with the script pages load: `pagefind/pagefind-ui.js`, `pagefind/pagefind.js`."""
TIMEOUT = 600
"""Seconds Pagefind may take; a 1,000-statement archive takes a few."""
_TEMP = ".pagefind-"
"""Prefix of the folder, beside the site, that a new index is built in before it replaces the old one."""


def executable() -> Path:
    """The Pagefind binary of the `pagefind-bin-extended` package."""
    from pagefind_bin_extended import get_executable

    return Path(get_executable())


def version() -> str:
    """The version of the Pagefind package: a new one may index differently."""
    from importlib.metadata import version as installed

    return installed("pagefind-bin-extended")


def index(site: Path) -> None:
    """Build the search index of `site` into `site/pagefind/`; if Pagefind fails, the previous index stays."""
    target = site / FOLDER
    output.check(target)
    for abandoned in site.parent.glob(f"{_TEMP}*"):  # a run killed before its swap
        shutil.rmtree(abandoned, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=_TEMP, dir=site.parent))
    try:
        built = work / FOLDER
        command = [str(executable()), "--site", str(site), "--output-path", str(built)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise _failed(target, f"Pagefind took more than {TIMEOUT} s") from None
        if run.returncode != 0 or not (built / "pagefind-entry.json").is_file():
            said = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
            raise _failed(target, f"Pagefind stopped with exit code {run.returncode}: {' / '.join(said)}")
        previous = work / "previous"
        if target.exists():
            os.replace(target, previous)
        try:
            os.replace(built, target)
        except OSError:
            if previous.exists():
                os.replace(previous, target)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _failed(target: Path, why: str) -> InputError:
    """The error of a failed index: what happened, and what the search box answers from meanwhile."""
    kept = (
        "the previous index is kept, so the search box still works without the newest statements"
        if (target / "pagefind-entry.json").is_file()
        else "the site has no search index yet, so its search box finds nothing"
    )
    return fail(
        os.path.relpath(target),
        f"the search index could not be built ({why}); {kept}; run doit again, and report this message if it persists",
    )
