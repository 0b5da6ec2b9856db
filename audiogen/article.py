"""The Article: what extraction finds in a page, and what every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: tuple[str, ...]
    byline: str | None = None
    # Naive when the page gives no timezone; it is the page's local time then.
    published: datetime | None = None
    publisher: str | None = None
    language: str = "en"
    # Where the article came from, as the user named it (a path or a URL).
    source: str | None = None
    # The article's web address, when known; written as the WOAS tag.
    url: str | None = None
    # The lead image's address, when the page names one.
    image: str | None = None
    # Section headings, keyed by the index of the paragraph they stand before.
    headings: dict[int, str] = field(default_factory=dict)
