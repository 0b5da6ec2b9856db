"""Web addresses: the one test of what is an http(s) address, and an address's canonical form.

Every part of audiogen that asks "is this a web address?" asks here: the sources named on
the command line, a page's links and metadata, a feed's items, a podcast's base URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# An address of any scheme (http://, ftp://, file://), as opposed to a file's path.
_ADDRESS = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(text: str) -> bool:
    """Whether `text` is an http:// or https:// address (in any case), the kind fetched."""
    return urlsplit(text).scheme.lower() in ("http", "https")


def is_address(text: str) -> bool:
    """Whether `text` is written as a web address of any scheme, not as a file's path."""
    return bool(_ADDRESS.match(text))


def web_address(url: str) -> str:
    """`url` itself if it is an absolute http(s) address (with a host); ValueError otherwise."""
    if not is_url(url) or not urlsplit(url).netloc:
        raise ValueError(f"{url!r} is not an http:// or https:// address")
    return url


def canonical_url(url: str) -> str:
    """An address as an identity: scheme and host in lower case, no #fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))  # fmt: skip
