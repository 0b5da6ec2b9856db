"""An article's identity: the one name the output folder, the manifest and the feed know an
article by, whatever its headline says today.

- A source's **canonical form** (`source_key`), by which the manifest keys its lines: an
  absolute path with symbolic links resolved; a web address with its scheme and host in lower
  case and no #fragment; for a feed item, its link (its place in the feed moves as the feed
  does); "-" for standard input.
- An article's **identity** (`article_identity`): the `id` a list file gives it; else its
  canonical web address (a list's `canonical_url` or `url` column, the address given with the
  article, the page's canonical link, JSON-LD `url` or og:url, a feed item's link, the address
  it was fetched from); else its source's canonical form, as a file: URI for a path. An
  article on standard input with no address has none. A re-conversion with the same identity
  replaces the MP3 made before, whatever it is named now.
- Its **feed guid** (`feed_guid`): the identity, except that a path on this machine becomes
  an opaque urn:uuid, so that a public feed does not show the folders of whoever made it.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from audiogen.urls import canonical_url, is_address, is_url

if TYPE_CHECKING:
    from audiogen.article import Article
    from audiogen.sources.source import Source

STDIN = "-"
# How sources/ names a feed's item: "<the feed as named>#item-3".
_FEED_ITEM = re.compile(r"#item-\d+$")


def canonical_location(text: str) -> str:
    """A source as named (a path, a URL, "-", "@list", "<feed>#item-3") in its canonical
    form; what names no file or address (a list's "line 5") only made absolute."""
    if text == STDIN:
        return text
    if text.startswith("@"):
        return "@" + canonical_location(text[1:])
    item = _FEED_ITEM.search(text)
    if item:  # the feed's own form, then which of its items
        return canonical_location(text[: item.start()]) + item.group()
    if is_url(text):
        return canonical_url(text)
    if is_address(text):
        return text  # an address of another kind, never fetched: as named
    return os.path.realpath(os.path.expanduser(text))


def source_key(source: Source) -> str:
    """The Source's canonical form: the manifest's key for it."""
    if source.url and _FEED_ITEM.search(source.location):
        return canonical_url(source.url)
    return canonical_location(source.location)


def article_identity(source: Source, article: Article) -> str | None:
    """The identity of the article `source` holds (the Article read from it, with the
    address given with it applied); None for standard input without an address."""
    given = (source.overrides.get("id") or "").strip()
    if given:
        return canonical_url(given) if is_url(given) else given
    if article.url:
        return canonical_url(article.url)
    key = source_key(source)
    if key == STDIN:
        return None
    return Path(key).as_uri() if os.path.isabs(key) else key


def feed_guid(identity: str) -> str:
    """The guid a feed gives the episode of the article with `identity`."""
    if identity.startswith("file:"):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identity)}"
    return identity
