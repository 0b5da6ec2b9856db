"""The dev set's regression pages (tests/pages/devset/README.md) and the metric they are
scored by: 4-word shingles, as bench/extraction.py and the article-extraction benchmarks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

DEVSET = Path(__file__).parent / "pages" / "devset"
_WORD = re.compile(r"\w+")


def shingle_scores(expected: str, found: str) -> tuple[float, float]:
    """Precision and recall of `found`'s 4-word shingles (lower case) against `expected`'s."""

    def shingles(text: str) -> Counter:
        words = _WORD.findall(text.lower())
        return Counter(tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3)))

    wanted, got = shingles(expected), shingles(found)
    hits = sum((wanted & got).values())
    return hits / max(1, sum(got.values())), hits / max(1, sum(wanted.values()))


def read_aloud(article) -> str:
    """What is read after the headline: each section heading, then its paragraph."""
    parts = []
    for number, paragraph in enumerate(article.paragraphs):
        parts += [article.headings.get(number, ""), paragraph]
    return "\n".join(part for part in parts if part)


def truth(name: str) -> str:
    return (DEVSET / name / "truth.txt").read_text(encoding="utf-8")
