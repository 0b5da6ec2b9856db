"""Feeds: an RSS or Atom feed stands for every article in it.

feedparser reads RSS 0.9x/1.0/2.0 and Atom, broken ones included, and cleans the HTML it
carries. It does not fetch DTDs, and drops entity declarations that refer to other entities
(the "billion laughs"), but it keeps and expands plain-text ones, so a feed can still declare a
100 KB entity and use it 10,000 times (1 GB). Feeds have no use for a DTD: one that declares
entities is refused before feedparser sees it.

An item that carries its full text (content:encoded, Atom content) becomes a small HTML page of
its own, with the item's title, date, authors and link written as JSON-LD so that the HTML
extractor reads them like any publisher's page; an item with only a summary is its link.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from audiogen.article import parse_date
from audiogen.errors import AudiogenError
from audiogen.urls import is_url

# The entity declarations a document type may hold, and the elements a feed starts with.
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)


@dataclass(frozen=True)
class FeedItem:
    number: int  # 1-based, in feed order
    link: str | None  # the article's web address
    page: bytes | None  # the item's full text as an HTML page (UTF-8), when the feed has it
    title: str | None = None


def read_feed(data: bytes, *, location: str, url: str | None = None) -> list[FeedItem]:
    """The items of the feed in `data`, in order; `url` is where it was fetched from, to
    resolve relative links. An AudiogenError, naming `location`, when it is not a usable feed."""
    import feedparser

    _refuse_entities(data, location)
    headers = {"content-location": url} if url else {}
    parsed = feedparser.parse(data, response_headers=headers, resolve_relative_uris=True)
    if not parsed.entries:
        if parsed.bozo and not parsed.feed:
            reason = type(parsed.get("bozo_exception")).__name__
            raise AudiogenError(f"{location}: not a readable feed ({reason})")
        raise AudiogenError(f"{location}: the feed has no items")
    channel = parsed.feed
    base = url or channel.get("link")
    return [_item(number, entry, channel, base) for number, entry in enumerate(parsed.entries, 1)]


def _refuse_entities(data: bytes, location: str) -> None:
    # Every entity declaration stands before the root element, and a root tag written inside
    # an entity's value comes after that entity's declaration: so "<!ENTITY" before the first
    # root tag catches them all, however the DTD is laid out.
    root = _FEED_ROOT.search(data)
    prolog = data[: root.start()] if root else data
    if _ENTITY.search(prolog):
        raise AudiogenError(
            f"{location}: the feed declares XML entities; refused, as feeds never need them "
            "and they can be used to exhaust memory"
        )


def _item(number: int, entry, channel, base: str | None) -> FeedItem:
    link = _web_link(entry.get("link"), base)
    title = " ".join((entry.get("title") or "").split()) or None
    content = _full_content(entry)
    page = _page(entry, channel, title, link, content) if content else None
    return FeedItem(number, link, page, title)


def _web_link(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    link = urljoin(base, link) if base else link
    return link if is_url(link) else None


def _full_content(entry) -> str | None:
    """The item's full text as HTML: content:encoded or Atom content, never the summary."""
    for content in entry.get("content") or ():
        value = (content.get("value") or "").strip()
        if not value:
            continue
        if content.get("type") == "text/plain":
            paragraphs = re.split(r"\n\s*\n", value)
            return "".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
        return value
    return None


def _page(entry, channel, title: str | None, link: str | None, content: str) -> bytes:
    """A standalone page for an item with its full text; its metadata as a publisher's page
    writes it."""
    facts = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": _published(entry),
        "author": [{"@type": "Person", "name": name} for name in _authors(entry)] or None,
        "publisher": {"@type": "Organization", "name": channel.get("title")}
        if channel.get("title")
        else None,
        "inLanguage": entry.get("language") or channel.get("language"),
        "url": link,
        "image": _image(entry),
    }
    facts = {key: value for key, value in facts.items() if value}
    # "</" inside a script element would end it early.
    ld = json.dumps(facts, ensure_ascii=False).replace("</", "<\\/")
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    canonical = f'<link rel="canonical" href="{html.escape(link)}">' if link else ""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title or '')}</title>{canonical}"
        f'<script type="application/ld+json">{ld}</script></head>'
        f"<body><article>{heading}{content}</article></body></html>"
    ).encode()


def _authors(entry) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or () if a.get("name")]
    return names or ([entry["author"]] if entry.get("author") else [])


def _published(entry) -> str | None:
    """The item's date as ISO 8601, its zone kept (feedparser's own parse is in UTC)."""
    for raw, parsed in (("published", "published_parsed"), ("updated", "updated_parsed")):
        when = parse_date(entry.get(raw))
        if when is not None:
            return when.isoformat()
        if entry.get(parsed):
            return datetime(*entry[parsed][:6], tzinfo=UTC).isoformat()
    return None


def _image(entry) -> str | None:
    for media in (*(entry.get("media_content") or ()), *(entry.get("media_thumbnail") or ())):
        if media.get("url") and media.get("medium", "image") == "image":
            return media["url"]
    for link in entry.get("links") or ():
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            return link.get("href")
    return None
