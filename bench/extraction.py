"""Extraction on a development set of real pages: what audiogen would read, scored in-process.

    .venv/bin/python bench/extraction.py [--set DIR] [--html] [--show 10] [--page NAME]...

The set is a folder of pages, each a folder with `copied.txt` (the page as copied out of a
browser), `page.html.gz` (the page as served), `truth.txt` (the expected article text) and
`meta.json` (title, byline, publishedTime); by default `../shared/devsets/readability` (80
English pages of Mozilla Readability's test suite). The metric is the one of
`../shared/devsets/score.py` (and of the article-extraction literature): 4-word shingles of
the lower-cased word tokens, precision and recall per page averaged over pages, F1 of the two
averages; the headline is left out of what is read. A headline is right when its words and
the title's overlap by 0.7 (Jaccard) or one contains the other. This bench also checks the
byline (the expected one's words all found) and the date (same calendar day), where meta.json
has them, and prints the worst pages. For copied text it also gives the headline score on the
pages whose title is one of the copied lines at all (elsewhere it cannot be found): a line
whose words overlap the title's by 0.7 or hold all of them and a few more.
`--page` scores only the pages named, and prints what was read. `--misses` lists, page by page,
each wrong headline, byline and date beside the expected one.

Issue 9 goals: copied text F1 >= 0.90, HTML F1 >= 0.95, headline right on >= 90% of pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEVSET = ROOT.parent / "shared" / "devsets" / "readability"
TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Score:
    page: str
    precision: float
    recall: float
    headline: bool
    byline: bool | None  # None: the page's meta has none to check against
    date: bool | None
    # Copied text only: whether the title is one of the page's lines at all. meta.json's title
    # is often the <title> (a site name, or words the visible headline does not have), which
    # copied text cannot contain; the headline is then out of reach.
    shown: bool | None = None
    error: str = ""
    read: str = ""
    # What was found and what meta.json expects, for --misses: (headline, byline, date).
    found: tuple[str, str, str] = ("", "", "")
    expected: tuple[str, str, str] = ("", "", "")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = [token.lower() for token in TOKEN.findall(text or "")]
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def precision_recall(true: str, predicted: str) -> tuple[float, float]:
    expected, found = shingles(true), shingles(predicted)
    hits = sum((expected & found).values())
    wrong, missed = sum(found.values()) - hits, sum(expected.values()) - hits
    precision = hits / (hits + wrong) if hits + wrong else (1.0 if not expected else 0.0)
    recall = hits / (hits + missed) if hits + missed else 1.0
    return precision, recall


def same_title(found: str | None, title: str | None) -> bool:
    a, b = (set(TOKEN.findall((text or "").lower())) for text in (found, title))
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= 0.7 or a <= b or b <= a


def same_byline(found: str | None, expected: str | None) -> bool | None:
    if not expected:
        return None
    wanted = set(TOKEN.findall(expected.lower())) - {"by"}
    return bool(found) and wanted <= set(TOKEN.findall(found.lower()))


def same_day(found, expected: str | None) -> bool | None:
    if not expected:
        return None
    return found is not None and found.date().isoformat() == expected[:10]


def read_text(article) -> str:
    """What `audiogen script` reads after the headline: each heading, then its paragraph."""
    parts = []
    for number, paragraph in enumerate(article.paragraphs):
        if heading := article.headings.get(number):
            parts.append(heading)
        parts.append(paragraph)
    return "\n".join(part for part in parts if part.strip() != article.headline.strip())


def score(page: Path, html: bool) -> Score:
    """The page read as `audiogen script` reads it: kind and encoding sniffed from the bytes."""
    from audiogen.errors import AudiogenError
    from audiogen.sources import Source, read_article

    meta = json.loads((page / "meta.json").read_text(encoding="utf-8"))
    if html:
        source = Source(page.name, content=gzip.decompress((page / "page.html.gz").read_bytes()))
    else:
        source = Source(str(page / "copied.txt"))
    shown = None if html else _title_shown(page / "copied.txt", meta.get("title"))
    try:
        article = read_article(source)
    except AudiogenError as error:
        return Score(page.name, 0.0, 0.0, False, None, None, shown, str(error)[:100])
    read = read_text(article)
    precision, recall = precision_recall((page / "truth.txt").read_text(encoding="utf-8"), read)
    return Score(
        page.name,
        precision,
        recall,
        same_title(article.headline, meta.get("title")),
        same_byline(article.byline, meta.get("byline")),
        same_day(article.published, meta.get("publishedTime")),
        shown,
        read=f"HEADLINE: {article.headline}\nBYLINE: {article.byline}\n"
        f"PUBLISHED: {article.published}\n\n{read}",
        found=(article.headline, str(article.byline), str(article.published)),
        expected=tuple(" ".join(str(meta.get(k)).split()) for k in _META_KEYS),
    )


_META_KEYS = ("title", "byline", "publishedTime")


def _title_shown(copied: Path, title: str | None) -> bool:
    """Whether a line of the copy is the title: their words overlap by 0.7, or the line has
    all of the title's and a few more (not a sentence that happens to have them). A line
    whose words are only some of the title's ("V8" or "News" for "... · V8" or "Yahoo News -
    Latest News & Headlines") counts as a right headline, but does not show the title."""
    lines = copied.read_text(encoding="utf-8", errors="replace").splitlines()
    return any(_shows(line, title) for line in lines if line.strip())


