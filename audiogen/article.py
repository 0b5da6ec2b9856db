"""The Article: what extraction finds in a page, and what every later stage reads; and
`parse_date`, how every date given for one is read (a page's metadata, a feed's item, a list
file's column, an MP3's tag)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


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


def parse_date(text: str | None) -> datetime | None:
    """An ISO 8601 date or time ("2023-03-04", "2023-03-04T15:14:00+01:00") or an RFC 822
    one ("Sat, 04 Mar 2023 15:14:00 GMT") as a datetime, aware when the text gives its zone
    ("Z", "+00:00" and "GMT" all read as UTC); None for anything else, or a year before 1900
    or after 2200 (a placeholder, not a date)."""
    if not text or not isinstance(text, str):
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is not None and when.utcoffset().total_seconds() == 0:
        when = when.astimezone(UTC)
    return when if 1900 < when.year < 2200 else None
