"""The Source: one article as the user named it (a file, an address, a feed's item, a list's
row), before it is read; the first of the frozen objects passed down the pipeline
(Source -> Article -> Script -> Audio -> Track)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    # As the user named it: a path, a URL, "-" (stdin), or "<feed>#item-3" for a feed's item.
    location: str
    # Already in hand (stdin, a fetched page, a feed item's full text); else read when needed.
    content: bytes | None = None
    # The article's address when known (a feed item's link, a fetched page's final address).
    url: str | None = None
    # headline, date, byline, voice, publisher, language, and the article's id and canonical
    # url: from a CSV/JSONL list file (see lists.py).
    overrides: dict[str, str] = field(default_factory=dict)
    # The server's Content-Type for fetched `content` ("text/html; charset=ISO-8859-1").
    content_type: str | None = None
    # The source itself says this is one article (a feed's item): a news brief of a few
    # sentences is then read, where a page of so few would be taken for a teaser.
    declared_article: bool = False

    @property
    def says_article(self) -> bool:
        """A feed item, or a list row that gives the article's headline."""
        return self.declared_article or bool(self.overrides.get("headline"))


Failure = tuple[str, str]  # (the argument or entry, why it gives no article: one line)