def _shows(line: str, title: str | None) -> bool:
    a, b = (set(TOKEN.findall((text or "").lower())) for text in (line, title))
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= 0.7 or (b <= a and len(a) <= len(b) + _MORE_WORDS)


_MORE_WORDS = 5


def print_misses(scores: list[Score]) -> None:
    """Each wrong headline, byline and date: what was found, then what meta.json has."""
    for s in scores:
        for what, ok, found, expected in zip(
            ("headline", "byline", "date"),
            (s.headline, s.byline, s.date),
            s.found,
            s.expected,
            strict=True,
        ):
            if ok is False:
                shown = (
                    " (title not a line of the copy)" if what == "headline" and not s.shown else ""
                )
                print(f"{s.page:30s} {what:8s} found {found[:60]!r}")
                print(f"{'':39s} want  {expected[:60]!r}{shown}")


def share(values: list[bool | None]) -> str:
    known = [value for value in values if value is not None]
    return f"{sum(known)}/{len(known)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEVSET)
    parser.add_argument("--html", action="store_true", help="the HTML pages, not copied text")
    parser.add_argument("--show", type=int, default=10, help="how many of the worst to list")
    parser.add_argument("--page", action="append", default=[], help="only this page (repeat)")
    parser.add_argument(
        "--misses", action="store_true", help="list wrong headlines, bylines, dates"
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    pages = sorted(p for p in args.set.iterdir() if (p / "truth.txt").exists())
    if args.page:
        pages = [p for p in pages if p.name in args.page]
    with ProcessPoolExecutor(args.jobs) as pool:
        scores = list(pool.map(score, pages, [args.html] * len(pages)))
    if args.page:
        for s in scores:
            print(f"=== {s.page} p={s.precision:.2f} r={s.recall:.2f} {s.error}\n{s.read}\n")
    if args.misses:
        print_misses(scores)
    for s in sorted(scores, key=lambda s: s.precision + s.recall)[: args.show]:
        print(f"  {s.page:32s} p={s.precision:.2f} r={s.recall:.2f} {s.error}", file=sys.stderr)
    p = sum(s.precision for s in scores) / len(scores)
    r = sum(s.recall for s in scores) / len(scores)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    headlines = sum(s.headline for s in scores) / len(scores)
    print(
        f"f1={f1:.3f} p={p:.3f} r={r:.3f} headline={headlines:.2f} "
        f"byline={share([s.byline for s in scores])} date={share([s.date for s in scores])} "
        f"pages={len(scores)} failed={sum(1 for s in scores if s.error)}"
    )
    if not args.html:
        reachable = [s for s in scores if s.shown]
        missed = " ".join(s.page for s in reachable if not s.headline)
        right = sum(s.headline for s in reachable)
        print(f"headline where the title is a line of the copied text: {right}/{len(reachable)}; "
              f"missed: {missed}")  # fmt: skip


if __name__ == "__main__":
    main()
